package web

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/graph"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/table"
	"github.com/synfin/synfin/internal/views"
)

const demo = "../../cmd/synfin/demo/demo.pcap"

func input(t *testing.T, path string) inputs.Input {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return inputs.Bytes(path, b)
}

// The rows are the records' fields, in the order of the command line's
// tables, and the summary is the summary view's.
func TestAnalyzeRowsAreTheRecords(t *testing.T) {
	ins := []inputs.Input{input(t, demo), input(t, "../../testdata/lab/04_syn_dropped.pcap")}
	a := Analyze(ins, msg.EN, "test")
	if a.Code != 0 || a.Messages != "" {
		t.Fatalf("code %d, messages %q", a.Code, a.Messages)
	}
	out := View(JSONLines, ins, 0, msg.EN, "test")
	var recs []analyze.Record
	for _, line := range strings.Split(strings.TrimSpace(string(out.Bytes)), "\n") {
		var r analyze.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if len(a.Rows) != len(recs) || len(recs) < 4 {
		t.Fatalf("%d rows for %d records", len(a.Rows), len(recs))
	}
	for i, row := range a.Rows {
		if i > 0 && (row.File < a.Rows[i-1].File || row.File == a.Rows[i-1].File && row.Conn < a.Rows[i-1].Conn) {
			t.Errorf("row %d (file %d conn %d) is out of order", i, row.File, row.Conn)
		}
		var r *analyze.Record
		for j := range recs {
			if recs[j].File == a.Files[row.File] && recs[j].Conn == row.Conn {
				r = &recs[j]
			}
		}
		if r == nil {
			t.Fatalf("row %d: no record %s/%d", i, a.Files[row.File], row.Conn)
		}
		if want := rowOf(r, row.File); !sameRow(row, want) {
			t.Errorf("row %d = %+v, the record gives %+v", i, row, want)
		}
	}
	if len(a.Summary) < 10 || a.Summary[0][0] != "connections" || a.Summary[0][1] != "4" {
		t.Errorf("summary starts %v", a.Summary[:min(2, len(a.Summary))])
	}
	zh := Analyze(ins[:1], msg.ZH, "test")
	if !strings.Contains(strings.Join(zh.Summary[1], " "), "拒绝") {
		t.Errorf("the Chinese summary's REJ row is %v", zh.Summary[1])
	}
}

func sameRow(a, b Row) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// Every kind writes something; the ladder is of the connection asked for.
func TestViews(t *testing.T) {
	ins := []inputs.Input{input(t, demo)}
	for k := range numKinds {
		if got, ok := ParseKind(k.String()); !ok || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k, got, ok)
		}
		out := View(k, ins, 1, msg.EN, "test")
		if out.Code != 0 || len(out.Bytes) == 0 {
			t.Errorf("%s: code %d, %d bytes, messages %q", k, out.Code, len(out.Bytes), out.Messages)
		}
	}
	if _, ok := ParseKind("pdf"); ok {
		t.Error("ParseKind took pdf")
	}
	if s := string(View(LadderSVG, ins, 1, msg.EN, "test").Bytes); !strings.Contains(s, "Connection 1:") {
		t.Errorf("ladder of connection 1: %.200s", s)
	}
	if d := DetailOf(ins[0], 2, msg.EN, "test"); strings.Count(string(d.Record), "\n") != 1 || !strings.Contains(string(d.Record), `"conn":2,`) {
		t.Errorf("record of connection 2: %.200s", d.Record)
	}
	if d := DetailOf(ins[0], 9, msg.EN, "test"); d.Code != 2 || !strings.Contains(d.Messages, "no connection 9") {
		t.Errorf("connection 9 of 3: code %d, messages %q", d.Code, d.Messages)
	}
}

// A damaged capture: what was read, the command line's message and
// status 1.
func TestAnalyzeDamaged(t *testing.T) {
	a := Analyze([]inputs.Input{input(t, "../../testdata/bad/demo-cut.pcap")}, msg.EN, "test")
	if a.Code != 1 || len(a.Rows) == 0 || !strings.Contains(a.Messages, "demo-cut.pcap") {
		t.Errorf("code %d, %d rows, messages %q", a.Code, len(a.Rows), a.Messages)
	}
}

// One reading gives what the views of a connection give: ladder,
// walkthrough, record and graphs.
func TestDetailIsTheThreeViews(t *testing.T) {
	graphed := 0
	for _, path := range []string{demo, "../../testdata/lab/04_syn_dropped.pcap"} {
		in := input(t, path)
		ins := []inputs.Input{in}
		for conn := range len(Analyze(ins, msg.EN, "test").Rows) {
			d := DetailOf(in, conn, msg.ZH, "test")
			// synfin ladder -f svg, explain and -f jsonl, each -c conn --lang zh.
			run := func(view string, format table.Format) Output {
				o := options(msg.ZH, "test")
				o.View, o.Format, o.Conns = view, format, []int{conn}
				var out, stderr bytes.Buffer
				var code int
				if view == "conns" {
					code = views.Table(&o, msg.ZH, ins, &out, &stderr)
				} else {
					code = views.Ladder(&o, msg.ZH, ins, &out, &stderr)
				}
				return Output{out.Bytes(), stderr.String(), code}
			}
			for _, c := range []struct {
				what string
				got  []byte
				want Output
			}{{"ladder", d.SVG, run("ladder", table.SVG)}, {"walkthrough", d.Explain, run("explain", table.Text)}, {"record", d.Record, run("conns", table.JSONL)}} {
				if c.want.Code != d.Code || !bytes.Equal(c.got, c.want.Bytes) || d.Messages != c.want.Messages {
					t.Errorf("%s %d: %s differs (code %d/%d, %d/%d bytes, messages %q/%q)", path, conn, c.what, d.Code, c.want.Code, len(c.got), len(c.want.Bytes), d.Messages, c.want.Messages)
				}
			}
			// synfin graph -c conn --lang zh, --kind tseq then rtt;
			// nothing for a connection without data.
			var want []byte
			for _, k := range []graph.Kind{graph.TimeSeq, graph.RTT} {
				o := options(msg.ZH, "test")
				o.View, o.Format, o.Conns, o.Graph = "graph", table.SVG, []int{conn}, k
				var out, stderr bytes.Buffer
				if views.Graph(&o, msg.ZH, ins, &out, &stderr) == views.ExitOK {
					want = append(want, out.Bytes()...)
				}
			}
			if !bytes.Equal(d.Graphs, want) {
				t.Errorf("%s %d: graphs differ from synfin graph's (%d/%d bytes)", path, conn, len(d.Graphs), len(want))
			}
			if len(want) > 0 {
				graphed++
			}
		}
	}
	if graphed < 2 {
		t.Errorf("only %d connections graphed", graphed)
	}
}
