package batch

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
)

// Format is how a batch writes its records.
type Format uint8

const (
	JSONL Format = iota
	CSV
	Parquet
)

// Config is one batch: what it reads, how, and where its records go.
type Config struct {
	Format Format
	// Lines is JSON Lines or CSV (the command's conns columns): batch
	// does not know the views. Not used for Parquet.
	Lines    Lines
	Jobs     int
	Window   int // captures per worker ahead of the one written; 0: Window
	Shard    Shard
	Manifest *Manifest // --resume; nil: none
	Out      io.Writer // the records, unless Series is set
	// Series, when set, takes the records instead of Out: numbered
	// files, each closed when Rotate says it is full.
	Series Series
	Rotate Rotation
	// AppendTo says the output has records already (a resumed run): no
	// second CSV header.
	AppendTo    bool
	SummaryOnly bool // no records, the rows only
	Stderr      io.Writer
	Progress    bool // a progress bar on Stderr
	// Session's filter, pipeline options, streams and quiet apply to
	// every capture; its Jobs is not used (Config.Jobs is).
	Session Session
	// AfterWrite, when set, is called after each capture is written (a
	// test's hook).
	AfterWrite func()

	members *inputs.Budget // tar members held in memory, all archives
}

// Series is an output written as numbered files (-o conns-%04d.parquet).
type Series interface {
	// Next starts the next file; a file of the series is never
	// overwritten.
	Next() (Part, error)
}

// Part is one file of a Series: written, then put in place whole, or
// removed.
type Part interface {
	io.Writer
	Path() string // where Commit puts it
	Sync() error
	Commit() error
	Abort()
}

// Rotation says when a Series' file is full: the first capture that
// brings it to Rows records, or that ends Every after it was opened; 0
// is no limit. A capture's records are never split across files.
type Rotation struct {
	Rows  int
	Every time.Duration
}

// DefaultRotation closes a Series' file at a million records or after ten
// minutes: files DuckDB reads quickly, and a sweep's results queryable
// within minutes of being analysed.
var DefaultRotation = Rotation{Rows: 1_000_000, Every: 10 * time.Minute}

// ParseRotation reads --rotate: ROWS, DURATION (10m, 1h30m), or both
// separated by a comma; "" is DefaultRotation.
func ParseRotation(s string) (Rotation, error) {
	if s == "" {
		return DefaultRotation, nil
	}
	var r Rotation
	for _, part := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(part); err == nil && n > 0 && r.Rows == 0 {
			r.Rows = n
		} else if d, err := time.ParseDuration(part); err == nil && d > 0 && r.Every == 0 {
			r.Every = d
		} else {
			return Rotation{}, msg.E("cli.rotate", s)
		}
	}
	return r, nil
}

// Row is one line of the per-capture summary.
type Row struct {
	File     string  `json:"file"`
	Packets  int     `json:"packets"`
	Conns    int     `json:"connections"`
	Problems string  `json:"problems"`
	Millis   float64 `json:"time_ms"`
}

// Totals are a batch's counts.
type Totals struct {
	// Captures counts the inputs analysed; Read those read, Problems
	// those damaged or unreadable, NotCaptures the files found in a
	// directory that were no capture, Skipped those --resume found done.
	Captures, Read, Problems, NotCaptures, Skipped int
	Packets, Conns                                 int
	Elapsed                                        time.Duration
	Interrupted                                    bool
}

