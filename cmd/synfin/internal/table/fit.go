package table

import (
	"strings"
	"synfin/cmd/synfin/internal/tty"
)

// Fitting a table to the terminal: first the long text columns lose the
// middle of their text down to a readable width (an address keeps its
// port), then whole columns are left out, least telling first, until the
// table fits. --wide turns it off; files and pipes always get all of it.

// shrinkable columns and the narrowest they become.
var shrinkable = map[string]int{
	"file": 16, "client": 13, "server": 13, "history": 8,
	"syn_layout": 9, "synack_layout": 9,
}

// comfortable is the width shrinking stops at before columns are left
// out: "255.255.255.255:65535" fits.
const comfortable = 21

// dropOrder lists, per view, the columns a narrow terminal does without,
// first to go first. The connection number, the endpoints and the
// view's main verdicts are never dropped.
var dropOrder = map[string][]string{
	"conns":      {"sf", "history", "duration_ms", "bytes", "pkts", "closer"},
	"handshakes": {"ack_ok", "server_isn", "client_isn", "setup_ms", "synacks", "syns", "capture_point", "synack_ack_ms", "syn_synack_ms"},
	"teardowns":  {"data_after_fin", "fins", "rst_by", "fin2_ack", "fin1_ack", "close_ms"},
	"options":    {"synack_layout", "syn_layout", "tfo", "ecn", "ts", "sack", "notes"},
}

// tableWidth is the width of tablewriter's ASCII table with these column
// widths: one space of padding each side and a bar between columns.
func tableWidth(widths []int, keep []bool) int {
	t := 1
	for j, w := range widths {
		if keep[j] {
			t += w + 3
		}
	}
	return t
}

// fitTable fits a table of rows under header (machine names names) into
// width cells. It cuts cells in place and returns which columns to keep,
// and what it did: the columns left out and whether any cell was cut.
func fitTable(view string, names, header []string, rows [][]string, width int) (keep []bool, dropped []string, cut bool) {
	n := len(names)
	keep = make([]bool, n)
	widths := make([]int, n)
	for j := range n {
		keep[j] = true
		widths[j] = tty.Cells(header[j])
		for _, r := range rows {
			widths[j] = max(widths[j], tty.Cells(r[j]))
		}
	}
	// shrink cuts shrinkable columns, widest first, down to floor (or
	// their header, or their minimum) until the table fits.
	shrink := func(floor int) {
		for tableWidth(widths, keep) > width {
			best := -1
			for j := range n {
				least, ok := shrinkable[names[j]]
				if ok && keep[j] && widths[j] > max(least, floor, tty.Cells(header[j])) && (best < 0 || widths[j] > widths[best]) {
					best = j
				}
			}
			if best < 0 {
				return
			}
			widths[best]--
			cut = true
		}
	}
	// Long IPv6 addresses and file names go first, down to a width that
	// leaves an IPv4 address whole; then columns; then the rest.
	shrink(comfortable)
	for _, name := range dropOrder[view] {
		if tableWidth(widths, keep) <= width {
			break
		}
		for j := range n {
			if names[j] == name && keep[j] {
				keep[j] = false
				dropped = append(dropped, name)
			}
		}
	}
	shrink(0)
	if cut {
		for j := range n {
			if _, ok := shrinkable[names[j]]; ok {
				for _, r := range rows {
					r[j] = tty.CutMiddle(r[j], widths[j])
				}
			}
		}
	}
	return keep, dropped, cut
}

// fitNote tells what fitting did, for standard error.
func fitNote(dropped []string, cut bool) string {
	var did []string
	if len(dropped) > 0 {
		did = append(did, "left out "+strings.Join(dropped, ", "))
	}
	if cut {
		did = append(did, "shortened long columns (…)")
	}
	return "synfin: note: to fit the terminal, " + strings.Join(did, " and ") + "; --wide shows everything"
}

// selectColumns keeps the chosen columns of a header and rows.
func selectColumns(keep []bool, header []string, rows [][]string) ([]string, [][]string) {
	pick := func(r []string) []string {
		out := make([]string, 0, len(r))
		for j, v := range r {
			if keep[j] {
				out = append(out, v)
			}
		}
		return out
	}
	for i := range rows {
		rows[i] = pick(rows[i])
	}
	return pick(header), rows
}
