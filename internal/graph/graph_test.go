package graph

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/analyze/segments"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
)

// rowsOf reads connection 0 of a capture into its segments.
func rowsOf(t *testing.T, path string) ([]segments.Row, int64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec := ladder.NewRecorder(0)
	var r *analyze.Record
	pipeline.Run(path, f, pipeline.Options{Trace: rec.Trace}, func(x *analyze.Record) {
		if x.Conn == 0 {
			c := x.Clone()
			r = &c
		}
	})
	l := rec.Ladder(0)
	if l == nil || r == nil {
		t.Fatalf("%s: no connection 0", path)
	}
	return segments.Of(l, segments.Shifts(r)), l.FirstTS
}

// Two lab captures of real kernel TCP: an upload into a zero window, and
// one with loss both ways (its retransmissions are the red bars).
var captures = []string{"../../testdata/lab/23_zero_window.pcap", "../../testdata/lab/27_bidir_loss.pcap"}

// TestTimeSeqHoldsEverySegment: each data segment of the sender is one
// bar, from its first sequence number to one past its last, at the time it
// was sent; retransmissions are their own series; the ACK line never goes
// back and the window line is never under it.
func TestTimeSeqHoldsEverySegment(t *testing.T) {
	for _, path := range captures {
		rows, first := rowsOf(t, path)
		g, err := Of(TimeSeq, rows, first)
		if err != nil {
			t.Fatal(err)
		}
		series := map[string]Series{}
		for _, s := range g.Series {
			series[s.Name] = s
		}
		data, retx, ack, win := series["graph.data"], series["graph.retx"], series["graph.ack"], series["graph.rwin"]
		n, bytes, high := 0, 0.0, 0.0
		for _, r := range rows {
			if r.From == g.Sender && r.Len > 0 {
				n++
				bytes += float64(r.Len)
				high = math.Max(high, float64(r.RelSeq)+float64(r.Len))
			}
		}
		got := 0.0
		for _, p := range append(append([]Point{}, data.Points...), retx.Points...) {
			got += p.Y - p.Y0
			if p.Y0 < 1 {
				t.Errorf("%s: a bar starts at %v, before the first data byte (1)", path, p.Y0)
			}
		}
		if len(data.Points)+len(retx.Points) != n || got != bytes {
			t.Errorf("%s: %d+%d bars spanning %v bytes, want %d segments of %v bytes", path, len(data.Points), len(retx.Points), got, n, bytes)
		}
		if strings.Contains(path, "loss") && len(retx.Points) == 0 {
			t.Errorf("%s: no retransmission drawn", path)
		}
		for i := 1; i < len(ack.Points); i++ {
			if ack.Points[i].Y < ack.Points[i-1].Y {
				t.Errorf("%s: ACK line goes back at %v ms", path, ack.Points[i].X)
			}
			if win.Points[i].Y < ack.Points[i].Y {
				t.Errorf("%s: window line under the ACK line at %v ms", path, win.Points[i].X)
			}
		}
		// The last ACK covers every data byte the sender sent.
		if top := ack.Points[len(ack.Points)-1].Y; top < high {
			t.Errorf("%s: ACK line ends at %v, under the highest byte sent, %v", path, top, high)
		}
		t.Logf("%s: sender %s, %d segments, %d retransmitted, %d ACKs", path, g.Sender, n, len(retx.Points), len(ack.Points))
	}
}

// TestRTTPointsAreTheSamples: the RTT graph's dots are exactly the
// segments' RTT samples (Karn's rule applied), and its line the SRTT
// after each.
func TestRTTPointsAreTheSamples(t *testing.T) {
	for _, path := range captures {
		rows, first := rowsOf(t, path)
		g, _ := Of(RTT, rows, first)
		var want []float64
		for _, r := range rows {
			if r.From == g.Sender && r.HasRTT {
				want = append(want, float64(r.RTT)/1e6)
			}
		}
		dots := g.Series[0].Points
		if len(dots) != len(want) || len(want) == 0 {
			t.Fatalf("%s: %d dots, %d samples", path, len(dots), len(want))
		}
		for i := range want {
			if dots[i].Y != want[i] {
				t.Errorf("%s: dot %d at %v ms, sample %v ms", path, i, dots[i].Y, want[i])
			}
		}
	}
}

// TestThroughputKeepsEveryByte: the throughput buckets add up to the
// bytes sent once (bytes sent again left out, tcptrace's unique bytes).
func TestThroughputKeepsEveryByte(t *testing.T) {
	for _, path := range captures {
		rows, first := rowsOf(t, path)
		g, _ := Of(Throughput, rows, first)
		pts := g.Series[0].Points
		if len(pts) < 2 {
			t.Fatalf("%s: %d buckets", path, len(pts))
		}
		bucket := 2 * pts[0].X
		got := 0.0
		for _, p := range pts {
			got += p.Y * bucket / 8 // kbit/s × ms / 8 = bytes
		}
		// The bytes sent once: from the first data byte to the highest.
		want := 0.0
		for _, r := range rows {
			if r.From == g.Sender && r.Len > 0 {
				want = math.Max(want, float64(r.RelSeq)+float64(r.Len)-1)
			}
		}
		if math.Abs(got-want) > 0.5 {
			t.Errorf("%s: buckets hold %v bytes, sent %v", path, got, want)
		}
	}
}

