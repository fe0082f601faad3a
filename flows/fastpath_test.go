package flows

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/synfin/synfin/internal/corpus"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/flows/capture"
)

// agree decodes pkt by both paths and fails t unless, where the fast path
// takes the packet, the gopacket path takes it too and makes the same
// segment. It reports whether the fast path took it.
func agree(t testing.TB, d *Decoder, pkt *capture.Packet, where string) bool {
	var fast, slow Segment
	if !d.fast(pkt, &fast) {
		return false
	}
	if err := d.slow(pkt, &slow); err != nil {
		t.Fatalf("%s: the fast path takes a packet the gopacket path refuses (%v): % x", where, err, pkt.Data)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("%s: the decoders differ\nfast %+v\nslow %+v\npacket % x", where, fast, slow, pkt.Data)
	}
	return true
}

// TestFastPathAgrees: over every packet of every capture in testdata/ and
// in the shared corpus (when it is there), the fast path's segment is the
// gopacket path's wherever the fast path takes the packet; and it takes
// nearly all the TCP of ordinary captures.
func TestFastPathAgrees(t *testing.T) {
	var paths []string
	for _, root := range []string{"../testdata", corpus.Path("captures"), corpus.Path("lab")} {
		if root == "" {
			continue // no corpus beside the repository
		}
		filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err == nil && e.Type().IsRegular() {
				paths = append(paths, path)
			}
			return nil
		})
	}
	if len(paths) < 50 {
		t.Fatalf("only %d files", len(paths))
	}
	d := NewDecoder()
	var tcp, taken int
	var pkt capture.Packet
	var seg Segment
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		c, err := capture.Open(path, f)
		if err != nil {
			f.Close()
			continue // not a capture
		}
		// To its end, or to its damage: the packets before it are checked.
		for c.Next(&pkt) == nil {
			if agree(t, d, &pkt, path) {
				taken++
			}
			if d.slow(&pkt, &seg) == nil {
				tcp++
			}
		}
		c.Close()
		f.Close()
	}
	t.Logf("%d files: the fast path took %d of %d TCP segments (%.1f%%)", len(paths), taken, tcp, 100*float64(taken)/float64(tcp))
	if taken < tcp*8/10 {
		t.Errorf("the fast path took only %d of %d TCP segments", taken, tcp)
	}
}

// FuzzFastPath: on random bytes of the link types the fast path reads, it
// never takes a packet the gopacket path decodes otherwise.
func FuzzFastPath(f *testing.F) {
	for _, p := range readPackets(f, "../testdata/lab/10_tfo.pcap") {
		f.Add(uint16(layers.LinkTypeEthernet), p)
	}
	for _, p := range readPackets(f, "../testdata/lab/17a_any_sll2.pcap") {
		f.Add(uint16(layers.LinkTypeLinuxSLL2), p)
	}
	for _, p := range readPackets(f, "../testdata/lab/17b_any_sll.pcap") {
		f.Add(uint16(layers.LinkTypeLinuxSLL), p)
	}
	for _, p := range readPackets(f, "../testdata/lab/16_vlan.pcap") {
		f.Add(uint16(layers.LinkTypeEthernet), p)
	}
	d := NewDecoder()
	f.Fuzz(func(t *testing.T, link uint16, b []byte) {
		for _, lt := range []layers.LinkType{layers.LinkType(link), layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL,
			layers.LinkTypeLinuxSLL2, layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6} {
			pkt := capture.Packet{Data: b, Link: lt, Index: 1, WireLen: len(b) + int(link%64)}
			agree(t, d, &pkt, lt.String())
		}
	})
}
