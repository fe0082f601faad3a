package table

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/tty"
)

// CountRows are the rows of a count table (value, count, meaning), in a
// fixed order with the most common first.
func CountRows(lang msg.Lang, prefix string, m map[string]int) [][]string {
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
		rows[i] = []string{lang.Name(strings.TrimSuffix(prefix, "."), k), itoa(m[k]), lang.T(prefix + k)}
	}
	return rows
}

// MarkdownTable writes a GitHub pipe table; cells are escaped for Markdown.
func MarkdownTable(w io.Writer, header []string, rows [][]string) {
	line := func(cells []string) {
		fmt.Fprint(w, "|")
		for _, c := range cells {
			fmt.Fprintf(w, " %s |", tty.MarkdownSafe(c))
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

// TranslateHeaders names a view's columns in lang (machine names in
// English, since CSV headers and --sort keys stay those).
func TranslateHeaders(lang msg.Lang, names []string) []string {
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

// F3 prints a number with three decimals.
func F3(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

// WriteGrid prints rows under header as a terminal table, a Markdown pipe
// table or CSV. Column text, when 0 or more, holds text from the input (a
// file name): made terminal-safe, and in CSV neutralised for spreadsheets.
func WriteGrid(w io.Writer, format Format, header []string, rows [][]string, text int) error {
	switch format {
	case CSV:
		cw := csv.NewWriter(w)
		_ = cw.Write(header)
		for _, r := range rows {
			if text >= 0 {
				r[text] = tty.CSVSafe(tty.Safe(r[text]))
			}
			_ = cw.Write(r)
		}
		cw.Flush()
		return cw.Error()
	case Markdown:
		MarkdownTable(w, header, rows)
		return nil
	}
	if text >= 0 {
		for _, r := range rows {
			r[text] = tty.Safe(r[text])
		}
	}
	t := New(w, Text)
	t.Header(header)
	if err := t.Bulk(rows); err != nil {
		return err
	}
	return t.Render()
}
