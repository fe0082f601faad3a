package batch

import (
	"context"
	"errors"
	"io"
	"sync/atomic"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows/capture"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/interrupt"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
	"github.com/synfin/synfin/internal/say"
	"github.com/synfin/synfin/internal/streams"
	"github.com/synfin/synfin/internal/tty"
)

// Session analyses the inputs of one run (the table views: conns, -j N),
// reporting each input's problems in input order and handing on the
// records that pass its filter.
type Session struct {
	Pipeline pipeline.Options
	Filter   func(*analyze.Record) bool // nil: every record
	// Matches, when set, counts what Filter saw and let through.
	Matches *Matches
	// StreamsDir, when set, gets each connection's payload (--streams).
	StreamsDir string
	Quiet      bool // no notes, only problems
	Stderr     io.Writer
	// Lang is the language of the notes and problems printed on Stderr
	// (--lang); the zero value is English.
	Lang msg.Lang
	Jobs int // inputs analysed at once
	// Segments counts the TCP segments of every input read; NotTCP the
	// packets without TCP, and NotDecoded, by what they were, those of
	// them whose encapsulation synfin could not decode to IP.
	Segments   int
	NotTCP     int
	NotDecoded map[string]int
	// Stop, when set, ends the input early (the first Ctrl-C): the input
	// being read ends where it was, later ones are not read, and every
	// open connection is finished and written.
	Stop *interrupt.Stop
	// Unread counts the inputs Stop left unread.
	Unread int

	held   holding
	tracer Tracer    // Traced's
	mode   TraceMode // Traced's
}

// Records takes a session's records in input order. A record is valid
// during the call only: Clone it to keep it.
type Records interface {
	Record(*analyze.Record)
}

// RecordFunc is a function as Records.
type RecordFunc func(*analyze.Record)

// Record calls f.
func (f RecordFunc) Record(r *analyze.Record) { f(r) }

// Tracer gives each input's segment hook (ladders, packet lists,
// segments). The hooks of one session share what they record, so a
// traced session reads one input at a time, whatever Jobs says.
type Tracer interface {
	Trace(file string) pipeline.TraceFunc
}

// TraceMode says how a Tracer's hooks and the Records go together.
type TraceMode uint8

const (
	// TraceApart: the records need nothing the hooks recorded until the
	// input ends.
	TraceApart TraceMode = iota
	// TraceTogether: the Records read what the hooks recorded as each
	// connection finishes, so both run in one goroutine.
	TraceTogether
)

// Lines is a format written a record a line, JSON Lines or CSV
// (table.LinesOf): an encoder for each goroutine that encodes, and the
// line that heads the output.
type Lines interface {
	analyze.Encoders
	Header() []byte
}

// Result is what a session read: how many inputs, whether any was damaged
// or skipped (exit status 1), and the input order of the names.
type Result struct {
	Read    int
	Damaged bool
	Order   map[string]int
}

// Matches counts the records a filter was asked about and let through,
// so that a filter matching nothing can say so ("no connection matches
// --host 10.0.0.1 (48 in the capture)"); the pipeline's workers call the
// filter at once, hence the atomics.
type Matches struct{ Seen, Kept atomic.Int64 }

// Counting wraps filter so that m counts what it sees and keeps.
func (m *Matches) Counting(filter func(*analyze.Record) bool) func(*analyze.Record) bool {
	return func(r *analyze.Record) bool {
		m.Seen.Add(1)
		if filter(r) {
			m.Kept.Add(1)
			return true
		}
		return false
	}
}

// fileResult is what analysing one input gave.
type fileResult struct {
	st          pipeline.Stats
	err         error
	interrupted bool // Stop ended it before its end
}

