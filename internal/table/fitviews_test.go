package table

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
	"github.com/synfin/synfin/internal/tty"
)

// readCaptures reads captures of the repository's testdata, each record
// carrying its file's name.
func readCaptures(t *testing.T, paths ...string) []analyze.Record {
	t.Helper()
	var recs []analyze.Record
	for _, p := range paths {
		r, _, err := pipeline.ReadFile("../../testdata/"+p, pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range r {
			r[i].File = p
		}
		recs = append(recs, r...)
	}
	return recs
}

// TestFitAlwaysFits: every view of real captures (many IPv4 connections
// to a public server, IPv4 and IPv6 hosts together, two files at once)
// fitted to 60, 70, 80 and 100 columns, in English and Chinese, has no
// line wider than the terminal; each view keeps the columns it exists
// for, or prints each connection as a block that holds them; the note
// says which.
func TestFitAlwaysFits(t *testing.T) {
	cases := []struct {
		name  string
		paths []string
	}{
		{"bro.org", []string{"fit/bro.org-filtered.pcap"}},
		{"arkime synthetic", []string{"fit/arkime_synthetic.pcap"}},
		{"load 200", []string{"lab/14_load_200.pcap"}},
		{"ipv6", []string{"lab/07_ipv6.pcap"}},
		{"two files", []string{"fit/bro.org-filtered.pcap", "lab/01_plain_client_close.pcap"}},
	}
	for _, c := range cases {
		recs := readCaptures(t, c.paths...)
		multi := len(c.paths) > 1
		for _, lang := range []msg.Lang{msg.EN, msg.ZH} {
			for _, view := range []string{"conns", "handshakes", "teardowns", "options"} {
				for _, width := range []int{60, 70, 80, 100} {
					var out bytes.Buffer
					note, err := Render(&out, Text, Views[view], recs, multi, lang, width)
					if err != nil {
						t.Fatal(err)
					}
					text := out.String()
					for _, l := range strings.Split(text, "\n") {
						if tty.Cells(l) > width {
							t.Errorf("%s, %s at %d (%s): a line %d wide:\n%s", c.name, view, width, lang.Code(), tty.Cells(l), l)
							break
						}
					}
					records := strings.Contains(text, "\n-[ ") || strings.HasPrefix(text, "-[ ")
					said := note == lang.T("fit.note.records") || strings.HasPrefix(note, strings.Split(lang.T("fit.note.records.dropped"), "%s")[0])
					if !multi && records != said {
						t.Errorf("%s, %s at %d: record layout %v, note %q", c.name, view, width, records, note)
					}
					if !multi {
						checkEssentials(t, c.name, view, width, lang, recs)
					}
				}
			}
		}
	}
}

// checkEssentials: fitting a view's table to width keeps every column
// the view exists for (client as its port beside a title line), or
// chooses the record layout, which shows every column.
func checkEssentials(t *testing.T, name, view string, width int, lang msg.Lang, recs []analyze.Record) {
	t.Helper()
	cols, names := ViewColumns(Views[view], false)
	rows := make([][]string, len(recs))
	for i := range recs {
		rows[i] = RowOf(cols, &recs[i], Text)
		Localize(cols, rows[i], lang)
	}
	f := fitTable(view, names, TranslateHeaders(lang, names), rows, width)
	if f.layout == records {
		return
	}
	for _, e := range essential[view] {
		j := index(names, e)
		if e == "server" && f.layout == titled {
			continue
		}
		if !f.keep[j] {
			t.Errorf("%s, %s at %d (%s): essential column %s left out (%+v)", name, view, width, lang.Code(), e, f.dropped)
		}
	}
	if f.layout == titled && len(f.titles) != len(rows) {
		t.Errorf("%s, %s at %d: %d titles for %d rows", name, view, width, len(f.titles), len(rows))
	}
}

// TestFitRecordLayout: at 60 columns the handshakes view of a capture
// with a public server does not fit even as its essentials, and prints a
// block per connection, every column whole, the note saying so.
func TestFitRecordLayout(t *testing.T) {
	recs := readCaptures(t, "fit/bro.org-filtered.pcap")
	for _, lang := range []msg.Lang{msg.EN, msg.ZH} {
		var out bytes.Buffer
		note, err := Render(&out, Text, Views["handshakes"], recs, false, lang, 60)
		if err != nil {
			t.Fatal(err)
		}
		text := out.String()
		sep := lang.T("report.list.sep")
		dropped := strings.Join([]string{colName(lang, "setup_ms"), colName(lang, "ack_ok"), colName(lang, "synacks"), colName(lang, "syns"), colName(lang, "rtt_ms")}, sep)
		if !strings.HasPrefix(text, "-[ "+lang.T("col.conn")+" 0 ]---") || note != lang.F("fit.note.records.dropped", dropped) {
			t.Errorf("%s: note %q:\n%s", lang.Code(), note, text)
		}
		for _, want := range []string{lang.T("col.client") + ":", "10.0.2.15:55079", "192.150.187.43:80", lang.T("col.syn_synack_ms") + ":", lang.T("col.server_isn") + ":"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: %q missing:\n%s", lang.Code(), want, text)
			}
		}
	}
}

