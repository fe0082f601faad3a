package table

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"synfin/analyze"
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
		return fmt.Errorf("--sort %s: no such column in the %s view (%s)", key, v.Name, strings.Join(names, ", "))
	}
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := col.Value(&recs[i]), col.Value(&recs[j])
		less := compareCells(a, b) < 0
		if desc {
			return compareCells(a, b) > 0
		}
		return less
	})
	return nil
}

// compareCells compares two printed cells, as numbers when both are.
func compareCells(a, b string) int {
	fa, ea := strconv.ParseFloat(strings.TrimPrefix(a, "+"), 64)
	fb, eb := strconv.ParseFloat(strings.TrimPrefix(b, "+"), 64)
	switch {
	case ea == nil && eb == nil:
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	case ea == nil:
		return -1
	case eb == nil:
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
