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
	// Keep receives the records, in input order; the record is valid
	// during the call only: Clone to keep it.
	Keep func(*analyze.Record)
	// Summarize, for the summary view, takes what Keep would count: inputs
	// analysed while others run hold these small items, not records.
	Summarize func(analyze.SummaryItem)
	// Hold, when set, is the format a streaming run writes to Out: an
	// input analysed while others run holds its records in that form
	// (in memory up to a budget, in unlinked temporary files beyond)
	// until its turn, and Flush empties Keep's writer before they go out.
	Hold Encoder
	Out  io.Writer
	// Flush is called before each held input's records are copied to Out,
	// so it must be safe to call more than once.
	Flush func() error
	// Encode, when set, encodes the records of an input read while no
	// other is (one job) in the pipeline's workers, instead of through
	// Keep: its encoders apply Filter themselves, and its Write goes
	// where Keep writes. Not for live streams, whose records are flushed
	// one by one, nor with Trace or StreamsDir, which need one goroutine.
	Encode *pipeline.Encoding
	// Trace, when set, gives each input's segment hook (ladders, packet
	// lists). The hooks of one run share what they record, so a run with
	// Trace reads one input at a time, whatever Jobs says.
	Trace func(file string) pipeline.TraceFunc
	// TraceWithKeep: Keep reads what Trace records as each connection
	// finishes, so both run in one goroutine.
	TraceWithKeep bool
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

	held holding
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

// Encoder makes a writer of records in an output format, and its flush.
type Encoder func(w io.Writer) (emit func(*analyze.Record), flush func() error)

// fileResult is what analysing one input gave.
type fileResult struct {
	st          pipeline.Stats
	err         error
	interrupted bool // Stop ended it before its end
}

// analyzeOne reads one input, passing the records that pass the filter to
// emit. When emit is Keep and the input is a stream (a pipe from a live
// tcpdump), each record is flushed to Out as it is made, so that whoever
// reads the output sees a connection as soon as it is finished.
func (s *Session) analyzeOne(in inputs.Input, emit func(*analyze.Record), toKeep bool) fileResult {
	r, done, err := in.Open()
	if err != nil {
		return fileResult{err: &inputs.FileError{Name: in.Name, Err: err}}
	}
	defer done()
	live := pipeline.IsStream(r)
	if s.Stop != nil {
		r = s.Stop.Reader(r)
	}
	if toKeep && s.Flush != nil && live {
		write, failed := emit, false
		emit = func(rec *analyze.Record) {
			write(rec)
			if err := s.Flush(); err != nil && !failed {
				failed = true // said once, not for every record after
				tty.Say(s.Stderr, "synfin: %s", s.Lang.F("problem.write.output", say.Error(s.Lang, err)))
			}
		}
	}
	opt := s.Pipeline
	if s.Trace != nil {
		opt.Trace = s.Trace(in.Name)
		if s.TraceWithKeep {
			opt.Stages = pipeline.InOne
		}
	}
	if toKeep && s.Encode != nil && !live && s.Trace == nil && s.StreamsDir == "" {
		opt.Encoding = s.Encode
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

// Analyze reads every input. With one job, records go to Keep as
// connections finish. With several, inputs are analysed at once and an
// input's records wait until the inputs before it are written, so the
// output is byte for byte that of one job; at most Window inputs per job
// run ahead of the one being written. It returns how many inputs were
// read, whether any was damaged or skipped, and the input order of the
// names; the error is Flush's or Out's.
func (s *Session) Analyze(ins []inputs.Input) (read int, damaged bool, order map[string]int, err error) {
	jobs := max(1, min(s.Jobs, len(ins)))
	if s.Trace != nil {
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
	order = map[string]int{}
	for i, in := range ins {
		order[in.Name] = i
	}
	write := func(u *unit, r result) {
		if r.skipped && s.Stop != nil && s.Stop.Stopped() {
			s.Unread++
		}
		if r.skipped || err != nil {
			r.release()
			return
		}
		for i := range r.recs {
			s.Keep(&r.recs[i])
		}
		for _, it := range r.items {
			s.Summarize(it)
		}
		if r.out != nil {
			if err = s.copyOut(r.out); err != nil {
				stop()
				return
			}
		}
		s.Segments += r.res.st.Segments
		ok, bad := s.report(u.in, r.res)
		if ok {
			read++
		}
		damaged = damaged || bad
	}
	work := func(u *unit) result {
		if ctx.Err() != nil {
			return result{skipped: true}
		}
		if jobs == 1 {
			return result{res: s.analyzeOne(u.in, s.Keep, true)}
		}
		return s.analyzeHeld(u.in)
	}
	runSched(newSched(ctx, jobs, Window, ins, write), work)
	return read, damaged, order, err
}

// analyzeHeld analyses one input while others run, holding its output.
func (s *Session) analyzeHeld(in inputs.Input) result {
	if s.Hold != nil {
		sp := newSpill(&s.held)
		emit, flush := s.Hold(sp)
		r := result{res: s.analyzeOne(in, emit, false), out: sp}
		if err := flush(); err != nil && r.res.err == nil {
			// The output could not be held (a full disk under the
			// temporary file): say so rather than write part of it.
			r.res.err = &fileError{in.Name, "problem.hold.records", err}
		}
		return r
	}
	if s.Summarize != nil {
		var r result
		r.res = s.analyzeOne(in, func(rec *analyze.Record) { r.items = append(r.items, analyze.ItemOf(rec)) }, false)
		return r
	}
	var r result
	r.res = s.analyzeOne(in, func(rec *analyze.Record) { r.recs = append(r.recs, rec.Clone()) }, false)
	return r
}

// copyOut writes out one input's held output.
func (s *Session) copyOut(sp *spill) error {
	defer sp.close()
	err := s.Flush()
	r, rerr := sp.reader()
	if rerr != nil {
		if err == nil {
			err = rerr
		}
		return err
	}
	if _, cerr := io.Copy(s.Out, r); err == nil {
		err = cerr
	}
	return err
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
	quiet := &Session{Pipeline: s.Pipeline, Stderr: io.Discard, Jobs: 1,
		Filter: func(*analyze.Record) bool { return false }, Keep: func(*analyze.Record) {},
		Trace: func(string) pipeline.TraceFunc { return rec.Trace }}
	quiet.Analyze([]inputs.Input{in})
	return rec
}