// TestFitIPv6Apart: two IPv6 clients that differ only in the middle of
// their addresses stay told apart however narrow the terminal, their
// addresses cut only as far as needed.
func TestFitIPv6Apart(t *testing.T) {
	recs := readCaptures(t, "lab/07_ipv6.pcap")
	two := append(append([]analyze.Record{}, recs...), recs...)
	for i := range two {
		port := two[i].Client[strings.LastIndexByte(two[i].Client, ':'):]
		two[i].Client = []string{"[2001:db8:aaaa:1111:bbbb:cccc:dddd:1]", "[2001:db8:aaaa:2222:bbbb:cccc:dddd:1]"}[i/len(recs)] + port
		two[i].Server = "[2001:db8:aaaa:3333:bbbb:cccc:dddd:2]:443"
		two[i].Conn = i
	}
	for _, view := range []string{"conns", "handshakes", "teardowns", "options"} {
		for _, width := range []int{60, 70, 80, 100} {
			cols, names := ViewColumns(Views[view], false)
			rows := make([][]string, len(two))
			for i := range two {
				rows[i] = RowOf(cols, &two[i], Text)
			}
			f := fitTable(view, names, names, rows, width)
			host := func(i int) string {
				switch f.layout {
				case titled:
					a, _, _ := strings.Cut(f.titles[i], " → ")
					return a
				case records:
					return hostOf(two[i].Client)
				}
				return hostOf(rows[i][1])
			}
			a, b := host(0), host(len(recs))
			if a == b {
				t.Errorf("%s at %d: both clients read %q", view, width, a)
			}
			if !strings.Contains(a, "aaaa:1") || !strings.Contains(b, "aaaa:2") || !strings.HasSuffix(a, ":1]") {
				t.Errorf("%s at %d: the part that tells them apart is cut: %q, %q", view, width, a, b)
			}
			var out bytes.Buffer
			if _, err := Render(&out, Text, Views[view], two, false, msg.EN, width); err != nil {
				t.Fatal(err)
			}
			if w := lineWidth(out.String()); w > width {
				t.Errorf("%s at %d: %d wide:\n%s", view, width, w, out.String())
			}
		}
	}
	hc := hostCutOf([]string{"[2001:db8:aaaa:1111:bbbb:cccc:dddd:1]:1", "[2001:db8:aaaa:2222:bbbb:cccc:dddd:1]:2"})
	a, b := hc.addr("2001:db8:aaaa:1111:bbbb:cccc:dddd:1", 10), hc.addr("2001:db8:aaaa:2222:bbbb:cccc:dddd:1", 10)
	if a == b || !strings.Contains(a, "…") {
		t.Errorf("cut to %q and %q", a, b)
	}
}

// TestSummaryCounts: the summary prints distributions of counts as whole
// numbers, and every count of connections with its meaning.
func TestSummaryCounts(t *testing.T) {
	recs := readCaptures(t, "lab/14_load_200.pcap")
	for _, lang := range []msg.Lang{msg.EN, msg.ZH} {
		rows := SummaryRows(analyze.Summarize(recs), lang)
		count := regexp.MustCompile(`^n=\d+ min=\d+ mean=\d+(\.\d)? max=\d+$`)
		for _, r := range rows {
			switch r[0] {
			case lang.T("sum.packets"), lang.T("sum.window"):
				if !count.MatchString(r[1]) {
					t.Errorf("%s: %s = %q, want whole numbers", lang.Code(), r[0], r[1])
				}
			case lang.T("sum.synfin"), lang.T("sum.reset"), lang.T("sum.open"), lang.T("sum.unanswered"), lang.T("sum.begun"), lang.T("sum.nottcp"):
				if r[2] == "" || strings.HasPrefix(r[2], "sum.") {
					t.Errorf("%s: %s has no meaning: %q", lang.Code(), r[0], r[2])
				}
			}
		}
	}
}
