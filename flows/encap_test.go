package flows

import (
	"encoding/binary"
	"os"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/flows/capture"
)

// labIP returns the IP packets (after the Ethernet header) of the frames
// of a lab capture (real kernel bytes) that keep says to, in order, at
// most n.
func labIP(t *testing.T, path string, n int, keep func(ip []byte) bool) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := capture.Open(path, f)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var out [][]byte
	var p capture.Packet
	for len(out) < n && c.Next(&p) == nil {
		if ip := p.Data[14:]; keep == nil || keep(ip) {
			out = append(out, append([]byte(nil), ip...))
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: no packet to take", path)
	}
	return out
}

// labSYN is the IPv4 packet of the first SYN of a lab capture (real
// kernel bytes), to wrap in the encapsulations below.
func labSYN(t *testing.T) []byte {
	t.Helper()
	return labIP(t, "../testdata/lab/01_plain_client_close.pcap", 1, nil)[0]
}

// udpIPv4 wraps payload in an IPv4 and UDP header to port dst (synthetic).
func udpIPv4(payload []byte, dst uint16) []byte {
	ip := []byte{0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0, 10, 9, 0, 1, 10, 9, 0, 2}
	binary.BigEndian.PutUint16(ip[2:], uint16(20+8+len(payload)))
	udp := []byte{0x30, 0x39, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint16(udp[2:], dst)
	binary.BigEndian.PutUint16(udp[4:], uint16(8+len(payload)))
	return append(append(ip, udp...), payload...)
}

func ether(typ uint16, payload []byte) []byte {
	h := make([]byte, 14)
	binary.BigEndian.PutUint16(h[12:], typ)
	return append(h, payload...)
}

// TestEncapsulations: a TCP segment is found inside Cisco HDLC on a PPP
// link, MPLS on PPP, and CAPWAP data carrying an 802.3 or an 802.11 frame
// (synthetic wrappers around a real SYN); a PPP frame of a protocol synfin
// does not decode says where decoding stopped.
func TestEncapsulations(t *testing.T) {
	syn := labSYN(t)
	capwap := func(native bool) []byte {
		h := []byte{0, 0x10, 0x02, 0, 0, 0, 0, 0} // HLEN 2 words, WBID 1 (802.11)
		if native {
			h[2] |= 0x01 // T: native frame format
		}
		return h
	}
	dot11 := append([]byte{0x08, 0x01, 0, 0}, make([]byte, 20)...) // data frame to the DS, 24-byte header
	llcSNAP := []byte{0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00}
	for _, c := range []struct {
		name string
		link layers.LinkType
		data []byte
	}{
		{"Cisco HDLC on PPP", layers.LinkTypePPP, append([]byte{0x0f, 0x00, 0x08, 0x00}, syn...)},
		{"MPLS on PPP", layers.LinkTypePPP, append([]byte{0xff, 0x03, 0x02, 0x81, 0x00, 0x01, 0x01, 0x40}, syn...)},
		{"CAPWAP 802.3", layers.LinkTypeEthernet, ether(0x0800, udpIPv4(append(capwap(false), ether(0x0800, syn)...), 5247))},
		{"CAPWAP 802.11", layers.LinkTypeEthernet, ether(0x0800, udpIPv4(append(append(capwap(true), dot11...), append(llcSNAP, syn...)...), 5247))},
	} {
		d := NewDecoder()
		var seg Segment
		err := d.Decode(&capture.Packet{Data: c.data, Link: c.link, WireLen: len(c.data)}, &seg)
		if err != nil || seg.Flags != FlagSYN || seg.Dst.Port() != 5001 {
			t.Errorf("%s: %v, flags %v to %v", c.name, err, seg.Flags, seg.Dst)
		}
	}
	d := NewDecoder()
	var seg Segment
	bridged := append([]byte{0xff, 0x03, 0x00, 0x31}, syn...) // PPP bridging: not decoded
	if err := d.Decode(&capture.Packet{Data: bridged, Link: layers.LinkTypePPP}, &seg); err != errNoTCP {
		t.Fatalf("PPP bridging: %v", err)
	}
	if s := d.Stopped(); s.ReachedIP() || s.Expected() || s.String() != "PPP protocol 0x0031" {
		t.Errorf("stopped at %s (reached IP %v, expected %v)", s, s.ReachedIP(), s.Expected())
	}
}
