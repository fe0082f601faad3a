package flows

import (
	"encoding/binary"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// The link layers and encapsulations synfin decodes itself, as gopacket
// DecodingLayers: raw IP, NFLOG, PPP, PPPoE and MPLS (tunnels are in
// tunnel.go and gre.go).

// hop is what every small decoder of this package shares: the bytes after its header
// and the layer they hold. DecodeFromBytes fills both.
type hop struct {
	next    gopacket.LayerType
	payload []byte
}

func (h *hop) NextLayerType() gopacket.LayerType { return h.next }
func (h *hop) LayerPayload() []byte              { return h.payload }

// rawIPLayer starts frames of the raw-IP link types: the version nibble
// says IPv4 or IPv6 (LINKTYPE_IPV4 and _IPV6 fix it).
type rawIPLayer struct {
	hop
	linkType layers.LinkType
}

func (r *rawIPLayer) CanDecode() gopacket.LayerClass { return layerTypeRawIP }
func (r *rawIPLayer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	r.payload = b
	r.next = ipByVersion(b)
	switch r.linkType {
	case layers.LinkTypeIPv4:
		r.next = layers.LayerTypeIPv4
	case layers.LinkTypeIPv6:
		r.next = layers.LayerTypeIPv6
	}
	return nil
}

func ipByVersion(b []byte) gopacket.LayerType {
	if len(b) == 0 {
		return gopacket.LayerTypeZero
	}
	switch b[0] >> 4 {
	case 4:
		return layers.LayerTypeIPv4
	case 6:
		return layers.LayerTypeIPv6
	}
	return gopacket.LayerTypeZero
}

// nflogLayer reads Linux NFLOG frames (LINKTYPE_NFLOG): a 4-byte header
// (family, version, resource id) and TLVs, one of which (type 9,
// NFULA_PAYLOAD) holds the IP packet. TLV lengths are host-endian;
// libpcap writes them little-endian on the machines that make such files.
type nflogLayer struct{ hop }

func (n *nflogLayer) CanDecode() gopacket.LayerClass { return layerTypeNFLOG }
func (n *nflogLayer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	n.next, n.payload = gopacket.LayerTypeZero, nil
	if len(b) < 4 {
		return errShortNFLOG
	}
	family := b[0]
	for i := 4; i+4 <= len(b); {
		l := int(binary.LittleEndian.Uint16(b[i:]))
		typ := binary.LittleEndian.Uint16(b[i+2:]) & 0x7fff
		if l < 4 || i+l > len(b) {
			if typ == 9 && l >= 4 { // payload cut by the snaplen
				l = len(b) - i
			} else {
				return errShortNFLOG
			}
		}
		if typ == 9 {
			n.payload = b[i+4 : i+l]
			switch family {
			case 2:
				n.next = layers.LayerTypeIPv4
			case 10:
				n.next = layers.LayerTypeIPv6
			default:
				n.next = ipByVersion(n.payload)
			}
			return nil
		}
		i += (l + 3) &^ 3
	}
	return nil
}

// pppLayer reads PPP frames (RFC 1661), with or without the HDLC address
// and control bytes (0xff 0x03), and a one- or two-byte protocol field.
type pppLayer struct {
	hop
	proto uint32 // the PPP protocol, or the Ethernet type after Cisco HDLC
	hdlc  bool   // the frame was Cisco HDLC, not PPP
}

func (p *pppLayer) CanDecode() gopacket.LayerClass { return layers.LayerTypePPP }
func (p *pppLayer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	p.next, p.payload, p.proto = gopacket.LayerTypeZero, nil, 0
	// Cisco HDLC on a PPP link (address 0x0f unicast or 0x8f broadcast,
	// control 0, then an Ethernet type), as Wireshark's PPP dissector
	// tells it apart.
	if len(b) >= 4 && (b[0] == 0x0f || b[0] == 0x8f) && b[1] == 0 {
		p.hdlc, p.proto = true, uint32(binary.BigEndian.Uint16(b[2:4]))
		p.payload = b[4:]
		p.next = layers.EthernetType(p.proto).LayerType()
		if p.proto == 0x8847 || p.proto == 0x8848 {
			p.next = layers.LayerTypeMPLS
		}
		return nil
	}
	p.hdlc = false
	if len(b) >= 2 && b[0] == 0xff && b[1] == 0x03 {
		b = b[2:]
	}
	if len(b) < 1 {
		return errShortPPP
	}
	var proto uint16
	if b[0]&1 == 1 { // compressed one-byte protocol field
		proto, b = uint16(b[0]), b[1:]
	} else {
		if len(b) < 2 {
			return errShortPPP
		}
		proto, b = binary.BigEndian.Uint16(b), b[2:]
	}
	p.payload, p.proto = b, uint32(proto)
	switch proto {
	case 0x0021:
		p.next = layers.LayerTypeIPv4
	case 0x0057:
		p.next = layers.LayerTypeIPv6
	case 0x0281, 0x0283: // MPLS unicast and multicast (RFC 3032)
		p.next = layers.LayerTypeMPLS
	}
	return nil
}

// pppoeLayer reads a PPPoE session header (RFC 2516) and hands the PPP
// frame on.
type pppoeLayer struct{ hop }

func (p *pppoeLayer) CanDecode() gopacket.LayerClass { return layers.LayerTypePPPoE }
func (p *pppoeLayer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	if len(b) < 6 {
		return errShortPPPoE
	}
	p.next, p.payload = layers.LayerTypePPP, b[6:]
	return nil
}

// mplsLayer skips an MPLS label stack (RFC 3032) and guesses IPv4 or IPv6
// from the version nibble after the bottom-of-stack label, as Wireshark does.
type mplsLayer struct{ hop }

func (m *mplsLayer) CanDecode() gopacket.LayerClass { return layers.LayerTypeMPLS }
func (m *mplsLayer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	for i := 0; i+4 <= len(b); i += 4 {
		if b[i+2]&1 == 1 { // bottom of stack
			m.payload = b[i+4:]
			m.next = ipByVersion(m.payload)
			// A first nibble of 0 is a pseudowire control word (RFC 4385):
			// an Ethernet pseudowire (RFC 4448) carries whole frames, as
			// Wireshark's pwethheuristic guesses.
			if len(m.payload) >= 4+14 && m.payload[0]>>4 == 0 {
				m.payload, m.next = m.payload[4:], layerTypeEther
			}
			return nil
		}
	}
	return errShortMPLS
}
