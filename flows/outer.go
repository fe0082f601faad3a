package flows

import (
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TunnelKind is the tunnel a segment came through, named by the header
// between the outer IP header and the inner one: a closed set.
type TunnelKind uint8

// Tunnel kinds.
const (
	NoTunnel     TunnelKind = iota
	TunnelIPinIP            // IPv4 or IPv6 straight in IPv4 or IPv6 (4in4, 6in4, 4in6, 6in6)
	TunnelGRE               // GRE, GRE in UDP, transparent Ethernet bridging, Aruba
	TunnelERSPAN            // ERSPAN I, II, III in GRE
	TunnelWCCP              // Cisco WCCP redirect in GRE
	TunnelVXLAN             // VXLAN
	TunnelGeneve            // Geneve
	TunnelGTPU              // GTP-U
	TunnelTeredo            // Teredo
	TunnelAYIYA             // AYIYA
	TunnelCAPWAP            // CAPWAP data
)

var tunnelNames = [...]string{"", "ipip", "gre", "erspan", "wccp", "vxlan", "geneve", "gtp_u", "teredo", "ayiya", "capwap"}

func (k TunnelKind) String() string {
	if int(k) < len(tunnelNames) {
		return tunnelNames[k]
	}
	return "tunnel"
}

// Outer is the outer IP header of a tunnelled segment.
type Outer struct {
	Src, Dst netip.Addr
	Kind     TunnelKind
}

// ipv4Layer and ipv6Layer are gopacket's IP layers, noting before an
// inner IP header is decoded the outer one's addresses, which the inner
// header is about to overwrite when both are of one version.
type ipv4Layer struct {
	layers.IPv4
	d *Decoder
}

type ipv6Layer struct {
	layers.IPv6
	d *Decoder
}

func (l *ipv4Layer) DecodeFromBytes(b []byte, df gopacket.DecodeFeedback) error {
	l.d.noteOuter()
	return l.IPv4.DecodeFromBytes(b, df)
}

func (l *ipv6Layer) DecodeFromBytes(b []byte, df gopacket.DecodeFeedback) error {
	l.d.noteOuter()
	return l.IPv6.DecodeFromBytes(b, df)
}

// noteOuter, called as an IP header starts to decode, keeps the
// addresses of the IP header decoded before it in the packet, if any: the
// tunnel's outer header.
func (d *Decoder) noteOuter() {
	if d.outerAt >= 0 {
		return
	}
	for i, t := range d.decoded {
		switch t {
		case layers.LayerTypeIPv4:
			d.outer.Src, d.outer.Dst = addrOf(d.ip4.SrcIP.To4()), addrOf(d.ip4.DstIP.To4())
		case layers.LayerTypeIPv6:
			d.outer.Src, d.outer.Dst = addrOf(d.ip6.SrcIP), addrOf(d.ip6.DstIP)
		default:
			continue
		}
		d.outerAt = i
		return
	}
}

// tunnel names the tunnel of the packet just decoded from the layers
// after its outer IP header; NoTunnel when it had none.
func (d *Decoder) tunnel() Outer {
	if d.outerAt < 0 || d.outerAt+1 >= len(d.decoded) {
		return Outer{}
	}
	o := d.outer
	rest := d.decoded[d.outerAt+1:]
	switch rest[0] {
	case layers.LayerTypeIPv4, layers.LayerTypeIPv6:
		o.Kind = TunnelIPinIP
	case layers.LayerTypeGRE:
		o.Kind = greKind(d.gre.firstProto)
	case layers.LayerTypeUDP:
		o.Kind = TunnelGRE // GRE in UDP, unless the next layer says otherwise
		if len(rest) > 1 {
			switch rest[1] {
			case layers.LayerTypeVXLAN:
				o.Kind = TunnelVXLAN
			case layers.LayerTypeGeneve:
				o.Kind = TunnelGeneve
			case layers.LayerTypeGTPv1U:
				o.Kind = TunnelGTPU
			case layerTypeTeredo:
				o.Kind = TunnelTeredo
			case layerTypeAYIYA:
				o.Kind = TunnelAYIYA
			case layerTypeCAPWAP:
				o.Kind = TunnelCAPWAP
			case layers.LayerTypeGRE:
				o.Kind = greKind(d.gre.firstProto)
			}
		}
	default:
		return Outer{} // an IPv6 extension header or fragment, not a tunnel
	}
	return o
}

func greKind(proto uint16) TunnelKind {
	switch proto {
	case greERSPAN, greERSPAN3:
		return TunnelERSPAN
	case greWCCP:
		return TunnelWCCP
	}
	return TunnelGRE
}
