package table

import (
	"io"
	"strings"

	"github.com/synfin/synfin/internal/tty"
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
	return tableWidth(widths, keep)
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
// by cutting the middle of its IPv6 addresses (those in "[…]": addresses,
// 4-tuples), never below its widest other cell, so an IPv4 address stays
// whole, and never so far that two of the column's addresses look alike
// (hostCut). It returns the cells saved.
func cutIPv6(rows [][]string, widths []int, n, over int) int {
	col := 0
	for j := range n {
		if widths[j] > widths[col] {
			col = j
		}
	}
	cells := make([]string, len(rows))
	for i, r := range rows {
		cells[i] = r[col]
	}
	hc := hostCutOf(cells)
	floor := 0
	for _, r := range rows {
		floor = max(floor, hc.floor(r[col]))
	}
	target := max(floor, widths[col]-over, 12)
	if target >= widths[col] {
		return 0
	}
	for _, r := range rows {
		if tty.Cells(r[col]) > target {
			r[col] = hc.cell(r[col], target)
		}
	}
	saved := widths[col] - target
	widths[col] = target
	return saved
}

// cutEndpoints cuts s to width cells by its middle, or, for a 4-tuple
// "A → B", each endpoint by its own middle, the longer first, so that
// both ports and the arrow stay. It keeps only s's own addresses apart;
// a table's cells go through one hostCut for all of them.
func cutEndpoints(s string, width int) string {
	return hostCutOf([]string{s}).cell(s, width)
}

// hostCut cuts IPv6 addresses in their middle, keeping of each at least
// head characters of its start and tail of its end: the fewest, over the
// addresses of one table, that keep distinct addresses distinct. Two
// hosts that differ only in the middle ("2001:db8:1::5" and
// "2001:db8:2::5") keep that middle; "[2001:4…c]" for every host of a
// capture tells nothing. IPv4 addresses are never cut.
type hostCut struct{ head, tail int }

// leastKept is the fewest characters of an address a cut keeps, when
// fewer would do: "fd00…::1" still reads as an address.
const leastKept = 8

// hostCutOf is the hostCut for the IPv6 addresses in cells.
func hostCutOf(cells []string) hostCut {
	seen := map[string]bool{}
	var addrs []string
	longest := 0
	for _, c := range cells {
		for _, a := range ipv6In(c) {
			if !seen[a] {
				seen[a] = true
				addrs = append(addrs, a)
				longest = max(longest, len(a))
			}
		}
	}
	keys := make(map[string]bool, len(addrs))
	apart := func(h, t int) bool {
		clear(keys)
		for _, a := range addrs {
			k := a
			if h+t < len(a) {
				k = a[:h] + "…" + a[len(a)-t:]
			}
			if keys[k] {
				return false
			}
			keys[k] = true
		}
		return true
	}
	// The shortest cut that keeps them apart; of those, the most even,
	// the end (the interface identifier) before the start. Each end
	// keeps at least four characters: a network or an interface
	// identifier cut to nothing leaves the reader guessing.
	for k := leastKept; k < longest; k++ {
		even := (k + 1) / 2
		for d := 0; d <= k; d++ {
			tails := []int{even + d, even - d}
			if d == 0 {
				tails = tails[:1]
			}
			for _, t := range tails {
				if t >= leastKept/2 && k-t >= leastKept/2 && apart(k-t, t) {
					return hostCut{k - t, t}
				}
			}
		}
	}
	return hostCut{longest, longest}
}

// newHostCut is the hostCut for a table's client and server columns.
func newHostCut(names []string, rows [][]string) hostCut {
	var cells []string
	for j, n := range names {
		if n == "client" || n == "server" {
			for _, r := range rows {
				cells = append(cells, r[j])
			}
		}
	}
	return hostCutOf(cells)
}

// ipv6In are the addresses between brackets in s (IPv6 endpoints are
// written "[addr]:port").
func ipv6In(s string) []string {
	var out []string
	for {
		i := strings.IndexByte(s, '[')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], ']')
		if j < 0 {
			return out
		}
		out = append(out, s[i+1:i+j])
		s = s[i+j+1:]
	}
}

// addr cuts a to at most budget characters, "…" included, but never
// below what keeps it apart: the characters over head+tail are shared
// between both ends.
func (h hostCut) addr(a string, budget int) string {
	if len(a) <= budget || h.head+h.tail >= len(a) {
		return a
	}
	keep := max(budget-1, h.head+h.tail)
	if keep >= len(a) {
		return a
	}
	extra := keep - h.head - h.tail
	hd := h.head + extra/2
	tl := keep - hd
	return a[:hd] + "…" + a[len(a)-tl:]
}

// splitV6 splits an endpoint "[addr]:port" (or a host "[addr]") into
// "[", addr and "]:port"; ok is false for anything else (IPv4).
func splitV6(ep string) (pre, a, post string, ok bool) {
	if !strings.HasPrefix(ep, "[") {
		return "", "", "", false
	}
	j := strings.IndexByte(ep, ']')
	if j < 0 || strings.ContainsAny(ep[j+1:], "[ ") {
		return "", "", "", false
	}
	return "[", ep[1:j], ep[j:], true
}

// endpoint cuts an endpoint to width cells, or as near as keeping it
// apart allows; an IPv4 endpoint stays whole.
func (h hostCut) endpoint(ep string, width int) string {
	pre, a, post, ok := splitV6(ep)
	if !ok || tty.Cells(ep) <= width {
		return ep
	}
	return pre + h.addr(a, width-len(pre)-len(post)) + post
}

// floor is the narrowest an endpoint or a 4-tuple "A → B" becomes.
func (h hostCut) floor(s string) int {
	if a, b, ok := strings.Cut(s, " → "); ok {
		return h.floor(a) + 3 + h.floor(b)
	}
	pre, a, post, ok := splitV6(s)
	if !ok || len(a) <= h.head+h.tail+1 {
		return tty.Cells(s)
	}
	return len(pre) + h.head + h.tail + 1 + len(post)
}

// cell cuts an endpoint, or a 4-tuple "A → B" in each endpoint, the
// longer first, so that both ports and the arrow stay, to width cells or
// as near as keeping addresses apart allows.
func (h hostCut) cell(s string, width int) string {
	a, b, ok := strings.Cut(s, " → ")
	if !ok {
		return h.endpoint(s, width)
	}
	wa, wb := tty.Cells(a), tty.Cells(b)
	fa, fb := h.floor(a), h.floor(b)
	for wa+wb+3 > width && (wa > fa || wb > fb) {
		if (wa >= wb && wa > fa) || wb <= fb {
			wa--
		} else {
			wb--
		}
	}
	return h.endpoint(a, wa) + " → " + h.endpoint(b, wb)
}

// pair is the title line of a host pair, client → server, cut to width
// cells as cell cuts a 4-tuple.
func (h hostCut) pair(client, server string, width int) string {
	return h.cell(client+" → "+server, width)
}
