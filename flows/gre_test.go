package flows

import (
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/flows/capture"
)

// labSYN6 is the IPv6 packet of the first SYN of the lab's IPv6 capture
// (real kernel bytes; the capture begins with ICMPv6).
func labSYN6(t *testing.T) []byte {
	t.Helper()
	return labIP(t, "../testdata/lab/07_ipv6.pcap", 1, func(ip []byte) bool {
		return len(ip) > 40+13 && ip[0]>>4 == 6 && ip[6] == 6 && ip[40+13]&0x12 == 0x02 // TCP, SYN without ACK
	})[0]
}

// ipv4Proto wraps payload in an IPv4 header of protocol proto (synthetic).
func ipv4Proto(proto byte, payload []byte) []byte {
	ip := []byte{0x45, 0, 0, 0, 0, 1, 0, 0, 64, proto, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2}
	binary.BigEndian.PutUint16(ip[2:], uint16(20+len(payload)))
	return append(ip, payload...)
}

// ipv6Next wraps payload in an IPv6 header of next header next (synthetic).
func ipv6Next(next byte, payload []byte) []byte {
	ip := make([]byte, 40)
	ip[0] = 0x60
	binary.BigEndian.PutUint16(ip[4:], uint16(len(payload)))
	ip[6], ip[7] = next, 64
	ip[8], ip[23] = 0x20, 1 // 2000::1
	ip[24], ip[39] = 0x20, 2
	return append(ip, payload...)
}

// gre is a GRE header of protocol proto, with a sequence number when seq.
func gre(proto uint16, seq bool, payload []byte) []byte {
	h := []byte{0, 0, 0, 0}
	binary.BigEndian.PutUint16(h[2:], proto)
	if seq {
		h[0] |= 0x10
		h = append(h, 0, 0, 0, 7)
	}
	return append(h, payload...)
}

