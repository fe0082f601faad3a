package views

import (
	"io"
	"slices"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/analyze/segments"
	"github.com/synfin/synfin/internal/batch"
	"github.com/synfin/synfin/internal/graph"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/table"
	"github.com/synfin/synfin/internal/tty"
)

// Graph is the graph view: one connection's data phase (-c N, default 0)
// as the graph --kind names, in SVG or its points in CSV or JSON Lines.
func Graph(o *Options, lang msg.Lang, ins []inputs.Input, out, stderr io.Writer) int {
	if len(ins) != 1 {
		return UsageError(stderr, lang, msg.E("cli.onefile", o.View))
	}
	// SVG on a terminal is a screenful of XML: say where it belongs
	// before reading anything.
	if o.Format != table.CSV && o.Format != table.JSONL && tty.IsTerminal(out) {
		return UsageError(stderr, lang, msg.E("cli.graph.tty"))
	}
	if len(o.Conns) > 1 {
		return UsageError(stderr, lang, msg.E("cli.oneconn", len(o.Conns)))
	}
	conn := 0
	if len(o.Conns) > 0 {
		conn = o.Conns[0]
	}
	rec := ladder.NewRecorder(conn)
	var r *analyze.Record
	ses := o.session(stderr, nil)
	res, err := ses.Traced(ins, follow(rec), batch.TraceApart, batch.RecordFunc(func(x *analyze.Record) {
		if x.Conn == conn {
			c := x.Clone()
			r = &c
		}
	}))
	read, damaged := res.Read, res.Damaged
	if err != nil || read == 0 {
		if err != nil {
			return exitStatus(stderr, lang, err, damaged)
		}
		return ExitNothing
	}
	l := rec.Ladder(conn)
	if l == nil || r == nil {
		tty.Say(stderr, "synfin: %s", lang.F("cli.noconn", ins[0].Name, conn))
		return ExitNothing
	}
	rows := segments.Of(l, segments.Shifts(r))
	if !slices.ContainsFunc(rows, func(r segments.Row) bool { return r.Len > 0 }) {
		tty.Say(stderr, "synfin: %s", lang.F("cli.graph.nodata", ins[0].Name, conn))
		return ExitNothing
	}
	g, err := graph.Of(o.Graph, rows, l.FirstTS)
	if err != nil {
		return UsageError(stderr, lang, err)
	}
	switch o.Format {
	case table.CSV, table.JSONL:
		err = g.Points(out, o.Format == table.JSONL)
	default:
		title := lang.F("graph.title."+string(o.Graph), conn, l.Client, l.Server, lang.T("ladder."+g.Sender.String()))
		err = g.SVG(out, lang, title)
	}
	return exitStatus(stderr, lang, err, damaged)
}
