package views

import (
	"io"
	"slices"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/batch"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
	"github.com/synfin/synfin/internal/table"
)

// Packets lists every packet that earned one of Wireshark's
// tcp.analysis flags, in frame order per input, as tshark's
// "tcp.analysis.flags" display filter would show them; -c, --port and
// --host keep the packets of the connections they select.
func Packets(o *Options, lang msg.Lang, ins []inputs.Input, out, stderr io.Writer) int {
	switch o.Format {
	case table.Text, table.Markdown, table.CSV, table.JSON, table.JSONL:
	default:
		return UsageError(stderr, lang, msg.E("cli.format.wrong", "--format "+string(o.Format), "--packets", msg.Or{"table", "markdown", "csv", "json", "jsonl"}, string(o.Format)))
	}
	var pkts []table.Packet
	keep := map[string]map[int]bool{} // the connections the filters let through, per file
	ses := o.session(stderr, o.filter())
	trace := batch.TracerFunc(func(file string) pipeline.TraceFunc {
		return func(c *flows.Conn, seg *flows.Segment, d flows.Dir, _ flows.SegClass) {
			if c.Last != 0 {
				pkts = append(pkts, table.Packet{File: file, Frame: seg.Index, TS: analyze.Time(seg.TS), Conn: c.Index, From: d.String(), Flags: c.Last.Names()})
			}
		}
	})
	res, err := ses.Traced(ins, trace, batch.TraceApart, batch.RecordFunc(func(r *analyze.Record) {
		if keep[r.File] == nil {
			keep[r.File] = map[int]bool{}
		}
		keep[r.File][r.Conn] = true
	}))
	read, damaged := res.Read, res.Damaged
	if err != nil || read == 0 {
		return ExitNothing
	}
	o.noMatch(ses, read, lang, stderr)
	pkts = slices.DeleteFunc(pkts, func(p table.Packet) bool { return !keep[p.File][p.Conn] })
	return exitStatus(stderr, lang, table.WritePackets(out, o.Format, pkts, len(ins) > 1), damaged)
}
