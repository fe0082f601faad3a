package table

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
	"github.com/synfin/synfin/internal/tty"
)

// TestFitTable: the demo's connections table (146 cells wide) fitted to an
// 80-column terminal leaves out its least telling columns, first to last,
// keeps the connection, endpoints, state, handshake, RTT and teardown
// whole, and says what it did; 120 columns, the box given up, need only sf
// left out; --wide
// (no fit) keeps everything.
func TestFitTable(t *testing.T) {
	recs := demoRecords(t)
	var whole bytes.Buffer
	if note, err := Render(&whole, "table", Views["conns"], recs, false, msg.EN, 0); err != nil || note != "" {
		t.Fatalf("unfitted: note %q, err %v", note, err)
	}
	if w := lineWidth(whole.String()); w <= 120 {
		t.Fatalf("the unfitted table is only %d wide; the test needs a wider one", w)
	}
	for _, c := range []struct {
		width   int
		dropped string
	}{{120, "sf"}, {80, "sf, history, duration_ms, bytes, pkts, closer"}} {
		var out bytes.Buffer
		note, err := Render(&out, "table", Views["conns"], recs, false, msg.EN, c.width)
		if err != nil {
			t.Fatal(err)
		}
		if w := lineWidth(out.String()); w > c.width {
			t.Errorf("%d: table is %d wide:\n%s", c.width, w, out.String())
		}
		if c.width >= 120 && !strings.Contains(out.String(), "10.77.0.1:54646") {
			t.Errorf("%d: an IPv4 address was cut though columns could go:\n%s", c.width, out.String())
		}
		if !strings.Contains(note, "left out "+c.dropped+" ") && !strings.Contains(note, "left out "+c.dropped+";") {
			t.Errorf("%d: note %q, want it to name %s", c.width, note, c.dropped)
		}
		for _, keep := range []string{":54646", "2:8080", "REJ", "rejected", "40.795", "four_way"} {
			if !strings.Contains(out.String(), keep) {
				t.Errorf("%d: %q missing:\n%s", c.width, keep, out.String())
			}
		}
	}
}

// TestFitCutsAddresses: long IPv6 addresses lose their middle, never the
// port, and never below 13 cells.
func TestFitCutsAddresses(t *testing.T) {
	names := []string{"conn", "client", "server"}
	rows := [][]string{{"0", "[2001:db8:aaaa:bbbb:cccc:dddd:eeee:1]:51234", "[2001:db8:aaaa:bbbb:cccc:dddd:eeee:2]:443"}}
	f := fitTable("conns", names, names, rows, 50)
	if !f.cut || len(f.dropped) != 0 || !f.keep[1] {
		t.Fatalf("fitting %+v", f)
	}
	if !strings.HasSuffix(rows[0][1], "]:51234") || !strings.HasSuffix(rows[0][2], ":2]:443") || tty.Cells(rows[0][1]) < 13 {
		t.Errorf("cut to %q and %q", rows[0][1], rows[0][2])
	}
	if w := tableWidth([]int{4, tty.Cells(rows[0][1]), tty.Cells(rows[0][2])}, f.keep); f.layout == boxed && w > 50 {
		t.Errorf("%d wide", w)
	}
}

func lineWidth(s string) int {
	w := 0
	for _, l := range strings.Split(s, "\n") {
		w = max(w, tty.Cells(l))
	}
	return w
}

