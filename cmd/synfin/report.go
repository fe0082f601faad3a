package main

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"synfin/analyze"
	"synfin/analyze/ladder"
	"synfin/cmd/synfin/msg"
)

// pick is a connection chosen for a ladder in a report, and why.
type pick struct {
	rec    *analyze.Record
	reason string // message key
}

// representatives chooses the connections a report draws: the first
// textbook one (complete handshake at the first try, normal close), then
// the first of each abnormal kind a student is asked to explain. A
// connection is drawn once, under the first reason it fits; a kind whose
// only example is already drawn adds nothing.
func representatives(recs []analyze.Record) []pick {
	normalClose := func(r *analyze.Record) bool {
		return r.Handshake.Status == "complete" && (r.Teardown.Kind == "four_way" || r.Teardown.Kind == "three_way" || r.Teardown.Kind == "simultaneous")
	}
	rules := []struct {
		key string
		is  func(r *analyze.Record) bool
	}{
		{"report.pick.complete", func(r *analyze.Record) bool {
			return normalClose(r) && r.Handshake.SynCount == 1 && r.Teardown.DataAfterFin == 0
		}},
		{"report.pick.refused", func(r *analyze.Record) bool { return r.Handshake.Status == "rejected" }},
		{"report.pick.synretx", func(r *analyze.Record) bool { return r.Handshake.SynCount > 1 }},
		{"report.pick.reset", func(r *analyze.Record) bool {
			return r.Teardown.Kind == "reset" && r.Handshake.Status != "rejected"
		}},
		{"report.pick.halfclose", func(r *analyze.Record) bool {
			return r.Teardown.Kind == "half_closed" || r.Teardown.DataAfterFin > 0
		}},
		// Failing a textbook one, any normal close not drawn already.
		{"report.pick.complete", normalClose},
	}
	var picks []pick
	taken := map[*analyze.Record]bool{}
	done := map[string]bool{}
	for _, rule := range rules {
		if done[rule.key] {
			continue
		}
		for i := range recs {
			if r := &recs[i]; rule.is(r) && !taken[r] {
				taken[r], done[rule.key] = true, true
				picks = append(picks, pick{r, rule.key})
				break
			}
		}
	}
	if len(picks) == 0 && len(recs) > 0 {
		picks = append(picks, pick{&recs[0], "report.pick.first"})
	}
	// The normal connection first, as a textbook shows it before the
	// exceptions.
	sort.SliceStable(picks, func(i, j int) bool {
		return picks[i].reason == "report.pick.complete" && picks[j].reason != "report.pick.complete"
	})
	return picks
}

// reportData is everything a report shows.
type reportData struct {
	lang    msg.Lang
	files   []string
	packets int
	recs    []analyze.Record
	summary analyze.Summary
	picks   []pick
	ladders map[*analyze.Record]*ladder.Ladder
	style   ladderStyle
}

// reportTableRows is how many connections the report's tables list: a
// report is read by a person; the records are there for more.
const reportTableRows = 50

// countRows are the rows of a count table (value, count, meaning), in a
// fixed order with the most common first.
func countRows(lang msg.Lang, prefix string, m map[string]int) [][]string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	rows := make([][]string, len(keys))
	for i, k := range keys {
		rows[i] = []string{k, itoa(m[k]), lang.T(prefix + k)}
	}
	return rows
}

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