// analyzeOne reads one input, passing the records that pass the filter to
// emit. With direct (a Stream's writer, the input's turn), the records may
// be encoded by the pipeline's workers, and when the input is a stream (a
// pipe from a live tcpdump) each is flushed as it is made, so that whoever
// reads the output sees a connection as soon as it is finished.
func (s *Session) analyzeOne(in inputs.Input, emit func(*analyze.Record), direct *recordWriter) fileResult {
	r, done, err := in.Open()
	if err != nil {
		return fileResult{err: &inputs.FileError{Name: in.Name, Err: err}}
	}
	defer done()
	live := pipeline.IsStream(r)
	if s.Stop != nil {
		r = s.Stop.Reader(r)
	}
	if direct != nil && live {
		write, failed := emit, false
		emit = func(rec *analyze.Record) {
			write(rec)
			if err := direct.Flush(); err != nil && !failed {
				failed = true // said once, not for every record after
				tty.Say(s.Stderr, "synfin: %s", s.Lang.F("problem.write.output", say.Error(s.Lang, err)))
			}
		}
	}
	opt := s.Pipeline
	if s.tracer != nil {
		opt.Trace = s.tracer.Trace(in.Name)
		if s.mode == TraceTogether {
			opt.Stages = pipeline.InOne
		}
	}
	if direct != nil && !live && s.tracer == nil && s.StreamsDir == "" {
		// One capture at a time: a large one is analysed and encoded by
		// its workers, its bytes merged in order.
		opt.Encoding = &pipeline.Encoding{Format: filtered{direct.lines, s.Filter}, Out: direct}
	}
	keep := emit
	if s.Filter != nil {
		keep = func(rec *analyze.Record) {
			if s.Filter(rec) {
				emit(rec)
			}
		}
	}
	var set *streams.Set
	if s.StreamsDir != "" {
		set = streams.New(s.StreamsDir, in.Name)
		if opt.Trace != nil {
			tty.Say(s.Stderr, "synfin: %s%s", say.NoteLabel(s.Lang), s.Lang.T("problem.streams.view"))
		} else {
			// The set applies the filter itself: it removes the files of
			// the connections the filter refuses.
			opt.Trace, opt.Stages = set.Trace, pipeline.InOne
			keep = set.Emit(s.Filter, emit)
		}
	}
	st, err := pipeline.Run(in.Name, r, opt, keep)
	interrupted := s.Stop != nil && s.Stop.Stopped()
	if interrupted {
		// The input was cut where Ctrl-C found it, perhaps in the middle
		// of a record or before its header: not damage, and said as a
		// note.
		err = nil
	}
	if set != nil {
		if serr := set.Close(); serr != nil && err == nil {
			err = &fileError{in.Name, "problem.write.streams", serr}
		}
	}
	return fileResult{st: st, err: err, interrupted: interrupted}
}

// Collect reads every input, handing every record that passes the filter
// to to, in input order.
func (s *Session) Collect(ins []inputs.Input, to Records) (Result, error) {
	return s.analyze(ins, collect{to})
}

// Summarize reads every input into sum: inputs analysed while others run
// hold summary items, not records.
func (s *Session) Summarize(ins []inputs.Input, sum *analyze.Summary) (Result, error) {
	return s.analyze(ins, summarize{sum})
}

// Traced reads the inputs one at a time, tr watching their segments, and
// hands the records to to.
func (s *Session) Traced(ins []inputs.Input, tr Tracer, mode TraceMode, to Records) (Result, error) {
	s.tracer, s.mode = tr, mode
	defer func() { s.tracer = nil }()
	return s.analyze(ins, collect{to})
}

// Stream reads every input, writing the records to w in lines (JSON Lines
// or CSV, the header first) as their connections finish: memory follows
// the connections open at once, even over archives of millions. Inputs
// analysed while others run hold their lines (in memory up to a budget,
// in unlinked temporary files beyond) until their turn. Nothing read
// leaves w as it was.
func (s *Session) Stream(ins []inputs.Input, w io.Writer, f Lines) (Result, error) {
	st := &stream{w: w, lines: f, direct: newRecordWriter(w, f, true)}
	defer st.direct.release()
	res, err := s.analyze(ins, st)
	if err == nil && res.Read > 0 {
		err = st.direct.Flush()
	}
	return res, err
}