// TestSVGIsWellFormed: every graph, in both languages, is one SVG element
// that parses as XML, with its axes labelled in the language and a legend
// entry for each series; the points files have one row per point.
func TestSVGIsWellFormed(t *testing.T) {
	rows, first := rowsOf(t, captures[1])
	for _, kind := range Kinds {
		g, _ := Of(kind, rows, first)
		for _, lang := range []msg.Lang{msg.EN, msg.ZH} {
			var b bytes.Buffer
			if err := g.SVG(&b, lang, "title <&>"); err != nil {
				t.Fatal(err)
			}
			d := xml.NewDecoder(bytes.NewReader(b.Bytes()))
			var texts []string
			depth, roots := 0, 0
			for {
				tok, err := d.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s %v: not XML: %v", kind, lang, err)
				}
				switch x := tok.(type) {
				case xml.StartElement:
					if depth == 0 {
						roots++
					}
					depth++
				case xml.EndElement:
					depth--
				case xml.CharData:
					texts = append(texts, string(x))
				}
			}
			all := strings.Join(texts, "\n")
			if roots != 1 {
				t.Errorf("%s %v: %d root elements", kind, lang, roots)
			}
			for _, key := range append([]string{g.XLabel, g.YLabel}, names(g)...) {
				if !strings.Contains(all, lang.T(key)) {
					t.Errorf("%s %v: no %q (%s) in the SVG", kind, lang, lang.T(key), key)
				}
			}
			if !strings.Contains(all, "title <&>") {
				t.Errorf("%s %v: the title is not there as text", kind, lang)
			}
		}
		for _, jsonl := range []bool{false, true} {
			var b bytes.Buffer
			if err := g.Points(&b, jsonl); err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, s := range g.Series {
				n += len(s.Points)
			}
			lines := strings.Count(b.String(), "\n")
			if !jsonl {
				lines--
				recs, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
				if err != nil || len(recs[0]) != 4 {
					t.Errorf("%s: CSV %v, header %v", kind, err, recs[0])
				}
			}
			if lines != n {
				t.Errorf("%s jsonl=%v: %d lines for %d points", kind, jsonl, lines, n)
			}
		}
	}
}

// names are the legend's entries: the series with points.
func names(g *Graph) []string {
	var ns []string
	for _, s := range g.Series {
		if len(s.Points) > 0 {
			ns = append(ns, s.Name)
		}
	}
	return ns
}

// TestSenderIsTheSideWithMoreData: an upload is graphed from the client.
func TestSenderIsTheSideWithMoreData(t *testing.T) {
	rows, _ := rowsOf(t, captures[0])
	if s := Sender(rows); s != flows.DirClient {
		t.Errorf("zero-window upload: sender %s, want client", s)
	}
}

// TestAgainstTcptrace: the time-sequence graph's red bars are the
// segments tcptrace -l counts as "rexmt data pkts", and the throughput
// graph's bytes are its "unique bytes sent", for the graphed side (host a,
// the client, in both captures); tcptrace's output is kept in
// testdata/oracles.
func TestAgainstTcptrace(t *testing.T) {
	for _, path := range captures {
		name := strings.TrimSuffix(path[strings.LastIndex(path, "/")+1:], ".pcap")
		out, err := os.ReadFile("../../testdata/oracles/tcptrace-l-" + name + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		// host a's column is the first number after the label.
		field := func(label string) float64 {
			i := strings.Index(string(out), label)
			if i < 0 {
				t.Fatalf("%s: no %q in tcptrace's output", name, label)
			}
			var v float64
			if _, err := fmt.Sscan(string(out[i+len(label):]), &v); err != nil {
				t.Fatalf("%s: %q: %v", name, label, err)
			}
			return v
		}
		rows, first := rowsOf(t, path)
		g, _ := Of(TimeSeq, rows, first)
		if g.Sender != flows.DirClient {
			t.Fatalf("%s: graphs the %s; tcptrace's host a is the client", name, g.Sender)
		}
		var retx int
		for _, s := range g.Series {
			if s.Name == "graph.retx" {
				retx = len(s.Points)
			}
		}
		if want := field("rexmt data pkts:"); float64(retx) != want {
			t.Errorf("%s: %d segments sent again, tcptrace %v", name, retx, want)
		}
		tp, _ := Of(Throughput, rows, first)
		pts := tp.Series[0].Points
		got := 0.0
		for _, p := range pts {
			got += p.Y * 2 * pts[0].X / 8
		}
		if want := field("unique bytes sent:"); math.Abs(got-want) > 0.5 {
			t.Errorf("%s: %v bytes sent once, tcptrace %v", name, got, want)
		}
	}
}
