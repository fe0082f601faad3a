package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/internal/draw"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/table"
	"github.com/synfin/synfin/internal/tty"
)

// Data is everything a report shows.
type Data struct {
	Lang    msg.Lang
	Version string // synfin's, named in the report
	Files   []string
	Packets int // TCP segments read, of every connection of the inputs
	Recs    []analyze.Record
	Summary analyze.Summary
	Picks   []Pick // the connections drawn, from Representatives
	Ladders map[*analyze.Record]*ladder.Ladder
	Style   draw.Style // how the ladders are drawn
	// Listened is when each server's first handshake completed, for the
	// walkthroughs (draw.Listening).
	Listened map[string]analyze.Time
	Earlier  map[string][]draw.Earlier // connections before on each 4-tuple (draw.Earliers)
}

// reportTableRows is how many connections the report's tables list: a
// report is read by a person; the records are there for more.
const reportTableRows = 50

// rttStats are the handshake RTTs of the complete handshakes, sorted.
func rttStats(recs []analyze.Record) []float64 {
	var v []float64
	for i := range recs {
		if p := recs[i].Handshake.RTTms; p != nil {
			v = append(v, *p)
		}
	}
	sort.Float64s(v)
	return v
}

// Markdown writes the report as Markdown that renders on GitHub
// and in Typora: pipe tables, and ladders in text code blocks.
func Markdown(w io.Writer, d *Data) error {
	lang := d.Lang
	fmt.Fprintf(w, "# %s\n\n%s\n\n", lang.T("report.title"), tty.MarkdownSafe(d.generated()))
	fmt.Fprintf(w, "## %s\n\n", lang.T("report.summary"))
	table.MarkdownTable(w, []string{lang.T("report.item"), lang.T("report.value")}, [][]string{
		{lang.T("report.files"), strconv.Itoa(len(d.Files))},
		{lang.T("report.packets"), d.packetsText()},
		{lang.T("report.conns"), strconv.Itoa(len(d.Recs))},
	})
	for _, sec := range []struct {
		title, col, prefix string
		m                  map[string]int
	}{
		{"report.states", "col.state", "state.", d.Summary.States},
		{"report.hsstatus", "col.status", "handshake.", d.Summary.Handshakes},
		{"report.tdkind", "col.kind", "teardown.", d.Summary.Teardowns},
	} {
		fmt.Fprintf(w, "### %s\n\n", lang.T(sec.title))
		table.MarkdownTable(w, []string{lang.T(sec.col), lang.T("report.count"), lang.T("report.meaning")}, table.CountRows(lang, sec.prefix, sec.m))
	}
	fmt.Fprintf(w, "### %s\n\n", lang.T("report.rtt"))
	if rtt := rttStats(d.Recs); len(rtt) > 0 {
		table.MarkdownTable(w, []string{lang.T("report.samples"), lang.T("report.min"), lang.T("report.median"), lang.T("report.p95"), lang.T("report.max")},
			[][]string{{strconv.Itoa(len(rtt)), table.F3(rtt[0]), table.F3(analyze.Quantile(rtt, 0.5)), table.F3(analyze.Quantile(rtt, 0.95)), table.F3(rtt[len(rtt)-1])}})
	} else {
		fmt.Fprintf(w, "%s\n\n", lang.T("report.rtt.none"))
	}
	shown := d.Recs
	if len(shown) > reportTableRows {
		shown = shown[:reportTableRows]
	}
	for _, sec := range []struct{ title, view string }{
		{"report.conns.tbl", "conns"}, {"report.handshakes", "handshakes"}, {"report.teardowns", "teardowns"}, {"report.options", "options"},
	} {
		fmt.Fprintf(w, "## %s\n\n", lang.T(sec.title))
		header, rows := d.tableOf(sec.view, shown, table.Raw)
		table.MarkdownTable(w, header, rows)
		if more := len(d.Recs) - len(shown); more > 0 {
			fmt.Fprintf(w, "%s\n\n", lang.F("report.more", more))
		}
	}
	fmt.Fprintf(w, "## %s\n\n", lang.T("report.ladders"))
	told := &draw.Told{} // the handshake told whole once, then briefly
	for _, p := range d.Picks {
		l := d.Ladders[p.Rec]
		if l == nil {
			continue
		}
		fmt.Fprintf(w, "### %s\n\n%s\n\n```text\n", tty.MarkdownSafe(ladderHeading(d, p, l)), lang.F("report.why", lang.T(p.Reason)))
		st := d.Style
		st.Embedded = true
		draw.Text(w, l, p.Rec, st)
		fmt.Fprint(w, "```\n\n")
		draw.Explain(w, l, p.Rec, lang, draw.MarkdownSection, draw.Context{Listened: d.Listened, Earlier: d.Earlier, Told: told})
		fmt.Fprintln(w)
		if dp := dataPhaseOf(l, p.Rec, lang); dp != nil {
			fmt.Fprintf(w, "#### %s\n\n%s\n\n", tty.MarkdownSafe(dp.Heading), dp.Intro)
			table.MarkdownTable(w, dp.Header, dp.Rows)
			for _, line := range dp.Lines {
				fmt.Fprintf(w, "- %s\n", tty.MarkdownSafe(line))
			}
			fmt.Fprintf(w, "\n%s\n\n", tty.MarkdownSafe(lang.F("report.data.graph", p.Rec.Conn, shellWord(p.Rec.File))))
		}
	}
	return nil
}

