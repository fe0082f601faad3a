package table

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/tty"
)

// SortBy orders records by one of the view's columns (numbers compare as
// numbers); "conn" keeps input order. A leading "-" sorts descending.
func SortBy(recs []analyze.Record, viewName, key string) error {
	desc := strings.HasPrefix(key, "-")
	key = strings.TrimPrefix(key, "-")
	if key == "conn" && !desc {
		return nil
	}
	v, ok := Views[viewName]
	if !ok {
		v = Views["conns"]
	}
	var col *Column
	for i := range v.Columns {
		if v.Columns[i].Name == key {
			col = &v.Columns[i]
		}
	}
	if col == nil {
		names := make([]string, len(v.Columns))
		for i, c := range v.Columns {
			names[i] = c.Name
		}
		return noSuchColumn(key, v.Name, names)
	}
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := col.Value(&recs[i]), col.Value(&recs[j])
		// A value not seen ("-") goes last whichever way the sort goes.
		if ma, mb := a == "-", b == "-"; ma || mb {
			return !ma && mb
		}
		if desc {
			return compareCells(a, b) > 0
		}
		return compareCells(a, b) < 0
	})
	return nil
}

// SortColumns are the columns --sort takes in view: its table's, or, for
// isn, its rows'.
func SortColumns(view string) []string {
	if view == "isn" {
		return ISNColumns
	}
	v, ok := Views[view]
	if !ok {
		return nil
	}
	names := make([]string, len(v.Columns))
	for i, c := range v.Columns {
		names[i] = c.Name
	}
	return names
}

// CheckSort refuses a --sort column view does not have, before anything is
// read.
func CheckSort(view, key string) error {
	key = strings.TrimPrefix(key, "-")
	names := SortColumns(view)
	if key == "conn" || names == nil || slices.Contains(names, key) {
		return nil
	}
	return noSuchColumn(key, view, names)
}

// noSuchColumn says that a view has no column key, suggesting the one
// most likely meant (--sort -rtt: rtt_ms) and listing them all.
func noSuchColumn(key, view string, names []string) error {
	if near := tty.Nearest(key, names); near != "" {
		return msg.E("cli.sort.near", key, view, near, msg.List(names))
	}
	return msg.E("cli.sort.none", key, view, msg.List(names))
}

// cellNumber reads a printed cell as a number: a plain or signed number
// ("+23.5" for times after the first packet), or a client/server pair
// ("9/11", "998/6783"), which counts as its sum.
func cellNumber(s string) (float64, bool) {
	if a, b, ok := strings.Cut(s, "/"); ok {
		x, ok1 := cellNumber(a)
		y, ok2 := cellNumber(b)
		return x + y, ok1 && ok2
	}
	f, err := strconv.ParseFloat(strings.TrimPrefix(s, "+"), 64)
	return f, err == nil
}

// compareCells compares two printed cells, as numbers when both are
// (pairs by their sum).
func compareCells(a, b string) int {
	fa, na := cellNumber(a)
	fb, nb := cellNumber(b)
	switch {
	case na && nb:
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	case na:
		return -1
	case nb:
		return 1
	}
	return strings.Compare(a, b)
}

// SortByFile orders records by input order, then connection number.
func SortByFile(recs []analyze.Record, fileOrder map[string]int) {
	sort.SliceStable(recs, func(i, j int) bool {
		fi, fj := fileOrder[recs[i].File], fileOrder[recs[j].File]
		if fi != fj {
			return fi < fj
		}
		return recs[i].Conn < recs[j].Conn
	})
}
