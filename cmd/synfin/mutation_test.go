package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
)

// TestMutations damages real captures in every way issue 3 lists —
// truncation at every record boundary and inside records, random bit
// flips, swapped byte-order magic, lying pcapng block lengths, compressed
// streams cut short — and runs the whole command on each through standard
// input. Every run must end with exit status 0, 1 or 2, say something on
// standard error unless it is 0, stay within time and memory bounds, and
// still report what came before the damage.
func TestMutations(t *testing.T) {
	if testing.Short() {
		t.Skip("mutation test skipped in -short mode")
	}
	bases := []string{
		"cmd/synfin/demo/demo.pcap",
		"testdata/lab/01_plain_client_close.pcap",
		"testdata/lab/03_port_reuse.pcap",
		"testdata/lab/07_ipv6.server.pcap",
		"testdata/lab/10_tfo.pcap",
		"testdata/lab/16_vlan.pcap",
		"testdata/lab/17a_any_sll2.pcap",
		"testdata/lab/18_nano_pcapng.pcapng",
		"testdata/lab/19_simultaneous_open.pcap",
		"testdata/lab/22_rst_after_fin.pcap",
		"testdata/lab/26_port_scan.pcap",
		"testdata/pcapng/le__test202.pcapng",
		"testdata/pcapng/be__test100.pcapng",
	}
	rng := rand.New(rand.NewSource(2026))
	var st mutationStats
	for _, base := range bases {
		orig, err := os.ReadFile(filepath.Join("..", "..", base))
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(base)
		bounds, pcapng := recordBounds(orig)
		tcpBefore := tcpPrefix(t, orig)
		// Truncation at every record boundary (the packets before it must
		// all be reported) and inside every record (exit 1 and a message).
		for k, off := range bounds {
			m := st.run(t, name+fmt.Sprintf(" cut at record %d", k), orig[:off])
			if !pcapng && m.exit == 0 && m.pkts != tcpBefore[k] {
				t.Errorf("%s cut after %d records: %d TCP packets reported, want %d", name, k, m.pkts, tcpBefore[k])
			}
			for _, d := range []int{1, 7, 15, 16, 17, 33} {
				if off+d < len(orig) && (k+1 >= len(bounds) || off+d < bounds[k+1]) {
					m := st.run(t, name+fmt.Sprintf(" cut %d bytes into record %d", d, k), orig[:off+d])
					if !pcapng && (m.exit != 1 || m.pkts != tcpBefore[k]) {
						t.Errorf("%s cut inside record %d: exit %d, %d TCP packets reported, want exit 1 and %d", name, k, m.exit, m.pkts, tcpBefore[k])
					}
				}
			}
		}
		// Random bit flips, 1 to 16 of them.
		for i := 0; i < 300; i++ {
			b := bytes.Clone(orig)
			for f := rng.Intn(16) + 1; f > 0; f-- {
				p := rng.Intn(len(b))
				b[p] ^= 1 << rng.Intn(8)
			}
			st.run(t, name+" bit flips", b)
		}
		// Random bytes overwritten with extreme values (lengths that lie).
		for i := 0; i < 60; i++ {
			b := bytes.Clone(orig)
			p := rng.Intn(max(1, len(b)-4))
			binary.LittleEndian.PutUint32(b[p:], []uint32{0, 0xffffffff, 0x7fffffff, 0x80000000, 13, 1 << 20}[i%6])
			st.run(t, name+" overwritten word", b)
		}
		// Byte-order magic swapped.
		b := bytes.Clone(orig)
		copy(b[:4], []byte{orig[3], orig[2], orig[1], orig[0]})
		st.run(t, name+" swapped magic", b)
		// pcapng: every block's length made to lie.
		if pcapng {
			for _, off := range bounds[:len(bounds)-1] {
				for _, l := range []uint32{0, 4, 13, 0x10000000, 0xfffffffc} {
					b := bytes.Clone(orig)
					binary.LittleEndian.PutUint32(b[off+4:], l)
					binary.BigEndian.PutUint32(b[off+4:], l)
					st.run(t, name+fmt.Sprintf(" block at %d claims %d", off, l), b)
				}
			}
		}
		// Compressed, then cut short at many points.
		for _, z := range compressors {
			c := z.compress(t, orig)
			for i := 1; i <= 20; i++ {
				st.run(t, name+"."+z.name+fmt.Sprintf(" cut at %d/20", i), c[:len(c)*i/21])
			}
		}
	}
	t.Logf("%d damaged inputs: exits %v; worst time %v (%s); worst allocation %.1f MiB (%s)",
		st.n, st.exits, st.worstTime, st.worstTimeName, float64(st.worstAlloc)/(1<<20), st.worstAllocName)
	if st.n < 5000 {
		t.Errorf("only %d damaged inputs, want at least 5000", st.n)
	}
}

type mutationStats struct {
	n              int
	exits          map[int]int
	worstTime      time.Duration
	worstTimeName  string
	worstAlloc     uint64
	worstAllocName string
}

type mutationResult struct {
	exit int
	pkts int
}

