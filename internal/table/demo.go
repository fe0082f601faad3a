package table

import (
	"fmt"
	"io"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/msg"
)

// demoTitles are the demo's table titles in Chinese (the report's words);
// English keeps each view's own, longer title.
var demoTitles = map[string]string{"conns": "report.conns.tbl", "handshakes": "report.handshakes",
	"options": "report.options", "teardowns": "report.teardowns"}

// RenderDemo prints five views of the embedded capture, one after
// another, in lang.
func RenderDemo(w io.Writer, format Format, recs []analyze.Record, lang msg.Lang, fit int) (note string, err error) {
	for _, name := range []string{"conns", "handshakes", "options", "teardowns"} {
		v := Views[name]
		if format == Text {
			title := v.Title
			if lang != msg.EN {
				title = lang.T(demoTitles[name])
			}
			fmt.Fprintf(w, "%s\n", title)
		}
		n, err := Render(w, format, v, recs, false, lang, fit)
		if err != nil {
			return note, err
		}
		if n != "" && note == "" {
			note = n // the first table's: the others are fitted alike
		}
		fmt.Fprintln(w)
	}
	if format == Text {
		fmt.Fprintf(w, "%s\n", lang.T("report.summary"))
	}
	return note, RenderSummary(w, format, analyze.Summarize(recs), lang, fit)
}