// TestTunnels: a real SYN (IPv4 or IPv6) is found inside each tunnel an
// engineer's captures come from (synthetic wrappers): GRE with WCCP's
// redirect header (and without), ERSPAN I, II and III, transparent
// Ethernet bridging, an Aruba access point's 802.11 (QoS, A-MSDU, to and
// from the DS), and IP in IP both ways; the inner addresses are the
// connection's.
func TestTunnels(t *testing.T) {
	syn, syn6 := labSYN(t), labSYN6(t)
	inner := ether(0x0800, syn)
	erspan3 := func(o bool) []byte {
		h := make([]byte, 12)
		h[0] = 0x20 // version 2 (type III)
		if o {
			h[11] = 0x01
			h = append(h, make([]byte, 8)...)
		}
		return h
	}
	// An 802.11 QoS data frame from the DS (access point to station),
	// A-MSDU: the first subframe's header, then LLC/SNAP and IP.
	dot11 := func(flags byte, amsdu bool) []byte {
		h := append([]byte{0x88, flags, 0, 0}, make([]byte, 20)...) // QoS data, 24-byte header
		if flags&0x03 == 0x03 {
			h = append(h, make([]byte, 6)...)
		}
		qos := []byte{0, 0}
		if amsdu {
			qos[0] = 0x80
		}
		h = append(h, qos...)
		if amsdu {
			h = append(h, make([]byte, 14)...)
		}
		return append(h, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00)
	}
	for _, c := range []struct {
		name  string
		data  []byte
		v6    bool
		kind  TunnelKind
		outer string // the outer header's source
	}{
		{"GRE WCCP redirect header", ether(0x0800, ipv4Proto(47, gre(greWCCP, false, append([]byte{0, 0, 0, 0}, syn...)))), false, TunnelWCCP, "192.0.2.1"},
		{"GRE WCCP without header", ether(0x0800, ipv4Proto(47, gre(greWCCP, false, syn))), false, TunnelWCCP, "192.0.2.1"},
		{"ERSPAN I", ether(0x0800, ipv4Proto(47, gre(greERSPAN, false, inner))), false, TunnelERSPAN, "192.0.2.1"},
		{"ERSPAN II", ether(0x0800, ipv4Proto(47, gre(greERSPAN, true, append(make([]byte, 8), inner...)))), false, TunnelERSPAN, "192.0.2.1"},
		{"ERSPAN III", ether(0x0800, ipv4Proto(47, gre(greERSPAN3, true, append(erspan3(false), inner...)))), false, TunnelERSPAN, "192.0.2.1"},
		{"ERSPAN III platform subheader", ether(0x0800, ipv4Proto(47, gre(greERSPAN3, true, append(erspan3(true), inner...)))), false, TunnelERSPAN, "192.0.2.1"},
		// The outermost header names the tunnel: VXLAN, though ERSPAN is inside.
		{"ERSPAN II in VXLAN", ether(0x0800, udpIPv4(append([]byte{8, 0, 0, 0, 0, 0, 1, 0}, ether(0x0800, ipv4Proto(47, gre(greERSPAN, true, append(make([]byte, 8), inner...))))...), 4789)), false, TunnelVXLAN, "10.9.0.1"},
		{"GRE transparent Ethernet bridging", ether(0x0800, ipv4Proto(47, gre(greTEB, false, inner))), false, TunnelGRE, "192.0.2.1"},
		{"Aruba 802.11 from the DS, A-MSDU", ether(0x0800, ipv4Proto(47, gre(0x8200, false, append(dot11(0x02, true), syn...)))), false, TunnelGRE, "192.0.2.1"},
		{"Aruba 802.11 to the DS", ether(0x0800, ipv4Proto(47, gre(0x8210, false, append(dot11(0x01, false), syn...)))), false, TunnelGRE, "192.0.2.1"},
		{"Aruba 802.11 both ways (four addresses)", ether(0x0800, ipv4Proto(47, gre(0x8200, false, append(dot11(0x03, false), syn...)))), false, TunnelGRE, "192.0.2.1"},
		{"IPv4 in IPv4", ether(0x0800, ipv4Proto(4, syn)), false, TunnelIPinIP, "192.0.2.1"},
		{"IPv6 in IPv4", ether(0x0800, ipv4Proto(41, syn6)), true, TunnelIPinIP, "192.0.2.1"},
		{"IPv4 in IPv6", ether(0x86dd, ipv6Next(4, syn)), false, TunnelIPinIP, "2000::1"},
	} {
		d := NewDecoder()
		var seg Segment
		err := d.Decode(&capture.Packet{Data: c.data, Link: layers.LinkTypeEthernet, WireLen: len(c.data)}, &seg)
		want := "10.77.0.2"
		if c.v6 {
			want = seg.Dst.Addr().String() // checked below: inner, not 192.0.2.x
		}
		if err != nil || seg.Flags != FlagSYN || seg.Dst.Addr().String() != want || seg.Src.Addr().String() == "192.0.2.1" {
			t.Errorf("%s: %v, flags %v from %v to %v", c.name, err, seg.Flags, seg.Src, seg.Dst)
		}
		if c.v6 && !seg.Src.Addr().Is6() {
			t.Errorf("%s: source %v, want the inner IPv6 address", c.name, seg.Src)
		}
		if seg.Outer.Kind != c.kind || seg.Outer.Src.String() != c.outer {
			t.Errorf("%s: tunnel %v from %v, want %v from %s", c.name, seg.Outer.Kind, seg.Outer.Src, c.kind, c.outer)
		}
	}
	// A GRE protocol synfin does not decode is said to be so, not taken
	// for traffic without TCP.
	d := NewDecoder()
	var seg Segment
	data := ether(0x0800, ipv4Proto(47, gre(0x1234, false, syn)))
	if err := d.Decode(&capture.Packet{Data: data, Link: layers.LinkTypeEthernet}, &seg); err != errNoTCP {
		t.Fatalf("GRE 0x1234: %v", err)
	}
	if s := d.Stopped(); s.ReachedIP() || s.Expected() || s.String() != "GRE protocol 0x1234 not decoded" || s.Kind() != StopGRE {
		t.Errorf("stopped at %s (reached IP %v, expected %v)", s, s.ReachedIP(), s.Expected())
	}
}

// TestWirelessLinks: a real SYN in an 802.11 capture's own frames, link
// type 105 (802.11) and 127 (radiotap before it), QoS data to the DS, with
// and without A-MSDU (synthetic frames around the real packet).
func TestWirelessLinks(t *testing.T) {
	syn := labSYN(t)
	frame := func(qos, amsdu bool) []byte {
		fc := byte(0x08)
		if qos {
			fc = 0x88
		}
		h := append([]byte{fc, 0x01, 0, 0}, make([]byte, 20)...)
		if qos {
			q := byte(0)
			if amsdu {
				q = 0x80
			}
			h = append(h, q, 0)
		}
		if amsdu {
			h = append(h, make([]byte, 14)...)
		}
		return append(append(h, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00), syn...)
	}
	radiotap := []byte{0, 0, 8, 0, 0, 0, 0, 0} // version 0, length 8, no fields
	for _, c := range []struct {
		name string
		link layers.LinkType
		data []byte
	}{
		{"802.11 data", layers.LinkTypeIEEE802_11, frame(false, false)},
		{"802.11 QoS data", layers.LinkTypeIEEE802_11, frame(true, false)},
		{"802.11 QoS A-MSDU", layers.LinkTypeIEEE802_11, frame(true, true)},
		{"radiotap, 802.11 QoS data", layers.LinkTypeIEEE80211Radio, append(append([]byte(nil), radiotap...), frame(true, false)...)},
	} {
		d := NewDecoder()
		var seg Segment
		err := d.Decode(&capture.Packet{Data: c.data, Link: c.link, WireLen: len(c.data)}, &seg)
		if err != nil || seg.Flags != FlagSYN || seg.Dst.Port() != 5001 {
			t.Errorf("%s: %v, flags %v to %v", c.name, err, seg.Flags, seg.Dst)
		}
	}
}
