package table

import (
	"strconv"

	"github.com/synfin/synfin/analyze"
)

// CSV is written for spreadsheets and pandas, not for eyes: one value per
// cell, so "5/5" never turns into the fifth of May; an empty cell where a
// value is missing, not "-"; plain numbers (a teardown time is 23837.369,
// not +23837.369); true and false as in JSON; and the same header for a
// view whatever the inputs, so the file column is always first.

// csvSplit gives, for a view column that holds two values (client/server
// counts, negotiated window scales), the columns CSV writes instead.
var csvSplit = map[string][]Column{
	"pkts": {
		{"client_pkts", func(r *analyze.Record) string { return itoa(r.Stats.ClientPkts) }},
		{"server_pkts", func(r *analyze.Record) string { return itoa(r.Stats.ServerPkts) }},
	},
	"bytes": {
		{"client_bytes", func(r *analyze.Record) string { return i64(r.Stats.ClientBytes) }},
		{"server_bytes", func(r *analyze.Record) string { return i64(r.Stats.ServerBytes) }},
	},
	"fins": {
		{"client_fins", func(r *analyze.Record) string { return itoa(r.Teardown.FinCountClient) }},
		{"server_fins", func(r *analyze.Record) string { return itoa(r.Teardown.FinCountServer) }},
	},
	// "off" in the table: neither cell has a value.
	"wscale": {
		{"wscale_client", func(r *analyze.Record) string {
			return neg(r, func(n *analyze.Negotiated) string { return iptr(n.WScaleClient) })
		}},
		{"wscale_server", func(r *analyze.Record) string {
			return neg(r, func(n *analyze.Negotiated) string { return iptr(n.WScaleServer) })
		}},
	},
}

// csvBool names the columns whose "yes"/"no" CSV writes as true/false.
var csvBool = map[string]bool{"ack_ok": true, "sack": true, "ts": true, "ecn": true, "tfo": true}

// csvSince names the teardown columns printed as "+ms after the first
// packet": CSV drops the sign.
var csvSince = map[string]bool{"fin1": true, "fin1_ack": true, "fin2": true, "fin2_ack": true, "rst": true}

// CSVColumns is a view's columns as CSV writes them: file first, the
// two-valued columns split, and each value in its CSV form.
func CSVColumns(v View) (cols []Column, header []string) {
	cols = append(cols, Column{"file", func(r *analyze.Record) string { return r.File }})
	for _, c := range v.Columns {
		if split, ok := csvSplit[c.Name]; ok {
			for _, s := range split {
				cols = append(cols, csvCell(s))
			}
			continue
		}
		cols = append(cols, csvCell(c))
	}
	header = make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Name
	}
	return cols, header
}

// csvCell wraps a column's value in its CSV form.
func csvCell(c Column) Column {
	value := c.Value
	// Decided once for the column, not for every cell.
	isBool, isSince := csvBool[c.Name], csvSince[c.Name]
	return Column{c.Name, func(r *analyze.Record) string {
		s := value(r)
		switch {
		case s == "-":
			return ""
		case isBool:
			if s == "yes" {
				return "true"
			}
			return "false"
		case isSince && len(s) > 0 && s[0] == '+':
			return s[1:]
		}
		return s
	}}
}

// csvNumber prints a summary figure for CSV: empty when missing.
func csvNumber(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', 3, 64)
}
