package views

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"slices"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/analyze/segments"
	"github.com/synfin/synfin/internal/batch"
	"github.com/synfin/synfin/internal/draw"
	"github.com/synfin/synfin/internal/graph"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
	"github.com/synfin/synfin/internal/report"
	"github.com/synfin/synfin/internal/say"
	"github.com/synfin/synfin/internal/table"
	"github.com/synfin/synfin/internal/tty"
)

// DrawOptions are the flags of the ladder and report views.
type DrawOptions struct {
	ASCII  bool // --ascii
	RawSeq bool // --raw-seq
	Full   bool // --full
}

// style is how the flags ask ladders to be drawn.
func (d DrawOptions) style(lang msg.Lang) draw.Style {
	return draw.Style{Lang: lang, ASCII: d.ASCII, RawSeq: d.RawSeq, Full: d.Full}
}

// follow hands the recorder every segment of every input.
func follow(rec *ladder.Recorder) batch.Tracer {
	return batch.TracerFunc(func(string) pipeline.TraceFunc { return rec.Trace })
}

// Ladder draws one connection of one capture (connection 0 unless -c
// names others), packet by packet; the explain view tells it in words.
func Ladder(o *Options, lang msg.Lang, ins []inputs.Input, out, stderr io.Writer) int {
	explain := o.View == "explain"
	switch {
	case explain && (o.Format == table.Text || o.Format == table.Markdown):
	case explain:
		return UsageError(stderr, lang, msg.E("cli.format.wrong", "--format "+string(o.Format), "explain", msg.Or{"table", "markdown"}, string(o.Format)))
	case o.Format == table.Text, o.Format == table.Markdown, o.Format == table.SVG, o.Format == table.HTML:
	default:
		return UsageError(stderr, lang, msg.E("cli.format.wrong", "--format "+string(o.Format), "ladder", msg.Or{"table", "markdown", "svg", "html"}, string(o.Format)))
	}
	if len(ins) != 1 {
		return UsageError(stderr, lang, msg.E("cli.onefile", o.View))
	}
	want := o.Conns
	if len(want) == 0 {
		want = []int{0}
	}
	rd, ok := o.readLadders(ins, want, stderr)
	if !ok {
		return ExitNothing
	}
	rec, records, ctx, damaged := rd.rec, rd.records, rd.ctx, rd.damaged
	if explain && o.Format == table.Text && !o.Wide {
		ctx.Width = tty.Width(out)
	}
	st := o.Draw.style(lang)
	st.Colour = o.Format == table.Text && !explain && tty.ColourWanted(out)
	if o.Format == table.Text && !explain && !o.Wide {
		st.Width = tty.Width(out)
	}
	code := ExitOK
	if damaged {
		code = ExitDamaged
	}
	var found []*ladder.Ladder
	for _, n := range want {
		l := rec.Ladder(n)
		if l == nil {
			tty.Say(stderr, "synfin: %s", lang.F("cli.noconn", ins[0].Name, n))
			code = ExitNothing
			continue
		}
		found = append(found, l)
	}
	if o.Format == table.HTML {
		fmt.Fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head><meta charset=\"utf-8\"><title>%s</title></head>\n<body>\n", lang.Code(), html.EscapeString(ins[0].Name))
	}
	for i, l := range found {
		r := records[l.Conn]
		if i > 0 && (explain || o.Format == table.Text) {
			fmt.Fprintln(out)
		}
		switch {
		case explain && o.Format == table.Markdown:
			draw.Explain(out, l, r, lang, draw.Markdown, ctx)
		case explain:
			draw.Explain(out, l, r, lang, draw.PlainText, ctx)
		case o.Format == table.Text:
			draw.Text(out, l, r, st)
		case o.Format == table.Markdown:
			fmt.Fprintf(out, "### %s\n\n```text\n", tty.MarkdownSafe(lang.F("ladder.title", l.Conn, l.Client, l.Server)))
			draw.Text(out, l, r, st)
			fmt.Fprint(out, "```\n\n")
		default: // svg, html
			draw.SVG(out, l, r, st)
		}
	}
	if o.Format == table.HTML {
		fmt.Fprint(out, "</body>\n</html>\n")
	}
	return code
}

// ladders is one reading of a capture for the ladder and explain views:
// the packets and records of the connections wanted, and what the
// walkthrough says of the others (draw.Context).
type ladders struct {
	rec     *ladder.Recorder
	records map[int]*analyze.Record
	ctx     draw.Context
	damaged bool
}

func (o *Options) readLadders(ins []inputs.Input, want []int, stderr io.Writer) (ladders, bool) {
	rd := ladders{rec: ladder.NewRecorder(want...), records: map[int]*analyze.Record{},
		ctx: draw.Context{Listened: map[string]analyze.Time{}, Earlier: map[string][]draw.Earlier{}, Told: &draw.Told{}}}
	// -c chooses what is drawn; no other filter may hide its record.
	ses := o.session(stderr, nil)
	res, err := ses.Traced(ins, follow(rd.rec), batch.TraceApart, batch.RecordFunc(func(r *analyze.Record) {
		draw.NoteListening(rd.ctx.Listened, r)
		draw.NoteEarlier(rd.ctx.Earlier, r)
		if slices.Contains(want, r.Conn) {
			c := r.Clone()
			rd.records[r.Conn] = &c
		}
	}))
	rd.damaged = res.Damaged
	return rd, err == nil && res.Read > 0
}

