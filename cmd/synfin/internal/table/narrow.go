package table

import (
	"io"
	"strings"

	"github.com/synfin/synfin/cmd/synfin/internal/tty"
)

// Layouts for a terminal narrower than a table whose last column is a
// sentence (summary's and isn's meanings): the sentence moves under its
// row instead of stretching every row.

// boxedWidth is the width of the boxed terminal table of header and rows.
func boxedWidth(header []string, rows [][]string) int {
	widths := make([]int, len(header))
	keep := make([]bool, len(header))
	for j, h := range header {
		widths[j], keep[j] = tty.Cells(h), true
		for _, r := range rows {
			widths[j] = max(widths[j], tty.Cells(r[j]))
		}
	}
	return tableWidth(widths, keep, false)
}

// MeaningBelow prints rows within width cells: the columns but the last
// two spaces apart, the last of them wrapped within what is left of the
// width (a summary's long distribution), and the last column, the
// sentence, indented on lines of its own under its row.
func MeaningBelow(w io.Writer, header []string, rows [][]string, width int) error {
	last := len(header) - 1 // the sentence
	widths := make([]int, last)
	for j := range last {
		widths[j] = tty.Cells(header[j])
		for _, r := range rows {
			widths[j] = max(widths[j], tty.Cells(r[j]))
		}
	}
	lead := 0 // the cells before the last shown column
	for _, wd := range widths[:last-1] {
		lead += wd + 2
	}
	if over := lead + min(8, widths[last-1]) - width; over > 0 {
		lead -= cutIPv6(rows, widths, last-1, over)
	}
	widths[last-1] = max(8, min(widths[last-1], width-lead))
	var b strings.Builder
	line := func(cells []string) {
		var l strings.Builder
		for j, c := range cells {
			l.WriteString(c)
			if j < len(cells)-1 {
				l.WriteString(strings.Repeat(" ", max(widths[j]-tty.Cells(c), 0)+2))
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	line(header[:last])
	b.WriteString(strings.Repeat("-", min(width, lead+widths[last-1])) + "\n")
	for _, r := range rows {
		cells := append([]string{}, r[:last]...)
		for i, part := range tty.Wrap(r[last-1], widths[last-1]) {
			if i > 0 {
				clear(cells[:last-1]) // a wrapped value's further lines
			}
			cells[last-1] = part
			line(cells)
		}
		if r[last-1] == "" {
			line(cells)
		}
		for _, m := range tty.Wrap(r[last], width-4) {
			b.WriteString("    " + m + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// cutIPv6 narrows the widest of the first n columns by up to over cells
// by cutting the middle of its IPv6 cells (those with a "[": addresses,
// 4-tuples), never below its widest other cell, so an IPv4 address stays
// whole. It returns the cells saved.
func cutIPv6(rows [][]string, widths []int, n, over int) int {
	col := 0
	for j := range n {
		if widths[j] > widths[col] {
			col = j
		}
	}
	floor := 0
	for _, r := range rows {
		if !strings.Contains(r[col], "[") {
			floor = max(floor, tty.Cells(r[col]))
		}
	}
	target := max(floor, widths[col]-over, 12)
	if target >= widths[col] {
		return 0
	}
	for _, r := range rows {
		if tty.Cells(r[col]) > target {
			r[col] = cutEndpoints(r[col], target)
		}
	}
	saved := widths[col] - target
	widths[col] = target
	return saved
}

// cutEndpoints cuts s to width cells by its middle, or, for a 4-tuple
// "A → B", each endpoint by its own middle, the longer first, so that
// both ports and the arrow stay.
func cutEndpoints(s string, width int) string {
	a, b, ok := strings.Cut(s, " → ")
	if !ok {
		return tty.CutMiddle(s, width)
	}
	wa, wb := tty.Cells(a), tty.Cells(b)
	for wa+wb+3 > width && wa+wb > 2 {
		if wa >= wb {
			wa--
		} else {
			wb--
		}
	}
	return tty.CutMiddle(a, wa) + " → " + tty.CutMiddle(b, wb)
}
