package main

import (
	"fmt"
	"html"
	"io"
	"os"
	"slices"

	"synfin/analyze"
	"synfin/analyze/ladder"
	"synfin/cmd/synfin/msg"
	"synfin/flows"
)

// drawOptions are the flags of the ladder and report views.
type drawOptions struct {
	ascii, rawSeq, full bool
}

// runLadder draws one connection of one capture (connection 0 unless -c
// names others), packet by packet.
func runLadder(o *options, lang msg.Lang, inputs []input, out, stderr io.Writer) int {
	explain := o.view == "explain"
	switch {
	case explain && (o.format == "table" || o.format == "markdown"):
	case explain:
		return usageError(stderr, fmt.Sprintf("the explain view writes --format table or markdown, not %s", o.format))
	case o.format == "table", o.format == "markdown", o.format == "svg", o.format == "html":
	default:
		return usageError(stderr, fmt.Sprintf("the ladder view draws: --format table, markdown, svg or html, not %s", o.format))
	}
	if len(inputs) != 1 {
		return usageError(stderr, fmt.Sprintf("the %s view takes connections of one capture; name one file", o.view))
	}
	want := o.conns
	if len(want) == 0 {
		want = []int{0}
	}
	rec := ladder.NewRecorder(want...)
	records := map[int]*analyze.Record{}
	o.conns = nil
	// -c chooses what is drawn; no other filter may hide its record.
	ses := &session{o: o, out: out, stderr: stderr, filter: func(*analyze.Record) bool { return true },
		keep: func(r *analyze.Record) {
			if slices.Contains(want, r.Conn) {
				c := r.Clone()
				records[r.Conn] = &c
			}
		},
		trace: func(string) func(*flows.Conn, *flows.Segment, flows.Dir, flows.SegClass) { return rec.Trace },
	}
	o.jobs = 1
	read, damaged, _, err := ses.analyzeAll(inputs)
	if err != nil || read == 0 {
		return exitNothing
	}
	st := ladderStyle{lang: lang, ascii: o.draw.ascii, rawSeq: o.draw.rawSeq, full: o.draw.full,
		colour: o.format == "table" && !explain && colourWanted(out)}
	if o.format == "table" && !explain && !o.wide {
		st.width = terminalWidth(out)
	}
	code := exitOK
	if damaged {
		code = exitDamaged
	}
	var found []*ladder.Ladder
	for _, n := range want {
		l := rec.Ladder(n)
		if l == nil {
			say(stderr, "synfin: %s: no connection %d (synfin conns lists them, numbered from 0)", inputs[0].name, n)
			code = exitNothing
			continue
		}
		found = append(found, l)
	}
	if o.format == "html" {
		fmt.Fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head><meta charset=\"utf-8\"><title>%s</title></head>\n<body>\n", lang.Code(), escapeHTML(inputs[0].name))
	}
	for i, l := range found {
		r := records[l.Conn]
		if explain {
			if i > 0 {
				fmt.Fprintln(out)
			}
			explainConn(out, l, r, lang, o.format)
			continue
		}
		switch o.format {
		case "table":
			if i > 0 {
				fmt.Fprintln(out)
			}
			writeLadderText(out, l, r, st)
		case "markdown":
			fmt.Fprintf(out, "### %s\n\n```text\n", markdownSafe(lang.F("ladder.title", l.Conn, l.Client, l.Server)))
			writeLadderText(out, l, r, st)
			fmt.Fprint(out, "```\n\n")
		case "svg", "html":
			writeLadderSVG(out, l, r, st)
		}
	}
	if o.format == "html" {
		fmt.Fprint(out, "</body>\n</html>\n")
	}
	return code
}

// runReport writes one document about every input: a summary, the tables
// of the views, and ladders of representative connections. It reads the
// inputs twice: once for the records, once for the packets of the
// connections it draws.
func runReport(o *options, lang msg.Lang, inputs []input, out, stderr io.Writer) int {
	switch o.format {
	case "table":
		o.format = "markdown" // a report is a document; on a terminal Markdown reads well
	case "markdown", "html":
	default:
		return usageError(stderr, fmt.Sprintf("the report view writes --format markdown or html, not %s", o.format))
	}
	for i, in := range inputs {
		if in.name == "-" {
			re, cleanup, err := rereadable(in)
			if err != nil {
				say(stderr, "synfin: error: standard input: %v", err)
				return exitNothing
			}
			defer cleanup()
			inputs[i] = re
		}
	}
	var recs []analyze.Record
	summary := analyze.NewSummary()
	o.jobs = 1
	ses := &session{o: o, out: out, stderr: stderr, filter: newFilter(o), multi: len(inputs) > 1,
		keep: func(r *analyze.Record) { recs = append(recs, r.Clone()); summary.Add(r) }}
	read, damaged, _, err := ses.analyzeAll(inputs)
	if err != nil || read == 0 {
		return exitNothing
	}
	d := &reportData{lang: lang, packets: ses.segments, recs: recs, summary: summary,
		picks: representatives(recs), ladders: map[*analyze.Record]*ladder.Ladder{},
		style: ladderStyle{lang: lang, ascii: o.draw.ascii, rawSeq: o.draw.rawSeq, full: o.draw.full}}
	for _, in := range inputs {
		d.files = append(d.files, in.name)
	}
	// Second pass: the packets of the picked connections, file by file.
	for _, in := range inputs {
		var conns []int
		for _, p := range d.picks {
			if p.rec.File == in.name {
				conns = append(conns, p.rec.Conn)
			}
		}
		if len(conns) == 0 {
			continue
		}
		rec := ladder.NewRecorder(conns...)
		quiet := &session{o: o, out: io.Discard, stderr: io.Discard, filter: func(*analyze.Record) bool { return false },
			keep:  func(*analyze.Record) {},
			trace: func(string) func(*flows.Conn, *flows.Segment, flows.Dir, flows.SegClass) { return rec.Trace }}
		quiet.analyzeAll([]input{in})
		for _, p := range d.picks {
			if p.rec.File == in.name {
				d.ladders[p.rec] = rec.Ladder(p.rec.Conn)
			}
		}
	}
	ew := &errWriter{w: out}
	if o.format == "html" {
		err = writeReportHTML(ew, d)
	} else {
		err = writeReportMarkdown(ew, d)
	}
	if err == nil {
		err = ew.err
	}
	return exitStatus(stderr, err, damaged)
}

// errWriter keeps the first write error, so that writers printing many
// small pieces can be checked once at the end.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// rereadable spools standard input to an unlinked temporary file so that
// it can be read twice.
func rereadable(in input) (input, func(), error) {
	r, done, err := in.open()
	if err != nil {
		return in, nil, err
	}
	defer done()
	f, err := os.CreateTemp("", "synfin-stdin-*")
	if err != nil {
		return in, nil, err
	}
	os.Remove(f.Name())
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return in, nil, err
	}
	return input{in.name, false, func() (io.Reader, func(), error) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, nil, err
		}
		return f, func() {}, nil
	}}, func() { f.Close() }, nil
}

func escapeHTML(s string) string { return html.EscapeString(s) }