// Detail draws connection conn of one capture three ways from one
// reading, for the browser page: its ladder as SVG (synfin ladder -f svg
// -c N), its walkthrough (synfin explain -c N, to a file) and its record
// as a JSON line (synfin -f jsonl -c N).
func Detail(o *Options, lang msg.Lang, in inputs.Input, conn int, svg, explain, record, graphs, stderr io.Writer) int {
	rd, ok := o.readLadders([]inputs.Input{in}, []int{conn}, stderr)
	if !ok {
		return ExitNothing
	}
	l, r := rd.rec.Ladder(conn), rd.records[conn]
	if l == nil || r == nil {
		tty.Say(stderr, "synfin: %s", lang.F("cli.noconn", in.Name, conn))
		return ExitNothing
	}
	draw.SVG(svg, l, r, o.Draw.style(lang))
	draw.Explain(explain, l, r, lang, draw.PlainText, rd.ctx)
	if _, err := record.Write(append(r.AppendJSON(nil), '\n')); err != nil {
		return exitStatus(stderr, lang, err, rd.damaged)
	}
	// The data phase's time-sequence and RTT graphs, as synfin graph
	// draws them; none for a connection without data.
	rows := segments.Of(l, segments.Shifts(r))
	if slices.ContainsFunc(rows, func(r segments.Row) bool { return r.Len > 0 }) {
		for _, k := range []graph.Kind{graph.TimeSeq, graph.RTT} {
			g, err := graph.Of(k, rows, l.FirstTS)
			if err == nil {
				err = g.SVG(graphs, lang, lang.F("graph.title."+string(k), conn, l.Client, l.Server, lang.T("ladder."+g.Sender.String())))
			}
			if err != nil {
				return exitStatus(stderr, lang, err, rd.damaged)
			}
		}
	}
	return exitStatus(stderr, lang, nil, rd.damaged)
}

// Report writes one document about every input: a summary, the tables
// of the views, and ladders of representative connections. It reads the
// inputs twice: once for the records, once for the packets of the
// connections it draws.
func Report(o *Options, lang msg.Lang, ins []inputs.Input, out, stderr io.Writer) int {
	format := o.Format
	switch format {
	case table.Text:
		format = table.Markdown // a report is a document; on a terminal Markdown reads well
	case table.Markdown, table.HTML:
	default:
		return UsageError(stderr, lang, msg.E("cli.format.wrong", "--format "+string(o.Format), "report", msg.Or{"markdown", "html"}, string(o.Format)))
	}
	for i, in := range ins {
		if in.Name == "-" {
			re, cleanup, err := inputs.Rereadable(in)
			if err != nil {
				sayError(stderr, lang, lang.F("cli.stdin.error", say.Error(lang, err)))
				return ExitNothing
			}
			defer cleanup()
			ins[i] = re
		}
	}
	var recs []analyze.Record
	summary := analyze.NewSummary()
	ses := o.session(stderr, o.filter())
	ses.Jobs = 1
	res, err := ses.Collect(ins, batch.RecordFunc(func(r *analyze.Record) { recs = append(recs, r.Clone()); summary.Add(r) }))
	read, damaged, order := res.Read, res.Damaged, res.Order
	if err != nil || read == 0 {
		return ExitNothing
	}
	o.noMatch(ses, read, lang, stderr)
	table.SortByFile(recs, order) // connection order, not the order they finished
	d := &report.Data{Lang: lang, Version: o.Version, Packets: ses.Segments, Recs: recs, Summary: summary,
		Picks: report.Representatives(recs), Ladders: map[*analyze.Record]*ladder.Ladder{}, Style: o.Draw.style(lang),
		Listened: draw.Listening(recs), Earlier: draw.Earliers(recs)}
	for _, in := range ins {
		d.Files = append(d.Files, in.Name)
	}
	// Second pass: the packets of the picked connections, file by file.
	for _, in := range ins {
		var conns []int
		for _, p := range d.Picks {
			if p.Rec.File == in.Name {
				conns = append(conns, p.Rec.Conn)
			}
		}
		if len(conns) == 0 {
			continue
		}
		rec := ses.Follow(in, conns...)
		for _, p := range d.Picks {
			if p.Rec.File == in.Name {
				d.Ladders[p.Rec] = rec.Ladder(p.Rec.Conn)
			}
		}
	}
	// bufio keeps the first write error: the writers print many small
	// pieces and are checked once, at the end.
	bw := bufio.NewWriter(out)
	if format == table.HTML {
		err = report.HTML(bw, d)
	} else {
		err = report.Markdown(bw, d)
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return exitStatus(stderr, lang, err, damaged)
}
