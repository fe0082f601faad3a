package segments

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/pipeline"
)

// tcptraceField reads both columns (host a→b, then b→a) of a field of
// tcptrace -l's output.
func tcptraceField(t *testing.T, out []byte, label string) [2]float64 {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(label)+`:\s+([0-9.]+)`).FindAllSubmatch(out, 2)
	if len(m) != 2 {
		t.Fatalf("%q: %d columns in tcptrace's output", label, len(m))
	}
	var v [2]float64
	for i := range m {
		v[i], _ = strconv.ParseFloat(string(m[i][1]), 64)
	}
	return v
}

// TestSummaryAgainstTcptrace: each side's unique bytes, segments sent
// again, data segments and bytes, throughput, and the smallest and largest
// window the other side advertised (scaled, SYNs left out), against
// tcptrace -l on two lab captures (host a is the client in both).
func TestSummaryAgainstTcptrace(t *testing.T) {
	for _, name := range []string{"23_zero_window", "27_bidir_loss"} {
		out, err := os.ReadFile("../../testdata/oracles/tcptrace-l-" + name + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		_, _, rows := firstConn(t, filepath.Join("../../testdata/lab", name+".pcap"), pipeline.InOne)
		for i, d := range []flows.Dir{flows.DirClient, flows.DirServer} {
			s := Summarize(rows, d)
			other := 1 - i
			for _, c := range []struct {
				label string
				got   float64
				col   int
			}{
				{"unique bytes sent", float64(s.Unique), i},
				{"rexmt data pkts", float64(s.SentAgain), i},
				{"actual data pkts", float64(s.Segments), i},
				{"actual data bytes", float64(s.Bytes), i},
				{"throughput", math.Round(s.Throughput), i},
				{"min win adv", float64(s.MinWin), other},
				{"max win adv", float64(s.MaxWin), other},
				{"zero win adv", float64(s.ZeroWins), other},
			} {
				want := tcptraceField(t, out, c.label)[c.col]
				if c.got != want && !(c.label == "throughput" && math.Abs(c.got-want) <= 1) {
					t.Errorf("%s %s: %s %v, tcptrace %v", name, d, c.label, c.got, want)
				}
			}
		}
	}
}

// TestCoverage: spans merge, and what was seen before is counted once
// (synthetic spans, for the corners).
func TestCoverage(t *testing.T) {
	var c Coverage
	for _, s := range []struct {
		lo, hi, seen uint32
		len          int
	}{
		{1, 11, 0, 10},    // first
		{21, 31, 0, 20},   // a hole at 11-21
		{11, 21, 0, 30},   // fills it exactly: new bytes
		{5, 25, 20, 30},   // all seen
		{25, 40, 6, 39},   // 25-31 seen, 31-40 new
		{50, 60, 0, 49},   // apart
		{45, 55, 5, 54},   // joins 50-60 from below
		{0, 100, 54, 100}, // covers everything
	} {
		if seen := c.Add(s.lo, s.hi); seen != s.seen || c.Len() != s.len {
			t.Errorf("Add(%d, %d): seen %d, covered %d; want %d, %d (spans %v)", s.lo, s.hi, seen, c.Len(), s.seen, s.len, c.spans)
		}
	}
	if len(c.spans) != 1 {
		t.Errorf("spans %v, want one", c.spans)
	}
}
