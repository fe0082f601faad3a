package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"synfin/analyze"
	"synfin/flows"
)

// flaggedPacket is one packet carrying tcp.analysis flags (--packets).
type flaggedPacket struct {
	File  string       `json:"file"`
	Frame int          `json:"frame"`
	TS    analyze.Time `json:"ts"`
	Conn  int          `json:"conn"`
	From  string       `json:"from"` // client or server
	Flags []string     `json:"flags"`
}

// runPackets lists every packet that earned one of Wireshark's
// tcp.analysis flags, in frame order per input, as tshark's
// "tcp.analysis.flags" display filter would show them; -c, --port and
// --host keep the packets of the connections they select.
func runPackets(o *options, inputs []input, out, stderr io.Writer) int {
	switch o.format {
	case "table", "markdown", "csv", "json", "jsonl":
	default:
		return usageError(stderr, fmt.Sprintf("--packets writes table, markdown, csv, json or jsonl, not %s", o.format))
	}
	var pkts []flaggedPacket
	o.jobs = 1
	keep := map[string]map[int]bool{} // the connections the filters let through, per file
	ses := &session{o: o, out: out, stderr: stderr, filter: newFilter(o), multi: len(inputs) > 1,
		keep: func(r *analyze.Record) {
			if keep[r.File] == nil {
				keep[r.File] = map[int]bool{}
			}
			keep[r.File][r.Conn] = true
		},
		trace: func(file string) func(*flows.Conn, *flows.Segment, flows.Dir, flows.SegClass) {
			return func(c *flows.Conn, seg *flows.Segment, d flows.Dir, _ flows.SegClass) {
				if c.Last == 0 {
					return
				}
				from := "client"
				if d == flows.DirServer {
					from = "server"
				}
				pkts = append(pkts, flaggedPacket{File: file, Frame: seg.Index, TS: analyze.Time(seg.TS), Conn: c.Index, From: from, Flags: c.Last.Names()})
			}
		}}
	read, damaged, _, err := ses.analyzeAll(inputs)
	if err != nil || read == 0 {
		return exitNothing
	}
	pkts = slices.DeleteFunc(pkts, func(p flaggedPacket) bool { return !keep[p.File][p.Conn] })
	return exitStatus(stderr, writePackets(out, o.format, pkts, len(inputs) > 1), damaged)
}

func writePackets(w io.Writer, format string, pkts []flaggedPacket, multi bool) error {
	switch format {
	case "json", "jsonl":
		if format == "json" {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			if pkts == nil {
				pkts = []flaggedPacket{}
			}
			return enc.Encode(pkts)
		}
		enc := json.NewEncoder(w)
		for _, p := range pkts {
			if err := enc.Encode(p); err != nil {
				return err
			}
		}
		return nil
	}
	header := []string{"frame", "time", "conn", "from", "flags"}
	if multi {
		header = append([]string{"file"}, header...)
	}
	rows := make([][]string, len(pkts))
	for i, p := range pkts {
		r := []string{itoa(p.Frame), p.TS.String(), itoa(p.Conn), p.From, strings.Join(p.Flags, ",")}
		if multi {
			r = append([]string{p.File}, r...)
		}
		rows[i] = r
	}
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(header)
		for _, r := range rows {
			if multi {
				r[0] = csvSafe(termSafe(r[0]))
			}
			_ = cw.Write(r)
		}
		cw.Flush()
		return cw.Error()
	case "markdown":
		mdTable(w, header, rows)
		return nil
	}
	for _, r := range rows {
		if multi {
			r[0] = termSafe(r[0])
		}
	}
	t := newTable(w, "table")
	t.Header(header)
	if err := t.Bulk(rows); err != nil {
		return err
	}
	return t.Render()
}