// quantile is the nearest-rank quantile of sorted values.
func quantile(sorted []float64, q float64) float64 {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func f3(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

// writeReportMarkdown writes the report as Markdown that renders on GitHub
// and in Typora: pipe tables, and ladders in text code blocks.
func writeReportMarkdown(w io.Writer, d *reportData) error {
	lang := d.lang
	fmt.Fprintf(w, "# %s\n\n%s\n\n", lang.T("report.title"), lang.F("report.generated", version, markdownSafe(strings.Join(d.files, ", "))))
	fmt.Fprintf(w, "## %s\n\n", lang.T("report.summary"))
	mdTable(w, []string{lang.T("report.item"), lang.T("report.value")}, [][]string{
		{lang.T("report.files"), itoa(len(d.files))},
		{lang.T("report.packets"), itoa(d.packets)},
		{lang.T("report.conns"), itoa(len(d.recs))},
	})
	for _, sec := range []struct {
		title, col, prefix string
		m                  map[string]int
	}{
		{"report.states", "col.state", "state.", d.summary.States},
		{"report.hsstatus", "col.status", "handshake.", d.summary.Handshakes},
		{"report.tdkind", "col.kind", "teardown.", d.summary.Teardowns},
	} {
		fmt.Fprintf(w, "### %s\n\n", lang.T(sec.title))
		mdTable(w, []string{lang.T(sec.col), lang.T("report.count"), lang.T("report.meaning")}, countRows(lang, sec.prefix, sec.m))
	}
	fmt.Fprintf(w, "### %s\n\n", lang.T("report.rtt"))
	if rtt := rttStats(d.recs); len(rtt) > 0 {
		mdTable(w, []string{lang.T("report.samples"), lang.T("report.min"), lang.T("report.median"), lang.T("report.p95"), lang.T("report.max")},
			[][]string{{itoa(len(rtt)), f3(rtt[0]), f3(quantile(rtt, 0.5)), f3(quantile(rtt, 0.95)), f3(rtt[len(rtt)-1])}})
	} else {
		fmt.Fprintf(w, "%s\n\n", lang.T("report.rtt.none"))
	}
	shown := d.recs
	if len(shown) > reportTableRows {
		shown = shown[:reportTableRows]
	}
	for _, sec := range []struct{ title, view string }{
		{"report.conns.tbl", "conns"}, {"report.handshakes", "handshakes"}, {"report.teardowns", "teardowns"}, {"report.options", "options"},
	} {
		fmt.Fprintf(w, "## %s\n\n", lang.T(sec.title))
		cols, names := viewColumns(views[sec.view], len(d.files) > 1)
		rows := make([][]string, len(shown))
		for i := range shown {
			rows[i] = rowOf(cols, &shown[i], "")
		}
		mdTable(w, translateHeaders(lang, names), rows)
		if more := len(d.recs) - len(shown); more > 0 {
			fmt.Fprintf(w, "%s\n\n", lang.F("report.more", more))
		}
	}
	fmt.Fprintf(w, "## %s\n\n", lang.T("report.ladders"))
	for _, p := range d.picks {
		l := d.ladders[p.rec]
		if l == nil {
			continue
		}
		fmt.Fprintf(w, "### %s\n\n%s\n\n```text\n", markdownSafe(ladderHeading(d, p, l)), lang.F("report.why", lang.T(p.reason)))
		st := d.style
		st.embedded = true
		writeLadderText(w, l, p.rec, st)
		fmt.Fprint(w, "```\n\n")
		explainConn(w, l, p.rec, lang, "markdown-section")
		fmt.Fprintln(w)
	}
	return nil
}

// ladderHeading titles a ladder in a report; with several captures,
// connection numbers repeat, so it names the file.
func ladderHeading(d *reportData, p pick, l *ladder.Ladder) string {
	t := d.lang.F("ladder.title", l.Conn, l.Client, l.Server)
	if len(d.files) > 1 {
		t += " (" + p.rec.File + ")"
	}
	return t
}

// mdTable writes a GitHub pipe table; cells are escaped for Markdown.
func mdTable(w io.Writer, header []string, rows [][]string) {
	line := func(cells []string) {
		fmt.Fprint(w, "|")
		for _, c := range cells {
			fmt.Fprintf(w, " %s |", markdownSafe(c))
		}
		fmt.Fprintln(w)
	}
	line(header)
	fmt.Fprint(w, "|")
	for range header {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for _, r := range rows {
		line(r)
	}
	fmt.Fprintln(w)
}

// translateHeaders names a view's columns in lang (machine names in
// English, since CSV headers and --sort keys stay those).
func translateHeaders(lang msg.Lang, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		if msg.Has("col." + n) {
			out[i] = lang.T("col." + n)
		} else {
			out[i] = n
		}
	}
	return out
}

// writeReportHTML writes the report as one self-contained HTML page: no
// scripts, no fonts, images or styles fetched from anywhere; charts and
// ladders are inline SVG. It prints to PDF from a browser.
func writeReportHTML(w io.Writer, d *reportData) error {
	lang := d.lang
	e := html.EscapeString
	fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="%s">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 1040px; color: #1a1a1a; line-height: 1.45; padding: 0 1em; }
h1 { border-bottom: 2px solid #1f5fbf; padding-bottom: .2em; }
h2 { margin-top: 1.8em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .6em 0 1.2em; font-size: 13px; }
th, td { border: 1px solid #bbb; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f8; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.meta { color: #555; }
.chart { margin: .5em 0 1.5em; }
.why { color: #444; font-style: italic; }
svg { max-width: 100%%; height: auto; }
@media print { body { max-width: none; margin: 0; } h2 { break-after: avoid; } .ladder { break-inside: avoid; } }
</style>
</head>
<body>
`, lang.Code(), e(lang.T("report.title")))
	fmt.Fprintf(w, "<h1>%s</h1>\n<p class=\"meta\">%s</p>\n", e(lang.T("report.title")), e(lang.F("report.generated", version, strings.Join(d.files, ", "))))
	fmt.Fprintf(w, "<h2>%s</h2>\n", e(lang.T("report.summary")))
	htmlTable(w, []string{lang.T("report.item"), lang.T("report.value")}, [][]string{
		{lang.T("report.files"), itoa(len(d.files))},
		{lang.T("report.packets"), itoa(d.packets)},
		{lang.T("report.conns"), itoa(len(d.recs))},
	})
	fmt.Fprintf(w, "<h3>%s</h3>\n", e(lang.T("report.states")))
	stateRows := countRows(lang, "state.", d.summary.States)
	htmlTable(w, []string{lang.T("col.state"), lang.T("report.count"), lang.T("report.meaning")}, stateRows)
	fmt.Fprintf(w, "<div class=\"chart\">%s</div>\n", barsSVG(lang.T("report.svgtitle.states"), stateRows))
	for _, sec := range []struct {
		title, col, prefix string
		m                  map[string]int
	}{
		{"report.hsstatus", "col.status", "handshake.", d.summary.Handshakes},
		{"report.tdkind", "col.kind", "teardown.", d.summary.Teardowns},
	} {
		fmt.Fprintf(w, "<h3>%s</h3>\n", e(lang.T(sec.title)))
		htmlTable(w, []string{lang.T(sec.col), lang.T("report.count"), lang.T("report.meaning")}, countRows(lang, sec.prefix, sec.m))
	}
	fmt.Fprintf(w, "<h3>%s</h3>\n", e(lang.T("report.rtt")))
	if rtt := rttStats(d.recs); len(rtt) > 0 {
		htmlTable(w, []string{lang.T("report.samples"), lang.T("report.min"), lang.T("report.median"), lang.T("report.p95"), lang.T("report.max")},
			[][]string{{itoa(len(rtt)), f3(rtt[0]), f3(quantile(rtt, 0.5)), f3(quantile(rtt, 0.95)), f3(rtt[len(rtt)-1])}})
		fmt.Fprintf(w, "<div class=\"chart\">%s</div>\n", histogramSVG(lang, rtt))
	} else {
		fmt.Fprintf(w, "<p>%s</p>\n", e(lang.T("report.rtt.none")))
	}
	fmt.Fprintf(w, "<h3>%s</h3>\n<div class=\"chart\">%s</div>\n", e(lang.T("report.timeline")), timelineSVG(lang, d.recs))
	shown := d.recs
	if len(shown) > reportTableRows {
		shown = shown[:reportTableRows]
	}
	for _, sec := range []struct{ title, view string }{
		{"report.conns.tbl", "conns"}, {"report.handshakes", "handshakes"}, {"report.teardowns", "teardowns"}, {"report.options", "options"},
	} {
		fmt.Fprintf(w, "<h2>%s</h2>\n", e(lang.T(sec.title)))
		cols, names := viewColumns(views[sec.view], len(d.files) > 1)
		rows := make([][]string, len(shown))
		for i := range shown {
			rows[i] = rowOf(cols, &shown[i], "table")
		}
		htmlTable(w, translateHeaders(lang, names), rows)
		if more := len(d.recs) - len(shown); more > 0 {
			fmt.Fprintf(w, "<p>%s</p>\n", e(lang.F("report.more", more)))
		}
	}
	fmt.Fprintf(w, "<h2>%s</h2>\n", e(lang.T("report.ladders")))
	for _, p := range d.picks {
		l := d.ladders[p.rec]
		if l == nil {
			continue
		}
		fmt.Fprintf(w, "<div class=\"ladder\">\n<h3>%s</h3>\n<p class=\"why\">%s</p>\n", e(ladderHeading(d, p, l)), e(lang.F("report.why", lang.T(p.reason))))
		writeLadderSVG(w, l, p.rec, d.style)
		explainConn(w, l, p.rec, lang, "html")
		fmt.Fprint(w, "</div>\n")
	}
	fmt.Fprint(w, "</body>\n</html>\n")
	return nil
}

func htmlTable(w io.Writer, header []string, rows [][]string) {
	e := html.EscapeString
	fmt.Fprint(w, "<table>\n<tr>")
	for _, h := range header {
		fmt.Fprintf(w, "<th>%s</th>", e(h))
	}
	fmt.Fprint(w, "</tr>\n")
	for _, r := range rows {
		fmt.Fprint(w, "<tr>")
		for _, c := range r {
			if isNumber(c) {
				fmt.Fprintf(w, `<td class="n">%s</td>`, e(c))
			} else {
				fmt.Fprintf(w, "<td>%s</td>", e(c))
			}
		}
		fmt.Fprint(w, "</tr>\n")
	}
	fmt.Fprint(w, "</table>\n")
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(strings.TrimPrefix(s, "+"), 64)
	return err == nil
}

// barsSVG draws horizontal bars of counts (rows are value, count, …).
func barsSVG(title string, rows [][]string) string {
	var b bytes.Buffer
	e := html.EscapeString
	const bar, width, left = 22, 640, 90
	most := 1
	for _, r := range rows {
		n, _ := strconv.Atoi(r[1])
		most = max(most, n)
	}
	h := len(rows)*bar + 10
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="system-ui, sans-serif" font-size="12"><title>%s</title>`, width, h, width, h, e(title))
	for i, r := range rows {
		n, _ := strconv.Atoi(r[1])
		y := i*bar + 5
		wbar := (width - left - 60) * n / most
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text><rect x="%d" y="%d" width="%d" height="%d" fill="%s"/><text x="%d" y="%d">%d</text>`,
			left-6, y+15, e(r[0]), left, y+3, max(wbar, 1), bar-6, stateColour(r[0]), left+wbar+6, y+15, n)
	}
	b.WriteString("</svg>")
	return b.String()
}

// stateColour colours a state by how it ended: normal green, refused or
// reset red, unanswered grey, the rest amber.
func stateColour(state string) string {
	switch state {
	case "SF":
		return "#2e8b57"
	case "REJ", "RSTO", "RSTR", "RSTOS0", "RSTRH":
		return "#c0392b"
	case "S0":
		return "#888888"
	}
	return "#d98c00"
}

// histogramSVG draws the handshake RTTs in up to 20 equal bins.
func histogramSVG(lang msg.Lang, sorted []float64) string {
	var b bytes.Buffer
	e := html.EscapeString
	const width, height, left, bottom = 640, 170, 50, 40
	lo, hi := sorted[0], sorted[len(sorted)-1]
	// About the square root of the sample count in bins (at most 20), so
	// that a handful of connections does not look like a solid block.
	bins := min(20, max(1, int(math.Ceil(math.Sqrt(float64(len(sorted)))))))
	span := hi - lo
	if span == 0 {
		span, bins = 1, 1
	}
	counts := make([]int, bins)
	for _, v := range sorted {
		counts[min(bins-1, int(float64(bins)*(v-lo)/span))]++
	}
	most := 1
	for _, c := range counts {
		most = max(most, c)
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="system-ui, sans-serif" font-size="11"><title>%s</title>`, width, height, width, height, e(lang.T("report.svgtitle.rtt")))
	plotW, plotH := width-left-20, height-bottom-10
	bw := float64(plotW) / float64(bins)
	for i, c := range counts {
		bh := plotH * c / most
		fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#1f5fbf"><title>%d</title></rect>`, float64(left)+float64(i)*bw+1, 10+plotH-bh, bw-2, bh, c)
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`, left, 10+plotH, left+plotW, 10+plotH)
	fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text><text x="%d" y="%d" text-anchor="end">%s</text>`, left, height-bottom+16, f3(lo), left+plotW, height-bottom+16, f3(hi))
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, left+plotW/2, height-8, e(lang.T("report.axis.ms")))
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%d</text>`, left-4, 20, most)
	b.WriteString("</svg>")
	return b.String()
}

// timelineSVG draws each connection as a bar from its first to its last
// packet, coloured by state (at most reportTableRows connections).
func timelineSVG(lang msg.Lang, recs []analyze.Record) string {
	var b bytes.Buffer
	e := html.EscapeString
	if len(recs) > reportTableRows {
		recs = recs[:reportTableRows]
	}
	const width, left, row = 640, 60, 14
	height := len(recs)*row + 40
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="system-ui, sans-serif" font-size="10"><title>%s</title>`, width, height, width, height, e(lang.T("report.svgtitle.timeline")))
	if len(recs) == 0 {
		b.WriteString("</svg>")
		return b.String()
	}
	t0, t1 := recs[0].FirstTS, recs[0].LastTS
	for _, r := range recs {
		t0, t1 = min(t0, r.FirstTS), max(t1, r.LastTS)
	}
	span := float64(t1 - t0)
	if span <= 0 {
		span = 1
	}
	plotW := float64(width - left - 20)
	for i, r := range recs {
		x := float64(left) + plotW*float64(r.FirstTS-t0)/span
		wbar := math.Max(2, plotW*float64(r.LastTS-r.FirstTS)/span)
		y := i*row + 4
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%d</text><rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s %s</title></rect>`,
			left-4, y+10, r.Conn, x, y+2, wbar, row-4, stateColour(r.State), e(r.Client+" → "+r.Server), e(r.State))
	}
	axisY := len(recs)*row + 8
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%.0f" y2="%d" stroke="#333"/>`, left, axisY, float64(left)+plotW, axisY)
	fmt.Fprintf(&b, `<text x="%d" y="%d">0</text><text x="%.0f" y="%d" text-anchor="end">%s</text>`, left, axisY+14, float64(left)+plotW, axisY+14, f3(span/1e9))
	fmt.Fprintf(&b, `<text x="%.0f" y="%d" text-anchor="middle">%s</text>`, float64(left)+plotW/2, axisY+28, e(lang.T("report.axis.s")))
	b.WriteString("</svg>")
	return b.String()
}
