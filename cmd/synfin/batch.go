package main

import (
	"bufio"
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
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"synfin/analyze"
)

// batchOptions are the flags only the batch view reads.
type batchOptions struct {
	resume      string
	shard       string
	summaryOnly bool
}

// Test hooks: batchContext, when set, is the context a batch runs in;
// batchAfterWrite is called after each capture's records are written.
var (
	batchContext    context.Context
	batchAfterWrite func()
)

// batchHeap is the heap a batch grows to before the collector runs.
const batchHeap = 512 << 20

// exitInterrupted is the exit status of a batch stopped by Ctrl-C or
// SIGTERM (128 + SIGINT, as shells report it).
const exitInterrupted = 130

// batchUnit is one capture of a batch: a file, or a member of an archive.
// A file is looked into by the worker that opens it (sniff), and may turn
// out to be an archive, whose captures then follow it in the output.
type batchUnit struct {
	in    input
	skip  func()        // frees what the unit holds when it is never read (nil: nothing)
	entry manifestEntry // what the manifest records when it is done
	sniff bool          // a file named or found: a capture or an archive

	top    int // the file's place among the batch's files
	member int // the member's place in its archive; -1 for a file

	// settle, for a file, tells the scheduler it is not an archive (or
	// will not be read), so that archives after it may be read.
	settle func()
}

// batchResult is what analysing a unit gave.
type batchResult struct {
	res     fileResult
	conns   int
	packets int
	out     *spill // its records, encoded
	elapsed time.Duration
	skipped bool        // stopped before it ran
	done    bool        // passed over: the manifest names it as done
	archive *archiveRun // the unit is an archive, read by expand
}

// batchRow is one line of the per-capture summary.
type batchRow struct {
	File     string  `json:"file"`
	Packets  int     `json:"packets"`
	Conns    int     `json:"connections"`
	Problems string  `json:"problems"`
	Millis   float64 `json:"time_ms"`
}

// batchConfig is one batch run.
type batchConfig struct {
	o        *options
	format   string // jsonl, csv or parquet
	jobs     int
	shard    shard
	manifest *manifest
	out      io.Writer // jsonl and csv records
	outFile  *os.File  // the -o file, nil for standard output
	appendTo bool      // resuming into an output that has records already
	stderr   io.Writer
	progress bool
	skipped  atomic.Int64 // captures the manifest names as done
}