// demoRecords are the records of synfin's demo capture.
func demoRecords(t *testing.T) []analyze.Record {
	t.Helper()
	recs, _, err := pipeline.ReadFile("../../cmd/synfin/demo/demo.pcap", pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestFitKeepsIPv4: at 80 columns and at 60 the demo's tables never cut an
// IPv4 address; at 80 each view fits, the box giving way to columns two
// spaces apart before columns are left out.
func TestFitKeepsIPv4(t *testing.T) {
	recs := demoRecords(t)
	for _, name := range []string{"conns", "handshakes", "teardowns", "options"} {
		for _, width := range []int{80, 60} {
			var out bytes.Buffer
			if _, err := Render(&out, Text, Views[name], recs, false, msg.EN, width); err != nil {
				t.Fatal(err)
			}
			// Whole, or its host whole on a title line and its port in
			// the row.
			titled := strings.Contains(out.String(), "\n10.77.0.1 → 10.77.0.2:8080\n") && strings.Contains(out.String(), " :54646 ")
			for _, ep := range []string{"10.77.0.1:54646", "10.77.0.2:8080"} {
				if !strings.Contains(out.String(), ep) && !titled {
					t.Errorf("%s at %d: %s cut:\n%s", name, width, ep, out.String())
				}
			}
			if w := lineWidth(out.String()); width == 80 && w > 80 {
				t.Errorf("%s at 80: %d wide:\n%s", name, w, out.String())
			}
		}
	}
	// Several files on a narrow terminal: a table per file under its name.
	two := append(append([]analyze.Record{}, recs...), recs...)
	for i := range two {
		two[i].File = []string{"testdata/lab/first-capture-of-the-lab.pcap", "testdata/lab/second-capture-of-the-lab.pcap"}[i/len(recs)]
	}
	var out bytes.Buffer
	if _, err := Render(&out, Text, Views["conns"], two, true, msg.EN, 80); err != nil {
		t.Fatal(err)
	}
	if w := lineWidth(out.String()); w > 80 || !strings.Contains(out.String(), "testdata/lab/second-capture-of-the-lab.pcap\n") {
		t.Errorf("two files at 80: %d wide:\n%s", w, out.String())
	}
}

// TestNarrowSummary: the summary and isn views on a narrow terminal put
// each meaning on lines of its own under its row, within the width.
func TestNarrowSummary(t *testing.T) {
	recs := demoRecords(t)
	var out bytes.Buffer
	if err := RenderSummary(&out, Text, analyze.Summarize(recs), msg.EN, 60); err != nil {
		t.Fatal(err)
	}
	if w := lineWidth(out.String()); w > 60 {
		t.Errorf("summary at 60: %d wide:\n%s", w, out.String())
	}
	if !strings.Contains(out.String(), "\nstate REJ  ") || !strings.Contains(out.String(), "\n    The SYN was refused") {
		t.Errorf("summary at 60: REJ's meaning not under its row:\n%s", out.String())
	}
	out.Reset()
	if err := RenderISN(&out, Text, msg.ZH, recs, "", 60); err != nil {
		t.Fatal(err)
	}
	if w := lineWidth(out.String()); w > 60 {
		t.Errorf("isn at 60: %d wide:\n%s", w, out.String())
	}
}

// TestNarrowIPv6AndNotes: with IPv4 and IPv6 connections together (lab
// 01–10), the isn view at 80 columns cuts an IPv6 4-tuple inside each
// address, keeping both ports and the arrow, never an IPv4 one; the
// options view's count of notes puts each meaning under its row.
func TestNarrowIPv6AndNotes(t *testing.T) {
	paths, _ := filepath.Glob("../../testdata/lab/0*.pcap")
	paths = append(paths, "../../testdata/lab/10_tfo.pcap")
	var recs []analyze.Record
	for _, p := range paths {
		r, _, err := pipeline.ReadFile(p, pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r...)
	}
	var out bytes.Buffer
	if err := RenderISN(&out, Text, msg.EN, recs, "", 80); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if w := lineWidth(text); w > 80 {
		t.Errorf("isn at 80: %d wide:\n%s", w, text)
	}
	if !regexp.MustCompile(`\[fd00:[^ ]*…[^ ]*\]:\d+ → \[fd00:[^ ]*\]:5001 `).MatchString(text) {
		t.Errorf("isn at 80: no IPv6 4-tuple cut inside its addresses, ports and arrow kept:\n%s", text)
	}
	if !strings.Contains(text, "10.77.0.1:40000 → 10.77.0.2:5001") {
		t.Errorf("isn at 80: an IPv4 4-tuple was cut:\n%s", text)
	}
	out.Reset()
	if err := RenderOptionCounts(&out, Text, msg.EN, recs, 80); err != nil {
		t.Fatal(err)
	}
	if w := lineWidth(out.String()); w > 80 || !strings.Contains(out.String(), "\n    The client asks for a TCP Fast Open cookie.") {
		t.Errorf("option notes at 80: %d wide, or a meaning not under its row:\n%s", w, out.String())
	}
}

// TestCutEndpoints: a 4-tuple is cut in each endpoint, the longer first,
// each address keeping at least four characters of each end.
func TestCutEndpoints(t *testing.T) {
	for _, c := range []struct {
		in    string
		width int
		want  string
	}{
		{"[fd00:ca:fe::1]:45718 → [fd00:ca:fe::2]:5001", 39, "[fd00…fe::1]:45718 → [fd00:…fe::2]:5001"},
		{"[fd00:ca:fe::1]:45718 → [fd00:ca:fe::2]:5001", 60, "[fd00:ca:fe::1]:45718 → [fd00:ca:fe::2]:5001"},
		{"[2001:db8::1234:5678]:80", 16, "[2001:…:5678]:80"},
	} {
		if got := cutEndpoints(c.in, c.width); got != c.want || tty.Cells(got) > c.width {
			t.Errorf("cutEndpoints(%q, %d) = %q (%d cells), want %q", c.in, c.width, got, tty.Cells(got), c.want)
		}
	}
}

// TestHandshakesKeepISNs: at 120 columns the handshakes view keeps both
// ISN columns, which a lab report explains; it gives up the columns that
// repeat others (setup_ms is rtt_ms unless the SYN was sent again) first.
func TestHandshakesKeepISNs(t *testing.T) {
	var out bytes.Buffer
	note, err := Render(&out, Text, Views["handshakes"], demoRecords(t), false, msg.EN, 120)
	if err != nil {
		t.Fatal(err)
	}
	head := strings.SplitN(out.String(), "\n", 2)[0]
	if !strings.Contains(head, "client_isn") || !strings.Contains(head, "server_isn") || lineWidth(out.String()) > 120 {
		t.Errorf("handshakes at 120 (%s):\n%s", note, out.String())
	}
}

// TestFitSegments: the segments view's 20 columns (rows of the keep-alive
// lab capture, from its golden CSV, which a person has read) fit an
// 80-column terminal by leaving out the RFC 6298 detail and Wireshark's
// ACK fields, keeping the lab's columns, and say so.
func TestFitSegments(t *testing.T) {
	b, err := os.ReadFile("../../testdata/golden/segments-csv.txt")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b[bytes.IndexByte(b, '\n')+1:])).ReadAll()
	if err != nil || len(recs) < 10 {
		t.Fatalf("golden CSV: %v, %d rows", err, len(recs))
	}
	names, rows := recs[0], recs[1:]
	for _, r := range rows {
		for j := range r {
			if r[j] == "" {
				r[j] = "-"
			}
		}
	}
	var out bytes.Buffer
	note, err := FitGrid(&out, "segments", names, names, rows, msg.EN, 80)
	if err != nil {
		t.Fatal(err)
	}
	if w := lineWidth(out.String()); w > 80 {
		t.Errorf("%d wide:\n%s", w, out.String())
	}
	head := strings.Fields(strings.SplitN(out.String(), "\n", 2)[0])
	for _, keep := range []string{"frame", "time_ms", "from", "flags", "seq", "len", "rtt_ms"} {
		if !slices.Contains(head, keep) {
			t.Errorf("column %s left out: %v", keep, head)
		}
	}
	if !strings.Contains(note, "left out rttvar_ms, rto_ms") {
		t.Errorf("note %q", note)
	}
}
