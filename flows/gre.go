package flows

import (
	"encoding/binary"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// GRE protocol types synfin decodes beyond the Ethernet types (RFC 2784,
// 2890; Wireshark's packet-gre.c and etypes.h).
const (
	greWCCP       = 0x883e // Cisco WCCP redirect: a 4-byte header, then IPv4
	greERSPAN     = 0x88be // ERSPAN type I (no sequence number) and II
	greERSPAN3    = 0x22eb // ERSPAN type III
	greTEB        = 0x6558 // transparent Ethernet bridging
	greArubaFirst = 0x8200 // Aruba WLAN: an 802.11 frame from an access point, 0x8200 to 0x9000 by 0x10
	greArubaLast  = 0x9000
)

var errShortGRE = cutShort("GRE")

// greLayer decodes a GRE header (version 0, and the enhanced version 1 of
// PPTP) and what some networks put behind it before the frame they carry:
// WCCP's redirect header, ERSPAN's headers (types I, II and III), an
// Aruba access point's 802.11 frame. gopacket's GRE layer stops at any
// protocol type it has no layer for; synfin names it instead (Stopped),
// so that a note says what was not decoded rather than "no TCP".
type greLayer struct {
	hop
	proto      uint16 // the protocol type, for a note when decoding stops here
	firstProto uint16 // the first GRE header's in the packet, naming its tunnel (0: none yet)
}

func (g *greLayer) CanDecode() gopacket.LayerClass { return layers.LayerTypeGRE }

func (g *greLayer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	g.next, g.payload = gopacket.LayerTypeZero, nil
	if len(b) < 4 {
		return errShortGRE
	}
	flags, proto := binary.BigEndian.Uint16(b[0:2]), binary.BigEndian.Uint16(b[2:4])
	g.proto = proto
	if g.firstProto == 0 {
		g.firstProto = proto
	}
	n := 4
	if flags&0x8000 != 0 || flags&0x4000 != 0 { // checksum (and, with routing, the offset)
		n += 4
	}
	if flags&0x2000 != 0 { // key (PPTP: payload length and call ID)
		n += 4
	}
	seqPresent := flags&0x1000 != 0
	if seqPresent {
		n += 4
	}
	if flags&0x7 == 1 && flags&0x0080 != 0 { // version 1: acknowledgment number
		n += 4
	}
	if len(b) < n {
		return errShortGRE
	}
	rest := b[n:]
	switch {
	case proto == greWCCP:
		// Wireshark: the redirect header is there unless an IPv4
		// header starts at once.
		if len(rest) > 0 && rest[0]>>4 != 4 {
			if len(rest) < 4 {
				return errShortGRE
			}
			rest = rest[4:]
		}
		g.next = layers.LayerTypeIPv4
	case proto == greERSPAN:
		if seqPresent { // type II: an 8-byte header; type I has none
			if len(rest) < 8 {
				return errShortGRE
			}
			rest = rest[8:]
		}
		g.next = layerTypeEther
	case proto == greERSPAN3:
		// 12 bytes, and an 8-byte platform subheader when O is set.
		if len(rest) < 12 {
			return errShortGRE
		}
		skip := 12
		if rest[11]&0x01 != 0 {
			skip += 8
		}
		if len(rest) < skip {
			return errShortGRE
		}
		rest = rest[skip:]
		g.next = layerTypeEther
	case proto == greTEB:
		g.next = layerTypeEther
	case proto >= greArubaFirst && proto <= greArubaLast && proto&0xf == 0:
		g.next = layers.LayerTypeDot11
	default:
		g.next = layers.EthernetType(proto).LayerType()
		if g.next == gopacket.LayerTypePayload {
			g.next = gopacket.LayerTypeZero
		}
	}
	g.payload = rest
	return nil
}
