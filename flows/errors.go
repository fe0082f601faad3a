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

// InWords gives a Decode error of gopacket's layers in synfin's words:
// what is wrong with which header, with its numbers. An error it does not
// know stays as gopacket wrote it. It is for the few errors a person
// reads (it formats and scans text), not for every damaged packet.
func InWords(err error) error {
	msg := err.Error()
	var a, b int
	var s string
	switch {
	case scan(msg, "Invalid (too small) IP header length (%d < 5)", &a):
		return headerError(fmt.Sprintf("IPv4 header length field %d (%d bytes), below the minimum of 5 (20 bytes)", a, 4*a))
	case scan(msg, "Invalid (too small) IP length (%d < 20)", &a):
		return headerError(fmt.Sprintf("IPv4 total length %d, shorter than the 20 bytes of its own header", a))
	case scan(msg, "Invalid IP header length > IP length (%d > %d)", &a, &b):
		return headerError(fmt.Sprintf("IPv4 header of %d bytes, longer than the packet's total length %d", 4*a, b))
	case msg == "Not all IP header bytes available":
		return headerError("IPv4 header cut short: the capture ends inside it")
	case scan(msg, "Invalid ip4 header. Length %d less than 20", &a):
		return headerError(fmt.Sprintf("IPv4 header cut short: %d of its 20 bytes", a))
	case scan(msg, "Invalid ip6 header. Length %d less than 40", &a):
		return headerError(fmt.Sprintf("IPv6 header cut short: %d of its 40 bytes", a))
	case scan(msg, "IPv6 length 0, but next header is %s not HopByHop", &s):
		return headerError("IPv6 payload length 0 (a jumbogram) without the hop-by-hop header that must give its length")
	case scan(msg, "IP option length exceeds remaining IP header size, option type %d length %d", &a, &b):
		return headerError(fmt.Sprintf("IPv4 option %d claims %d bytes, more than its header has left", a, b))
	case scan(msg, "Linux SLL invalid address length %d", &a):
		return headerError(fmt.Sprintf("Linux cooked-capture (SLL) header with an address length of %d, more than 8", a))
	case scan(msg, "Invalid loopback protocol %q", &s):
		return headerError(fmt.Sprintf("BSD loopback header with an unknown address family (bytes %q)", s))
	case scan(msg, "GTP packet too small: %d bytes", &a):
		return headerError(fmt.Sprintf("GTP-U header cut short: %d bytes", a))
	}
	return err
}

// scan reports whether msg is format filled in, reading its values.
func scan(msg, format string, into ...any) bool {
	n, err := fmt.Sscanf(msg, format, into...)
	return err == nil && n == len(into)
}