// Run analyses the files: workers take them (and the archives' captures)
// in order from a sched and analyse them at once, and each capture's
// records are written in input order as soon as the captures before it
// are written. A cancelled ctx stops the workers; what is written stays
// whole, and the manifest names it.
func Run(ctx context.Context, cfg *Config, files []inputs.File) ([]Row, Totals, error) {
	start := time.Now()
	// A write error stops the batch as Ctrl-C does: nothing more could be
	// written, so nothing more is read.
	ctx, stopAll := context.WithCancel(ctx)
	defer stopAll()
	cfg.members = inputs.NewBudget(inputs.MemberBudget)
	window := cfg.Window
	if window == 0 {
		window = Window
	}
	ses := &cfg.Session
	ses.Stderr = cfg.Stderr
	var prog *progress
	if cfg.Progress {
		prog = newProgress(cfg.Stderr, len(files), start)
		ses.Stderr = prog.p
	}
	w := &writer{ctx: ctx, stop: stopAll, cfg: cfg, ses: ses, sink: newSink(cfg), prog: prog}
	ins := make([]inputs.Input, len(files))
	for i, f := range files {
		ins[i] = inputs.Input{Name: f.Name, FromDir: f.FromDir}
	}
	s := newSched(ctx, cfg.Jobs, window, ins, w.write)
	s.sniff, s.manifest, s.members = true, cfg.Manifest, cfg.members
	runSched(s, func(u *unit) result { return cfg.analyze(ctx, s, ses, u) })
	if ctx.Err() != nil {
		w.tot.Interrupted = true
	}
	if err := w.sink.close(w.err != nil); w.err == nil {
		w.err = err
	}
	prog.done(w.inputsDone)
	w.tot.Elapsed = time.Since(start)
	w.tot.Skipped = int(s.skipped.Load())
	return w.rows, w.tot, w.err
}

// writer writes the captures in input order (the sched calls write, one
// capture at a time), reports them and enters them in the manifest.
type writer struct {
	ctx  context.Context
	stop context.CancelFunc
	cfg  *Config
	ses  *Session
	sink *sink
	prog *progress

	rows       []Row
	tot        Totals
	err        error // the first write error; it stops the batch
	lastInput  string
	inputsDone int
}

func (w *writer) write(u *unit, r result) {
	if r.done {
		return
	}
	// Once stopped, nothing more is written, even captures already
	// analysed: the output ends where the stop found it. A capture whose
	// reading the stop cut (res.interrupted) is not written either, nor
	// named in the manifest: the stop can end its input before the
	// context is cancelled, and a resumed run must read it again whole
	// (TestSlurmArray cancels an array task with scancel, SIGTERM).
	if r.skipped || r.res.interrupted || w.ctx.Err() != nil || w.tot.Interrupted || w.err != nil {
		w.tot.Interrupted = w.tot.Interrupted || r.skipped || r.res.interrupted || w.ctx.Err() != nil
		r.release()
		return
	}
	if !w.cfg.SummaryOnly {
		w.err = w.sink.write(r.out, r.rows, r.conns)
	}
	r.release()
	if w.err != nil {
		w.stop()
		return
	}
	w.tot.Captures++
	ok, bad := w.ses.report(u.in, r.res)
	if ok {
		w.tot.Read++
	}
	lines, _ := r.res.st.Problems(u.in.Name)
	if r.res.err != nil {
		lines = append([]string{r.res.err.Error()}, lines...)
	}
	switch {
	case bad:
		w.tot.Problems++
	case !ok:
		w.tot.NotCaptures++ // found in a directory, noted, not a problem
	}
	w.tot.Packets += r.packets
	w.tot.Conns += r.conns
	// The row names the file already: its problems do not say it again.
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, u.in.Name+": ")
	}
	w.rows = append(w.rows, Row{File: u.in.Name, Packets: r.packets, Conns: r.conns,
		Problems: strings.Join(lines, "; "), Millis: float64(r.elapsed.Microseconds()) / 1e3})
	// A capture that could not be read is tried again on resume.
	if ok {
		if err := w.sink.finished(u.entry); err != nil {
			w.err = err
			w.stop()
		}
	}
	if w.cfg.AfterWrite != nil {
		w.cfg.AfterWrite()
	}
	if u.entry.Input != w.lastInput {
		w.lastInput = u.entry.Input
		w.inputsDone++
	}
	w.prog.wrote(w.inputsDone, r.packets)
}

