package main

import (
	"io"

	"synfin/analyze"
	"synfin/cmd/synfin/internal/batch"
	"synfin/cmd/synfin/internal/inputs"
	"synfin/cmd/synfin/internal/msg"
	"synfin/cmd/synfin/internal/table"
	"synfin/cmd/synfin/internal/tty"
)

// runTable is the table views: conns, handshakes, teardowns, options,
// summary, isn and demo.
//
// JSON Lines and CSV stream: each record is written as its connection
// finishes, so memory follows concurrent connections even for archives of
// millions. The order is the order connections finish, the same on every
// run. Sorting, limits and the other views need all records; the summary
// keeps counts, not records.
func runTable(o *options, lang msg.Lang, ins []inputs.Input, out, stderr io.Writer) int {
	var recs []analyze.Record
	multi := len(ins) > 1
	view := table.Views[o.view]
	ses := o.session(stderr, o.filter())
	ses.Out = out
	ses.Keep = func(r *analyze.Record) { recs = append(recs, r.Clone()) }
	streaming := (o.format == table.JSONL || o.format == table.CSV) && view.Columns != nil && o.sortBy == "conn" && o.limit == 0
	if streaming {
		ses.Keep, ses.Flush = table.NewStream(out, o.format, view, multi, true)
		ses.Hold = func(w io.Writer) (func(*analyze.Record), func() error) {
			if o.format == table.JSONL {
				return batch.JSONLines(w)
			}
			return table.NewStream(w, o.format, view, multi, false)
		}
	}
	summary := analyze.NewSummary()
	if o.view == "summary" {
		ses.Keep, ses.Summarize = summary.Add, summary.AddItem
	}
	read, damaged, fileOrder, err := ses.Analyze(ins)
	if err != nil {
		tty.Say(stderr, "synfin: error: writing output: %v", err)
		return exitNothing
	}
	if read == 0 {
		return exitNothing
	}
	table.SortByFile(recs, fileOrder)
	if err := table.SortBy(recs, o.view, o.sortBy); err != nil {
		return usageError(stderr, err.Error())
	}
	if o.limit > 0 && len(recs) > o.limit {
		recs = recs[:o.limit]
	}
	fit := 0 // terminal width to fit tables into; 0 for files, pipes and --wide
	if o.format == table.Text && !o.wide {
		fit = tty.Width(out)
	}
	var note string
	switch {
	case streaming:
		err = ses.Flush()
	case o.view == "summary":
		err = table.RenderSummary(out, o.format, summary, lang)
	case o.view == "isn":
		err = table.RenderISN(out, o.format, lang, recs)
	case o.format == table.JSON || o.format == table.JSONL:
		err = table.WriteRecords(out, o.format, recs)
	case o.view == "demo":
		note, err = table.RenderDemo(out, o.format, recs, fit)
	default:
		note, err = table.Render(out, o.format, view, recs, multi, lang, fit)
		if err == nil && o.view == "options" && (o.format == table.Text || o.format == table.Markdown) {
			err = table.RenderOptionCounts(out, o.format, lang, recs)
		}
	}
	if note != "" && !o.quiet {
		tty.Say(stderr, "%s", note)
	}
	return exitStatus(stderr, err, damaged)
}
