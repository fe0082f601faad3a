package flows

import (
	"fmt"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Stop says where the decoding of a packet that gave no TCP segment
// stopped: the last layer decoded and the protocol number it named for
// what follows (an Ethernet type, a PPP protocol, an IP protocol, a UDP
// port). Layer 0 is a packet of which not even the link layer decoded.
type Stop struct {
	Link  layers.LinkType
	Layer gopacket.LayerType
	Proto uint32
}

// Stopped is where the last packet Decode refused as not TCP stopped.
func (d *Decoder) Stopped() Stop {
	if len(d.decoded) == 0 {
		return Stop{Link: d.lastLT}
	}
	l := d.decoded[len(d.decoded)-1]
	st := Stop{Link: d.lastLT, Layer: l}
	switch l {
	case layerTypeEther:
		st.Proto = uint32(d.ether.typ)
	case layers.LayerTypeLinuxSLL:
		st.Proto = uint32(d.sll.EthernetType)
	case layers.LayerTypeLinuxSLL2:
		st.Proto = uint32(d.sll2.ProtocolType)
	case layers.LayerTypePPP:
		st.Proto = d.ppp.proto
	case layers.LayerTypeLoopback:
		st.Proto = uint32(d.loop.Family)
	case layers.LayerTypeIPv4:
		st.Proto = uint32(d.ip4.Protocol)
	case layers.LayerTypeIPv6:
		st.Proto = uint32(d.ip6.NextHeader)
	case layers.LayerTypeUDP:
		st.Proto = uint32(min(d.udp.src, d.udp.dst))
	case layers.LayerTypeEthernet:
		st.Proto = uint32(d.eth.EthernetType)
	case layers.LayerTypeLLC:
		st.Proto = uint32(d.llc.DSAP)
	case layers.LayerTypeGRE:
		st.Proto = uint32(d.gre.proto)
	}
	return st
}

// ReachedIP says whether the packet was IP (or what IP carries) that is
// simply not TCP: UDP, ICMP, a later fragment. A packet that stopped at
// GRE did not: the protocol GRE carried was not decoded, and may well
// have been TCP.
func (s Stop) ReachedIP() bool {
	switch s.Layer {
	case layers.LayerTypeIPv4, layers.LayerTypeIPv6, layers.LayerTypeUDP, layers.LayerTypeIPv6Fragment,
		layers.LayerTypeIPv6HopByHop, layers.LayerTypeIPv6Destination, layers.LayerTypeIPv6Routing,
		layers.LayerTypeVXLAN, layers.LayerTypeGeneve, layers.LayerTypeGTPv1U,
		layerTypeTeredo, layerTypeAYIYA, layerTypeCAPWAP:
		return true
	}
	return false
}

// Expected says whether a packet that stopped here is traffic that never
// carries IP, which a capture holds as a matter of course: ARP, LLDP,
// spanning tree and the like, PPP's own control protocols.
func (s Stop) Expected() bool {
	switch s.Layer {
	case layerTypeEther, layers.LayerTypeEthernet, layers.LayerTypeLinuxSLL, layers.LayerTypeLinuxSLL2:
		switch s.Proto {
		case 0x0806, 0x8035, // ARP, RARP
			0x88cc, 0x888e, 0x8809, 0x88f7, 0x8808, // LLDP, EAPOL, slow protocols (LACP), PTP, pause
			0x9000, 0x893a, 0x88e5, 0x8863, 0x8902, // loopback, IEEE 1905, MACsec, PPPoE discovery, CFM (OAM)
			0x0004, 0x0001, 0x0003: // Linux cooked: 802.2 LLC, 802.3, all
			return true
		}
	case layers.LayerTypeLLC, layers.LayerTypeSNAP:
		return true // spanning tree, CDP, IPX and other 802.2 frames: not IP
	case layers.LayerTypePPP:
		return s.Proto >= 0x8000 // control protocols: LCP, IPCP, IPV6CP, CHAP, PAP, LQR…
	case layers.LayerTypeDot11, layers.LayerTypeRadioTap, layerTypeDot11CAPWAP:
		return true // management and control frames
	}
	return false
}

// String names where decoding stopped, for a note.
func (s Stop) String() string {
	switch s.Layer {
	case 0:
		return "link header not decoded"
	case layerTypeEther, layers.LayerTypeEthernet, layers.LayerTypeLinuxSLL, layers.LayerTypeLinuxSLL2:
		switch s.Proto {
		case 0x0806:
			return "ARP"
		case 0x88cc:
			return "LLDP"
		case 0x888e:
			return "EAPOL"
		case 0x8809:
			return "LACP"
		}
		return fmt.Sprintf("Ethernet type 0x%04x", s.Proto)
	case layers.LayerTypePPP:
		return fmt.Sprintf("PPP protocol 0x%04x", s.Proto)
	case layers.LayerTypeLoopback:
		return fmt.Sprintf("loopback family %d", s.Proto)
	case layers.LayerTypeIPv4, layers.LayerTypeIPv6:
		return ipProtoName(s.Proto)
	case layers.LayerTypeUDP:
		return fmt.Sprintf("UDP port %d", s.Proto)
	case layers.LayerTypeLLC:
		return fmt.Sprintf("802.2 LLC SAP 0x%02x", s.Proto)
	case layers.LayerTypeGRE:
		return fmt.Sprintf("GRE protocol 0x%04x not decoded", s.Proto)
	}
	return s.Layer.String()
}

func ipProtoName(p uint32) string {
	switch p {
	case 6:
		return "TCP in IP fragments"
	case 1:
		return "ICMP"
	case 58:
		return "ICMPv6"
	case 17:
		return "UDP"
	case 2:
		return "IGMP"
	case 44:
		return "IPv6 fragment"
	case 47:
		return "GRE"
	case 50:
		return "ESP"
	case 89:
		return "OSPF"
	case 132:
		return "SCTP"
	}
	return fmt.Sprintf("IP protocol %d", p)
}

// StopKind says how a Stop is named, so that a message in another language
// is made from the Stop's values, not from its English: every kind but
// StopNamed has a phrase around its Proto number (or none, for StopNoLink
// and the two fixed phrases); StopNamed's String is a protocol's or a
// layer's name, the same in every language.
type StopKind uint8

const (
	StopNamed          StopKind = iota // ARP, LLDP, UDP, ICMP, GRE, a layer's name…
	StopNoLink                         // link header not decoded
	StopEtherType                      // Ethernet type 0x%04x
	StopPPP                            // PPP protocol 0x%04x
	StopLoopback                       // loopback family %d
	StopLaterFragments                 // TCP in IP fragments (a datagram not completed, or a later fragment)
	StopIPv6Fragment                   // IPv6 fragment
	StopIPProto                        // IP protocol %d
	StopUDPPort                        // UDP port %d
	StopLLC                            // 802.2 LLC SAP 0x%02x
	StopGRE                            // GRE protocol 0x%04x not decoded
)

// Kind says how s is named (see String).
func (s Stop) Kind() StopKind {
	switch s.Layer {
	case 0:
		return StopNoLink
	case layerTypeEther, layers.LayerTypeEthernet, layers.LayerTypeLinuxSLL, layers.LayerTypeLinuxSLL2:
		switch s.Proto {
		case 0x0806, 0x88cc, 0x888e, 0x8809:
			return StopNamed
		}
		return StopEtherType
	case layers.LayerTypePPP:
		return StopPPP
	case layers.LayerTypeLoopback:
		return StopLoopback
	case layers.LayerTypeIPv4, layers.LayerTypeIPv6:
		switch s.Proto {
		case 6:
			return StopLaterFragments
		case 44:
			return StopIPv6Fragment
		case 1, 58, 17, 2, 47, 50, 89, 132:
			return StopNamed
		}
		return StopIPProto
	case layers.LayerTypeUDP:
		return StopUDPPort
	case layers.LayerTypeLLC:
		return StopLLC
	case layers.LayerTypeGRE:
		return StopGRE
	}
	return StopNamed
}
