package draw

import (
	"fmt"
	"html"
	"io"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/tty"
)

// SVG geometry of a ladder.
const (
	svgRow     = 26
	svgTop     = 78
	svgClientX = 210
	svgServerX = 680
	svgWidth   = 1000
	svgTimeEnd = 136 // right of the time column and its heading
	svgCell    = 7.3 // width of one terminal cell of the 12 px monospace font
)

// svgTextWidth is about how wide s is drawn, in pixels.
func svgTextWidth(s string) int { return int(float64(tty.Cells(s)) * svgCell) }

var phaseColour = map[ladder.Phase]string{
	ladder.Handshake: "#1f5fbf", ladder.Data: "#555555", ladder.Teardown: "#c06000", ladder.Reset: "#c01010",
}

// SVG draws a ladder as one self-contained SVG image.
func SVG(w io.Writer, l *ladder.Ladder, rec *analyze.Record, st Style) {
	lang := st.Lang
	rows := ladderRows(l, st.Full)
	ev := evidenceOf(l, rec)
	facts := Facts(l, rec, lang)
	height := svgTop + len(rows)*svgRow + 30 + 18*(len(facts)+1)
	e := html.EscapeString
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="ui-monospace, Menlo, Consolas, 'Noto Sans Mono CJK SC', monospace" font-size="12">`+"\n", svgWidth, height, svgWidth, height)
	fmt.Fprintf(w, "<title>%s</title>\n", e(lang.F("ladder.title", l.Conn, l.Client, l.Server)))
	fmt.Fprint(w, `<defs>`)
	for _, p := range []ladder.Phase{ladder.Handshake, ladder.Data, ladder.Teardown, ladder.Reset} {
		fmt.Fprintf(w, `<marker id="a%d-%d" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker>`, l.Conn, p, phaseColour[p])
	}
	fmt.Fprint(w, "</defs>\n")
	fmt.Fprintf(w, `<rect width="100%%" height="100%%" fill="#ffffff"/>`+"\n")
	fmt.Fprintf(w, `<text x="10" y="20" font-size="14" font-weight="bold">%s</text>`+"\n", e(lang.F("ladder.title", l.Conn, l.Client, l.Server)))
	fmt.Fprintf(w, `<text x="10" y="%d" fill="#444">%s</text><text x="130" y="%d" fill="#444" text-anchor="end">%s</text>`+"\n", svgTop-20, e(lang.T("ladder.no")), svgTop-20, e(lang.T("ladder.time")))
	// The client's address is centred over its bar unless that would run
	// it into the time column's heading, as a long IPv6 address would: then
	// it starts just right of the heading.
	clientAt := fmt.Sprintf(`x="%d" text-anchor="middle"`, svgClientX)
	if svgClientX-svgTextWidth(l.Client)/2 < svgTimeEnd {
		clientAt = fmt.Sprintf(`x="%d"`, svgTimeEnd)
	}
	fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="middle" font-weight="bold">%s</text><text %s y="%d">%s</text>`+"\n",
		svgClientX, svgTop-34, e(lang.T("ladder.client")), clientAt, svgTop-20, e(l.Client))
	fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="middle" font-weight="bold">%s</text><text x="%d" y="%d" text-anchor="middle">%s</text>`+"\n",
		svgServerX, svgTop-34, e(lang.T("ladder.server")), svgServerX, svgTop-20, e(l.Server))
	bottom := svgTop + len(rows)*svgRow
	for _, x := range []int{svgClientX, svgServerX} {
		fmt.Fprintf(w, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#222" stroke-width="2"/>`+"\n", x, svgTop-12, x, bottom)
	}
	for i, r := range rows {
		y := svgTop + i*svgRow + svgRow/2
		colour := phaseColour[r.phase]
		switch {
		case r.head:
			fmt.Fprintf(w, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" fill-opacity="0.08"/>`, svgClientX, y-svgRow/2+3, svgServerX-svgClientX, svgRow-6, colour)
			fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="middle" fill="%s" font-weight="bold">%s</text>`+"\n", (svgClientX+svgServerX)/2, y+4, colour, e(lang.T(phaseKey[r.phase])))
		case r.folded > 0:
			fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="middle" fill="#555" font-style="italic">%s</text>`+"\n", (svgClientX+svgServerX)/2, y+4, e(lang.F("ladder.fold", r.folded)))
		default:
			s := r.step
			x1, x2 := svgClientX, svgServerX-2
			if s.Dir == flows.DirServer {
				x1, x2 = svgServerX, svgClientX+2
			}
			dashAttr := ""
			switch s.Class {
			case flows.SegRetx, flows.SegOutOfOrder:
				dashAttr = ` stroke-dasharray="6 3"`
			case flows.SegDuplicate:
				dashAttr = ` stroke-dasharray="2 3"`
			}
			fmt.Fprintf(w, `<text x="10" y="%d">%d</text><text x="130" y="%d" text-anchor="end">%s</text>`, y+8, r.no, y+8, relMS(l, s.TS))
			fmt.Fprintf(w, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="1.6"%s marker-end="url(#a%d-%d)"/>`, x1, y+4, x2, y+4, colour, dashAttr, l.Conn, r.phase)
			fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="middle" fill="%s">%s</text>`, (svgClientX+svgServerX)/2, y, colour, e(stepLabel(s, st.RawSeq)))
			if notes := stepNotes(s, ev[s.Frame], lang); notes != "" {
				fmt.Fprintf(w, `<text x="%d" y="%d" fill="#333" font-size="11">%s</text>`, svgServerX+12, y+8, e(notes))
			}
			fmt.Fprintln(w)
		}
	}
	y := bottom + 26
	note := lang.T("ladder.relative")
	if st.RawSeq {
		note = lang.T("ladder.raw")
	}
	for _, line := range append([]string{note}, facts...) {
		fmt.Fprintf(w, `<text x="10" y="%d" fill="#333" xml:space="preserve">%s</text>`+"\n", y, e(line))
		y += 18
	}
	fmt.Fprintln(w, "</svg>")
}
