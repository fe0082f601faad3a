package report

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/synfin/synfin/internal/msg"
)

// TestRTTBins: the histogram's bins have round edges that cover every
// value, hold every value once, and are about the square root of the
// sample count in number; the picture labels the edges and each bar's count.
func TestRTTBins(t *testing.T) {
	for _, c := range []struct {
		values []float64
		edges  []string
		counts []int
	}{
		{[]float64{40.463, 40.795}, []string{"40.4", "40.6", "40.8"}, []int{1, 1}}, // the demo's two handshakes
		{[]float64{0.042, 0.044, 0.056}, []string{"0.04", "0.05", "0.06"}, []int{2, 1}},
		{[]float64{12, 12, 12}, []string{"12.0", "12.2"}, []int{3}},
		{[]float64{3, 7, 9, 10, 100}, []string{"0", "50", "100", "150"}, []int{4, 0, 1}},
	} {
		b := binRTT(c.values)
		var edges []string
		for i := 0; i <= len(b.count); i++ {
			edges = append(edges, b.edge(i))
		}
		if !slices.Equal(edges, c.edges) || !slices.Equal(b.count, c.counts) {
			t.Errorf("%v: edges %v counts %v, want %v %v", c.values, edges, b.count, c.edges, c.counts)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 5, 50, 467, 5000} {
		v := make([]float64, n)
		for i := range v {
			v[i] = 40 + r.ExpFloat64()
		}
		slices.Sort(v)
		b := binRTT(v)
		sum := 0
		for _, c := range b.count {
			sum += c
		}
		if sum != n || b.lo > v[0] || b.lo+float64(len(b.count))*b.step <= v[n-1] || len(b.count) > 22 {
			t.Errorf("%d values in [%g, %g]: %d bins from %g by %g hold %d", n, v[0], v[n-1], len(b.count), b.lo, b.step, sum)
		}
	}
	svg := histogramSVG(msg.EN, []float64{40.463, 40.795})
	for _, want := range []string{">40.4<", ">40.6<", ">40.8<", ">1<", "40.4–40.6 ms: 1", ">connections<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("histogram without %q:\n%s", want, svg)
		}
	}
}

// TestReportDir: the directory a report's captures share, which the file
// column leaves out, ends at a separator and never splits a name.
func TestReportDir(t *testing.T) {
	for _, c := range []struct {
		files []string
		want  string
	}{
		{[]string{"testdata/lab/01.pcap", "testdata/lab/02.pcap"}, "testdata/lab/"},
		{[]string{"a/b/x.pcap", "a/c/y.pcap"}, "a/"},
		{[]string{"a/bc/x.pcap", "a/b/y.pcap"}, "a/"},
		{[]string{"x.pcap", "y.pcap"}, ""},
		{[]string{"/caps/a.pcap"}, ""},
		{[]string{`C:\caps\a.pcap`, `C:\caps\b.pcap`}, `C:\caps\`},
		{[]string{"cut.tar!/a.pcap", "cut.tar!/b.pcap"}, "cut.tar!/"},
		{[]string{"/a/x.pcap", "-"}, ""},
	} {
		if got := (&Data{Files: c.files}).Dir(); got != c.want {
			t.Errorf("%q: %q, want %q", c.files, got, c.want)
		}
	}
}
