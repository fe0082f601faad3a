package main

import (
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"synfin/analyze"
	"synfin/analyze/ladder"
	"synfin/cmd/synfin/msg"
	"synfin/flows"
)

// ladderStyle is how a ladder is drawn.
type ladderStyle struct {
	lang   msg.Lang
	ascii  bool // ASCII instead of Unicode box drawing
	rawSeq bool // raw sequence numbers instead of relative ones
	full   bool // every packet, no folding
	// embedded: the ladder sits under a heading of its own in a report,
	// so it prints no title.
	embedded bool
	colour   bool // ANSI colours by phase (text on a terminal only)
	// width, when not 0, is the terminal's: a line that would be wider
	// has its notes wrapped onto lines of their own inside the diagram,
	// and a narrow terminal gets a narrower time column.
	width int
}

// ansiPhase is the terminal colour of a phase's arrows and heading.
var ansiPhase = map[ladder.Phase]string{
	ladder.Handshake: ansiHandshake, ladder.Teardown: ansiTeardown, ladder.Reset: ansiRST,
}

// foldAfter is the length of a run of ordinary data segments beyond which
// the middle of the run is folded into one line: the first and last two
// stay, so the reader sees how the run starts and ends.
const (
	foldAfter = 6
	foldKeep  = 2
)

// ladderRow is one line of a ladder: a packet, a phase heading, or a fold.
type ladderRow struct {
	step   *ladder.Step
	no     int // packet number within the connection, from 1
	phase  ladder.Phase
	head   bool // a phase heading
	folded int  // a fold of this many packets
}

// ladderRows lays out a ladder's packets with phase headings and folds.
func ladderRows(l *ladder.Ladder, full bool) []ladderRow {
	var rows []ladderRow
	plain := func(s *ladder.Step) bool {
		return s.Phase == ladder.Data && s.Class == flows.SegNew && s.Flags&(flows.FlagSYN|flows.FlagFIN|flows.FlagRST) == 0
	}
	for i := 0; i < len(l.Steps); {
		s := &l.Steps[i]
		if i == 0 || l.Steps[i-1].Phase != s.Phase {
			rows = append(rows, ladderRow{phase: s.Phase, head: true})
		}
		if !full && plain(s) {
			j := i
			for j < len(l.Steps) && plain(&l.Steps[j]) {
				j++
			}
			if j-i > foldAfter {
				for k := i; k < i+foldKeep; k++ {
					rows = append(rows, ladderRow{step: &l.Steps[k], no: k + 1, phase: s.Phase})
				}
				rows = append(rows, ladderRow{folded: j - i - 2*foldKeep, phase: s.Phase})
				for k := j - foldKeep; k < j; k++ {
					rows = append(rows, ladderRow{step: &l.Steps[k], no: k + 1, phase: s.Phase})
				}
				i = j
				continue
			}
		}
		rows = append(rows, ladderRow{step: s, no: i + 1, phase: s.Phase})
		i++
	}
	return rows
}

var phaseKey = map[ladder.Phase]string{
	ladder.Handshake: "ladder.handshake", ladder.Data: "ladder.data",
	ladder.Teardown: "ladder.teardown", ladder.Reset: "ladder.reset",
}

// stepLabel is the text on a packet's arrow: flags, seq/ack, length.
func stepLabel(s *ladder.Step, raw bool) string {
	var b strings.Builder
	b.WriteString(ladder.FlagNames(s.Flags))
	seq, ack := s.RelSeq, s.RelAck
	if raw {
		seq, ack = s.Seq, s.Ack
	}
	b.WriteString("  seq=")
	b.WriteString(strconv.FormatUint(uint64(seq), 10))
	if s.Flags&flows.FlagACK != 0 && (raw || s.RelAckOK) {
		b.WriteString(" ack=")
		b.WriteString(strconv.FormatUint(uint64(ack), 10))
	}
	if s.Len > 0 {
		b.WriteString(" len=")
		b.WriteString(strconv.Itoa(s.Len))
	}
	return b.String()
}

// stepNotes are what a reader should notice about a packet: its options,
// and whether it was a retransmission, out of order or a keep-alive.
func stepNotes(s *ladder.Step, lang msg.Lang) string {
	var notes []string
	switch s.Class {
	case flows.SegRetx:
		notes = append(notes, lang.T("ladder.retx"))
	case flows.SegOutOfOrder:
		notes = append(notes, lang.T("ladder.ooo"))
	case flows.SegKeepAlive:
		notes = append(notes, lang.T("ladder.keepalive"))
	}
	if s.Options != "" {
		notes = append(notes, "["+s.Options+"]")
	}
	if s.Flags&flows.FlagSYN != 0 || s.Flags&flows.FlagRST != 0 {
		notes = append(notes, "win="+strconv.Itoa(int(s.Window)))
	}
	return strings.Join(notes, " ")
}