// runBatch is the batch view: every capture of the inputs (archives read
// as streams), analysed in parallel, records written in input order.
func runBatch(o *options, formatSet, jobsSet bool, operands []string, stdout, stderr io.Writer) int {
	parent := batchContext
	if parent == nil {
		parent = context.Background()
	}
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	defer stop()
	// A batch over thousands of small captures makes a little garbage per
	// capture and keeps almost nothing: collecting by a memory limit rather
	// than by heap growth spares it a collection every few captures, which
	// is most of what kept --jobs 2 from doubling the pace. The heap may
	// then grow to batchHeap before the first collection. GOGC or
	// GOMEMLIMIT in the environment still decide.
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		gcTunerPaused.Store(true) // the floor would undo this at the first collection
		old := debug.SetGCPercent(-1)
		oldLimit := debug.SetMemoryLimit(batchHeap)
		defer func() {
			debug.SetGCPercent(old)
			debug.SetMemoryLimit(oldLimit)
			gcTunerPaused.Store(false)
		}()
	}
	cfg := &batchConfig{o: o, stderr: stderr, jobs: o.jobs}
	if !jobsSet {
		cfg.jobs = runtime.NumCPU()
	}
	if cfg.jobs < 1 {
		return usageError(stderr, fmt.Sprintf("--jobs %d: at least one capture must be analysed at a time", cfg.jobs))
	}
	cfg.format = o.format
	if !formatSet {
		switch strings.ToLower(filepath.Ext(o.output)) {
		case ".csv":
			cfg.format = "csv"
		case ".parquet":
			cfg.format = "parquet"
		default:
			cfg.format = "jsonl"
		}
	}
	switch cfg.format {
	case "jsonl", "csv", "parquet":
	case "table", "markdown", "json":
		if !o.batch.summaryOnly {
			return usageError(stderr, fmt.Sprintf("batch writes records as jsonl, csv or parquet, not %s (--summary-only prints a table)", cfg.format))
		}
	default:
		return usageError(stderr, fmt.Sprintf("batch writes jsonl, csv or parquet, not %s", cfg.format))
	}
	if cfg.format == "parquet" && o.output == "" && !o.batch.summaryOnly {
		return usageError(stderr, "Parquet needs a file: -o out.parquet")
	}
	var err error
	if cfg.shard, err = parseShard(o.batch.shard); err != nil {
		return usageError(stderr, err.Error())
	}
	if len(operands) == 0 {
		return usageError(stderr, "no input: name capture files, archives, directories or globs")
	}
	files, problems := expandInputs(operands)
	for _, p := range problems {
		say(stderr, "synfin: %s", p)
	}
	var mine []inputFile
	for _, f := range files {
		if f.name == "-" {
			return usageError(stderr, "batch reads files, not standard input")
		}
		if cfg.shard.takes(f.name) {
			mine = append(mine, f)
		}
	}
	if o.batch.resume != "" {
		if cfg.manifest, err = openManifest(o.batch.resume); err != nil {
			say(stderr, "synfin: error: %v", err)
			return exitNothing
		}
		defer cfg.manifest.close()
	}
	if cfg.format == "parquet" && cfg.manifest != nil && o.output != "" {
		if fi, err := os.Stat(o.output); err == nil && fi.Size() > 0 {
			return usageError(stderr, fmt.Sprintf("%s exists and a Parquet file cannot be appended to: give each resumed run its own -o file (DuckDB reads them together with read_parquet('name-*.parquet'))", o.output))
		}
	}
	cfg.out = stdout
	if o.output != "" && !o.batch.summaryOnly {
		flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
		if cfg.manifest != nil {
			flags = os.O_CREATE | os.O_WRONLY | os.O_APPEND
		}
		f, err := os.OpenFile(o.output, flags, 0o644)
		if err != nil {
			say(stderr, "synfin: error: %v", err)
			return exitNothing
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
			cfg.appendTo = true
		}
		cfg.out, cfg.outFile = f, f
	}
	cfg.progress = !o.noProgress && terminalWidth(stderr) > 0
	rows, st, err := cfg.run(ctx, mine)
	if err != nil {
		say(stderr, "synfin: error: writing output: %v", err)
		return exitNothing
	}
	if o.batch.summaryOnly {
		if err := renderBatchRows(stdout, o.format, rows); err != nil {
			say(stderr, "synfin: error: writing output: %v", err)
			return exitNothing
		}
	}
	if !o.quiet || st.interrupted {
		say(stderr, "synfin: batch: %d captures in %d inputs%s: %d read, %d with problems, %d skipped as done; %d packets, %d connections; %.1f s%s",
			st.captures, len(mine), shardNote(cfg.shard), st.read, st.problems, st.skipped, st.packets, st.conns, st.elapsed.Seconds(), map[bool]string{true: "; interrupted: the output holds every capture finished before, and --resume continues", false: ""}[st.interrupted])
	}
	switch {
	case st.interrupted:
		return exitInterrupted
	case st.read == 0 && st.skipped == 0:
		return exitNothing
	case st.problems > 0 || len(problems) > 0:
		return exitDamaged
	}
	return exitOK
}

// batchTotals are a batch's counts.
type batchTotals struct {
	captures, read, problems, skipped int
	packets, conns                    int
	elapsed                           time.Duration
	interrupted                       bool
}

