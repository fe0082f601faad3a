package batch

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"synfin/analyze"
	"synfin/cmd/synfin/internal/inputs"
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
	// CSV writes records as CSV rows, and CSVHeader is the header line (the
	// command's conns columns); batch does not know the views.
	CSV       Encoder
	CSVHeader []string
	Jobs      int
	Window    int // captures per worker ahead of the one written; 0: Window
	Shard     Shard
	Manifest  *Manifest // --resume; nil: none
	Out       io.Writer // the records
	// AppendTo says the output has records already (a resumed run): no
	// second CSV header.
	AppendTo    bool
	SummaryOnly bool // no records, the rows only
	Stderr      io.Writer
	Progress    bool // a progress bar on Stderr
	// Session's filter, pipeline options, streams and quiet apply to
	// every capture; its Jobs, Keep and the rest are not used.
	Session Session
	// AfterWrite, when set, is called after each capture is written (a
	// test's hook).
	AfterWrite func()

	members *inputs.Budget // tar members held in memory, all archives
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
	Captures, Read, Problems, Skipped int
	Packets, Conns                    int
	Elapsed                           time.Duration
	Interrupted                       bool
}

// Takes says whether the batch's shard takes the file at path.
func (cfg *Config) Takes(path string) bool { return cfg.Shard.takes(path) }

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
	var tot Totals
	ses := &cfg.Session
	ses.Stderr = cfg.Stderr
	var bar *mpb.Bar
	var prog *mpb.Progress
	var packets atomic.Int64 // for the progress bar's goroutine
	if cfg.Progress {
		prog = mpb.New(mpb.WithOutput(cfg.Stderr), mpb.WithWidth(32), mpb.WithRefreshRate(200*time.Millisecond))
		bar = prog.AddBar(int64(len(files)),
			mpb.PrependDecorators(decor.Name("inputs "), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.Any(func(decor.Statistics) string {
				n := packets.Load()
				return fmt.Sprintf("%d pkts, %.0f pkt/s", n, float64(n)/max(1e-9, time.Since(start).Seconds()))
			}), decor.Name("  ETA "), decor.AverageETA(decor.ET_STYLE_MMSS)))
		ses.Stderr = prog
	}
	w := newSink(cfg)
	var rows []Row
	var werr error
	lastInput, inputsDone := "", 0
	// one writes a capture's records, reports it and enters it in the
	// manifest, in input order.
	one := func(u *unit, r result) {
		if r.done {
			return
		}
		// Once stopped, nothing more is written, even captures already
		// analysed: the output ends where the stop found it.
		if r.skipped || ctx.Err() != nil || tot.Interrupted || werr != nil {
			tot.Interrupted = tot.Interrupted || r.skipped || ctx.Err() != nil
			r.release()
			return
		}
		if !cfg.SummaryOnly {
			werr = w.write(r.out, r.rows)
		}
		r.release()
		if werr != nil {
			stopAll()
			return
		}
		tot.Captures++
		ok, bad := ses.report(u.in, r.res)
		if ok {
			tot.Read++
		}
		lines, _ := r.res.st.Problems(u.in.Name)
		if r.res.err != nil {
			lines = append([]string{r.res.err.Error()}, lines...)
		}
		if bad {
			tot.Problems++
		}
		tot.Packets += r.packets
		packets.Add(int64(r.packets))
		tot.Conns += r.conns
		rows = append(rows, Row{File: u.in.Name, Packets: r.packets, Conns: r.conns,
			Problems: strings.Join(lines, "; "), Millis: float64(r.elapsed.Microseconds()) / 1e3})
		// A capture that could not be read is tried again on resume.
		if ok {
			if err := cfg.Manifest.add(u.entry); err != nil {
				werr = err
				stopAll()
			}
		}
		if cfg.AfterWrite != nil {
			cfg.AfterWrite()
		}
		if u.entry.Input != lastInput {
			lastInput = u.entry.Input
			inputsDone++
			if bar != nil {
				bar.SetCurrent(int64(inputsDone))
			}
		}
	}
	ins := make([]inputs.Input, len(files))
	for i, f := range files {
		ins[i] = inputs.Input{Name: f.Name, FromDir: f.FromDir}
	}
	s := newSched(ctx, cfg.Jobs, window, ins, one)
	s.sniff, s.manifest, s.members = true, cfg.Manifest, cfg.members
	runSched(s, cfg.Jobs, func(u *unit) result { return cfg.analyze(ctx, s, ses, u) })
	if ctx.Err() != nil {
		tot.Interrupted = true
	}
	if err := w.close(); werr == nil {
		werr = err
	}
	if bar != nil {
		bar.SetTotal(int64(inputsDone), true)
		prog.Wait()
	}
	tot.Elapsed = time.Since(start)
	tot.Skipped = int(s.skipped.Load())
	return rows, tot, werr
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
	if u.sniff {
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
	out := newSpill(&ses.held)
	var held *rows
	var conns int
	var write func(*analyze.Record)
	flush := func() error { return nil }
	switch {
	case cfg.SummaryOnly:
		write = func(*analyze.Record) {}
	case cfg.Format == CSV:
		write, flush = cfg.CSV(out)
	case cfg.Format == Parquet:
		held = &rows{all: &ses.held}
		write, flush = held.add, held.finish
	default:
		write, flush = JSONLines(out)
	}
	res := ses.analyzeOne(u.in, func(r *analyze.Record) { conns++; write(r) })
	ferr := flush()
	r := result{res: res, conns: conns, packets: res.st.Segments, out: out, rows: held, elapsed: time.Since(start)}
	if err := ferr; err != nil {
		// The records could not be held (a full disk under the spill
		// file): the capture counts as unread, so a resume reads it again.
		r.res = fileResult{err: fmt.Errorf("%s: keeping its records: %w", u.in.Name, err)}
		r.release()
		r.out, r.rows, r.conns = newSpill(&ses.held), nil, 0 // none of its records are written
	}
	return r
}

// Leftover is what a finished run still holds: bytes of records waiting
// for their turn and of tar members read but not analysed. Both are 0
// unless something leaked; tests check it after stopped runs.
func (cfg *Config) Leftover() (records, members int64) {
	return cfg.Session.held.n.Load(), inputs.MemberBudget - cfg.members.Free()
}