func relMS(l *ladder.Ladder, ts int64) string {
	return strconv.FormatFloat(float64(ts-l.FirstTS)/1e6, 'f', 3, 64)
}

// writeLadderText draws a ladder for a terminal or a Markdown code block.
func writeLadderText(w io.Writer, l *ladder.Ladder, rec *analyze.Record, st ladderStyle) {
	lang := st.lang
	bar, dash, right, left := "│", "─", "▶", "◀"
	if st.ascii {
		bar, dash, right, left = "|", "-", ">", "<"
	}
	rows := ladderRows(l, st.full)
	inner, longest := 36, 0
	for _, r := range rows {
		if r.step != nil {
			longest = max(longest, len(stepLabel(r.step, st.rawSeq)))
		}
	}
	inner = max(inner, longest+8)
	if !st.embedded {
		fmt.Fprintln(w, lang.F("ladder.title", l.Conn, l.Client, l.Server))
		fmt.Fprintln(w)
	}
	// Column heads: the client's bar sits at column lead, the server's
	// inner+1 cells to its right.
	lead, prefixFmt := 20, "%4d %12s"
	if st.width > 0 && lead+inner+2 > st.width {
		// A narrow terminal: a tighter time column, then arrows only as
		// long as their labels need.
		lead, prefixFmt = 15, "%3d %10s"
		inner = max(longest+4, min(inner, st.width-lead-2))
	}
	head := lang.T("ladder.no") + "  " + lang.T("ladder.time")
	cli := lang.T("ladder.client") + " " + l.Client
	srv := lang.T("ladder.server") + " " + l.Server
	if st.width > 0 && max(lead, cells(head)+1)+inner+2+cells(srv) > st.width {
		// The server's name on a line of its own, ending over its bar.
		fmt.Fprintf(w, "%s%s\n", pad(head, lead), cli)
		fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", max(0, lead+inner+2-cells(srv))), srv)
	} else {
		fmt.Fprintf(w, "%s%s%s\n", pad(head, lead), pad(cli, inner+2), srv)
	}
	for _, r := range rows {
		switch {
		case r.head:
			title := strings.Repeat(dash, 3) + " " + lang.T(phaseKey[r.phase]) + " " + strings.Repeat(dash, 3)
			fmt.Fprintf(w, "%s%s%s%s\n", strings.Repeat(" ", lead), bar, paint(st.colour, ansiPhase[r.phase], center(title, inner)), bar)
		case r.folded > 0:
			text := lang.F("ladder.fold", r.folded)
			fmt.Fprintf(w, "%s%s%s%s\n", strings.Repeat(" ", lead), bar, center(text, inner), bar)
		default:
			s := r.step
			label := " " + stepLabel(s, st.rawSeq) + " "
			n := inner - 1 - len(label) // arrow shaft cells
			a := n / 2
			var arrow string
			if s.FromCli {
				arrow = strings.Repeat(dash, a) + label + strings.Repeat(dash, n-a) + right
			} else {
				arrow = left + strings.Repeat(dash, a) + label + strings.Repeat(dash, n-a)
			}
			prefix := fmt.Sprintf(prefixFmt, r.no, relMS(l, s.TS))
			// Colour goes on after the widths are counted.
			line := pad(prefix, lead) + bar + paint(st.colour, ansiPhase[s.Phase], arrow) + bar
			notes := stepNotes(s, lang)
			if notes == "" {
				fmt.Fprintln(w, line)
				continue
			}
			if st.width == 0 || lead+inner+2+2+cells(notes) <= st.width {
				fmt.Fprintln(w, line+"  "+paint(st.colour, ansiNote, notes))
				continue
			}
			// Too wide for the terminal: the notes go under the arrow,
			// inside the diagram, wrapped at its width.
			fmt.Fprintln(w, line)
			for i, part := range wrapWords(notes, inner-4) {
				mark := "  "
				if i == 0 {
					mark = "↳ "
					if st.ascii {
						mark = "> "
					}
				}
				fmt.Fprintf(w, "%s%s%s%s\n", strings.Repeat(" ", lead), bar, paint(st.colour, ansiNote, pad(" "+mark+part, inner)), bar)
			}
		}
	}
	fmt.Fprintln(w)
	// The words under the diagram, wrapped to the terminal.
	say := func(line string) {
		if st.width == 0 || cells(line) <= st.width {
			fmt.Fprintln(w, line)
			return
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		for _, part := range wrapWords(line, st.width-indent-2) {
			fmt.Fprintln(w, strings.Repeat(" ", indent)+part)
			indent = max(indent, 2)
		}
	}
	if l.Dropped > 0 {
		say(lang.F("ladder.dropped", l.Dropped))
	}
	if st.rawSeq {
		say(lang.T("ladder.raw"))
	} else {
		say(lang.T("ladder.relative"))
	}
	for _, line := range ladderFacts(rec, lang) {
		say(line)
	}
}

// ladderFacts sums a connection up under its ladder, in words.
func ladderFacts(rec *analyze.Record, lang msg.Lang) []string {
	if rec == nil {
		return nil
	}
	lines := []string{lang.F("ladder.summary", rec.Handshake.Status, rec.Teardown.Kind, rec.State),
		"  " + lang.T("handshake."+rec.Handshake.Status),
		"  " + lang.T("teardown."+rec.Teardown.Kind),
		"  " + rec.State + ": " + lang.T("state."+rec.State)}
	h := rec.Handshake
	if h.RTTms != nil && h.SynSynackMS != nil && h.SynackAckMS != nil && h.CapturePoint != nil {
		lines = append(lines, lang.F("ladder.rtt", fms(h.RTTms), fms(h.SynSynackMS), fms(h.SynackAckMS), lang.T("point."+*h.CapturePoint)))
	}
	return lines
}

// wrapWords breaks s at spaces into lines of at most width cells; a word
// longer than that (Chinese has no spaces) is broken between characters.
func wrapWords(s string, width int) []string {
	width = max(width, 8)
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		for cells(word) > width {
			if cur != "" {
				lines = append(lines, cur)
				cur = ""
			}
			cut, n := 0, 0
			for i, r := range word {
				if n+cells(string(r)) > width {
					break
				}
				n += cells(string(r))
				cut = i + len(string(r))
			}
			lines = append(lines, word[:cut])
			word = word[cut:]
		}
		switch {
		case cur == "":
			cur = word
		case cells(cur)+1+cells(word) <= width:
			cur += " " + word
		default:
			lines = append(lines, cur)
			cur = word
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// pad right-pads s with spaces to width cells; wide (CJK) runes count two.
func pad(s string, width int) string {
	if w := cells(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s + " "
}

func center(s string, width int) string {
	w := cells(s)
	if w >= width {
		return s
	}
	left := (width - w) / 2
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", width-w-left)
}

// cells is the terminal width of s: East Asian wide characters take two.
func cells(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6:
			n += 2
		default:
			n++
		}
	}
	return n
}

// SVG geometry of a ladder.
const (
	svgRow     = 26
	svgTop     = 78
	svgClientX = 210
	svgServerX = 680
	svgWidth   = 1000
)

var phaseColour = map[ladder.Phase]string{
	ladder.Handshake: "#1f5fbf", ladder.Data: "#555555", ladder.Teardown: "#c06000", ladder.Reset: "#c01010",
}

// writeLadderSVG draws a ladder as one self-contained SVG image.
func writeLadderSVG(w io.Writer, l *ladder.Ladder, rec *analyze.Record, st ladderStyle) {
	lang := st.lang
	rows := ladderRows(l, st.full)
	facts := ladderFacts(rec, lang)
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
	fmt.Fprintf(w, `<text x="10" y="%d" fill="#444">%s</text><text x="50" y="%d" fill="#444">%s</text>`+"\n", svgTop-20, e(lang.T("ladder.no")), svgTop-20, e(lang.T("ladder.time")))
	fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="middle" font-weight="bold">%s</text><text x="%d" y="%d" text-anchor="middle">%s</text>`+"\n",
		svgClientX, svgTop-34, e(lang.T("ladder.client")), svgClientX, svgTop-20, e(l.Client))
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
			if !s.FromCli {
				x1, x2 = svgServerX, svgClientX+2
			}
			dashAttr := ""
			if s.Class == flows.SegRetx || s.Class == flows.SegOutOfOrder {
				dashAttr = ` stroke-dasharray="6 3"`
			}
			fmt.Fprintf(w, `<text x="10" y="%d">%d</text><text x="130" y="%d" text-anchor="end">%s</text>`, y+8, r.no, y+8, relMS(l, s.TS))
			fmt.Fprintf(w, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="1.6"%s marker-end="url(#a%d-%d)"/>`, x1, y+4, x2, y+4, colour, dashAttr, l.Conn, r.phase)
			fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="middle" fill="%s">%s</text>`, (svgClientX+svgServerX)/2, y, colour, e(stepLabel(s, st.rawSeq)))
			if notes := stepNotes(s, lang); notes != "" {
				fmt.Fprintf(w, `<text x="%d" y="%d" fill="#333" font-size="11">%s</text>`, svgServerX+12, y+8, e(notes))
			}
			fmt.Fprintln(w)
		}
	}
	y := bottom + 26
	note := lang.T("ladder.relative")
	if st.rawSeq {
		note = lang.T("ladder.raw")
	}
	for _, line := range append([]string{note}, facts...) {
		fmt.Fprintf(w, `<text x="10" y="%d" fill="#333" xml:space="preserve">%s</text>`+"\n", y, e(line))
		y += 18
	}
	fmt.Fprintln(w, "</svg>")
}
