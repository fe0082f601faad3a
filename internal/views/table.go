package views

import (
	"errors"
	"io"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/batch"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/say"
	"github.com/synfin/synfin/internal/table"
	"github.com/synfin/synfin/internal/tty"
)

// Table is the table views: conns, handshakes, teardowns, options,
// summary, isn and demo.
//
// JSON Lines and CSV stream: each record is written as its connection
// finishes, so memory follows concurrent connections even for archives of
// millions. The order is the order connections finish, the same on every
// run. Sorting, limits and the other views need all records; the summary
// keeps counts, not records.
func Table(o *Options, lang msg.Lang, ins []inputs.Input, out, stderr io.Writer) int {
	var recs []analyze.Record
	multi := len(ins) > 1
	view := table.Views[o.View]
	ses := o.session(stderr, o.filter())
	streaming := (o.Format == table.JSONL || o.Format == table.CSV) && view.Columns != nil && o.SortBy == "conn" && o.Limit == 0
	summary := analyze.NewSummary()
	var res batch.Result
	var err error
	switch {
	case streaming:
		res, err = ses.Stream(ins, out, table.LinesOf(o.Format, view))
	case o.View == "summary":
		res, err = ses.Summarize(ins, &summary)
	default:
		res, err = ses.Collect(ins, batch.RecordFunc(func(r *analyze.Record) { recs = append(recs, r.Clone()) }))
	}
	read, damaged, fileOrder := res.Read, res.Damaged, res.Order
	if err != nil {
		sayError(stderr, lang, lang.F("cli.write", say.Error(lang, err)))
		return ExitNothing
	}
	if read == 0 {
		return ExitNothing
	}
	o.noMatch(ses, read, lang, stderr)
	summary.NotTCP, summary.NotDecoded = ses.NotTCP, ses.NotDecoded
	table.SortByFile(recs, fileOrder)
	if o.View != "isn" { // isn sorts its own rows, not connections
		if err := table.SortBy(recs, o.View, o.SortBy); err != nil {
			return UsageError(stderr, lang, err)
		}
	}
	if o.Limit > 0 && len(recs) > o.Limit {
		recs = recs[:o.Limit]
	}
	fit := 0 // terminal width to fit tables into; 0 for files, pipes and --wide
	if o.Format == table.Text && !o.Wide {
		fit = tty.Width(out)
	}
	var note string
	switch {
	case streaming: // written as the connections finished
	case o.View == "summary":
		err = table.RenderSummary(out, o.Format, summary, lang, fit)
	case o.View == "isn":
		err = table.RenderISN(out, o.Format, lang, recs, o.SortBy, fit)
		var bad msg.Text
		if errors.As(err, &bad) {
			return UsageError(stderr, lang, err)
		}
	case o.Format == table.JSON || o.Format == table.JSONL:
		err = table.WriteRecords(out, o.Format, recs)
	case o.View == "demo":
		note, err = table.RenderDemo(out, o.Format, recs, lang, fit)
	default:
		note, err = table.Render(out, o.Format, view, recs, multi, lang, fit)
		if err == nil && o.View == "options" && (o.Format == table.Text || o.Format == table.Markdown) {
			err = table.RenderOptionCounts(out, o.Format, lang, recs, fit)
		}
	}
	if note != "" && !o.Quiet {
		tty.Say(stderr, "%s", note)
	}
	return exitStatus(stderr, lang, err, damaged)
}