// Bounds each damaged input must stay within.
const (
	mutationMaxTime  = 2 * time.Second
	mutationMaxAlloc = 64 << 20
)

func (s *mutationStats) run(t *testing.T, name string, input []byte) mutationResult {
	t.Helper()
	if s.exits == nil {
		s.exits = map[int]int{}
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var out, errb bytes.Buffer
	start := time.Now()
	code := run([]string{"-f", "jsonl", "-"}, bytes.NewReader(input), &out, &errb)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	s.n++
	s.exits[code]++
	if took > s.worstTime {
		s.worstTime, s.worstTimeName = took, name
	}
	if a := after.TotalAlloc - before.TotalAlloc; a > s.worstAlloc {
		s.worstAlloc, s.worstAllocName = a, name
	}
	switch {
	case code < 0 || code > 2:
		t.Errorf("%s: exit %d", name, code)
	case code != 0 && errb.Len() == 0:
		t.Errorf("%s: exit %d with no message", name, code)
	case took > mutationMaxTime:
		t.Errorf("%s: took %v", name, took)
	case after.TotalAlloc-before.TotalAlloc > mutationMaxAlloc:
		t.Errorf("%s: allocated %d bytes", name, after.TotalAlloc-before.TotalAlloc)
	}
	for _, line := range strings.Split(strings.TrimSpace(errb.String()), "\n") {
		if line != "" && !strings.HasPrefix(line, "synfin: ") {
			t.Errorf("%s: message without the synfin prefix: %q", name, line)
		}
	}
	res := mutationResult{exit: code}
	dec := json.NewDecoder(&out)
	for {
		var r struct {
			Stats struct {
				ClientPkts int `json:"client_pkts"`
				ServerPkts int `json:"server_pkts"`
			} `json:"stats"`
		}
		if err := dec.Decode(&r); err != nil {
			break
		}
		res.pkts += r.Stats.ClientPkts + r.Stats.ServerPkts
	}
	return res
}

// tcpPrefix returns, for each k, how many of the first k packets of a
// capture are TCP segments synfin analyses.
func tcpPrefix(t *testing.T, b []byte) []int {
	c, err := capture.Open("base", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	dec := flows.NewDecoder()
	out := []int{0}
	var p capture.Packet
	var seg flows.Segment
	for c.Next(&p) == nil {
		n := out[len(out)-1]
		if dec.Decode(&p, &seg) == nil {
			n++
		}
		out = append(out, n)
	}
	return out
}

// recordBounds returns the byte offsets at which records (pcap) or blocks
// (pcapng) start, plus the end of the file, and whether it is pcapng.
func recordBounds(b []byte) ([]int, bool) {
	var out []int
	if binary.LittleEndian.Uint32(b) == 0x0a0d0d0a {
		for off := 0; off+12 <= len(b); {
			out = append(out, off)
			l := int(binary.LittleEndian.Uint32(b[off+4:]))
			if l < 12 {
				break
			}
			off += l
		}
		return append(out, len(b)), true
	}
	order := binary.ByteOrder(binary.LittleEndian)
	if m := binary.BigEndian.Uint32(b); m == 0xa1b2c3d4 || m == 0xa1b23c4d {
		order = binary.BigEndian
	}
	for off := 24; off+16 <= len(b); {
		out = append(out, off)
		off += 16 + int(order.Uint32(b[off+8:]))
	}
	return append(out, len(b)), false
}

var compressors = []struct {
	name     string
	compress func(*testing.T, []byte) []byte
}{
	{"gz", func(t *testing.T, b []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}},
	{"zst", func(t *testing.T, b []byte) []byte {
		w, err := zstd.NewWriter(nil)
		if err != nil {
			t.Fatal(err)
		}
		return w.EncodeAll(b, nil)
	}},
}

// TestDecompressionBomb: a 64 KiB gzip file that expands to 64 MiB (a pcap
// header and four million empty records) streams through in bounded memory.
func TestDecompressionBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
	demo, err := os.ReadFile("demo/demo.pcap")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(demo[:24])
	zero := make([]byte, 1<<20)
	for i := 0; i < 64; i++ {
		w.Write(zero)
	}
	w.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var out, errb bytes.Buffer
	code := run([]string{"summary", "-"}, bytes.NewReader(buf.Bytes()), &out, &errb)
	runtime.ReadMemStats(&after)
	t.Logf("%d compressed bytes; exit %d; %.1f MiB allocated; heap in use %.1f MiB", buf.Len(), code, float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), float64(after.HeapInuse)/(1<<20))
	// Four million empty records are four million damaged packets: three
	// are named, the rest counted.
	if code != 1 || !strings.Contains(errb.String(), "synfin: -: 4194301 more damaged packets") {
		t.Errorf("exit %d: %s", code, errb.String())
	}
	if a := after.TotalAlloc - before.TotalAlloc; a > 16<<20 {
		t.Errorf("%d bytes allocated for a 64 MiB bomb", a)
	}
	if after.HeapInuse > 64<<20 {
		t.Errorf("heap in use %d bytes after a 64 MiB bomb", after.HeapInuse)
	}
}
