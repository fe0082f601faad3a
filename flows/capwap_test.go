package flows

import (
	"bufio"
	"encoding/binary"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/synfin/synfin/flows/capture"
)

// The CAPWAP capture (testdata/capwap/capwap-80211.pcap) is synthetic: the
// real SYN, SYN-ACK and ACK of a lab connection, each wrapped as an access
// point tunnels it to its controller (CAPWAP data, UDP 5247), in five
// shapes, one connection each (the client port tells them apart):
// native 802.11 QoS data, to the DS from the client and from the DS to
// it, frame control byte-swapped as Cisco's access points send it; the
// same with the optional radio MAC address in the CAPWAP header; plain
// (non-QoS) 802.11 data; 802.3; and QoS data with the frame control in
// the standard order. SYNFIN_MAKE_CAPWAP=1 writes it; tshark's reading of
// it (by default, which swaps, and with -o capwap.swap_fc:FALSE) is
// testdata/capwap/capwap-80211.tshark.tsv.
const capwapCapture = "../testdata/capwap/capwap-80211.pcap"

// capwapShapes wraps the IPv4 packet ip (from the client when toDS) in
// shape k.
func capwapWrap(k int, ip []byte, toDS bool) []byte {
	var h []byte
	switch k {
	case 0, 2, 4: // HLEN 2 words, WBID 1, T (native 802.11)
		h = []byte{0, 0x10, 0x03, 0, 0, 0, 0, 0}
	case 1: // HLEN 4 words, M: a radio MAC address (length 6, padded)
		h = []byte{0, 0x20, 0x03, 0x10, 0, 0, 0, 0, 6, 0x02, 0, 0, 0, 0, 1, 0}
	case 3: // 802.3: T clear
		h = []byte{0, 0x10, 0x02, 0, 0, 0, 0, 0}
		return append(h, ether(0x0800, ip)...)
	}
	fc := []byte{0x88, 0x02} // QoS data from the DS
	if k == 2 {
		fc[0] = 0x08 // data, no QoS
	}
	if toDS {
		fc[1] = 0x01
	}
	if k != 4 {
		fc[0], fc[1] = fc[1], fc[0] // as Cisco sends it
	}
	dot11 := append(fc, make([]byte, 22)...) // duration, three addresses, sequence
	if k != 2 {
		dot11 = append(dot11, 0, 0) // QoS control
	}
	llc := []byte{0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00}
	return append(append(append(h, dot11...), llc...), ip...)
}

func TestMakeCAPWAPCapture(t *testing.T) {
	if os.Getenv("SYNFIN_MAKE_CAPWAP") == "" {
		t.Skip("SYNFIN_MAKE_CAPWAP=1 writes " + capwapCapture)
	}
	hs := labIP(t, "../testdata/lab/01_plain_client_close.pcap", 3, nil) // SYN, SYN-ACK, ACK
	out, err := os.Create(capwapCapture)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	w := pcapgo.NewWriter(out)
	w.WriteFileHeader(65535, layers.LinkTypeEthernet)
	base := time.Unix(1796600000, 0)
	n := 0
	for k := range 5 {
		for i, ip := range hs {
			ip = append([]byte(nil), ip...)
			toDS := i != 1 // the SYN-ACK comes from the server, to the station
			port := 20     // the client's port: TCP source, after a 20-byte IPv4 header
			if !toDS {
				port = 22 // in the SYN-ACK, the destination
			}
			binary.BigEndian.PutUint16(ip[port:], uint16(40000+k))
			pkt := ether(0x0800, udpIPv4(capwapWrap(k, ip, toDS), 5247))
			ci := gopacket.CaptureInfo{Timestamp: base.Add(time.Duration(n) * time.Millisecond), CaptureLength: len(pkt), Length: len(pkt)}
			n++
			if err := w.WritePacket(ci, pkt); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestCAPWAPAgainstTshark: synfin finds in the CAPWAP capture the
// connections tshark 4.0.17 finds, with the same ports and ISNs.
func TestCAPWAPAgainstTshark(t *testing.T) {
	f, err := os.Open("../testdata/capwap/capwap-80211.tshark.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]bool{} // "port seq" of each SYN and SYN-ACK tshark decoded
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fl := strings.Split(sc.Text(), "\t") // tcp.srcport, tcp.dstport, tcp.flags, tcp.seq_raw
		if len(fl) == 4 && strings.HasSuffix(fl[2], "2") || len(fl) == 4 && fl[2] == "0x0012" {
			want[fl[0]+"-"+fl[1]+" "+fl[3]] = true
		}
	}
	if len(want) != 10 {
		t.Fatalf("tshark decoded %d SYNs and SYN-ACKs, want 10", len(want))
	}
	got := map[string]bool{}
	d := NewDecoder()
	b, err := os.ReadFile(capwapCapture)
	if err != nil {
		t.Fatal(err)
	}
	c, err := capture.Open("capwap", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	var p capture.Packet
	for c.Next(&p) == nil {
		var seg Segment
		if err := d.Decode(&p, &seg); err != nil {
			t.Errorf("frame %d: %v", p.Index, err)
			continue
		}
		if seg.Flags&FlagSYN != 0 {
			got[strconv.Itoa(int(seg.Src.Port()))+"-"+strconv.Itoa(int(seg.Dst.Port()))+" "+strconv.FormatUint(uint64(seg.Seq), 10)] = true
		}
	}
	for k := range want {
		if !got[k] {
			t.Errorf("tshark's %s not found", k)
		}
	}
	if len(got) != len(want) {
		t.Errorf("synfin %d SYNs and SYN-ACKs, tshark %d", len(got), len(want))
	}
}
