package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"synfin/analyze"
	"synfin/flows"
)

// input is one capture to read.
type input struct {
	name    string
	fromDir bool // found by walking a directory, not named by the user
	open    func() (io.Reader, func(), error)
}

// inputsFor turns a view's operands into inputs: the embedded capture for
// demo, else files, globs, directories and "-". It returns nil and the exit
// status when there is nothing to read.
func inputsFor(view string, operands []string, stdin io.Reader, stderr io.Writer) ([]input, int) {
	if view == "demo" {
		if len(operands) > 0 {
			return nil, usageError(stderr, "demo takes no input files")
		}
		return []input{{"demo.pcap", false, func() (io.Reader, func(), error) {
			return bytes.NewReader(demoCapture), func() {}, nil
		}}}, exitOK
	}
	if len(operands) == 0 {
		return nil, usageError(stderr, "no input: name capture files, directories, or - for standard input")
	}
	files, problems := expandInputs(operands)
	for _, p := range problems {
		say(stderr, "synfin: %s", p)
	}
	if len(files) == 0 {
		return nil, exitNothing
	}
	var inputs []input
	for _, f := range files {
		if f.name == "-" {
			inputs = append(inputs, input{"-", false, func() (io.Reader, func(), error) { return stdin, func() {}, nil }})
			continue
		}
		inputs = append(inputs, input{f.name, f.fromDir, func() (io.Reader, func(), error) {
			fh, err := os.Open(f.name)
			if err != nil {
				return nil, nil, err
			}
			return fh, func() { fh.Close() }, nil
		}})
	}
	return inputs, exitOK
}

// session analyses the inputs of one run and hands their records to keep.
type session struct {
	o      *options
	out    io.Writer
	stderr io.Writer
	filter func(*analyze.Record) bool
	keep   func(*analyze.Record) // valid during the call only: Clone to keep
	// summarize, for the summary view, takes what keep would count: files
	// analysed at once hold these small items, not records, until their
	// turn.
	summarize func(analyze.SummaryItem)
	flush     func() error // for streaming formats
	streaming bool
	multi     bool // several inputs: records name their file
	// trace, when set, gives each input's segment hook (ladders); it
	// needs --jobs 1.
	trace func(file string) func(*flows.Conn, *flows.Segment, flows.Dir, flows.SegClass)
	// segments counts the TCP segments of every input read.
	segments int
}

// fileResult is what analysing one input gave.
type fileResult struct {
	st    fileStats
	err   error
	recs  []analyze.Record
	items []analyze.SummaryItem
	spool *spill // a streaming format's output for the file, to copy out in order
}

// analyzeOne reads one input, passing the records that pass the filter to
// emit.
func (s *session) analyzeOne(in input, emit func(*analyze.Record)) fileResult {
	r, done, err := in.open()
	if err != nil {
		return fileResult{err: errors.New(pathError(in.name, err))}
	}
	defer done()
	lim := limits{idle: s.o.idleTimeout, maxConns: s.o.maxConns, small: isSmall(r), ja4t: s.o.ja4t, app: s.o.app}
	if s.trace != nil {
		lim.trace = s.trace(in.name)
	}
	keep := func(rec *analyze.Record) {
		if s.filter(rec) {
			emit(rec)
		}
	}
	var streams *streamSet
	if s.o.streams != "" {
		streams = newStreamSet(s.o.streams, in.name)
		if lim.trace != nil {
			say(s.stderr, "synfin: note: --streams is ignored with this view")
		} else {
			lim.trace, lim.inOne = streams.trace, true
			keep = streamsEmit(streams, keep)
		}
	}
	st, err := analyzeCapture(in.name, r, lim, keep)
	if streams != nil {
		if serr := streams.close(); serr != nil && err == nil {
			err = fmt.Errorf("%s: writing streams: %w", in.name, serr)
		}
	}
	return fileResult{st: st, err: err}
}

