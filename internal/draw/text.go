package draw

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/tty"
)

// Text draws a ladder for a terminal or a Markdown code block: the title,
// the column heads, a line per packet (phase headings and folds between),
// and the words under the diagram.
func Text(w io.Writer, l *ladder.Ladder, rec *analyze.Record, st Style) {
	t := newTextLayout(l, st)
	t.ev = evidenceOf(l, rec)
	if !st.Embedded {
		fmt.Fprintln(w, titleLines(st.Lang, l, st.Width))
		fmt.Fprintln(w)
	}
	t.heads(w, l)
	for _, r := range t.rows {
		switch {
		case r.head:
			title := strings.Repeat(t.dash, 3) + " " + st.Lang.T(phaseKey[r.phase]) + " " + strings.Repeat(t.dash, 3)
			t.inside(w, tty.Paint(st.Colour, ansiPhase[r.phase], tty.Center(title, t.inner)))
		case r.folded > 0:
			t.inside(w, tty.Center(st.Lang.F("ladder.fold", r.folded), t.inner))
		default:
			t.packet(w, l, r)
		}
	}
	fmt.Fprintln(w)
	if l.Dropped > 0 {
		t.under(w, st.Lang.F("ladder.dropped", l.Dropped))
	}
	if st.RawSeq {
		t.under(w, st.Lang.T("ladder.raw"))
	} else {
		t.under(w, st.Lang.T("ladder.relative"))
	}
	for _, line := range Facts(l, rec, st.Lang) {
		t.under(w, line)
	}
}

// textLayout is where a text ladder's parts go: the client's bar at column
// lead, the server's inner+1 cells to its right.
type textLayout struct {
	st                     Style
	ev                     map[int]packetFacts // each packet's facts, by frame
	rows                   []ladderRow
	bar, dash, right, left string
	lead, inner            int
	prefixFmt              string // packet number and time
}

func newTextLayout(l *ladder.Ladder, st Style) *textLayout {
	t := &textLayout{st: st, rows: ladderRows(l, st.Full), bar: "│", dash: "─", right: "▶", left: "◀"}
	if st.ASCII {
		t.bar, t.dash, t.right, t.left = "|", "-", ">", "<"
	}
	longest, frames := 0, 0
	for _, r := range t.rows {
		if r.step != nil {
			longest = max(longest, len(stepLabel(r.step, st.RawSeq)))
			frames = max(frames, r.no)
		}
	}
	// Frame numbers of a long capture take more digits than the column's
	// usual four; the bars move right rather than the numbers run into them.
	digits := len(strconv.Itoa(frames))
	t.lead, t.prefixFmt = max(20, digits+15), fmt.Sprintf("%%%dd %%12s", max(4, digits))
	t.inner = max(36, longest+8)
	if st.Width > 0 && t.lead+t.inner+2 > st.Width {
		// A narrow terminal: a tighter time column, then arrows only as
		// long as their labels need.
		t.lead, t.prefixFmt = max(15, digits+12), fmt.Sprintf("%%%dd %%10s", max(3, digits))
		t.inner = max(longest+4, min(t.inner, st.Width-t.lead-2))
	}
	return t
}

// heads writes the column heads; on a narrow terminal the server's name
// goes on a line of its own, ending over its bar.
func (t *textLayout) heads(w io.Writer, l *ladder.Ladder) {
	lang := t.st.Lang
	head := lang.T("ladder.no") + "  " + lang.T("ladder.time")
	cli := lang.T("ladder.client") + " " + l.Client
	srv := lang.T("ladder.server") + " " + l.Server
	if t.st.Width > 0 && max(t.lead, tty.Cells(head)+1)+t.inner+2+tty.Cells(srv) > t.st.Width {
		fmt.Fprintf(w, "%s%s\n", tty.Pad(head, t.lead), cli)
		fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", max(0, t.lead+t.inner+2-tty.Cells(srv))), srv)
		return
	}
	fmt.Fprintf(w, "%s%s%s\n", tty.Pad(head, t.lead), tty.Pad(cli, t.inner+2), srv)
}

// inside writes text between the two bars.
func (t *textLayout) inside(w io.Writer, text string) {
	fmt.Fprintf(w, "%s%s%s%s\n", strings.Repeat(" ", t.lead), t.bar, text, t.bar)
}

// packet writes one packet's arrow and its notes: beside the arrow when
// they fit the terminal, else wrapped under it, inside the diagram.
func (t *textLayout) packet(w io.Writer, l *ladder.Ladder, r ladderRow) {
	s, st := r.step, t.st
	label := " " + stepLabel(s, st.RawSeq) + " "
	n := t.inner - 1 - len(label) // arrow shaft cells
	a := n / 2
	arrow := t.left + strings.Repeat(t.dash, a) + label + strings.Repeat(t.dash, n-a)
	if s.Dir == flows.DirClient {
		arrow = strings.Repeat(t.dash, a) + label + strings.Repeat(t.dash, n-a) + t.right
	}
	prefix := fmt.Sprintf(t.prefixFmt, r.no, relMS(l, s.TS))
	// Colour goes on after the widths are counted.
	line := tty.Pad(prefix, t.lead) + t.bar + tty.Paint(st.Colour, ansiPhase[s.Phase], arrow) + t.bar
	notes := stepNotes(s, t.ev[s.Frame], st.Lang)
	switch {
	case notes == "":
		fmt.Fprintln(w, line)
	case st.Width == 0 || t.lead+t.inner+2+2+tty.Cells(notes) <= st.Width:
		fmt.Fprintln(w, line+"  "+tty.Paint(st.Colour, tty.Magenta, notes))
	default:
		fmt.Fprintln(w, line)
		for i, part := range tty.Wrap(notes, t.inner-4) {
			mark := "  "
			if i == 0 {
				mark = "↳ "
				if st.ASCII {
					mark = "> "
				}
			}
			t.inside(w, tty.Paint(st.Colour, tty.Magenta, tty.Pad(" "+mark+part, t.inner)))
		}
	}
}

// under writes a line of the words under the diagram, wrapped to the
// terminal, keeping its indent.
func (t *textLayout) under(w io.Writer, line string) {
	if t.st.Width == 0 || tty.Cells(line) <= t.st.Width {
		fmt.Fprintln(w, line)
		return
	}
	indent := len(line) - len(strings.TrimLeft(line, " "))
	for _, part := range tty.Wrap(line, t.st.Width-indent-2) {
		fmt.Fprintln(w, strings.Repeat(" ", indent)+part)
		indent = max(indent, 2)
	}
}
