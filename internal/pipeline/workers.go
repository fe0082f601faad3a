package pipeline

import (
	"math"
	"sync"
	"sync/atomic"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
)

// runShards analyses a capture with one reader and W workers, each owning
// the shards s with s mod W = w (see shards.go), so that one file uses
// every core:
//
//   - the reader reads and decodes rounds of segments, with each one's key,
//     shard and the capture's clock at it; every worker reads every round
//     and takes the segments of its shards;
//   - each worker tracks its shards' connections and holds the ones that
//     finish; connection numbers go by first packet across all shards, so
//     after each round the workers send the numbers of the frames that
//     began connections to the numberer, which merges them and sends back
//     the connection numbers; a worker then analyses and encodes its
//     finished connections (with Encoding), or hands them on;
//   - the merger (the caller's goroutine) merges the workers' outputs into
//     the order one goroutine gives (shards.go) and writes them (or
//     analyses and emits them, without Encoding).
//
// Rounds pass over channels and come back to be reused, so nothing is
// allocated per packet, and no connection is copied. It returns the error
// that ended the input.
func runShards(name string, capt *capture.Capture, opt *Options, n int, emit func(*analyze.Record), st *Stats, werr *error) error {
	nw := min(n, max(1, opt.Workers))
	free := make(chan *round, roundsInFlight)
	for range roundsInFlight {
		free <- rounds.Get().(*round)
	}
	ws := make([]*worker, nw)
	for i := range ws {
		ws[i] = newWorker(name, opt, i, nw, n, free)
	}
	var readErr error
	go func() {
		// The error is set before the workers see the end of input, so
		// that it is there when they are done.
		defer func() {
			for _, w := range ws {
				close(w.in)
			}
		}()
		readErr = readRounds(name, capt, ws, free, n, st)
	}()
	go numberConns(ws)
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() { defer wg.Done(); w.run() }()
	}
	*werr = merge(name, opt, ws, emit)
	wg.Wait()
	for _, w := range ws {
		w.set.addStats(st, opt)
		w.set.close()
	}
	for range roundsInFlight {
		rounds.Put(<-free)
	}
	return readErr
}

// A round is roundLen segments as the reader decoded them, with each one's
// key, shard, owner (the worker of its shard) and the capture's clock at
// it. Every worker reads every round and takes its own segments, so no
// segment is copied; the last worker done with a round frees it.
type round struct {
	seg   [roundLen]flows.Segment
	key   [roundLen]flows.Key
	srcHi [roundLen]bool
	shard [roundLen]uint8
	owner [roundLen]uint8
	clock [roundLen]int64
	n     int
	// end is the place of the round's last segment (event.pos): every
	// connection finished in a later round comes after it.
	end int64
	// tick: the round starts by advancing the shards to tickClock; the
	// first round does not.
	tick      bool
	tickPos   int64
	tickClock int64
	left      atomic.Int32 // workers not done with it
}

// rounds keep the reader's rounds (about 620 KiB each) between captures.
var rounds = sync.Pool{New: func() any { return new(round) }}

// roundsInFlight is how many rounds the reader may fill ahead of the
// slowest worker.
const roundsInFlight = 4

// readRounds reads and decodes the capture into rounds for the workers.
// It returns the error that ended the input; the caller then closes the
// workers' inputs.
func readRounds(name string, capt *capture.Capture, ws []*worker, free chan *round, n int, st *Stats) error {
	dec := decoders.Get().(*flows.Decoder)
	defer func() { st.Frag = dec.EndFile(); decoders.Put(dec) }()
	var pkt capture.Packet
	var clock int64
	routed := 0
	nw := len(ws)
	for {
		r := <-free
		r.n, r.tick = 0, false
		var err error
		for r.n < roundLen {
			if err = capt.Next(&pkt); err != nil {
				break
			}
			st.Packets++
			seg := &r.seg[r.n]
			if !st.count(name, &pkt, dec, seg, dec.Decode(&pkt, seg)) {
				continue
			}
			st.Segments++
			if r.n == 0 && routed > 0 {
				r.tick, r.tickPos, r.tickClock = true, 2*int64(seg.Index), clock
			}
			k, hi, shard := route(seg, n)
			clock = max(clock, seg.TS)
			r.key[r.n], r.srcHi[r.n], r.shard[r.n], r.owner[r.n], r.clock[r.n] = k, hi, uint8(shard), uint8(shard%nw), clock
			r.end = 2*int64(seg.Index) + 1
			r.n++
			routed++
		}
		if r.n == 0 {
			free <- r // the input ended with the last round
		} else {
			r.left.Store(int32(nw))
			for _, w := range ws {
				w.in <- r
			}
		}
		if err != nil {
			return err
		}
	}
}

// report carries the first frames of the connections a worker began in a
// round to the numberer, and their numbers back.
type report struct {
	first []int
	nums  []int
	made  []*flows.Conn
}

