package flows

import (
	"encoding/binary"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Layer types for headers gopacket does not decode as DecodingLayers.
var (
	layerTypeEther  = gopacket.RegisterLayerType(1710, gopacket.LayerTypeMetadata{Name: "synfin Ethernet"})
	layerTypeFDDI   = gopacket.RegisterLayerType(1711, gopacket.LayerTypeMetadata{Name: "synfin FDDI"})
	layerTypeTeredo = gopacket.RegisterLayerType(1713, gopacket.LayerTypeMetadata{Name: "synfin Teredo"})
	layerTypeAYIYA  = gopacket.RegisterLayerType(1714, gopacket.LayerTypeMetadata{Name: "synfin AYIYA"})
	layerTypeCAPWAP = gopacket.RegisterLayerType(1715, gopacket.LayerTypeMetadata{Name: "synfin CAPWAP"})
	// 802.11 inside CAPWAP, whose frame control may come byte-swapped.
	layerTypeDot11CAPWAP = gopacket.RegisterLayerType(1716, gopacket.LayerTypeMetadata{Name: "synfin 802.11 in CAPWAP"})
)

// Ethertypes of tags and encapsulations that etherLayer steps over.
const (
	etherVLAN       = 0x8100 // IEEE 802.1Q
	etherQinQ       = 0x88a8 // IEEE 802.1ad
	etherQinQOld    = 0x9100 // pre-standard QinQ
	etherVNTag      = 0x8926 // Cisco VN-Tag
	etherPBB        = 0x88e7 // IEEE 802.1ah I-TAG, followed by a whole Ethernet header
	etherFabricPath = 0x8903 // Cisco FabricPath, followed by a whole Ethernet header
)

// etherLayer decodes an Ethernet II or 802.3 header and steps over any
// stack of VLAN tags (any depth), VN-Tags, and the provider headers that
// wrap a second Ethernet frame (802.1ah PBB, Cisco FabricPath), so that the
// next layer is the network layer. gopacket's Ethernet and Dot1Q layers
// stop at the tags they do not know.
type etherLayer struct {
	hop
	typ uint16 // the Ethernet type after the tags
}

func (e *etherLayer) CanDecode() gopacket.LayerClass { return layerTypeEther }

func (e *etherLayer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	e.next, e.payload = gopacket.LayerTypeZero, nil
	if len(b) < 14 {
		return errShortEthernet
	}
	typ, rest := binary.BigEndian.Uint16(b[12:14]), b[14:]
	for hops := 0; hops < 16; hops++ {
		switch typ {
		case etherVLAN, etherQinQ, etherQinQOld:
			if len(rest) < 4 {
				return errShortEthernet
			}
			typ, rest = binary.BigEndian.Uint16(rest[2:4]), rest[4:]
			continue
		case etherVNTag:
			if len(rest) < 6 {
				return errShortEthernet
			}
			typ, rest = binary.BigEndian.Uint16(rest[4:6]), rest[6:]
			continue
		case etherPBB: // 4-byte I-TAG, then the customer's Ethernet header
			if len(rest) < 4+14 {
				return errShortEthernet
			}
			typ, rest = binary.BigEndian.Uint16(rest[4+12:4+14]), rest[4+14:]
			continue
		case etherFabricPath: // 2-byte FTag/TTL, then the inner Ethernet header
			if len(rest) < 2+14 {
				return errShortEthernet
			}
			typ, rest = binary.BigEndian.Uint16(rest[2+12:2+14]), rest[2+14:]
			continue
		}
		break
	}
	e.payload, e.typ = rest, typ
	if typ <= 1500 { // 802.3 length: an LLC header follows
		if int(typ) < len(rest) {
			e.payload = rest[:typ]
		}
		e.next = layers.LayerTypeLLC
		return nil
	}
	e.next = layers.EthernetType(typ).LayerType()
	return nil
}

// fddiLayer decodes an FDDI header (frame control, two addresses) before LLC.
type fddiLayer struct{ hop }

func (f *fddiLayer) CanDecode() gopacket.LayerClass { return layerTypeFDDI }
func (f *fddiLayer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	if len(b) < 13 {
		return errShortFDDI
	}
	f.next, f.payload = layers.LayerTypeLLC, b[13:]
	return nil
}

// udpLayer decodes a UDP header and picks the tunnel behind it by port:
// gopacket's VXLAN, Geneve and GTP-U, and Teredo, AYIYA and GRE-in-UDP,
// which it lacks. Plain UDP ends decoding.
type udpLayer struct {
	hop
	src, dst uint16 // ports, to name what a datagram without TCP was
}

func (u *udpLayer) CanDecode() gopacket.LayerClass { return layers.LayerTypeUDP }
func (u *udpLayer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	u.next, u.payload = gopacket.LayerTypeZero, nil
	if len(b) < 8 {
		return errShortUDP
	}
	src, dst := binary.BigEndian.Uint16(b[0:2]), binary.BigEndian.Uint16(b[2:4])
	u.payload, u.src, u.dst = b[8:], src, dst
	for _, p := range [2]uint16{dst, src} {
		switch p {
		case 4789, 8472:
			u.next = layers.LayerTypeVXLAN
		case 6081:
			u.next = layers.LayerTypeGeneve
		case 2152:
			u.next = layers.LayerTypeGTPv1U
		case 3544:
			u.next = layerTypeTeredo
		case 5072:
			u.next = layerTypeAYIYA
		case 4754:
			u.next = layers.LayerTypeGRE
		case 5247:
			u.next = layerTypeCAPWAP
		default:
			continue
		}
		return nil
	}
	return nil
}

// teredoLayer steps over Teredo's optional authentication and origin
// indication headers (RFC 4380 §5.1.1) to the IPv6 packet.
type teredoLayer struct{ hop }

func (t *teredoLayer) CanDecode() gopacket.LayerClass { return layerTypeTeredo }
func (t *teredoLayer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	t.next, t.payload = gopacket.LayerTypeZero, nil
	if len(b) >= 4 && b[0] == 0 && b[1] == 1 { // authentication: ID and AU lengths, nonce, confirmation
		n := 4 + int(b[2]) + int(b[3]) + 9
		if len(b) < n {
			return nil
		}
		b = b[n:]
	}
	if len(b) >= 8 && b[0] == 0 && b[1] == 0 { // origin indication
		b = b[8:]
	}
	if len(b) > 0 && b[0]>>4 == 6 {
		t.next, t.payload = layers.LayerTypeIPv6, b
	}
	return nil
}

// ayiyaLayer decodes the AYIYA tunnel header (draft-massar-v6ops-ayiya):
// identity and signature lengths, then the next header.
type ayiyaLayer struct{ hop }

func (a *ayiyaLayer) CanDecode() gopacket.LayerClass { return layerTypeAYIYA }
func (a *ayiyaLayer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	a.next, a.payload = gopacket.LayerTypeZero, nil
	if len(b) < 8 {
		return errShortAYIYA
	}
	n := 8 + (1 << (b[0] >> 4)) + int(b[1]>>4)*4
	if len(b) < n {
		return errShortAYIYA
	}
	a.payload = b[n:]
	switch b[3] {
	case 4:
		a.next = layers.LayerTypeIPv4
	case 41:
		a.next = layers.LayerTypeIPv6
	}
	return nil
}

// capwapLayer decodes a CAPWAP data header (RFC 5415 §4.3; UDP 5247): a
// wireless access point's frames tunnelled to its controller. The frame
// behind it is IEEE 802.11 when the T bit says native format and the
// wireless binding is 802.11 (RFC 5416), else IEEE 802.3 Ethernet. DTLS
// (encrypted) and later fragments are not decoded.
type capwapLayer struct{ hop }

func (c *capwapLayer) CanDecode() gopacket.LayerClass { return layerTypeCAPWAP }
func (c *capwapLayer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	c.next, c.payload = gopacket.LayerTypeZero, nil
	if len(b) < 8 {
		return errShortCAPWAP
	}
	if b[0] != 0 { // version 0, type 0: a plain CAPWAP header (1 is DTLS)
		return nil
	}
	w := binary.BigEndian.Uint32(b[0:4])
	hlen := int(w>>19&0x1f) * 4
	wbid, native, fragment := w>>9&0x1f, w>>8&1 == 1, w>>7&1 == 1
	if fragment && binary.BigEndian.Uint16(b[6:8])>>3 != 0 {
		return nil // not the first fragment: no headers of its own
	}
	if hlen < 8 || len(b) < hlen {
		return errShortCAPWAP
	}
	c.payload = b[hlen:]
	if native && wbid == 1 {
		c.next = layerTypeDot11CAPWAP
	} else if !native {
		c.next = layerTypeEther
	}
	return nil
}

// dot11Layer decodes the header of an IEEE 802.11 data frame (radiotap and
// 802.11 captures, CAPWAP, an Aruba access point's GRE) up to the LLC
// header of what it carries: addresses (four when the frame crosses the
// distribution system both ways), QoS control, HT control. Of an A-MSDU
// (several frames in one, the QoS control's A-MSDU bit) the first
// subframe is read, as one packet gives one segment. Management, control,
// null and protected (encrypted) frames end decoding. gopacket's Dot11
// allocates for every QoS frame and stops at QoS data.
//
// Behind CAPWAP (capwap set) the two frame-control bytes may come swapped:
// Cisco's access points send them so, and Wireshark swaps them by default
// (capwap.swap_fc). synfin reads them as they come when that gives a data
// frame, and swapped when only that does.
type dot11Layer struct {
	hop
	capwap bool
}

var errShortDot11 = cutShort("802.11")

func (d *dot11Layer) CanDecode() gopacket.LayerClass {
	if d.capwap {
		return layerTypeDot11CAPWAP
	}
	return layers.LayerTypeDot11
}

// isData says whether fc is the first frame-control byte of a data frame
// (protocol version 0).
func isData(fc byte) bool { return fc&0x03 == 0 && fc>>2&0x3 == 2 }

func (d *dot11Layer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	d.next, d.payload = gopacket.LayerTypeZero, nil
	if len(b) < 24 {
		return errShortDot11
	}
	fc, flags := b[0], b[1]
	if d.capwap && !isData(fc) && isData(flags) {
		fc, flags = flags, fc
	}
	typ, subtype := fc>>2&0x3, fc>>4
	if typ != 2 || flags&0x40 != 0 || subtype&0x4 != 0 { // not data, protected, or no data
		return nil
	}
	n := 24
	if flags&0x03 == 0x03 { // to and from the DS: a fourth address
		n += 6
	}
	amsdu := false
	if subtype&0x8 != 0 { // QoS data
		if len(b) < n+2 {
			return errShortDot11
		}
		amsdu = b[n]&0x80 != 0
		n += 2
		if flags&0x80 != 0 { // +HTC
			n += 4
		}
	}
	if amsdu {
		n += 14 // the first subframe's destination, source and length
	}
	if len(b) < n {
		return errShortDot11
	}
	d.next, d.payload = layers.LayerTypeLLC, b[n:]
	return nil
}
