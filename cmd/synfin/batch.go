package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"synfin/analyze"
	"synfin/cmd/synfin/internal/batch"
	"synfin/cmd/synfin/internal/gcfloor"
	"synfin/cmd/synfin/internal/inputs"
	"synfin/cmd/synfin/internal/table"
	"synfin/cmd/synfin/internal/tty"
	"syscall"
)

// batchHeap is the heap a batch grows to before the collector runs.
const batchHeap = 512 << 20

// runBatch is the batch view: every capture of the inputs (archives read
// as streams), analysed in parallel, records written in input order.
//
// ctx is what the batch runs in (a test stops it); tune, when set, adjusts
// the batch's configuration before it runs (a test's window and hooks).
func runBatch(ctx context.Context, tune func(*batch.Config), o *options, formatSet, jobsSet bool, operands []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	// A batch over thousands of small captures makes a little garbage per
	// capture and keeps almost nothing: collecting by a memory limit rather
	// than by heap growth spares it a collection every few captures, which
	// is most of what kept --jobs 2 from doubling the pace. The heap may
	// then grow to batchHeap before the first collection. GOGC or
	// GOMEMLIMIT in the environment still decide.
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		gcfloor.Paused.Store(true) // the floor would undo this at the first collection
		old := debug.SetGCPercent(-1)
		oldLimit := debug.SetMemoryLimit(batchHeap)
		defer func() {
			debug.SetGCPercent(old)
			debug.SetMemoryLimit(oldLimit)
			gcfloor.Paused.Store(false)
		}()
	}
	cfg := &batch.Config{Stderr: stderr, Jobs: o.jobs, SummaryOnly: o.batch.summaryOnly, Session: *o.session(stderr, o.filter())}
	if !jobsSet {
		cfg.Jobs = runtime.NumCPU()
	}
	if cfg.Jobs < 1 {
		return usageError(stderr, fmt.Sprintf("--jobs %d: at least one capture must be analysed at a time", cfg.Jobs))
	}
	format := o.format
	if !formatSet {
		switch strings.ToLower(filepath.Ext(o.output)) {
		case ".csv":
			format = table.CSV
		case ".parquet":
			format = table.Parquet
		default:
			format = table.JSONL
		}
	}
	switch format {
	case table.JSONL:
		cfg.Format = batch.JSONL
	case table.CSV:
		cfg.Format = batch.CSV
		cols, header := table.ViewColumns(table.Views["conns"], true)
		cfg.CSVHeader = header
		cfg.CSV = func(w io.Writer) (func(*analyze.Record), func() error) {
			cw := csv.NewWriter(w)
			return func(r *analyze.Record) { _ = cw.Write(table.RowOf(cols, r, table.CSV)) }, func() error { cw.Flush(); return cw.Error() }
		}
	case table.Parquet:
		cfg.Format = batch.Parquet
	case table.Text, table.Markdown, table.JSON:
		if !o.batch.summaryOnly {
			return usageError(stderr, fmt.Sprintf("batch writes records as jsonl, csv or parquet, not %s (--summary-only prints a table)", format))
		}
	default:
		return usageError(stderr, fmt.Sprintf("batch writes jsonl, csv or parquet, not %s", format))
	}
	if cfg.Format == batch.Parquet && o.output == "" && !o.batch.summaryOnly {
		return usageError(stderr, "Parquet needs a file: -o out.parquet")
	}
	var err error
	if cfg.Shard, err = batch.ParseShard(o.batch.shard); err != nil {
		return usageError(stderr, err.Error())
	}
	if len(operands) == 0 {
		return usageError(stderr, "no input: name capture files, archives, directories or globs")
	}
	files, problems := inputs.Expand(operands)
	for _, p := range problems {
		tty.Say(stderr, "synfin: %s", p)
	}
	var mine []inputs.File
	for _, f := range files {
		if f.Name == "-" {
			return usageError(stderr, "batch reads files, not standard input")
		}
		if cfg.Takes(f.Name) {
			mine = append(mine, f)
		}
	}
	if o.batch.resume != "" {
		if cfg.Manifest, err = batch.OpenManifest(o.batch.resume); err != nil {
			tty.Say(stderr, "synfin: error: %v", err)
			return exitNothing
		}
		defer cfg.Manifest.Close()
	}
	if cfg.Format == batch.Parquet && cfg.Manifest != nil && o.output != "" {
		if fi, err := os.Stat(o.output); err == nil && fi.Size() > 0 {
			return usageError(stderr, fmt.Sprintf("%s exists and a Parquet file cannot be appended to: give each resumed run its own -o file (DuckDB reads them together with read_parquet('name-*.parquet'))", o.output))
		}
	}
	cfg.Out = stdout
	if o.output != "" && !o.batch.summaryOnly {
		flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
		if cfg.Manifest != nil {
			flags = os.O_CREATE | os.O_WRONLY | os.O_APPEND
		}
		f, err := os.OpenFile(o.output, flags, 0o644)
		if err != nil {
			tty.Say(stderr, "synfin: error: %v", err)
			return exitNothing
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
			cfg.AppendTo = true
		}
		cfg.Out = f
	}
	cfg.Progress = !o.noProgress && tty.Width(stderr) > 0
	if tune != nil {
		tune(cfg)
	}
	rows, st, err := batch.Run(ctx, cfg, mine)
	if err != nil {
		tty.Say(stderr, "synfin: error: writing output: %v", err)
		return exitNothing
	}
	if o.batch.summaryOnly {
		if err := writeBatchRows(stdout, o.format, rows); err != nil {
			tty.Say(stderr, "synfin: error: writing output: %v", err)
			return exitNothing
		}
	}
	if !o.quiet || st.Interrupted {
		stopped := ""
		if st.Interrupted {
			stopped = "; interrupted: the output holds every capture finished before, and --resume continues"
		}
		tty.Say(stderr, "synfin: batch: %d captures in %d inputs%s: %d read, %d with problems, %d skipped as done; %d packets, %d connections; %.1f s%s",
			st.Captures, len(mine), cfg.Shard, st.Read, st.Problems, st.Skipped, st.Packets, st.Conns, st.Elapsed.Seconds(), stopped)
	}
	switch {
	case st.Interrupted:
		return exitInterrupted
	case st.Read == 0 && st.Skipped == 0:
		return exitNothing
	case st.Problems > 0 || len(problems) > 0:
		return exitDamaged
	}
	return exitOK
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
		cells[i] = []string{tty.Safe(r.File), strconv.Itoa(r.Packets), strconv.Itoa(r.Conns), tty.Safe(r.Problems), table.F3(r.Millis)}
	}
	return table.WriteGrid(w, format, header, cells, 0)
}