// run analyses the files: workers take them (and the archives' captures)
// in order from a batchSched and analyse them at once, and each capture's
// records are written in input order as soon as the captures before it
// are written. A cancelled ctx stops the workers; what is written stays
// whole, and the manifest names it.
func (cfg *batchConfig) run(ctx context.Context, files []inputFile) ([]batchRow, batchTotals, error) {
	start := time.Now()
	// A write error stops the batch as Ctrl-C does: nothing more could be
	// written, so nothing more is read.
	ctx, stopAll := context.WithCancel(ctx)
	defer stopAll()
	var tot batchTotals
	ses := &session{o: cfg.o, stderr: cfg.stderr, filter: newFilter(cfg.o), multi: true}
	var bar *mpb.Bar
	var prog *mpb.Progress
	var packets atomic.Int64 // for the progress bar's goroutine
	if cfg.progress {
		prog = mpb.New(mpb.WithOutput(cfg.stderr), mpb.WithWidth(32), mpb.WithRefreshRate(200*time.Millisecond))
		bar = prog.AddBar(int64(len(files)),
			mpb.PrependDecorators(decor.Name("inputs "), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.Any(func(decor.Statistics) string {
				n := packets.Load()
				return fmt.Sprintf("%d pkts, %.0f pkt/s", n, float64(n)/max(1e-9, time.Since(start).Seconds()))
			}), decor.Name("  ETA "), decor.AverageETA(decor.ET_STYLE_MMSS)))
		ses.stderr = prog
	}
	w := newRecordSink(cfg)
	var rows []batchRow
	var werr error
	lastInput, inputsDone := "", 0
	// one writes a capture's records, reports it and enters it in the
	// manifest, in input order.
	one := func(u *batchUnit, r batchResult) {
		if r.done {
			return
		}
		// Once stopped, nothing more is written, even captures already
		// analysed: the output ends where the stop found it.
		if r.skipped || ctx.Err() != nil || tot.interrupted || werr != nil {
			tot.interrupted = tot.interrupted || r.skipped || ctx.Err() != nil
			if r.out != nil {
				r.out.close()
			}
			return
		}
		if !cfg.o.batch.summaryOnly {
			werr = w.write(r.out)
		}
		r.out.close()
		if werr != nil {
			stopAll()
			return
		}
		tot.captures++
		ok, bad := ses.report(u.in, r.res)
		if ok {
			tot.read++
		}
		lines, _ := r.res.st.problems(u.in.name)
		if r.res.err != nil {
			lines = append([]string{r.res.err.Error()}, lines...)
		}
		if bad {
			tot.problems++
		}
		tot.packets += r.packets
		packets.Add(int64(r.packets))
		tot.conns += r.conns
		rows = append(rows, batchRow{File: u.in.name, Packets: r.packets, Conns: r.conns,
			Problems: strings.Join(lines, "; "), Millis: float64(r.elapsed.Microseconds()) / 1e3})
		// A capture that could not be read is tried again on resume.
		if ok {
			if err := cfg.manifest.add(u.entry); err != nil {
				werr = err
				stopAll()
			}
		}
		if batchAfterWrite != nil {
			batchAfterWrite()
		}
		if u.entry.Input != lastInput {
			lastInput = u.entry.Input
			inputsDone++
			if bar != nil {
				bar.SetCurrent(int64(inputsDone))
			}
		}
	}
	sched := newBatchSched(ctx, cfg, files, one)
	var wg sync.WaitGroup
	for range cfg.jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				u := sched.next()
				if u == nil {
					return
				}
				sched.finish(u, cfg.analyze(ctx, ses, u))
			}
		}()
	}
	wg.Wait()
	sched.end()
	if ctx.Err() != nil {
		tot.interrupted = true
	}
	if err := w.close(); werr == nil {
		werr = err
	}
	if bar != nil {
		bar.SetTotal(int64(inputsDone), true)
		prog.Wait()
	}
	tot.elapsed = time.Since(start)
	tot.skipped = int(cfg.skipped.Load())
	return rows, tot, werr
}

// failed is a unit standing for an input that could not be read.
func failed(name string, err error) *batchUnit {
	return &batchUnit{in: input{name, false, func() (io.Reader, func(), error) { return nil, nil, err }},
		entry: manifestEntry{Input: name}}
}

// passOn tells the scheduler that u, a file, will not be read as an
// archive.
func passOn(u *batchUnit) {
	if u.settle != nil {
		u.settle()
	}
}

// analyze reads one capture, encoding its records for the writer. A file
// is opened once: to see whether it is an archive, and to read it.
func (cfg *batchConfig) analyze(ctx context.Context, ses *session, u *batchUnit) batchResult {
	start := time.Now()
	if ctx.Err() != nil {
		if u.skip != nil {
			u.skip()
		}
		passOn(u)
		return batchResult{skipped: true}
	}
	if u.sniff {
		// The identity (a hash of the first MiB) is only needed to resume.
		var id *identity
		done := false
		if cfg.manifest != nil {
			id = &u.entry.identity
		}
		f, kind, err := sniffOpen(u.in.name, id, func(identity) bool {
			done = cfg.manifest.has(u.entry)
			return done
		})
		if done {
			cfg.skipped.Add(1)
			passOn(u)
			return batchResult{done: true}
		}
		if kind != "" {
			return batchResult{archive: &archiveRun{kind: kind, members: make(chan *batchUnit, 4*cfg.jobs)}}
		}
		passOn(u)
		u.in.open = func() (io.Reader, func(), error) {
			if err != nil {
				return nil, nil, err
			}
			return f, func() { f.Close() }, nil
		}
	}
	out := newSpill()
	enc := batchEncoders.Get().(*batchEncoder)
	defer batchEncoders.Put(enc)
	bw := enc.bw
	bw.Reset(out)
	var conns int
	var emit func(*analyze.Record)
	var cw *csv.Writer
	switch {
	case cfg.o.batch.summaryOnly:
		emit = func(*analyze.Record) { conns++ }
	case cfg.format == "csv":
		cols, _ := viewColumns(views["conns"], true)
		cw = csv.NewWriter(bw)
		emit = func(r *analyze.Record) { conns++; _ = cw.Write(rowOf(cols, r, "csv")) }
	default: // jsonl, and parquet, which the writer decodes again
		emit = func(r *analyze.Record) {
			conns++
			enc.line = append(r.AppendJSON(enc.line[:0]), '\n')
			bw.Write(enc.line)
		}
	}
	res := ses.analyzeOne(u.in, emit)
	var kerr error
	if cw != nil {
		cw.Flush()
		kerr = cw.Error()
	}
	if err := bw.Flush(); kerr == nil {
		kerr = err
	}
	r := batchResult{res: res, conns: conns, packets: res.st.Segments, out: out, elapsed: time.Since(start)}
	if kerr != nil {
		// The records could not be held (a full disk under the spill
		// file): the capture counts as unread, so a resume reads it again.
		r.res = fileResult{err: fmt.Errorf("%s: keeping its records: %w", u.in.name, kerr)}
		out.close()
		r.out, r.conns = newSpill(), 0 // none of its records are written
	}
	return r
}

