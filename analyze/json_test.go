package analyze

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
)

// TestAppendJSONMatchesEncodingJSON: the hand-written encoder writes what
// encoding/json writes, on every connection of the real test captures and
// on records with awkward strings and numbers.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	var recs []Record
	paths, _ := filepath.Glob("../testdata/lab/*.pcap")
	for _, p := range paths {
		for _, c := range connsOf(t, p) {
			recs = append(recs, Analyze(p, c))
		}
	}
	odd := recs[0]
	odd.File = "tab\there \"quoted\" <html> & \u2028 \x01 \xff bidi\u202e 中文"
	odd.DurationMS = 1e-7
	odd.Stats.Client.WindowMean = ptr(1e21)
	odd.Handshake.RTTms = ptr(0.0)
	odd.FirstTS = Time(-1)
	recs = append(recs, odd)
	if len(recs) < 300 {
		t.Fatalf("only %d records", len(recs))
	}
	for i := range recs {
		want, err := json.Marshal(&recs[i])
		if err != nil {
			t.Fatal(err)
		}
		got := recs[i].AppendJSON(nil)
		if !bytes.Equal(got, want) {
			t.Fatalf("record %d differs:\n got %s\nwant %s", i, got, want)
		}
	}
}

// BenchmarkAppendJSON encodes the records of the lab captures: real
// connections, with every kind of value set somewhere.
func BenchmarkAppendJSON(b *testing.B) {
	paths, _ := filepath.Glob("../testdata/lab/*.pcap")
	var recs []Record
	for _, p := range paths {
		for _, c := range connsOf(b, p) {
			recs = append(recs, Analyze(p, c))
		}
	}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		for i := range recs {
			buf = recs[i].AppendJSON(buf[:0])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
}

// TestAppendFloatMatchesEncodingJSON checks the fast path for values that
// are nanoseconds in milliseconds, and ordinary floats, against
// encoding/json.
func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 200000; i++ {
		var f float64
		switch i % 4 {
		case 0:
			f = float64(rng.Int63n(2e14)-1e14) / 1e6
		case 1:
			f = float64(rng.Int63n(1e9)) / 1e6
		case 2:
			f = rng.NormFloat64() * math.Pow(10, float64(rng.Intn(30)-10))
		default:
			f = float64(rng.Int63n(1e6)) / float64(rng.Int63n(1e4)+1)
		}
		want, _ := json.Marshal(f)
		if got := appendFloat(nil, f); string(got) != string(want) {
			t.Fatalf("%v: got %s, want %s", f, got, want)
		}
	}
}

// TestAnalyzeAllocations guards the per-connection cost of the output
// stage: an Analyzer reuses its record, and encoding allocates nothing, so
// a capture of millions of connections gives the collector no work.
func TestAnalyzeAllocations(t *testing.T) {
	conns := demoConns(t)
	var z Analyzer
	var buf []byte
	for _, c := range conns { // warm the address chunk and the common strings
		buf = z.Analyze("demo", c).AppendJSON(buf[:0])
	}
	n := testing.AllocsPerRun(100, func() {
		for _, c := range conns {
			buf = z.Analyze("demo", c).AppendJSON(buf[:0])
		}
	})
	// An address chunk of 64 KiB holds over a thousand records' addresses.
	if n > 0.01*float64(len(conns)) {
		t.Errorf("%v allocations to analyse and encode %d connections, want none", n, len(conns))
	}
}

// TestCloneOwnsItsMemory: a record kept with Clone equals the record
// Analyze gives, after the Analyzer has gone on to other connections and
// its arena has been wiped; a pointer field Clone forgot would then read
// zeros. The lab captures cover refused, reset, retransmitted and
// simultaneous connections, so every pointer field is set somewhere.
func TestCloneOwnsItsMemory(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/lab/*.pcap")
	paths = append(paths, "../cmd/synfin/demo/demo.pcap")
	var z Analyzer
	var kept, want []Record
	for _, p := range paths {
		for _, c := range connsOf(t, p) {
			kept = append(kept, z.Analyze(p, c).Clone())
			want = append(want, Analyze(p, c))
		}
	}
	z.a = arena{}
	if len(kept) < 20 {
		t.Fatalf("only %d connections in %d captures", len(kept), len(paths))
	}
	for i := range kept {
		if !reflect.DeepEqual(kept[i], want[i]) {
			t.Fatalf("%s conn %d: clone differs from its record\n got %+v\nwant %+v", want[i].File, want[i].Conn, kept[i], want[i])
		}
	}
}

// BenchmarkAnalyze measures turning a finished connection into its record
// and its JSON line: the per-connection cost of the output stage.
func BenchmarkAnalyze(b *testing.B) {
	conns := demoConns(b)
	var z Analyzer
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = z.Analyze("demo", conns[0]).AppendJSON(buf[:0])
	}
}

// demoConns returns the finished connections of the demo capture.
func demoConns(t testing.TB) []*flows.Conn {
	t.Helper()
	return connsOf(t, "../cmd/synfin/demo/demo.pcap")
}

// connsOf returns the finished connections of a capture, each a copy the
// table no longer touches.
func connsOf(t testing.TB, path string) []*flows.Conn {
	t.Helper()
	return connsWith(t, path, nil)
}

// connsWith is connsOf with the table set up by setup first.
func connsWith(t testing.TB, path string, setup func(*flows.Table)) []*flows.Conn {
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
	var conns []*flows.Conn
	tab := flows.NewTable(func(x *flows.Conn) {
		y := new(flows.Conn)
		x.CopyTo(y)
		conns = append(conns, y)
	})
	if setup != nil {
		setup(tab)
	}
	dec := flows.NewDecoder()
	var p capture.Packet
	var s flows.Segment
	for c.Next(&p) == nil {
		if dec.Decode(&p, &s) == nil {
			tab.Observe(&s)
		}
	}
	tab.Flush()
	return conns
}
