package flows

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/synfin/synfin/flows/capture"
)

func readPackets(t testing.TB, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := capture.Open(path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	var p capture.Packet
	for {
		if err := c.Next(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		out = append(out, bytes.Clone(p.Data))
	}
	return out
}

// TestHotPathDoesNotAllocate is the guard the design asks for (after
// gopacket's reassembly tests): decoding a packet and applying it to a
// connection already in the table allocates nothing.
func TestHotPathDoesNotAllocate(t *testing.T) {
	pkts := readPackets(t, "../testdata/lab/27_bidir_loss.pcap")
	dec := NewDecoder()
	tab := NewTable(nil)
	var seg Segment
	pkt := capture.Packet{Link: 1}
	// Warm up: the connection and the parser exist after the first pass.
	for i, d := range pkts[:100] {
		pkt.Data, pkt.Index, pkt.TS = d, i+1, int64(i)*1000
		if dec.Decode(&pkt, &seg) == nil {
			tab.Observe(&seg)
		}
	}
	i := 100
	allocs := testing.AllocsPerRun(1000, func() {
		pkt.Data, pkt.Index, pkt.TS = pkts[i], i+1, int64(i)*1000
		i++
		if err := dec.Decode(&pkt, &seg); err != nil {
			t.Fatal(err)
		}
		tab.Observe(&seg)
	})
	if allocs > 0 {
		t.Errorf("%.1f allocations per packet on the hot path, want 0", allocs)
	}
}

// BenchmarkDecodeObserve measures the per-packet path on a real lossy bulk
// transfer (27_bidir_loss: one connection, 3,300 packets).
func BenchmarkDecodeObserve(b *testing.B) {
	pkts := readPackets(b, "../testdata/lab/27_bidir_loss.pcap")
	dec := NewDecoder()
	var seg Segment
	pkt := capture.Packet{Link: 1}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		tab := NewTable(nil)
		for i, d := range pkts {
			pkt.Data, pkt.Index, pkt.TS = d, i+1, int64(i)*1000
			if dec.Decode(&pkt, &seg) == nil {
				tab.Observe(&seg)
			}
		}
		tab.Flush()
		n += len(pkts)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pkts/s")
}

// BenchmarkDecode measures decoding alone, by the fast path and by the
// gopacket path, over the TCP packets of lab captures (Ethernet, VLAN,
// SLL, SLL2; IPv4 and IPv6).
func BenchmarkDecode(b *testing.B) {
	var pkts []capture.Packet
	for _, f := range []string{"27_bidir_loss", "14_load_200", "07_ipv6", "16_vlan", "17a_any_sll2", "17b_any_sll"} {
		link := layers.LinkTypeEthernet
		switch f {
		case "17a_any_sll2":
			link = layers.LinkTypeLinuxSLL2
		case "17b_any_sll":
			link = layers.LinkTypeLinuxSLL
		}
		var seg Segment
		for _, d := range readPackets(b, "../testdata/lab/"+f+".pcap") {
			if p := (capture.Packet{Data: d, Link: link}); NewDecoder().Decode(&p, &seg) == nil {
				pkts = append(pkts, p) // TCP only
			}
		}
	}
	for _, path := range []struct {
		name string
		slow bool
	}{{"fast", false}, {"gopacket", true}} {
		b.Run(path.name, func(b *testing.B) {
			dec := NewDecoder()
			dec.slowOnly = path.slow
			var seg Segment
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				for i := range pkts {
					if dec.Decode(&pkts[i], &seg) != nil {
						b.Fatal("a lab packet does not decode")
					}
				}
				n += len(pkts)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/pkt")
		})
	}
}
