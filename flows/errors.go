package flows

import (
	"errors"
	"fmt"
)

// ErrUnsupportedLink means the packet's link type has no decoder. It is a
// decoding error, so it lives here with the Decoder; the errors of opening
// and reading a capture are package capture's. Callers test for it with
// errors.Is.
var ErrUnsupportedLink = errors.New("unsupported link type")

// Damage is what is wrong with a damaged packet's header: a closed set,
// so that a message in another language is made from the value, not from
// its English.
type Damage uint8

const (
	_                      Damage = iota
	DamageCutShort                // Layer's header cut short
	DamageDataOffset              // TCP data offset below 5
	DamageIPv4HeaderLength        // A: the IPv4 header length field, below 5
	DamageIPv4TotalLength         // A: the IPv4 total length, below 20
	DamageIPv4Longer              // A: the header's bytes, B: the packet's total length
	DamageIPv4Ends                // IPv4 header cut short by the end of the capture
	DamageIPv4Short               // A: bytes of the 20 of an IPv4 header
	DamageIPv6Short               // A: bytes of the 40 of an IPv6 header
	DamageJumbogram               // IPv6 payload length 0 without hop-by-hop header
	DamageIPv4Option              // A: option type, B: the length it claims
	DamageSLLAddress              // A: the Linux cooked header's address length
	DamageLoopbackFamily          // S: the loopback header's family bytes
	DamageGTPShort                // A: bytes of a GTP-U header
)

// HeaderError is a damaged packet: which header is cut short or
// inconsistent (Damage, Layer), with its numbers.
type HeaderError struct {
	Damage Damage
	Layer  string // the header's protocol, for DamageCutShort and DamageDataOffset
	A, B   int
	S      string
}

func (e *HeaderError) Error() string {
	switch e.Damage {
	case DamageCutShort:
		return e.Layer + " header cut short"
	case DamageDataOffset:
		return "TCP data offset below 5"
	case DamageIPv4HeaderLength:
		return fmt.Sprintf("IPv4 header length field %d (%d bytes), below the minimum of 5 (20 bytes)", e.A, 4*e.A)
	case DamageIPv4TotalLength:
		return fmt.Sprintf("IPv4 total length %d, shorter than the 20 bytes of its own header", e.A)
	case DamageIPv4Longer:
		return fmt.Sprintf("IPv4 header of %d bytes, longer than the packet's total length %d", e.A, e.B)
	case DamageIPv4Ends:
		return "IPv4 header cut short: the capture ends inside it"
	case DamageIPv4Short:
		return fmt.Sprintf("IPv4 header cut short: %d of its 20 bytes", e.A)
	case DamageIPv6Short:
		return fmt.Sprintf("IPv6 header cut short: %d of its 40 bytes", e.A)
	case DamageJumbogram:
		return "IPv6 payload length 0 (a jumbogram) without the hop-by-hop header that must give its length"
	case DamageIPv4Option:
		return fmt.Sprintf("IPv4 option %d claims %d bytes, more than its header has left", e.A, e.B)
	case DamageSLLAddress:
		return fmt.Sprintf("Linux cooked-capture (SLL) header with an address length of %d, more than 8", e.A)
	case DamageLoopbackFamily:
		return fmt.Sprintf("BSD loopback header with an unknown address family (bytes %q)", e.S)
	case DamageGTPShort:
		return fmt.Sprintf("GTP-U header cut short: %d bytes", e.A)
	}
	return "damaged header"
}

// InWords gives a Decode error of gopacket's layers in synfin's words:
// what is wrong with which header, with its numbers, as a *HeaderError.
// An error it does not know stays as gopacket wrote it. It is for the few
// errors a person reads (it scans gopacket's text), not for every damaged
// packet.
func InWords(err error) error {
	msg := err.Error()
	var a, b int
	var s string
	switch {
	case scan(msg, "Invalid (too small) IP header length (%d < 5)", &a):
		return &HeaderError{Damage: DamageIPv4HeaderLength, A: a}
	case scan(msg, "Invalid (too small) IP length (%d < 20)", &a):
		return &HeaderError{Damage: DamageIPv4TotalLength, A: a}
	case scan(msg, "Invalid IP header length > IP length (%d > %d)", &a, &b):
		return &HeaderError{Damage: DamageIPv4Longer, A: 4 * a, B: b}
	case msg == "Not all IP header bytes available":
		return &HeaderError{Damage: DamageIPv4Ends}
	case scan(msg, "Invalid ip4 header. Length %d less than 20", &a):
		return &HeaderError{Damage: DamageIPv4Short, A: a}
	case scan(msg, "Invalid ip6 header. Length %d less than 40", &a):
		return &HeaderError{Damage: DamageIPv6Short, A: a}
	case scan(msg, "IPv6 length 0, but next header is %s not HopByHop", &s):
		return &HeaderError{Damage: DamageJumbogram}
	case scan(msg, "IP option length exceeds remaining IP header size, option type %d length %d", &a, &b):
		return &HeaderError{Damage: DamageIPv4Option, A: a, B: b}
	case scan(msg, "Linux SLL invalid address length %d", &a):
		return &HeaderError{Damage: DamageSLLAddress, A: a}
	case scan(msg, "Invalid loopback protocol %q", &s):
		return &HeaderError{Damage: DamageLoopbackFamily, S: s}
	case scan(msg, "GTP packet too small: %d bytes", &a):
		return &HeaderError{Damage: DamageGTPShort, A: a}
	}
	return err
}

// scan reports whether msg is format filled in, reading its values.
func scan(msg, format string, into ...any) bool {
	n, err := fmt.Sscanf(msg, format, into...)
	return err == nil && n == len(into)
}
