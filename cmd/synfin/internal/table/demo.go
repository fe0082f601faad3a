package table

import (
	"fmt"
	"io"
	"synfin/analyze"
	"synfin/cmd/synfin/internal/msg"
)

// RenderDemo prints every view of the embedded capture, one after another.
func RenderDemo(w io.Writer, format Format, recs []analyze.Record, fit int) (note string, err error) {
	for _, name := range []string{"conns", "handshakes", "options", "teardowns"} {
		v := Views[name]
		if format == Text {
			fmt.Fprintf(w, "%s\n", v.Title)
		}
		n, err := Render(w, format, v, recs, false, msg.EN, fit)
		if err != nil {
			return note, err
		}
		if n != "" {
			note = "synfin: note: to fit the terminal, some columns are left out or shortened; --wide shows everything"
		}
		fmt.Fprintln(w)
	}
	if format == Text {
		fmt.Fprintf(w, "Summary\n")
	}
	return note, RenderSummary(w, format, analyze.Summarize(recs), msg.EN, fit)
}