// batchEncoder is a worker's output buffer and the line a record is
// encoded into, kept from one capture to the next.
type batchEncoder struct {
	bw   *bufio.Writer
	line []byte
}

var batchEncoders = sync.Pool{New: func() any { return &batchEncoder{bw: bufio.NewWriterSize(nil, 64<<10)} }}

// batchWindow is how many captures, per worker, may be in flight ahead
// of the one the writer waits for.
// A variable so that tests can make it small enough to fill.
var batchWindow = 128

// recordSink writes the captures' encoded records to the output in the
// batch's format.
type recordSink struct {
	cfg    *batchConfig
	bw     *bufio.Writer
	pq     *parquet.GenericWriter[analyze.Record]
	header bool // a CSV header is still due
}

func newRecordSink(cfg *batchConfig) *recordSink {
	s := &recordSink{cfg: cfg, bw: bufio.NewWriterSize(cfg.out, 256<<10)}
	switch {
	case cfg.o.batch.summaryOnly:
	case cfg.format == "parquet":
		s.pq = parquet.NewGenericWriter[analyze.Record](s.bw, parquet.Compression(&parquet.Zstd))
	case cfg.format == "csv":
		s.header = !cfg.appendTo
	}
	return s
}

// write copies one capture's records out and flushes them, so that the
// manifest never names a capture whose records are not in the output.
func (s *recordSink) write(out *spill) (err error) {
	r, err := out.reader()
	if err != nil {
		return err
	}
	if s.header {
		_, names := viewColumns(views["conns"], true)
		cw := csv.NewWriter(s.bw)
		cw.Write(names)
		cw.Flush()
		s.header = false
	}
	if s.pq == nil {
		if _, err := io.Copy(s.bw, r); err != nil {
			return err
		}
		// With a manifest the capture's records reach the file before the
		// manifest names it; without one, the buffer fills and goes out
		// as it will (a write per capture held the writer back).
		if s.cfg.manifest != nil {
			return s.bw.Flush()
		}
		return nil
	}
	defer func() {
		// With a manifest, each capture's rows are written out as a row
		// group before the manifest names the capture.
		if s.cfg.manifest != nil && err == nil {
			if err = s.pq.Flush(); err == nil {
				err = s.bw.Flush()
			}
		}
	}()
	// Parquet: decode the JSON lines back into records, a batch at a time.
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	recs := make([]analyze.Record, 0, 1024)
	flush := func() error {
		if len(recs) == 0 {
			return nil
		}
		_, err := s.pq.Write(recs)
		recs = recs[:0]
		return err
	}
	for sc.Scan() {
		var rec analyze.Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return err
		}
		if recs = append(recs, rec); len(recs) == cap(recs) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return flush()
}

// close finishes the output: a Parquet file gets its footer, so that even
// an interrupted batch leaves a valid file.
func (s *recordSink) close() error {
	if s.pq != nil {
		if err := s.pq.Close(); err != nil {
			return err
		}
	}
	return s.bw.Flush()
}

// renderBatchRows prints the per-capture summary (--summary-only).
func renderBatchRows(w io.Writer, format string, rows []batchRow) error {
	switch format {
	case "json", "jsonl":
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
		cells[i] = []string{termSafe(r.File), itoa(r.Packets), itoa(r.Conns), termSafe(r.Problems), f3(r.Millis)}
	}
	if format == "csv" {
		cw := csv.NewWriter(w)
		cw.Write(header)
		for _, c := range cells {
			c[0] = csvSafe(c[0])
			cw.Write(c)
		}
		cw.Flush()
		return cw.Error()
	}
	if format == "markdown" {
		mdTable(w, header, cells)
		return nil
	}
	t := newTable(w, "table")
	t.Header(header)
	if err := t.Bulk(cells); err != nil {
		return err
	}
	return t.Render()
}

func shardNote(s shard) string {
	if s.n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (shard %d/%d)", s.i, s.n)
}
