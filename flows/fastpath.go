package flows

import (
	"encoding/binary"
	"net/netip"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/flows/capture"
)

// The fast path decodes by hand the packets nearly every capture is made
// of: Ethernet (with any stack of 802.1Q/802.1ad tags), Linux cooked
// capture (SLL and SLL2) or raw IP; then IPv4 without options that is not a
// fragment, or IPv6 with TCP straight after its header; then TCP. Anything
// else, and anything cut short or inconsistent, it leaves alone: Decode then
// gives the packet to gopacket's DecodingLayerParser as before, so every
// tunnel, every odd link type and every error message is what it was. Where
// it takes a packet, the segment is the one the gopacket path makes
// (TestFastPathAgrees runs both over every packet of testdata and the
// corpus; FuzzFastPath over random bytes). It saves the parser's dispatch
// through layer types and interfaces, about half of decoding's time.

// Ethertypes the fast path reads.
const (
	etherIPv4 = 0x0800
	etherIPv6 = 0x86dd
)

// fast decodes pkt into seg by hand and reports whether it could; when it
// could not, seg and d.tcp are left for the gopacket path to overwrite.
func (d *Decoder) fast(pkt *capture.Packet, seg *Segment) bool {
	b := pkt.Data
	var typ uint16 // ethertype of what b holds after the link header
	switch pkt.Link {
	case layers.LinkTypeEthernet:
		if len(b) < 14 {
			return false
		}
		typ, b = binary.BigEndian.Uint16(b[12:14]), b[14:]
		for hops := 0; typ == etherVLAN || typ == etherQinQ || typ == etherQinQOld; hops++ {
			if hops == 16 || len(b) < 4 {
				return false
			}
			typ, b = binary.BigEndian.Uint16(b[2:4]), b[4:]
		}
	case layers.LinkTypeLinuxSLL:
		if len(b) < 16 || binary.BigEndian.Uint16(b[4:6]) > 8 {
			return false
		}
		typ, b = binary.BigEndian.Uint16(b[14:16]), b[16:]
	case layers.LinkTypeLinuxSLL2:
		if len(b) < 20 || b[11] > 8 {
			return false
		}
		switch layers.ARPHardwareType(binary.BigEndian.Uint16(b[8:10])) {
		case layers.ARPHardwareTypeFRAD, layers.ARPHardwareTypeDot11Radiotap, layers.ARPHardwareTypeIPGRE:
			return false
		}
		typ, b = binary.BigEndian.Uint16(b[0:2]), b[20:]
	case layers.LinkTypeRaw, 12, 14:
		if len(b) == 0 {
			return false
		}
		switch b[0] >> 4 {
		case 4:
			typ = etherIPv4
		case 6:
			typ = etherIPv6
		}
	case layers.LinkTypeIPv4:
		typ = etherIPv4
	case layers.LinkTypeIPv6:
		typ = etherIPv6
	default:
		return false
	}
	var ip ipFacts
	switch typ {
	case etherIPv4:
		// As gopacket's IPv4 reads it: the version nibble is not checked,
		// a total length of 0 (TSO) means the captured bytes, and a packet
		// longer than its total length is cut to it (Ethernet padding).
		if len(b) < 20 || b[0]&0x0f != 5 || b[9] != 6 {
			return false // options, or not TCP
		}
		if binary.BigEndian.Uint16(b[6:8])&0x3fff != 0 {
			return false // a fragment (more fragments, or an offset)
		}
		total := int(binary.BigEndian.Uint16(b[2:4]))
		field := total // what the header's length says, as gopacket keeps it
		if total == 0 {
			total, field = len(b), min(len(b), 0xffff)
		}
		if total < 20 {
			return false
		}
		data := b
		if len(data) > total {
			data = data[:total]
		}
		ip = ipFacts{src: netip.AddrFrom4([4]byte(b[12:16])), dst: netip.AddrFrom4([4]byte(b[16:20])),
			ttl: b[8], df: b[6]&0x40 != 0, id: binary.BigEndian.Uint16(b[4:6]),
			declared: field - 20, payload: len(data) - 20}
		b = data[20:]
	case etherIPv6:
		if len(b) < 40 || b[6] != 6 {
			return false // extension headers, or not TCP
		}
		length := int(binary.BigEndian.Uint16(b[4:6]))
		if length == 0 {
			return false // a jumbogram: gopacket reads its hop-by-hop header
		}
		data := b[40:]
		if len(data) > length {
			data = data[:length]
		}
		ip = ipFacts{src: netip.AddrFrom16([16]byte(b[8:24])), dst: netip.AddrFrom16([16]byte(b[24:40])),
			ttl: b[7], declared: length, payload: len(data)}
		b = data
	default:
		return false
	}
	if len(b) < 20 || b[12]>>4 < 5 {
		return false // the gopacket path names the damage
	}
	if err := d.tcp.DecodeFromBytes(b, nil); err != nil {
		return false
	}
	d.segment(pkt, &ip, seg)
	return true
}
