package main

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"slices"

	"synfin/analyze"
	"synfin/analyze/ladder"
	"synfin/analyze/pipeline"
	"synfin/cmd/synfin/internal/batch"
	"synfin/cmd/synfin/internal/draw"
	"synfin/cmd/synfin/internal/inputs"
	"synfin/cmd/synfin/internal/msg"
	"synfin/cmd/synfin/internal/report"
	"synfin/cmd/synfin/internal/table"
	"synfin/cmd/synfin/internal/tty"
)

// drawOptions are the flags of the ladder and report views.
type drawOptions struct {
	ascii, rawSeq, full bool
}

// style is how the flags ask ladders to be drawn.
func (d drawOptions) style(lang msg.Lang) draw.Style {
	return draw.Style{Lang: lang, ASCII: d.ascii, RawSeq: d.rawSeq, Full: d.full}
}

// follow hands the recorder every segment of every input.
func follow(rec *ladder.Recorder) func(string) pipeline.TraceFunc {
	return func(string) pipeline.TraceFunc { return rec.Trace }
}

// runLadder draws one connection of one capture (connection 0 unless -c
// names others), packet by packet; the explain view tells it in words.
func runLadder(o *options, lang msg.Lang, ins []inputs.Input, out, stderr io.Writer) int {
	explain := o.view == "explain"
	switch {
	case explain && (o.format == table.Text || o.format == table.Markdown):
	case explain:
		return usageError(stderr, fmt.Sprintf("the explain view writes --format table or markdown, not %s", o.format))
	case o.format == table.Text, o.format == table.Markdown, o.format == table.SVG, o.format == table.HTML:
	default:
		return usageError(stderr, fmt.Sprintf("the ladder view draws: --format table, markdown, svg or html, not %s", o.format))
	}
	if len(ins) != 1 {
		return usageError(stderr, fmt.Sprintf("the %s view takes connections of one capture; name one file", o.view))
	}
	want := o.conns
	if len(want) == 0 {
		want = []int{0}
	}
	rec := ladder.NewRecorder(want...)
	records := map[int]*analyze.Record{}
	// -c chooses what is drawn; no other filter may hide its record.
	ses := o.session(stderr, nil)
	ses.Jobs, ses.Trace = 1, follow(rec)
	ses.Keep = func(r *analyze.Record) {
		if slices.Contains(want, r.Conn) {
			c := r.Clone()
			records[r.Conn] = &c
		}
	}
	read, damaged, _, err := ses.Analyze(ins)
	if err != nil || read == 0 {
		return exitNothing
	}
	st := o.draw.style(lang)
	st.Colour = o.format == table.Text && !explain && tty.ColourWanted(out)
	if o.format == table.Text && !explain && !o.wide {
		st.Width = tty.Width(out)
	}
	code := exitOK
	if damaged {
		code = exitDamaged
	}
	var found []*ladder.Ladder
	for _, n := range want {
		l := rec.Ladder(n)
		if l == nil {
			tty.Say(stderr, "synfin: %s: no connection %d (synfin conns lists them, numbered from 0)", ins[0].Name, n)
			code = exitNothing
			continue
		}
		found = append(found, l)
	}
	if o.format == table.HTML {
		fmt.Fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head><meta charset=\"utf-8\"><title>%s</title></head>\n<body>\n", lang.Code(), html.EscapeString(ins[0].Name))
	}
	for i, l := range found {
		r := records[l.Conn]
		if i > 0 && (explain || o.format == table.Text) {
			fmt.Fprintln(out)
		}
		switch {
		case explain && o.format == table.Markdown:
			draw.Explain(out, l, r, lang, draw.Markdown)
		case explain:
			draw.Explain(out, l, r, lang, draw.PlainText)
		case o.format == table.Text:
			draw.Text(out, l, r, st)
		case o.format == table.Markdown:
			fmt.Fprintf(out, "### %s\n\n```text\n", tty.MarkdownSafe(lang.F("ladder.title", l.Conn, l.Client, l.Server)))
			draw.Text(out, l, r, st)
			fmt.Fprint(out, "```\n\n")
		default: // svg, html
			draw.SVG(out, l, r, st)
		}
	}
	if o.format == table.HTML {
		fmt.Fprint(out, "</body>\n</html>\n")
	}
	return code
}

// runReport writes one document about every input: a summary, the tables
// of the views, and ladders of representative connections. It reads the
// inputs twice: once for the records, once for the packets of the
// connections it draws.
func runReport(o *options, lang msg.Lang, ins []inputs.Input, out, stderr io.Writer) int {
	format := o.format
	switch format {
	case table.Text:
		format = table.Markdown // a report is a document; on a terminal Markdown reads well
	case table.Markdown, table.HTML:
	default:
		return usageError(stderr, fmt.Sprintf("the report view writes --format markdown or html, not %s", o.format))
	}
	for i, in := range ins {
		if in.Name == "-" {
			re, cleanup, err := inputs.Rereadable(in)
			if err != nil {
				tty.Say(stderr, "synfin: error: standard input: %v", err)
				return exitNothing
			}
			defer cleanup()
			ins[i] = re
		}
	}
	var recs []analyze.Record
	summary := analyze.NewSummary()
	ses := o.session(stderr, o.filter())
	ses.Jobs = 1
	ses.Keep = func(r *analyze.Record) { recs = append(recs, r.Clone()); summary.Add(r) }
	read, damaged, _, err := ses.Analyze(ins)
	if err != nil || read == 0 {
		return exitNothing
	}
	d := &report.Data{Lang: lang, Version: version, Packets: ses.Segments, Recs: recs, Summary: summary,
		Picks: report.Representatives(recs), Ladders: map[*analyze.Record]*ladder.Ladder{}, Style: o.draw.style(lang)}
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
		rec := ladder.NewRecorder(conns...)
		quiet := &batch.Session{Pipeline: ses.Pipeline, StreamsDir: o.streams, Stderr: io.Discard, Jobs: 1,
			Filter: func(*analyze.Record) bool { return false }, Keep: func(*analyze.Record) {}, Trace: follow(rec)}
		quiet.Analyze([]inputs.Input{in})
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
	return exitStatus(stderr, err, damaged)
}
