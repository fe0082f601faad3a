package table

import (
	"strings"

	"github.com/synfin/synfin/cmd/synfin/internal/tty"
)

// Fitting a table to the terminal: first the long text columns lose the
// middle of their text down to a readable width (an address keeps its
// port), then whole columns are left out, least telling first, until the
// table fits. --wide turns it off; files and pipes always get all of it.

// shrinkable columns and the narrowest they become.
var shrinkable = map[string]int{
	"file": 10, "client": 13, "server": 13, "history": 8,
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
	"handshakes": {"setup_ms", "ack_ok", "synacks", "capture_point", "syns", "server_isn", "client_isn", "synack_ack_ms", "syn_synack_ms"},
	"teardowns":  {"data_after_fin", "fins", "rst_by", "fin2_ack", "fin1_ack", "close_ms", "fin2", "fin1"},
	"options":    {"synack_layout", "syn_layout", "tfo", "ecn", "ts", "sack", "notes", "synack_wscale", "syn_wscale", "synack_mss", "syn_mss"},
}

// tableWidth is the width of tablewriter's table with these column
// widths: one space of padding each side, and in the boxed ASCII style a
// bar between columns and at both edges.
func tableWidth(widths []int, keep []bool, compact bool) int {
	t := 1
	if compact {
		t = 0
	}
	for j, w := range widths {
		if keep[j] {
			t += w + 2
			if !compact {
				t++
			}
		}
	}
	return t
}

// fitting is what fitTable decided.
type fitting struct {
	keep    []bool   // the columns shown
	dropped []string // the columns left out, in order
	cut     bool     // some cells lost their middle
	compact bool     // no box: columns two spaces apart (compactStyle)
}

// fitTable fits a table of rows under header (machine names names) into
// width cells. It cuts cells in place. The steps, each only while the
// table is still too wide: long IPv6 addresses and file names lose their
// middle down to a width that leaves an IPv4 address whole; the box goes
// (columns two spaces apart, as ls and ps print them); the least telling
// columns go; the long cells are cut further, but an IPv4 address never.
func fitTable(view string, names, header []string, rows [][]string, width int) fitting {
	n := len(names)
	f := fitting{keep: make([]bool, n)}
	widths := make([]int, n)
	floor := make([]int, n) // the narrowest a column may become
	for j := range n {
		f.keep[j] = true
		widths[j] = tty.Cells(header[j])
		least, ok := shrinkable[names[j]]
		floor[j] = max(least, widths[j])
		for _, r := range rows {
			c := tty.Cells(r[j])
			widths[j] = max(widths[j], c)
			if ok && (names[j] == "client" || names[j] == "server") && !strings.HasPrefix(r[j], "[") {
				floor[j] = max(floor[j], c) // IPv4 endpoints stay whole
			}
		}
		if !ok {
			floor[j] = widths[j]
		}
	}
	wide := func() bool { return tableWidth(widths, f.keep, f.compact) > width }
	// shrink cuts shrinkable columns, widest first, down to least (or
	// their floor) until the table fits.
	shrink := func(least int) {
		for wide() {
			best := -1
			for j := range n {
				if f.keep[j] && widths[j] > max(least, floor[j]) && (best < 0 || widths[j] > widths[best]) {
					best = j
				}
			}
			if best < 0 {
				return
			}
			widths[best]--
			f.cut = true
		}
	}
	shrink(comfortable)
	f.compact = wide()
	for _, name := range dropOrder[view] {
		if !wide() {
			break
		}
		for j := range n {
			if names[j] == name && f.keep[j] {
				f.keep[j] = false
				f.dropped = append(f.dropped, name)
			}
		}
	}
	shrink(0)
	if f.cut {
		for j := range n {
			if _, ok := shrinkable[names[j]]; ok {
				for _, r := range rows {
					r[j] = tty.CutMiddle(r[j], widths[j])
				}
			}
		}
	}
	return f
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