// output is a worker's finished connections of a round, in order: encoded
// (buf, each record ending at its end offset) or, without Encoding, held
// for the merger to analyse.
type output struct {
	ev  []event
	end []int
	buf []byte
	// bound: every event of the worker's later outputs comes after it.
	bound event
}

// worker owns some shards' tables.
type worker struct {
	name string
	opt  *Options
	id   int
	set  shardSet
	// in brings rounds from the reader; the last worker done with one
	// gives it back on free.
	in, free chan *round
	// reports go to the numberer and come back on numbers.
	reports, numbers chan *report
	// outs go to the merger and come back on freeOuts.
	outs, freeOuts chan *output
	rep            [2]*report // this round's and the last one's
	pend           [2][]event // the connections finished in them
	bound          [2]event   // and what the events of later rounds come after
	seq            int64
	pos            int64
	flushing       bool
	encode         analyze.Encoder
	z              *analyze.Analyzer
}

// outputsInFlight is how many outputs a worker may have with the merger:
// enough that the numberer and the merger never wait on one worker while
// another is a round ahead.
const outputsInFlight = 4

func newWorker(name string, opt *Options, id, nw, n int, free chan *round) *worker {
	w := &worker{name: name, opt: opt, id: id, in: make(chan *round, roundsInFlight), free: free,
		reports: make(chan *report, 2), numbers: make(chan *report, 2),
		outs: make(chan *output, outputsInFlight), freeOuts: make(chan *output, outputsInFlight)}
	for range outputsInFlight {
		w.freeOuts <- &output{}
	}
	w.rep = [2]*report{{}, {}}
	w.set.open(n, func(s int) bool { return s%nw == id }, opt, w.finished)
	w.set.each(func(t *flows.Table) {
		t.Hold = true
		t.Shared = &workerShard{w: w} // numbered after the round (settle)
	})
	return w
}

// workerShard is a worker's side of each of its tables: connections get
// numbers of the table's own, replaced after the round (settle), and the
// worker notes each as it starts.
type workerShard struct {
	w *worker
	n int
}

func (s *workerShard) Number() int { s.n++; return s.n - 1 }

func (s *workerShard) Started(c *flows.Conn) { s.w.started(c) }

// started notes a connection begun in the current round, to be numbered.
func (w *worker) started(c *flows.Conn) {
	r := w.rep[0]
	r.first = append(r.first, c.FirstIndex)
	r.made = append(r.made, c)
}

// finished holds a connection finished in the current round with its place
// in the output.
func (w *worker) finished(c *flows.Conn) {
	e := event{pos: w.pos, sub: int64(w.set.shard)<<40 | w.seq, conn: c}
	if w.flushing {
		e.sub = int64(c.Index)
	}
	w.seq++
	w.pend[0] = append(w.pend[0], e)
}

func (w *worker) run() {
	defer close(w.outs)
	if w.opt.Encoding != nil {
		w.encode = w.opt.Encoding.Format.NewEncoder()
		w.z = analyzers.Get().(*analyze.Analyzer)
		defer analyzers.Put(w.z)
		w.z.JA4T = w.opt.JA4T
	}
	rounds := 0
	for r := range w.in {
		if r.tick {
			w.pos = r.tickPos
			w.set.tick(r.tickClock)
		}
		id := uint8(w.id)
		for i := range r.seg[:r.n] {
			if r.owner[i] != id {
				continue
			}
			w.pos = 2*int64(r.seg[i].Index) + 1
			w.set.observe(&r.seg[i], &r.key[i], r.srcHi[i], int(r.shard[i]), r.clock[i])
		}
		w.bound[0] = event{pos: r.end, sub: math.MaxInt64}
		if r.left.Add(-1) == 0 {
			w.free <- r
		}
		w.reports <- w.rep[0]
		if rounds > 0 {
			w.settle()
		}
		w.rep[0], w.rep[1] = w.rep[1], w.rep[0]
		w.pend[0], w.pend[1] = w.pend[1], w.pend[0]
		w.bound[0], w.bound[1] = w.bound[1], w.bound[0]
		rounds++
	}
	close(w.reports)
	if rounds > 0 {
		w.settle()
	}
	// The connections still open, in order of number (numbered already,
	// as the last round's numbers are in), in outputs of a round's size.
	w.pos, w.flushing = flushPos, true
	w.set.flush(func(last bool) {
		if last || len(w.pend[0]) == flushChunk {
			w.pend[1], w.pend[0] = w.pend[0], w.pend[1][:0]
			w.bound[1] = event{pos: flushPos, sub: math.MaxInt64}
			if n := len(w.pend[1]); n > 0 && !last {
				w.bound[1].sub = w.pend[1][n-1].sub
			}
			w.send()
		}
	})
}

// flushChunk is how many connections open at the end go in one output.
const flushChunk = 256

