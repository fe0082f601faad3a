package views

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/synfin/synfin/internal/batch"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/outfile"
	"github.com/synfin/synfin/internal/say"
	"github.com/synfin/synfin/internal/table"
	"github.com/synfin/synfin/internal/tty"
)

// Batch is the batch view: every capture of the inputs (archives read
// as streams), analysed in parallel, records written in input order.
//
// ctx is what the batch runs in (a test stops it); tune, when set, adjusts
// the batch's configuration before it runs (a test's window and hooks).
func Batch(ctx context.Context, tune func(*batch.Config), o *Options, formatSet, jobsSet bool, operands []string, stdout, stderr io.Writer) int {
	if o.Stop != nil {
		// The first Ctrl-C stops the batch: captures finished are in the
		// output and the manifest, and --resume goes on from there.
		var stop context.CancelFunc
		ctx, stop = context.WithCancel(ctx)
		defer stop()
		go func() {
			select {
			case <-o.Stop.Done():
				stop()
			case <-ctx.Done():
			}
		}()
	}
	lang := o.language()
	cfg, err := o.batchConfig(stderr, formatSet, jobsSet)
	if err != nil {
		return UsageError(stderr, lang, err)
	}
	if len(operands) == 0 {
		return UsageError(stderr, lang, msg.E("cli.noinput.batch"))
	}
	files, problems := inputs.Expand(operands)
	for _, p := range problems {
		tty.Say(stderr, "synfin: %s", say.Error(lang, p))
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	written := o.Format
	if o.Batch.SummaryOnly {
		written = table.Raw // the records' file is not written
	}
	if err := outfile.Checks(o.Output, names, written, o.Force); err != nil {
		return UsageError(stderr, lang, err)
	}
	for _, f := range files {
		if f.Name == "-" {
			return UsageError(stderr, lang, msg.E("cli.stdin.batch"))
		}
	}
	mine := cfg.Shard.Pick(files, fileSize)
	if o.Batch.Resume != "" {
		if cfg.Manifest, err = batch.OpenManifest(o.Batch.Resume); err != nil {
			sayError(stderr, lang, say.Error(lang, err))
			return ExitNothing
		}
		defer cfg.Manifest.Close()
		if s, ok := cfg.Series.(seriesFiles); ok {
			s.Taken(cfg.Manifest.Outputs())
		}
	}
	closeOut, err := o.openBatchOutput(cfg, stdout)
	var usage usageProblem
	if errors.As(err, &usage) {
		return UsageError(stderr, lang, usage.err)
	}
	if err != nil {
		sayError(stderr, lang, say.Error(lang, err))
		return ExitNothing
	}
	if tune != nil {
		tune(cfg)
	}
	rows, st, err := batch.Run(ctx, cfg, mine)
	if err == nil && o.Batch.SummaryOnly {
		err = writeBatchRows(stdout, o.Format, rows)
	}
	if err == nil {
		// Nothing read leaves the old output as it was.
		err = closeOut(st.Interrupted || st.Read > 0 || st.Skipped > 0)
	}
	if err != nil {
		_ = closeOut(false) // the error being reported is the one that matters
		sayError(stderr, lang, lang.F("cli.write", say.Error(lang, err)))
		return ExitNothing
	}
	if !o.Quiet || st.Interrupted {
		stopped := ""
		if st.Interrupted {
			stopped = lang.T("cli.batch.stopped")
		}
		others := ""
		if st.NotCaptures > 0 {
			others = lang.F("cli.batch.others", count(st.NotCaptures, "otherfile"))
		}
		// Files found in a directory that are not captures are not counted
		// as captures; captures --resume found done are.
		tty.Say(stderr, "synfin: %s", lang.F("cli.batch.done", count(st.Captures-st.NotCaptures+st.Skipped, "capture"), count(len(mine), "input"),
			cfg.Shard.String()+others, st.Read, st.Problems, st.Skipped, count(st.Packets, "packet"), count(st.Conns, "connection"), st.Elapsed.Seconds(), stopped))
	}
	switch {
	case st.Interrupted:
		return ExitInterrupted
	case st.Read == 0 && st.Skipped == 0:
		return ExitNothing
	case st.Problems > 0 || len(problems) > 0:
		return ExitDamaged
	}
	return ExitOK
}

// usageProblem is a mistake on the command line found while setting a
// view up: reported with the usage line, exit status 2.
type usageProblem struct{ err error }

func (u usageProblem) Error() string { return u.err.Error() }
func (u usageProblem) Unwrap() error { return u.err }

// batchConfig is the batch the flags ask for: jobs (all cores unless
// given), the format (from -o's extension unless given), the shard, and
// every capture's analysis as the table views do it.
func (o *Options) batchConfig(stderr io.Writer, formatSet, jobsSet bool) (*batch.Config, error) {
	cfg := &batch.Config{Stderr: stderr, Jobs: o.Jobs, SummaryOnly: o.Batch.SummaryOnly, Session: *o.session(stderr, o.filter()),
		Progress: !o.NoProgress && tty.Width(stderr) > 0}
	if !jobsSet {
		cfg.Jobs = runtime.NumCPU()
	}
	if cfg.Jobs < 1 {
		return nil, usageProblem{msg.E("cli.jobs", cfg.Jobs)}
	}
	format := o.Format
	if !formatSet {
		switch strings.ToLower(filepath.Ext(o.Output)) {
		case ".csv":
			format = table.CSV
		case ".parquet":
			format = table.Parquet
		default:
			format = table.JSONL
		}
	}
	o.Format = format // what -o's name is checked against
	switch format {
	case table.JSONL:
		cfg.Format, cfg.Lines = batch.JSONL, table.LinesOf(table.JSONL, table.Views["conns"])
	case table.CSV:
		cfg.Format, cfg.Lines = batch.CSV, table.LinesOf(table.CSV, table.Views["conns"])
	case table.Parquet:
		cfg.Format = batch.Parquet
	case table.Text, table.Markdown, table.JSON:
		if !o.Batch.SummaryOnly {
			return nil, usageProblem{msg.E("cli.batch.records", string(format))}
		}
	default:
		return nil, usageProblem{msg.E("cli.batch.format", string(format))}
	}
	if cfg.Format == batch.Parquet && o.Output == "" && !o.Batch.SummaryOnly {
		return nil, usageProblem{msg.E("cli.batch.parquetout")}
	}
	by, err := batch.ParseShardBy(o.Batch.ShardBy)
	if err != nil {
		return nil, usageProblem{err}
	}
	if cfg.Shard, err = batch.ParseShard(o.Batch.Shard, by); err != nil {
		return nil, usageProblem{err}
	}
	if err := o.chooseOutput(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// openBatchOutput opens -o for the records (standard output without it):
// written to a temporary file put in its place when the batch ends, or
// appended to when resuming. close(true) finishes it, close(false) leaves
// the old file as it was (or, resumed, as far as the manifest says). A
// usageProblem says a resumed Parquet file cannot be appended to.
func (o *Options) openBatchOutput(cfg *batch.Config, stdout io.Writer) (close func(commit bool) error, err error) {
	cfg.Out = stdout
	if cfg.Series != nil {
		return func(bool) error { return nil }, nil
	}
	if o.Output == "" || o.Batch.SummaryOnly {
		return func(bool) error { return nil }, nil
	}
	if cfg.Manifest == nil {
		f, err := outfile.Create(o.Output)
		if err != nil {
			return nil, err
		}
		cfg.Out = f
		return func(commit bool) error {
			if !commit {
				f.Abort()
				return nil
			}
			return f.Commit()
		}, nil
	}
	// Resumed: the records of earlier runs are in the file already, and
	// the manifest names them; new ones are appended.
	f, err := os.OpenFile(o.Output, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		cfg.AppendTo = true
	}
	cfg.Out = f
	return func(bool) error { return f.Close() }, nil
}

// chooseOutput checks -o for the batch before anything is opened: a
// numbered name becomes cfg.Series, continued after the files there only
// with --resume, whose manifest names what they hold (the first run of a
// series starts at 0); a single Parquet file is not resumed.
func (o *Options) chooseOutput(cfg *batch.Config) error {
	series, err := outfile.ParseSeries(o.Output)
	if err != nil {
		return usageProblem{err}
	}
	if series == nil || o.Batch.SummaryOnly {
		if cfg.Format == batch.Parquet && o.Batch.Resume != "" && o.Output != "" {
			// A crash before the footer would leave a file nothing reads
			// while the manifest named its captures: resumed Parquet is a
			// series of files, each put in place whole.
			base := strings.TrimSuffix(o.Output, filepath.Ext(o.Output))
			return usageProblem{msg.E("cli.batch.append", o.Output, base+"-%04d.parquet", base+"-*.parquet")}
		}
		return nil
	}
	existing, err := series.Existing()
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		if o.Batch.Resume == "" {
			return usageProblem{msg.E("cli.out.seriesthere", o.Output, series.Name(existing[0]))}
		}
		series.ContinueAfter(existing)
	}
	if cfg.Rotate, err = batch.ParseRotation(o.Batch.Rotate); err != nil {
		return usageProblem{err}
	}
	cfg.Series = seriesFiles{series}
	return nil
}

// seriesFiles are an outfile.Series as the batch takes it.
type seriesFiles struct{ *outfile.Series }

func (s seriesFiles) Next() (batch.Part, error) {
	f, err := s.Series.Next()
	if err != nil {
		return nil, err
	}
	return f, nil
}

// fileSize is a file's size for --shard-by size; one that cannot be read
// counts 0 (its shard reports it).
func fileSize(name string) int64 {
	fi, err := os.Stat(name)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// writeBatchRows prints the per-capture summary (--summary-only).
func writeBatchRows(w io.Writer, format table.Format, rows []batch.Row) error {
	switch format {
	case table.JSON, table.JSONL:
		enc := json.NewEncoder(w)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	header := []string{"file", "packets", "connections", "problems", "time_ms"}
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = []string{r.File, strconv.Itoa(r.Packets), strconv.Itoa(r.Conns), tty.Safe(r.Problems), table.F3(r.Millis)}
	}
	return table.WriteGrid(w, format, header, cells, 0)
}

// count is n and a noun, plural unless n is 1, in the message's
// language (cli.n.NOUN).
func count(n int, noun string) msg.Text {
	if n == 1 {
		return msg.E("cli.n." + noun + ".one")
	}
	return msg.E("cli.n."+noun, n)
}
