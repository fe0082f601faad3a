package report

import (
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/draw"
	"github.com/synfin/synfin/internal/table"
)

// HTML writes the report as one self-contained HTML page: no
// scripts, no fonts, images or styles fetched from anywhere; charts and
// ladders are inline SVG. It prints to PDF from a browser.
func HTML(w io.Writer, d *Data) error {
	lang := d.Lang
	e := html.EscapeString
	fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="%s">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 1160px; color: #1a1a1a; line-height: 1.45; padding: 0 1em; }
h1 { border-bottom: 2px solid #1f5fbf; padding-bottom: .2em; }
h2 { margin-top: 1.8em; border-bottom: 1px solid #ccc; }
p, ol, ul { max-width: 64em; }
table { border-collapse: collapse; margin: .6em 0 1.2em; font-size: 12px; display: block; max-width: 100%%; overflow-x: auto; }
th, td { border: 1px solid #bbb; padding: 2px 5px; text-align: left; vertical-align: top; }
td { white-space: nowrap; }
td.w { white-space: normal; }
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
	fmt.Fprintf(w, "<h1>%s</h1>\n<p class=\"meta\">%s</p>\n", e(lang.T("report.title")), e(d.generated()))
	fmt.Fprintf(w, "<h2>%s</h2>\n", e(lang.T("report.summary")))
	htmlTable(w, []string{lang.T("report.item"), lang.T("report.value")}, [][]string{
		{lang.T("report.files"), strconv.Itoa(len(d.Files))},
		{lang.T("report.packets"), d.packetsText()},
		{lang.T("report.conns"), strconv.Itoa(len(d.Recs))},
	})
	fmt.Fprintf(w, "<h3>%s</h3>\n", e(lang.T("report.states")))
	stateRows := table.CountRows(lang, "state.", d.Summary.States)
	htmlTable(w, []string{lang.T("col.state"), lang.T("report.count"), lang.T("report.meaning")}, stateRows)
	fmt.Fprintf(w, "<div class=\"chart\">%s</div>\n", barsSVG(lang.T("report.svgtitle.states"), stateRows))
	for _, sec := range []struct {
		title, col, prefix string
		m                  map[string]int
	}{
		{"report.hsstatus", "col.status", "handshake.", d.Summary.Handshakes},
		{"report.tdkind", "col.kind", "teardown.", d.Summary.Teardowns},
	} {
		fmt.Fprintf(w, "<h3>%s</h3>\n", e(lang.T(sec.title)))
		htmlTable(w, []string{lang.T(sec.col), lang.T("report.count"), lang.T("report.meaning")}, table.CountRows(lang, sec.prefix, sec.m))
	}
	fmt.Fprintf(w, "<h3>%s</h3>\n", e(lang.T("report.rtt")))
	if rtt := rttStats(d.Recs); len(rtt) > 0 {
		htmlTable(w, []string{lang.T("report.samples"), lang.T("report.min"), lang.T("report.median"), lang.T("report.p95"), lang.T("report.max")},
			[][]string{{strconv.Itoa(len(rtt)), table.F3(rtt[0]), table.F3(analyze.Quantile(rtt, 0.5)), table.F3(analyze.Quantile(rtt, 0.95)), table.F3(rtt[len(rtt)-1])}})
		fmt.Fprintf(w, "<div class=\"chart\">%s</div>\n", histogramSVG(lang, rtt))
	} else {
		fmt.Fprintf(w, "<p>%s</p>\n", e(lang.T("report.rtt.none")))
	}
	fmt.Fprintf(w, "<h3>%s</h3>\n<div class=\"chart\">%s</div>\n", e(lang.T("report.timeline")), timelineSVG(lang, d.Recs))
	shown := d.Recs
	if len(shown) > reportTableRows {
		shown = shown[:reportTableRows]
	}
	for _, sec := range []struct{ title, view string }{
		{"report.conns.tbl", "conns"}, {"report.handshakes", "handshakes"}, {"report.teardowns", "teardowns"}, {"report.options", "options"},
	} {
		fmt.Fprintf(w, "<h2>%s</h2>\n", e(lang.T(sec.title)))
		header, rows := d.tableOf(sec.view, shown, table.Text)
		htmlTable(w, header, rows)
		if more := len(d.Recs) - len(shown); more > 0 {
			fmt.Fprintf(w, "<p>%s</p>\n", e(lang.F("report.more", more)))
		}
	}
	fmt.Fprintf(w, "<h2>%s</h2>\n", e(lang.T("report.ladders")))
	told := &draw.Told{} // the handshake told whole once, then briefly
	for _, p := range d.Picks {
		l := d.Ladders[p.Rec]
		if l == nil {
			continue
		}
		fmt.Fprintf(w, "<div class=\"ladder\">\n<h3>%s</h3>\n<p class=\"why\">%s</p>\n", e(ladderHeading(d, p, l)), e(lang.F("report.why", lang.T(p.Reason))))
		draw.SVG(w, l, p.Rec, d.Style)
		draw.Explain(w, l, p.Rec, lang, draw.HTML, draw.Context{Listened: d.Listened, Earlier: d.Earlier, Told: told})
		if dp := dataPhaseOf(l, p.Rec, lang); dp != nil {
			fmt.Fprintf(w, "<h4>%s</h4>\n", e(dp.Heading))
			if err := dp.Graph.SVG(w, lang, dp.Title); err != nil {
				return err
			}
			fmt.Fprintf(w, "<p>%s</p>\n", e(dp.Intro))
			htmlTable(w, dp.Header, dp.Rows)
			fmt.Fprint(w, "<ul>\n")
			for _, line := range dp.Lines {
				fmt.Fprintf(w, "<li>%s</li>\n", e(line))
			}
			fmt.Fprint(w, "</ul>\n")
		}
		fmt.Fprint(w, "</div>\n")
	}
	fmt.Fprint(w, "</body>\n</html>\n")
	return nil
}

func htmlTable(w io.Writer, header []string, rows [][]string) {
	e := html.EscapeString
	fmt.Fprint(w, "<table>\n<tr>")
	for _, h := range header {
		// A heading may break after an underscore (duration_ms): its
		// column is then as wide as its values, not as its name.
		fmt.Fprintf(w, "<th>%s</th>", strings.ReplaceAll(e(h), "_", "_<wbr>"))
	}
	fmt.Fprint(w, "</tr>\n")
	for _, r := range rows {
		fmt.Fprint(w, "<tr>")
		for _, c := range r {
			switch {
			case isNumber(c):
				fmt.Fprintf(w, `<td class="n">%s</td>`, e(c))
			case len(c) > 40 && strings.Contains(c, " "):
				// A sentence (a meaning, a problem) wraps; values do not.
				fmt.Fprintf(w, `<td class="w">%s</td>`, e(c))
			default:
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