// tableOf is a view's table of the connections shown, its headers and
// values in the report's language. With several captures, the file column
// names each relative to the directory they all share (Dir), so that the
// column is not mostly one repeated path.
func (d *Data) tableOf(view string, shown []analyze.Record, format table.Format) (header []string, rows [][]string) {
	cols, names := table.ViewColumns(table.Views[view], len(d.Files) > 1)
	dir := d.Dir()
	rows = make([][]string, len(shown))
	for i := range shown {
		rows[i] = table.RowOf(cols, &shown[i], format)
		table.Localize(cols, rows[i], d.Lang)
		if len(d.Files) > 1 {
			rows[i][0] = strings.TrimPrefix(rows[i][0], dir)
		}
	}
	return table.TranslateHeaders(d.Lang, names), rows
}

// Dir is the directory all the report's captures are in, with its final
// slash, or "" when they share none (or there is only one).
func (d *Data) Dir() string {
	if len(d.Files) < 2 {
		return ""
	}
	const seps = `/\` // Windows paths too
	dir := d.Files[0][:strings.LastIndexAny(d.Files[0], seps)+1]
	for _, f := range d.Files[1:] {
		for !strings.HasPrefix(f, dir) {
			dir = dir[:strings.LastIndexAny(dir[:len(dir)-1], seps)+1]
		}
	}
	return dir
}

// generated is the line under the report's title: who made it, from what.
func (d *Data) generated() string {
	if dir := d.Dir(); dir != "" {
		names := make([]string, len(d.Files))
		for i, f := range d.Files {
			names[i] = strings.TrimPrefix(f, dir)
		}
		return d.Lang.F("report.generated.dir", d.Version, dir, strings.Join(names, d.Lang.T("report.list.sep")))
	}
	return d.Lang.F("report.generated", d.Version, strings.Join(d.Files, d.Lang.T("report.list.sep")))
}

// ladderHeading titles a ladder in a report; with several captures,
// connection numbers repeat, so it names the file.
func ladderHeading(d *Data, p Pick, l *ladder.Ladder) string {
	t := d.Lang.F("ladder.title", l.Conn, l.Client, l.Server)
	if len(d.Files) > 1 {
		t += " (" + p.Rec.File + ")"
	}
	return t
}

// packetsText is the count of TCP packets the report covers: those of its
// connections, and the inputs' all when a filter left some out.
func (d *Data) packetsText() string {
	n := 0
	for i := range d.Recs {
		n += d.Recs[i].Stats.ClientPkts + d.Recs[i].Stats.ServerPkts
	}
	if n == d.Packets {
		return strconv.Itoa(n)
	}
	return d.Lang.F("report.packets.of", n, d.Packets)
}