// output is how a session's records leave it: collect, summarize or
// stream.
type output interface {
	// now analyses the input whose turn it is.
	now(s *Session, in inputs.Input) result
	// ahead analyses an input while others run, holding what it gives.
	ahead(s *Session, in inputs.Input) result
	// write hands on what ahead held, at the input's turn.
	write(s *Session, r *result) error
}

type collect struct{ to Records }

func (c collect) now(s *Session, in inputs.Input) result {
	return result{res: s.analyzeOne(in, c.to.Record, nil)}
}

func (c collect) ahead(s *Session, in inputs.Input) result {
	var r result
	r.res = s.analyzeOne(in, func(rec *analyze.Record) { r.recs = append(r.recs, rec.Clone()) }, nil)
	return r
}

func (c collect) write(s *Session, r *result) error {
	for i := range r.recs {
		c.to.Record(&r.recs[i])
	}
	return nil
}

type summarize struct{ sum *analyze.Summary }

func (m summarize) now(s *Session, in inputs.Input) result {
	return result{res: s.analyzeOne(in, m.sum.Add, nil)}
}

func (m summarize) ahead(s *Session, in inputs.Input) result {
	var r result
	r.res = s.analyzeOne(in, func(rec *analyze.Record) { r.items = append(r.items, analyze.ItemOf(rec)) }, nil)
	return r
}

func (m summarize) write(s *Session, r *result) error {
	for _, it := range r.items {
		m.sum.AddItem(it)
	}
	return nil
}

// stream is Stream's output: direct writes the records of the input
// whose turn it is, and held inputs' lines are copied after what it
// buffered.
type stream struct {
	w      io.Writer
	lines  Lines
	direct *recordWriter
}

func (st *stream) now(s *Session, in inputs.Input) result {
	return result{res: s.analyzeOne(in, st.direct.Record, st.direct)}
}

func (st *stream) ahead(s *Session, in inputs.Input) result {
	sp := newSpill(&s.held)
	rw := newRecordWriter(sp, st.lines, false)
	defer rw.release()
	r := result{res: s.analyzeOne(in, rw.Record, nil), out: sp}
	if err := rw.Flush(); err != nil && r.res.err == nil {
		// The output could not be held (a full disk under the
		// temporary file): say so rather than write part of it.
		r.res.err = &fileError{in.Name, "problem.hold.records", err}
	}
	return r
}

func (st *stream) write(s *Session, r *result) error {
	if r.out == nil {
		return nil
	}
	sp := r.out
	defer sp.close()
	err := st.direct.Flush()
	rd, rerr := sp.reader()
	if rerr != nil {
		if err == nil {
			err = rerr
		}
		return err
	}
	if _, cerr := io.Copy(st.w, rd); err == nil {
		err = cerr
	}
	return err
}

