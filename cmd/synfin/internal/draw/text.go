package draw

import (
	"fmt"
	"io"
	"strings"
	"synfin/analyze"
	"synfin/analyze/ladder"
	"synfin/cmd/synfin/internal/tty"
	"synfin/flows"
)

// Text draws a ladder for a terminal or a Markdown code block.
func Text(w io.Writer, l *ladder.Ladder, rec *analyze.Record, st Style) {
	lang := st.Lang
	bar, dash, right, left := "│", "─", "▶", "◀"
	if st.ASCII {
		bar, dash, right, left = "|", "-", ">", "<"
	}
	rows := ladderRows(l, st.Full)
	inner, longest := 36, 0
	for _, r := range rows {
		if r.step != nil {
			longest = max(longest, len(stepLabel(r.step, st.RawSeq)))
		}
	}
	inner = max(inner, longest+8)
	if !st.Embedded {
		fmt.Fprintln(w, lang.F("ladder.title", l.Conn, l.Client, l.Server))
		fmt.Fprintln(w)
	}
	// Column heads: the client's bar sits at column lead, the server's
	// inner+1 cells to its right.
	lead, prefixFmt := 20, "%4d %12s"
	if st.Width > 0 && lead+inner+2 > st.Width {
		// A narrow terminal: a tighter time column, then arrows only as
		// long as their labels need.
		lead, prefixFmt = 15, "%3d %10s"
		inner = max(longest+4, min(inner, st.Width-lead-2))
	}
	head := lang.T("ladder.no") + "  " + lang.T("ladder.time")
	cli := lang.T("ladder.client") + " " + l.Client
	srv := lang.T("ladder.server") + " " + l.Server
	if st.Width > 0 && max(lead, tty.Cells(head)+1)+inner+2+tty.Cells(srv) > st.Width {
		// The server's name on a line of its own, ending over its bar.
		fmt.Fprintf(w, "%s%s\n", tty.Pad(head, lead), cli)
		fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", max(0, lead+inner+2-tty.Cells(srv))), srv)
	} else {
		fmt.Fprintf(w, "%s%s%s\n", tty.Pad(head, lead), tty.Pad(cli, inner+2), srv)
	}
	for _, r := range rows {
		switch {
		case r.head:
			title := strings.Repeat(dash, 3) + " " + lang.T(phaseKey[r.phase]) + " " + strings.Repeat(dash, 3)
			fmt.Fprintf(w, "%s%s%s%s\n", strings.Repeat(" ", lead), bar, tty.Paint(st.Colour, ansiPhase[r.phase], tty.Center(title, inner)), bar)
		case r.folded > 0:
			text := lang.F("ladder.fold", r.folded)
			fmt.Fprintf(w, "%s%s%s%s\n", strings.Repeat(" ", lead), bar, tty.Center(text, inner), bar)
		default:
			s := r.step
			label := " " + stepLabel(s, st.RawSeq) + " "
			n := inner - 1 - len(label) // arrow shaft cells
			a := n / 2
			var arrow string
			if s.Dir == flows.DirClient {
				arrow = strings.Repeat(dash, a) + label + strings.Repeat(dash, n-a) + right
			} else {
				arrow = left + strings.Repeat(dash, a) + label + strings.Repeat(dash, n-a)
			}
			prefix := fmt.Sprintf(prefixFmt, r.no, relMS(l, s.TS))
			// Colour goes on after the widths are counted.
			line := tty.Pad(prefix, lead) + bar + tty.Paint(st.Colour, ansiPhase[s.Phase], arrow) + bar
			notes := stepNotes(s, lang)
			if notes == "" {
				fmt.Fprintln(w, line)
				continue
			}
			if st.Width == 0 || lead+inner+2+2+tty.Cells(notes) <= st.Width {
				fmt.Fprintln(w, line+"  "+tty.Paint(st.Colour, tty.Magenta, notes))
				continue
			}
			// Too wide for the terminal: the notes go under the arrow,
			// inside the diagram, wrapped at its width.
			fmt.Fprintln(w, line)
			for i, part := range tty.Wrap(notes, inner-4) {
				mark := "  "
				if i == 0 {
					mark = "↳ "
					if st.ASCII {
						mark = "> "
					}
				}
				fmt.Fprintf(w, "%s%s%s%s\n", strings.Repeat(" ", lead), bar, tty.Paint(st.Colour, tty.Magenta, tty.Pad(" "+mark+part, inner)), bar)
			}
		}
	}
	fmt.Fprintln(w)
	// The words under the diagram, wrapped to the terminal.
	say := func(line string) {
		if st.Width == 0 || tty.Cells(line) <= st.Width {
			fmt.Fprintln(w, line)
			return
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		for _, part := range tty.Wrap(line, st.Width-indent-2) {
			fmt.Fprintln(w, strings.Repeat(" ", indent)+part)
			indent = max(indent, 2)
		}
	}
	if l.Dropped > 0 {
		say(lang.F("ladder.dropped", l.Dropped))
	}
	if st.RawSeq {
		say(lang.T("ladder.raw"))
	} else {
		say(lang.T("ladder.relative"))
	}
	for _, line := range Facts(rec, lang) {
		say(line)
	}
}
