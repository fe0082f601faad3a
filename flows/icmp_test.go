package flows

import (
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/flows/capture"
)

// icmpAbout wraps the first 28 bytes (IPv4) or 48 bytes (IPv6) of the
// packet pkt in an ICMP (ICMPv6) error of type typ and code from the
// router (synthetic; checksums left zero, as synfin does not check them).
func icmpAbout(pkt []byte, v6 bool, typ, code byte, mtu uint32) []byte {
	n := 28
	if v6 {
		n = 48
	}
	body := []byte{typ, code, 0, 0, 0, 0, 0, 0}
	switch {
	case v6 && typ == 2:
		binary.BigEndian.PutUint32(body[4:], mtu)
	case !v6 && mtu > 0:
		binary.BigEndian.PutUint16(body[6:], uint16(mtu))
	}
	body = append(body, pkt[:n]...)
	if v6 {
		return ether(0x86dd, ipv6Next(58, body))
	}
	ip := ipv4Proto(1, body)
	return ether(0x0800, ip)
}

// TestICMPErrors: an ICMP error quoting a connection's SYN is tied to it
// (the handshake's "unreachable"), one about a later segment gives the
// path's MTU, and one quoting a segment of no connection in the capture
// makes no connection (a quoted TCP header is not a connection, as
// Wireshark makes one of it). Real SYNs, synthetic ICMP around them.
func TestICMPErrors(t *testing.T) {
	syn, syn6 := labSYN(t), labSYN6(t)
	for _, c := range []struct {
		name     string
		pkt      []byte
		v6       bool
		typ, cod byte
		mtu      uint32
		aboutSYN bool
	}{
		{"ICMP host unreachable", syn, false, 3, 1, 0, true},
		{"ICMP port unreachable", syn, false, 3, 3, 0, true},
		{"ICMP admin prohibited", syn, false, 3, 13, 0, true},
		{"ICMP fragmentation needed", syn, false, 3, 4, 1280, true},
		{"ICMP time exceeded", syn, false, 11, 0, 0, true},
		{"ICMPv6 address unreachable", syn6, true, 1, 3, 0, true},
		{"ICMPv6 packet too big", syn6, true, 2, 0, 1280, true},
	} {
		typ := uint16(0x0800)
		if c.v6 {
			typ = 0x86dd
		}
		var conns []*Conn
		tab := NewTable(func(x *Conn) { y := new(Conn); x.CopyTo(y); conns = append(conns, y) })
		d := NewDecoder()
		for i, p := range [][]byte{ether(typ, c.pkt), icmpAbout(c.pkt, c.v6, c.typ, c.cod, c.mtu)} {
			var seg Segment
			if err := d.Decode(&capture.Packet{Data: p, Link: layers.LinkTypeEthernet, Index: i + 1, TS: int64(i) * 4e5}, &seg); err != nil {
				t.Fatalf("%s: packet %d: %v", c.name, i+1, err)
			}
			tab.Observe(&seg)
		}
		tab.Flush()
		if len(conns) != 1 {
			t.Fatalf("%s: %d connections", c.name, len(conns))
		}
		f := conns[0].ICMP
		if f.N != 1 || f.First.Type != c.typ || f.First.Code != c.cod || f.MTU != c.mtu || f.AboutSYN != c.aboutSYN || f.SinceSYN != 4e5 || f.Dir != DirClient {
			t.Errorf("%s: %+v", c.name, f)
		}
		if want := "192.0.2.1"; !c.v6 && f.First.From.String() != want {
			t.Errorf("%s: from %v, want %s", c.name, f.First.From, want)
		}
		if conns[0].Dir[DirClient].Pkts != 1 {
			t.Errorf("%s: the ICMP error counted as a packet of the connection", c.name)
		}
	}
	// About a segment of no connection in the capture: no connection.
	tab := NewTable(func(*Conn) { t.Error("a connection made of a quoted header") })
	d := NewDecoder()
	var seg Segment
	if err := d.Decode(&capture.Packet{Data: icmpAbout(syn, false, 3, 1, 0), Link: layers.LinkTypeEthernet, Index: 1}, &seg); err != nil || !seg.ICMP.IsError() {
		t.Fatalf("lone ICMP: %v %+v", err, seg.ICMP)
	}
	tab.Observe(&seg)
	tab.Flush()
	if tab.Stats().ICMPUnmatched != 1 || tab.Stats().Segments != 0 {
		t.Errorf("unmatched %d, segments %d", tab.Stats().ICMPUnmatched, tab.Stats().Segments)
	}
	// An ICMP echo, or an error quoting UDP, is no TCP.
	udp := udpIPv4([]byte{1, 2, 3, 4}, 53)
	for _, p := range [][]byte{ether(0x0800, ipv4Proto(1, []byte{8, 0, 0, 0, 0, 1, 0, 1})), icmpAbout(udp, false, 3, 3, 0)} {
		if err := d.Decode(&capture.Packet{Data: p, Link: layers.LinkTypeEthernet}, &seg); err != errNoTCP {
			t.Errorf("not about TCP: %v", err)
		}
	}
}