// analyze reads every input. With one job, records go out as connections
// finish. With several, inputs are analysed at once and an input's output
// waits until the inputs before it are written, so the output is byte
// for byte that of one job; at most Window inputs per job run ahead of
// the one being written. The error is the output's.
func (s *Session) analyze(ins []inputs.Input, out output) (res Result, err error) {
	jobs := max(1, min(s.Jobs, len(ins)))
	if s.tracer != nil {
		jobs = 1
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	if s.Stop != nil {
		go func() {
			select {
			case <-s.Stop.Done():
				stop() // inputs not started are not read
			case <-ctx.Done():
			}
		}()
	}
	res.Order = map[string]int{}
	for i, in := range ins {
		res.Order[in.Name] = i
	}
	write := func(u *unit, r result) {
		if r.skipped && s.Stop != nil && s.Stop.Stopped() {
			s.Unread++
		}
		if r.skipped || err != nil {
			r.release()
			return
		}
		if err = out.write(s, &r); err != nil {
			stop()
			return
		}
		s.Segments += r.res.st.Segments
		ok, bad := s.report(u.in, r.res)
		if ok {
			res.Read++
		}
		res.Damaged = res.Damaged || bad
	}
	work := func(u *unit) result {
		if ctx.Err() != nil {
			return result{skipped: true}
		}
		if jobs == 1 {
			return out.now(s, u.in)
		}
		return out.ahead(s, u.in)
	}
	runSched(newSched(ctx, jobs, Window, ins, write), work)
	return res, err
}

// report prints one input's problems and says whether it was read and
// whether it counts as damaged or skipped (exit status 1).
func (s *Session) report(in inputs.Input, res fileResult) (read, damaged bool) {
	st, err := res.st, res.err
	var oe *capture.OpenError
	l := s.Lang
	note := say.NoteLabel(l)
	switch {
	case errors.As(err, &oe) && errors.Is(err, capture.ErrNotCapture) && in.FromDir:
		// A directory holds other files too: say so, do not fail.
		if !s.Quiet {
			tty.Say(s.Stderr, "synfin: %s%s", note, l.F("problem.skipped", in.Name))
		}
		return false, false
	case errors.As(err, &oe), err != nil && st.Packets == 0 && st.Format == "":
		tty.Say(s.Stderr, "synfin: %s", s.error(err))
		return false, true
	case err != nil:
		tty.Say(s.Stderr, "synfin: %s", s.error(err))
		damaged = true
	}
	if res.interrupted {
		tty.Say(s.Stderr, "synfin: %s%s", note, l.F("problem.interrupted", in.Name, st.Packets))
		if st.Packets == 0 {
			return true, false // ended before its first packet: an empty view, not an error
		}
	}
	if uerr := st.Unusable(in.Name); uerr != nil {
		tty.Say(s.Stderr, "synfin: %s", say.Error(l, uerr))
		return false, true
	}
	lines, bad := say.Problems(l, in.Name, &st)
	for _, l := range lines {
		tty.Say(s.Stderr, "synfin: %s", l)
	}
	s.NotTCP += st.NotTCP
	for stop, n := range st.Stops {
		if !stop.ReachedIP() && !stop.Expected() {
			if s.NotDecoded == nil {
				s.NotDecoded = map[string]int{}
			}
			s.NotDecoded[stop.String()] += n
		}
	}
	if !s.Quiet {
		for _, line := range say.Notes(l, in.Name, &st) {
			tty.Say(s.Stderr, "synfin: %s%s", note, line)
		}
		if late := st.LateNote(in.Name, s.Pipeline.Linger < 0); late != nil {
			tty.Say(s.Stderr, "synfin: %s%s", note, say.Note(l, *late))
		}
	}
	return true, damaged || bad
}

// fileError is an input whose records or streams could not be written or
// held: the input, what was being done (a catalogue key) and why.
type fileError struct {
	file  string
	doing string
	err   error
}

func (e *fileError) Error() string { return msg.EN.F(e.doing, e.file, e.err) }

// Unwrap returns the cause.
func (e *fileError) Unwrap() error { return e.err }

// error is err in the session's language.
func (s *Session) error(err error) string {
	if fe, ok := err.(*fileError); ok {
		return s.Lang.F(fe.doing, fe.file, say.Error(s.Lang, fe.err))
	}
	return say.Error(s.Lang, err)
}

// Follow reads in again, quietly and on its own, for the packets of the
// connections numbered conns (the ladders of a report's picks).
func (s *Session) Follow(in inputs.Input, conns ...int) *ladder.Recorder {
	rec := ladder.NewRecorder(conns...)
	quiet := &Session{Pipeline: s.Pipeline, Stderr: io.Discard, Jobs: 1, Filter: func(*analyze.Record) bool { return false }}
	// Its problems were reported when it was read the first time.
	_, _ = quiet.Traced([]inputs.Input{in}, recorderTracer{rec}, TraceApart, RecordFunc(func(*analyze.Record) {}))
	return rec
}

// recorderTracer is a ladder recorder as a Tracer: one recorder for every
// input.
type recorderTracer struct{ rec *ladder.Recorder }

func (t recorderTracer) Trace(string) pipeline.TraceFunc { return t.rec.Trace }

// TracerFunc is a function as a Tracer.
type TracerFunc func(file string) pipeline.TraceFunc

// Trace calls f.
func (f TracerFunc) Trace(file string) pipeline.TraceFunc { return f(file) }
