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