// analyzeAll reads every input, reporting each one's problems in input
// order. With one job, records stream as connections finish. With several,
// files are analysed at once and a file's output waits until the files
// before it are written: streaming formats hold it as batch does (in
// memory up to a budget, in unlinked temporary files beyond), so memory
// stays flat, and the output is byte for byte that of one job. At most
// batchWindow files per job run ahead of the one being written. It returns
// how many inputs were read, whether any was damaged or skipped, and the
// input order of the file names.
func (s *session) analyzeAll(inputs []input) (read int, damaged bool, order map[string]int, err error) {
	jobs := max(1, min(s.o.jobs, len(inputs)))
	results := make([]chan fileResult, len(inputs))
	for i := range results {
		results[i] = make(chan fileResult, 1)
	}
	ahead := make(chan struct{}, batchWindow*jobs)
	stop := make(chan struct{})
	var workers sync.WaitGroup
	defer func() {
		// Returning early (the output failed): the files analysed but
		// not written give back what holds their records.
		close(stop)
		workers.Wait()
		for _, r := range results {
			select {
			case res := <-r:
				if res.spool != nil {
					res.spool.close()
				}
			default:
			}
		}
	}()
	if jobs > 1 {
		next := make(chan int, jobs)
		go func() {
			defer close(next)
			for i := range inputs {
				select {
				case ahead <- struct{}{}:
				case <-stop:
					return
				}
				next <- i
			}
		}()
		for range jobs {
			workers.Add(1)
			go func() {
				defer workers.Done()
				for i := range next {
					results[i] <- s.analyzeParallel(inputs[i])
				}
			}()
		}
	}
	order = map[string]int{}
	for i, in := range inputs {
		order[in.name] = i
		var res fileResult
		if jobs > 1 {
			res = <-results[i]
			<-ahead
			for i := range res.recs {
				s.keep(&res.recs[i])
			}
			for _, it := range res.items {
				s.summarize(it)
			}
			if res.spool != nil {
				if err = s.copySpool(res.spool); err != nil {
					return read, damaged, order, err
				}
			}
		} else {
			res = s.analyzeOne(in, s.keep)
		}
		s.segments += res.st.Segments
		ok, bad := s.report(in, res)
		if ok {
			read++
		}
		damaged = damaged || bad
	}
	return read, damaged, order, nil
}

// analyzeParallel analyses one input while others run, holding its output.
func (s *session) analyzeParallel(in input) fileResult {
	if s.streaming {
		sp := newSpill()
		var emit func(*analyze.Record)
		var flush func() error
		if s.o.format == "jsonl" {
			// The common case, without a 64 KiB buffer made per file.
			enc := batchEncoders.Get().(*batchEncoder)
			defer batchEncoders.Put(enc)
			enc.bw.Reset(sp)
			emit = func(r *analyze.Record) {
				enc.line = append(r.AppendJSON(enc.line[:0]), '\n')
				enc.bw.Write(enc.line)
			}
			flush = enc.bw.Flush
		} else {
			emit, flush = newStream(sp, s.o.format, views[s.o.view], s.multi, false)
		}
		res := s.analyzeOne(in, emit)
		if err := flush(); err != nil && res.err == nil {
			// The output could not be held (a full disk under the
			// temporary file): say so rather than write part of it.
			res.err = fmt.Errorf("%s: holding its records: %w", in.name, err)
		}
		res.spool = sp
		return res
	}
	if s.summarize != nil {
		var items []analyze.SummaryItem
		res := s.analyzeOne(in, func(r *analyze.Record) { items = append(items, analyze.ItemOf(r)) })
		res.items = items
		return res
	}
	var recs []analyze.Record
	res := s.analyzeOne(in, func(r *analyze.Record) { recs = append(recs, r.Clone()) })
	res.recs = recs
	return res
}

// copySpool writes out one file's held output.
func (s *session) copySpool(sp *spill) error {
	defer sp.close()
	err := s.flush()
	r, rerr := sp.reader()
	if rerr != nil {
		if err == nil {
			err = rerr
		}
		return err
	}
	if _, cerr := io.Copy(s.out, r); err == nil {
		err = cerr
	}
	return err
}

// report prints one input's problems and says whether it was read and
// whether it counts as damaged or skipped (exit status 1).
func (s *session) report(in input, res fileResult) (read, damaged bool) {
	st, err := res.st, res.err
	var oe *flows.OpenError
	switch {
	case errors.As(err, &oe) && errors.Is(err, flows.ErrNotCapture) && in.fromDir:
		// A directory holds other files too: say so, do not fail.
		if !s.o.quiet {
			say(s.stderr, "synfin: note: %s: skipped, not a capture", in.name)
		}
		return false, false
	case errors.As(err, &oe), err != nil && st.Packets == 0 && st.Format == "":
		say(s.stderr, "synfin: %v", err)
		return false, true
	case err != nil:
		say(s.stderr, "synfin: %v", err)
		damaged = true
	}
	if uerr := st.unusable(in.name); uerr != nil {
		say(s.stderr, "synfin: %v", uerr)
		return false, true
	}
	lines, bad := st.problems(in.name)
	for _, l := range lines {
		say(s.stderr, "synfin: %s", l)
	}
	if st.Late > 0 && !s.o.quiet {
		say(s.stderr, "synfin: note: %s: %d late segments belonged to connections already closed and reported (more than %d closed connections lingered at once)", in.name, st.Late, flows.DefaultMaxLinger)
	}
	return true, damaged || bad
}
