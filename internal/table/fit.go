package table

import (
	"io"
	"strings"

	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/tty"
)

// Fitting a table to the terminal. A fitted table always fits: a row
// wider than the terminal wraps onto the next line and the columns no
// longer line up, which is worse than any of the steps below. Each step
// is taken only while the table is still too wide:
//
//  1. long IPv6 addresses and file names lose their middle down to a
//     width that leaves an IPv4 address whole;
//  2. the box goes: columns two spaces apart, as ls and ps print them;
//  3. long headers break at their underscores onto lines of their own
//     (a header is often twice as wide as its values: syn_synack_ms);
//  4. the columns the view can do without go, least telling first; the
//     columns a view exists for (essential) never do;
//  5. IPv6 addresses are cut further, never so far that two of the
//     table's hosts look alike;
//  6. client and server leave the row for a title line above the rows of
//     their host pair, the client column keeping only the client's port;
//  7. and when even that is too wide, each connection becomes a block of
//     "name: value" lines (psql's \x), every column whole.
//
// --wide turns it off; files and pipes always get all of it.

// shrinkable columns and the narrowest they become. client and server
// are cut only in their IPv6 addresses, and never below what keeps the
// table's hosts apart (hostCut).
var shrinkable = map[string]int{
	"file": 10, "client": 13, "server": 13, "history": 8,
}

// comfortable is the width shrinking stops at before columns are left
// out: "255.255.255.255:65535" fits.
const comfortable = 21

// essential lists, per view, the columns the view exists for: they are
// never left out. When they do not fit, the connection gets a block of
// lines instead (the record layout).
var essential = map[string][]string{
	"conns":      {"conn", "client", "server", "state", "handshake", "rtt_ms", "teardown"},
	"handshakes": {"conn", "client", "server", "status", "syn_synack_ms", "synack_ack_ms", "capture_point", "client_isn", "server_isn"},
	"teardowns":  {"conn", "client", "server", "kind", "fin1", "fin1_ack", "fin2", "fin2_ack"},
	"options":    {"conn", "client", "server", "sack", "ts", "syn_layout", "synack_layout"},
	"segments":   {"file", "conn", "frame", "time_ms", "from", "flags", "seq", "len", "rtt_ms"},
}

// dropOrder lists, per view, the columns a narrow terminal does without,
// first to go first: every column of the view that is not essential.
// rtt_ms in handshakes is the sum of the two legs shown beside it.
var dropOrder = map[string][]string{
	"conns":      {"sf", "history", "duration_ms", "bytes", "pkts", "closer"},
	"handshakes": {"setup_ms", "ack_ok", "synacks", "syns", "rtt_ms"},
	"teardowns":  {"data_after_fin", "fins", "rst_by", "close_ms", "closer", "rst"},
	"options":    {"tfo", "ecn", "notes", "synack_wscale", "syn_wscale", "synack_mss", "syn_mss", "wscale", "mss"},
	// segments: the RFC 6298 detail and Wireshark's ACK fields first; the
	// lab's columns (seq, len, sent, RTT, EstimatedRTT) last.
	"segments": {"rttvar_ms", "rto_ms", "ack_time_ms", "next_seq", "acks_frame", "ack_rtt_ms", "acked_bytes", "dup_ack", "ack_frame", "win", "analysis", "srtt_ms"},
}

// tableWidth is the width of tablewriter's boxed table with these column
// widths: one space of padding each side, a bar between columns and at
// both edges.
func tableWidth(widths []int, keep []bool) int {
	t := 1
	for j, w := range widths {
		if keep[j] {
			t += w + 3
		}
	}
	return t
}

// compactWidth is the width of a compact table (writeCompact): columns
// two spaces apart, nothing before the first or after the last.
func compactWidth(widths []int, keep []bool) int {
	t, n := 0, 0
	for j, w := range widths {
		if keep[j] {
			t += w
			n++
		}
	}
	return t + 2*max(n-1, 0)
}

// layout is how a fitted table is printed.
type layout int

const (
	boxed   layout = iota // tablewriter's ASCII box
	compact               // no box, columns two spaces apart (writeCompact)
	titled                // compact, client and server on title lines
	records               // a block of lines per connection (writeRecords)
)