// settle takes the numbers of the last round's new connections and sends
// on the connections that finished in it.
func (w *worker) settle() {
	rep := <-w.numbers
	for i, c := range rep.made {
		c.Index = rep.nums[i]
	}
	clear(rep.made)
	rep.first, rep.nums, rep.made = rep.first[:0], rep.nums[:0], rep.made[:0]
	w.send()
}

// send hands the connections finished in the last round (pend[1]) to the
// merger, analysed and encoded when there is an Encoding.
func (w *worker) send() {
	o := <-w.freeOuts
	// The merger is done with these (analysed and emitted, or written).
	for _, e := range o.ev {
		if e.conn != nil {
			w.set.tables[e.conn.Key.Shard(w.set.n)].Release(e.conn)
		}
	}
	clear(o.ev)
	o.ev, o.end, o.buf = append(o.ev[:0], w.pend[1]...), o.end[:0], o.buf[:0]
	o.bound = w.bound[1]
	clear(w.pend[1])
	w.pend[1] = w.pend[1][:0]
	if w.encode != nil {
		for i := range o.ev {
			c := o.ev[i].conn
			o.buf = w.encode.AppendRecord(o.buf, w.z.Analyze(w.name, c))
			o.end = append(o.end, len(o.buf))
			w.set.tables[c.Key.Shard(w.set.n)].Release(c)
			o.ev[i].conn = nil
		}
	}
	w.outs <- o
}

// numberConns gives connection numbers in order of first frame across the
// workers, one round at a time.
func numberConns(ws []*worker) {
	next := 0
	reps := make([]*report, len(ws))
	at := make([]int, len(ws))
	for {
		for i, w := range ws {
			r, ok := <-w.reports
			if !ok {
				return // every worker has sent its last round
			}
			reps[i], at[i] = r, 0
		}
		for {
			min := -1
			for i, r := range reps {
				if at[i] < len(r.first) && (min < 0 || r.first[at[i]] < reps[min].first[at[min]]) {
					min = i
				}
			}
			if min < 0 {
				break
			}
			reps[min].nums = append(reps[min].nums, next)
			next++
			at[min]++
		}
		for i, w := range ws {
			w.numbers <- reps[i]
		}
	}
}

// merge writes the workers' finished connections in the order one table
// gives (event.before), or analyses and emits them: each worker's outputs
// are in that order already, so it takes the least head of theirs. A
// worker whose output is used up is waited for only when no head comes
// before its bound: workers drift a few rounds apart, and the ones ahead
// would otherwise wait for outputs the merger holds. It returns
// Encoding.Write's first error.
func merge(name string, opt *Options, ws []*worker, emit func(*analyze.Record)) error {
	var err error
	var buf []byte
	write := func(p []byte) { opt.Encoding.write(p, &err) }
	var z *analyze.Analyzer
	if opt.Encoding == nil {
		z = analyzers.Get().(*analyze.Analyzer)
		defer analyzers.Put(z)
		z.JA4T = opt.JA4T
	}
	// Each worker's output with events left (nil when used up), the place
	// of the next, and what its later events come after; done: it has
	// sent its last output.
	outs := make([]*output, len(ws))
	at := make([]int, len(ws))
	bound := make([]event, len(ws))
	done := make([]bool, len(ws))
	fetch := func(i int) {
		o, ok := <-ws[i].outs
		if !ok {
			done[i] = true
			return
		}
		bound[i] = o.bound
		if len(ws) == 1 && z == nil {
			write(o.buf) // one worker: its order is the order
		} else if len(o.ev) > 0 {
			outs[i], at[i] = o, 0
			return
		}
		ws[i].freeOuts <- o
	}
	for {
		min := -1
		for i, o := range outs {
			if o != nil && (min < 0 || o.ev[at[i]].before(&outs[min].ev[at[min]])) {
				min = i
			}
		}
		// The worker to wait for: of those with no output in hand, the
		// one whose next events may come first, if they may come before
		// the least head.
		wait := -1
		for i, o := range outs {
			if o == nil && !done[i] && (wait < 0 || bound[i].before(&bound[wait])) {
				wait = i
			}
		}
		if wait >= 0 && min >= 0 && !bound[wait].before(&outs[min].ev[at[min]]) {
			wait = -1
		}
		if wait >= 0 {
			fetch(wait)
			continue
		}
		if min < 0 {
			break // every worker is done
		}
		o, k := outs[min], at[min]
		at[min]++
		if z != nil {
			emit(z.Analyze(name, o.ev[k].conn))
		} else {
			start := 0
			if k > 0 {
				start = o.end[k-1]
			}
			if buf = append(buf, o.buf[start:o.end[k]]...); len(buf) >= 64<<10 {
				write(buf)
				buf = buf[:0]
			}
		}
		if at[min] == len(o.ev) {
			outs[min] = nil
			ws[min].freeOuts <- o
		}
	}
	write(buf)
	return err
}