// progress is the bar on a terminal's standard error: inputs done, packets
// and their rate, and the time left. A nil progress shows nothing.
type progress struct {
	p       *mpb.Progress
	bar     *mpb.Bar
	packets atomic.Int64 // read by the bar's goroutine
}

func newProgress(stderr io.Writer, inputs int, start time.Time) *progress {
	pr := &progress{p: mpb.New(mpb.WithOutput(stderr), mpb.WithWidth(32), mpb.WithRefreshRate(200*time.Millisecond))}
	pr.bar = pr.p.AddBar(int64(inputs),
		mpb.PrependDecorators(decor.Name("inputs "), decor.CountersNoUnit("%d/%d")),
		mpb.AppendDecorators(decor.Any(func(decor.Statistics) string {
			n := pr.packets.Load()
			return fmt.Sprintf("%d pkts, %.0f pkt/s", n, float64(n)/max(1e-9, time.Since(start).Seconds()))
		}), decor.Name("  ETA "), decor.AverageETA(decor.ET_STYLE_MMSS)))
	return pr
}

func (pr *progress) wrote(inputsDone, packets int) {
	if pr != nil {
		pr.packets.Add(int64(packets))
		pr.bar.SetCurrent(int64(inputsDone))
	}
}

func (pr *progress) done(inputsDone int) {
	if pr != nil {
		pr.bar.SetTotal(int64(inputsDone), true)
		pr.p.Wait()
	}
}

// analyze reads one capture, encoding its records for the writer. A file
// is opened once: to see whether it is an archive, and to read it.
func (cfg *Config) analyze(ctx context.Context, s *sched, ses *Session, u *unit) result {
	start := time.Now()
	if ctx.Err() != nil {
		if u.skip != nil {
			u.skip()
		}
		passOn(u)
		return result{skipped: true}
	}
	if u.member < 0 && s.sniff {
		// The identity (a hash of the first MiB) is only needed to resume.
		var id *inputs.Identity
		done := false
		if cfg.Manifest != nil {
			id = &u.entry.Identity
		}
		f, kind, err := inputs.Sniff(u.in.Name, id, func(inputs.Identity) bool {
			done = cfg.Manifest.has(u.entry)
			return done
		})
		if done {
			s.skipped.Add(1)
			passOn(u)
			return result{done: true}
		}
		if kind != inputs.NotArchive {
			return result{archive: &archiveRun{kind: kind, members: make(chan *unit, 4*cfg.Jobs)}}
		}
		passOn(u)
		u.in.Open = func() (io.Reader, func(), error) {
			if err != nil {
				return nil, nil, err
			}
			return f, func() { f.Close() }, nil
		}
	}
	var out *spill
	var held *rows
	var conns int
	var write func(*analyze.Record)
	flush := func() error { return nil }
	switch {
	case cfg.SummaryOnly:
		write = func(*analyze.Record) {}
	case cfg.Format == Parquet:
		held = &rows{all: &ses.held}
		write, flush = held.add, held.finish
	default:
		out = newSpill(&ses.held)
		rw := newRecordWriter(out, cfg.Lines, false)
		defer rw.release()
		write, flush = rw.Record, rw.Flush
	}
	res := ses.analyzeOne(u.in, func(r *analyze.Record) { conns++; write(r) }, nil)
	ferr := flush()
	r := result{res: res, conns: conns, packets: res.st.Packets, out: out, rows: held, elapsed: time.Since(start)}
	if err := ferr; err != nil {
		// The records could not be held (a full disk under the spill
		// file): the capture counts as unread, so a resume reads it again.
		r.res = fileResult{err: &fileError{u.in.Name, "problem.keep.records", err}}
		r.release()
		r.out, r.rows, r.conns = nil, nil, 0 // none of its records are written
	}
	return r
}

// Leftover is what a finished run still holds: bytes of records waiting
// for their turn and of tar members read but not analysed. Both are 0
// unless something leaked; tests check it after stopped runs.
func (cfg *Config) Leftover() (records, members int64) {
	return cfg.Session.held.n.Load(), inputs.MemberBudget - cfg.members.Free()
}