// fitting is what fitTable decided.
type fitting struct {
	layout    layout
	keep      []bool   // the columns shown in a table layout
	dropped   []string // the columns left out, in order
	cut       bool     // some cells lost their middle
	wrapHeads bool     // headers broken at their underscores (headLines)
	widths    []int    // each column's width in the compact layouts
	titles    []string // titled: each row's title line (its host pair)
}

// fitTable fits a table of rows under header (machine names names) into
// width cells, in the steps told above. It cuts cells in place, except
// for the record layout, which shows every cell whole.
func fitTable(view string, names, header []string, rows [][]string, width int) fitting {
	n := len(names)
	f := fitting{keep: make([]bool, n), widths: make([]int, n)}
	widths := f.widths      // the widest cell of each column, as cut so far
	floor := make([]int, n) // the narrowest its cells may become
	cells := make([]int, n) // its widest cell, uncut
	hc := newHostCut(names, rows)
	for j := range n {
		f.keep[j] = true
		for _, r := range rows {
			c := tty.Cells(r[j])
			cells[j] = max(cells[j], c)
			switch names[j] {
			case "client", "server":
				floor[j] = max(floor[j], hc.floor(r[j]))
			}
		}
		widths[j] = cells[j]
		least, ok := shrinkable[names[j]]
		switch {
		case !ok:
			floor[j] = cells[j]
		case names[j] == "client" || names[j] == "server":
			floor[j] = min(cells[j], floor[j])
		default:
			floor[j] = min(cells[j], least)
		}
	}
	head := func(j int) int {
		if f.wrapHeads {
			return headMin(header[j])
		}
		return tty.Cells(header[j])
	}
	col := func(j int) int { return max(widths[j], head(j)) }
	total := func() int {
		w := make([]int, n)
		for j := range n {
			w[j] = col(j)
		}
		if f.layout == boxed {
			return tableWidth(w, f.keep)
		}
		return compactWidth(w, f.keep)
	}
	wide := func() bool { return total() > width }
	// shrink cuts shrinkable columns, widest first, down to least (or
	// their floor) until the table fits.
	shrink := func(least int) {
		for wide() {
			best := -1
			for j := range n {
				if f.keep[j] && widths[j] > max(least, floor[j], head(j)) && (best < 0 || widths[j] > widths[best]) {
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
	if !wide() {
		return f
	}
	shrink(comfortable)
	if wide() {
		f.layout = compact
	}
	if wide() {
		f.wrapHeads = true
	}
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
	ci, si := index(names, "client"), index(names, "server")
	if wide() && ci >= 0 && si >= 0 && f.keep[ci] && f.keep[si] {
		// The client column keeps the client's port, which changes with
		// every connection: the title and the port are the 4-tuple.
		f.layout = titled
		f.keep[si] = false
		cells[ci] = 0
		for _, r := range rows {
			cells[ci] = max(cells[ci], tty.Cells(portOf(r[ci])))
		}
		widths[ci], floor[ci] = cells[ci], cells[ci]
		shrink(0)
		// The room the endpoints leave takes back the columns left out,
		// the most telling (the last left out) first, while they fit.
		for len(f.dropped) > 0 && !wide() {
			j := index(names, f.dropped[len(f.dropped)-1])
			if f.keep[j] = true; wide() {
				f.keep[j] = false
				break
			}
			f.dropped = f.dropped[:len(f.dropped)-1]
		}
	}
	if wide() {
		// Even the view's essentials do not fit a row: a block of lines
		// per connection, every column whole.
		return fitting{layout: records, dropped: f.dropped}
	}
	if f.layout == titled {
		// The title is the host pair: the client's address without its
		// port and the server's endpoint, the service.
		f.titles = make([]string, len(rows))
		for i, r := range rows {
			f.titles[i] = hc.pair(hostOf(r[ci]), r[si], width)
			r[ci] = portOf(r[ci])
		}
	}
	if f.cut {
		for j := range n {
			if _, ok := shrinkable[names[j]]; !ok || !f.keep[j] || widths[j] >= cells[j] {
				continue
			}
			for _, r := range rows {
				if names[j] == "client" || names[j] == "server" {
					r[j] = hc.endpoint(r[j], widths[j])
				} else {
					r[j] = tty.CutMiddle(r[j], widths[j])
				}
			}
		}
	}
	for j := range n {
		widths[j] = col(j)
	}
	if f.wrapHeads {
		unwrapHeads(f, header, width)
	}
	return f
}

// unwrapHeads gives the room a compact table leaves on the terminal to
// its broken headers, a line at a time, the cheapest first, so that
// headers take as few lines as the width allows.
func unwrapHeads(f fitting, header []string, width int) {
	for {
		spare := width - compactWidth(f.widths, f.keep)
		best, bestW := -1, 0
		for j, k := range f.keep {
			lines := len(headLines(header[j], f.widths[j]))
			if !k || lines == 1 {
				continue
			}
			for w := f.widths[j] + 1; w <= f.widths[j]+spare; w++ {
				if len(headLines(header[j], w)) < lines {
					if best < 0 || w-f.widths[j] < bestW-f.widths[best] {
						best, bestW = j, w
					}
					break
				}
			}
		}
		if best < 0 {
			return
		}
		f.widths[best] = bestW
	}
}

// index is the place of name in names, or -1.
func index(names []string, name string) int {
	for j, n := range names {
		if n == name {
			return j
		}
	}
	return -1
}

// hostOf is an endpoint without its port: "10.0.0.1", "[2001:db8::1]".
func hostOf(ep string) string {
	if i := strings.LastIndexByte(ep, ':'); i > 0 && !strings.HasSuffix(ep, "]") && (ep[0] != '[' || ep[i-1] == ']') {
		return ep[:i]
	}
	return ep
}

// portOf is an endpoint's port with its colon, ":443", or "".
func portOf(ep string) string { return ep[len(hostOf(ep)):] }

// fitNote tells, in lang, what fitting did, for standard error; empty
// when the table fitted as it was. Columns are named as the table's
// header names them.
func fitNote(lang msg.Lang, f fitting) string {
	var cols []string
	for _, name := range f.dropped {
		cols = append(cols, colName(lang, name))
	}
	list := strings.Join(cols, lang.T("report.list.sep"))
	if f.layout == records {
		if len(cols) > 0 {
			return lang.F("fit.note.records.dropped", list)
		}
		return lang.T("fit.note.records")
	}
	var did []string
	if len(cols) > 0 {
		did = append(did, lang.F("fit.dropped", list))
	}
	if f.layout == titled {
		did = append(did, lang.F("fit.titled", colName(lang, "client"), colName(lang, "server")))
	}
	if f.cut {
		did = append(did, lang.T("fit.cut"))
	}
	if len(did) == 0 {
		return ""
	}
	return lang.F("fit.note", strings.Join(did, lang.T("fit.and")))
}

// colName is a column's name as a table in lang heads it.
func colName(lang msg.Lang, name string) string {
	if msg.Has("col." + name) {
		return lang.T("col." + name)
	}
	return name
}

// writeFitted prints a table as fitTable decided, in one of the compact
// layouts or the record layout.
func writeFitted(w io.Writer, f fitting, names, header []string, rows [][]string, width int) error {
	var b strings.Builder
	if f.layout == records {
		writeRecords(&b, names, header, rows, width)
	} else {
		writeCompact(&b, f, header, rows)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeCompact prints the kept columns two spaces apart under their
// header (each header on as many lines as headLines gives it) and a rule,
// with each row's title on a line of its own above it when it differs
// from the row before's.
func writeCompact(b *strings.Builder, f fitting, header []string, rows [][]string) {
	var cols []int
	for j, k := range f.keep {
		if k {
			cols = append(cols, j)
		}
	}
	line := func(cell func(j int) string) {
		var l strings.Builder
		for i, j := range cols {
			c := cell(j)
			l.WriteString(c)
			if i < len(cols)-1 {
				l.WriteString(strings.Repeat(" ", max(f.widths[j]-tty.Cells(c), 0)+2))
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	heads := make([][]string, len(header))
	lines := 1
	for _, j := range cols {
		heads[j] = []string{header[j]}
		if f.wrapHeads {
			heads[j] = headLines(header[j], f.widths[j])
		}
		lines = max(lines, len(heads[j]))
	}
	for i := range lines {
		line(func(j int) string {
			if i < len(heads[j]) {
				return heads[j][i]
			}
			return ""
		})
	}
	b.WriteString(strings.Repeat("-", compactWidth(f.widths, f.keep)) + "\n")
	for i, r := range rows {
		if f.titles != nil && (i == 0 || f.titles[i] != f.titles[i-1]) {
			b.WriteString(f.titles[i] + "\n")
		}
		line(func(j int) string { return r[j] })
	}
}

// writeRecords prints each row as a block of "name: value" lines under a
// line naming it by its first column ("-[ conn 3 ]---"), as psql's \x
// does, within width cells: a value too long for its line wraps onto
// lines of its own, aligned under it.
func writeRecords(b *strings.Builder, names, header []string, rows [][]string, width int) {
	keyW := 0
	for _, h := range header {
		keyW = max(keyW, tty.Cells(h)+1)
	}
	keyW++ // a space after the widest name's colon
	valW := max(width-keyW, 8)
	indent := strings.Repeat(" ", keyW)
	for i, r := range rows {
		if i > 0 {
			b.WriteString("\n")
		}
		longest := 0
		for _, v := range r[1:] {
			longest = max(longest, tty.Cells(v))
		}
		rule := "-[ " + header[0] + " " + r[0] + " ]"
		b.WriteString(rule + strings.Repeat("-", max(min(width, keyW+longest)-tty.Cells(rule), 0)) + "\n")
		for j := 1; j < len(names); j++ {
			for k, part := range wrapValue(r[j], valW) {
				if k == 0 {
					b.WriteString(tty.Pad(header[j]+":", keyW) + part + "\n")
				} else {
					b.WriteString(indent + part + "\n")
				}
			}
		}
	}
}

// wrapValue breaks a record's value into lines of at most width cells:
// at spaces and after commas (a list of notes), a longer word cut.
func wrapValue(v string, width int) []string {
	if tty.Cells(v) <= width {
		return []string{v}
	}
	lines := tty.Wrap(strings.ReplaceAll(v, ",", ", "), width)
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(l, ", ", ",")
	}
	return lines
}

// headTokens splits a header where it may break: after an underscore or
// an arrow, before a parenthesis, at a space (dropped), and where Chinese
// meets Latin; not inside a Chinese word (连接, 往返时延), which would
// read as two. Each token is given with whether a space came
// before it.
func headTokens(h string) (toks []string, spaced []bool) {
	for fi, field := range strings.Fields(h) {
		start := len(toks)
		cur := ""
		prevWide := false
		for _, r := range field {
			wide := tty.Cells(string(r)) == 2
			if cur != "" && (r == '(' || r == '（' || wide != prevWide) {
				toks, cur = append(toks, cur), ""
			}
			cur += string(r)
			if r == '_' || r == '→' {
				toks, cur = append(toks, cur), ""
			}
			prevWide = wide
		}
		if cur != "" {
			toks = append(toks, cur)
		}
		for k := start; k < len(toks); k++ {
			spaced = append(spaced, k == start && fi > 0)
		}
	}
	return toks, spaced
}

// headMin is the narrowest a header becomes broken at its breaks: its
// longest token.
func headMin(h string) int {
	toks, _ := headTokens(h)
	m := 0
	for _, t := range toks {
		m = max(m, tty.Cells(t))
	}
	return m
}

// headLines breaks a header into lines of at most width cells (but never
// inside a token), filling each line.
func headLines(h string, width int) []string {
	if tty.Cells(h) <= width {
		return []string{h}
	}
	toks, spaced := headTokens(h)
	var lines []string
	cur := ""
	for k, t := range toks {
		sep := ""
		if spaced[k] && cur != "" {
			sep = " "
		}
		if cur != "" && tty.Cells(cur+sep+t) > width {
			lines = append(lines, cur)
			cur, sep = "", ""
		}
		cur += sep + t
	}
	return append(lines, cur)
}

// FitGrid writes a grid that is not made of records (the segments view's
// rows, names its columns' machine names) fitted to width cells as
// Render fits the record views; note says, in lang, what that left out.
func FitGrid(w io.Writer, view string, names, header []string, rows [][]string, lang msg.Lang, width int) (note string, err error) {
	f := fitTable(view, names, header, rows, width)
	note = fitNote(lang, f)
	if f.layout != boxed {
		return note, writeFitted(w, f, names, header, rows, width)
	}
	t := New(w, Text)
	t.Header(header)
	if err := t.Bulk(rows); err != nil {
		return note, err
	}
	return note, t.Render()
}
