package pipeline

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
)

// TraceFunc sees every segment after its connection took it (flows.Table's
// Trace hook): ladders, packet lists and stream files are drawn from it.
type TraceFunc func(c *flows.Conn, seg *flows.Segment, d flows.Dir, class flows.SegClass)

// Stages says how the work of one capture is spread over goroutines.
type Stages uint8

const (
	// BySize runs a large capture as three stages at once and a small one
	// (under smallInput, or of unknown size never) in the caller's
	// goroutine, where starting and stopping goroutines would cost more
	// than its packets.
	BySize Stages = iota
	// InOne always runs in the caller's goroutine: a Trace hook then sees
	// each segment while its payload is still there (Segment.Payload
	// points into the reader's buffer).
	InOne
	// Staged always runs in stages, whatever the input's size: for tests
	// of the staged path on small captures.
	Staged
)

// Options bound and shape the analysis of one capture.
type Options struct {
	IdleTimeout time.Duration // finish connections idle this long (capture time); 0: flows' default
	// Linger is how long a closed connection waits for late segments
	// (capture time) before its record is made; 0: flows' default;
	// negative: not at all, the record is made as the connection closes.
	Linger   time.Duration
	MaxConns int  // connections open at once; 0: flows' default
	JA4T     bool // add FoxIO JA4T/JA4TS fingerprints
	// App collects the first payload bytes of each direction for
	// application hints; the table then reads payloads, so the capture
	// runs in one goroutine.
	App bool
	// Trace, when set, sees every segment; it runs on the table's
	// goroutine and is done when Run returns.
	Trace  TraceFunc
	Stages Stages
	// Encoding, when set, has records encoded to bytes by workers at
	// once instead of handed to emit (see Encoding).
	Encoding *Encoding
}

// Encoding turns records into bytes in several goroutines: on a large
// capture the table hands batches of finished connections to Workers
// workers, each analysing and encoding its own batches (NewEncoder gives
// each worker its encoder), and Write receives the batches' bytes in the
// order the connections finished, so the output is byte for byte what one
// goroutine writes, whatever Workers is. On a small capture, or in one
// goroutine, a single encoder does it all. emit is not called.
type Encoding struct {
	// NewEncoder returns an encoder for one goroutine: it appends the
	// record's bytes to dst (or nothing, to leave the record out).
	NewEncoder func() func(dst []byte, r *analyze.Record) []byte
	// Write takes the bytes of consecutive records; an error stops
	// nothing, and the first is returned by Run.
	Write   func(p []byte) error
	Workers int
}

// smallInput is the size under which a capture is analysed in one
// goroutine: a batch over thousands of small captures then scales with
// its jobs instead of waiting on hand-offs between stages.
const smallInput = 4 << 20

// pooledConns is the most connections a pooled table keeps for reuse.
const pooledConns = 4096

// isSmall reports whether r is a file or an in-memory capture of known
// size under smallInput.
func isSmall(r io.Reader) bool {
	switch x := r.(type) {
	case *os.File:
		fi, err := x.Stat()
		return err == nil && fi.Mode().IsRegular() && fi.Size() < smallInput
	case interface{ Size() int64 }: // bytes.Reader, strings.Reader, io.SectionReader
		return x.Size() < smallInput
	}
	return false
}

// IsStream reports whether r is a pipe, a socket or a terminal: a capture
// being written while it is read (tcpdump -w - | synfin -). It is read in
// one goroutine, so that each record is made as soon as its connection
// finishes, not when a batch of segments between stages fills.
func IsStream(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && !fi.Mode().IsRegular() && !fi.IsDir()
}

// Batch sizes of the stages: large enough that a channel operation costs
// nothing per packet, small enough to stay in cache.
const (
	segBatchLen  = 256
	connBatchLen = 64
)

type segBatch struct {
	seg [segBatchLen]flows.Segment
	n   int
}

type connBatch struct {
	conn [connBatchLen]flows.Conn
	n    int
	seq  int // its place in the order batches are written
}

// encoded is one batch's bytes, on their way to be written in order.
type encoded struct {
	seq int
	buf []byte
}

// encodeInWorkers analyses and encodes batches of connections in workers
// at once and writes their bytes in batch order: a batch that is done
// before the ones ahead of it waits (at most one per worker, as a worker
// takes no new batch until its bytes are taken). It returns Write's first
// error.
func encodeInWorkers(name string, opt *Options, workers int, conns <-chan *connBatch, freeConns chan<- *connBatch) error {
	enc := opt.Encoding
	done := make(chan encoded, workers)
	bufs := make(chan []byte, 2*workers)
	for range 2 * workers {
		bufs <- make([]byte, 0, 256<<10)
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			z := analyzers.Get().(*analyze.Analyzer)
			defer analyzers.Put(z)
			z.JA4T = opt.JA4T
			encode := enc.NewEncoder()
			for {
				// A buffer first, then a batch: a worker holding a batch
				// must never wait for a buffer, which the batches after
				// it may hold until it is written. Batches are taken in
				// order, so the next to write always has its buffer.
				buf := <-bufs
				b, ok := <-conns
				if !ok {
					bufs <- buf
					return
				}
				for i := range b.conn[:b.n] {
					buf = encode(buf, z.Analyze(name, &b.conn[i]))
				}
				seq := b.seq
				freeConns <- b
				done <- encoded{seq, buf}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	var err error
	next := 0
	waiting := map[int][]byte{}
	for e := range done {
		waiting[e.seq] = e.buf
		for buf, ok := waiting[next]; ok; buf, ok = waiting[next] {
			delete(waiting, next)
			if len(buf) > 0 {
				if werr := enc.Write(buf); werr != nil && err == nil {
					err = werr
				}
			}
			bufs <- buf[:0]
			next++
		}
	}
	return err
}

// The pools keep what a capture needs (about 570 KiB of batches, a decoder,
// an analyzer, a table) from one capture to the next: a batch over
// thousands of small captures would otherwise spend half its time
// allocating, clearing and scanning them.
var (
	segBatches  = sync.Pool{New: func() any { return new(segBatch) }}
	connBatches = sync.Pool{New: func() any { return new(connBatch) }}
	// Decoders hold a parser per link type, each with all its layers.
	decoders = sync.Pool{New: func() any { return flows.NewDecoder() }}
	// Analyzers keep their record and string arena between captures
	// (records are valid only during emit, so nothing refers to them).
	analyzers = sync.Pool{New: func() any { return new(analyze.Analyzer) }}
	// Tables keep their connections' memory between small captures (up
	// to pooledConns of them, about 6 MiB).
	tables = sync.Pool{New: func() any { return flows.NewTable(nil) }}
)

// Run reads one capture and calls emit for every connection as it
// finishes (closed and lingered, idle, or at the end of input), in the
// order they finish, the same on every run. The record passed to emit is
// valid during the call only (analyze.Analyzer); Clone it to keep it.
// name names the capture in records and messages.
//
// The error is a *capture.OpenError when nothing could be read and a
// *capture.PacketError when the file is damaged after some packets; the
// records of the packets before the damage have been emitted.
func Run(name string, r io.Reader, opt Options, emit func(*analyze.Record)) (Stats, error) {
	st := Stats{Unsupported: map[layers.LinkType]int{}, Stops: map[flows.Stop]int{}}
	capt, err := capture.Open(name, r)
	if err != nil {
		return st, err
	}
	defer capt.Close()
	st.Format, st.Compression = capt.Format, capt.Compression
	inOne := opt.Stages == InOne || opt.App || opt.Stages != Staged && (isSmall(r) || IsStream(r))
	var werr error // Encoding.Write's first error
	if enc := opt.Encoding; enc != nil && inOne {
		// One goroutine: one encoder, each record written as it is made.
		encode := enc.NewEncoder()
		var buf []byte
		emit = func(rec *analyze.Record) {
			if buf = encode(buf[:0], rec); len(buf) > 0 {
				if err := enc.Write(buf); err != nil && werr == nil {
					werr = err
				}
			}
		}
	}
	if inOne {
		err = runInOne(name, capt, &opt, emit, &st)
	} else {
		err = runStages(name, capt, &opt, emit, &st, &werr)
	}
	if err != io.EOF {
		return st, err
	}
	return st, werr
}

// configure applies the options to a table.
func configure(t *flows.Table, opt *Options) {
	if opt.IdleTimeout > 0 {
		t.IdleTimeout = opt.IdleTimeout
	}
	if opt.MaxConns > 0 {
		t.MaxConns = opt.MaxConns
	}
	if opt.Linger != 0 {
		t.Linger = max(0, opt.Linger)
	}
	t.Trace = opt.Trace
	t.CollectApp = opt.App
}

// finished records the table's counts once the input is read.
func (st *Stats) finished(t *flows.Table) {
	st.EarlyFinish, st.MaxConns, st.Late = t.EarlyFinished, t.MaxConns, t.Late
}

// runInOne analyses in the caller's goroutine: each finished connection is
// analysed straight from the table, without a copy. It returns the error
// that ended the input (io.EOF at its end).
func runInOne(name string, capt *capture.Capture, opt *Options, emit func(*analyze.Record), st *Stats) error {
	z := analyzers.Get().(*analyze.Analyzer)
	defer analyzers.Put(z)
	z.JA4T = opt.JA4T
	table := tables.Get().(*flows.Table)
	table.Reset(func(c *flows.Conn) { emit(z.Analyze(name, c)) })
	defer func() {
		// Back to the pool without this capture's callbacks, and only if
		// it held few connections: the pool would keep a large one's for
		// the rest of the run.
		table.Reset(nil)
		if table.Spare() <= pooledConns {
			tables.Put(table)
		}
	}()
	configure(table, opt)
	dec := decoders.Get().(*flows.Decoder)
	defer decoders.Put(dec)
	var pkt capture.Packet
	var seg flows.Segment
	var err error
	for {
		if err = capt.Next(&pkt); err != nil {
			break
		}
		st.Packets++
		if st.count(name, &pkt, dec, dec.Decode(&pkt, &seg)) {
			table.Observe(&seg)
			st.Segments++
		}
	}
	table.Flush()
	st.finished(table)
	return err
}

// runStages analyses in three stages at once, so that a single file uses
// several cores: reading and decoding (with decompression), the connection
// table, and analysis with output. Batches pass between them over channels
// and come back to be reused, so nothing is allocated per packet; the
// table is a single goroutine, so records come out in the same order on
// every run. It returns the error that ended the input.
func runStages(name string, capt *capture.Capture, opt *Options, emit func(*analyze.Record), st *Stats, werr *error) error {
	workers := 1
	if opt.Encoding != nil {
		workers = max(1, opt.Encoding.Workers)
	}
	nconns := 2 + 2*workers // batches in flight: each worker's, and one filling and one waiting
	segs, freeSegs := make(chan *segBatch, 2), make(chan *segBatch, 4)
	conns, freeConns := make(chan *connBatch, 2), make(chan *connBatch, nconns)
	for range 4 {
		freeSegs <- segBatches.Get().(*segBatch)
	}
	for range nconns {
		freeConns <- connBatches.Get().(*connBatch)
	}
	// Every batch is back in its free channel once the stages are done.
	defer func() {
		for range 4 {
			segBatches.Put(<-freeSegs)
		}
		for range nconns {
			connBatches.Put(<-freeConns)
		}
	}()

	// Stage 1: read and decode.
	var readErr error
	go func() {
		defer close(segs)
		dec := decoders.Get().(*flows.Decoder)
		defer decoders.Put(dec)
		var pkt capture.Packet
		for {
			b := <-freeSegs
			b.n = 0
			for b.n < len(b.seg) {
				if readErr = capt.Next(&pkt); readErr != nil {
					segs <- b
					return
				}
				st.Packets++
				if st.count(name, &pkt, dec, dec.Decode(&pkt, &b.seg[b.n])) {
					b.n++
				}
			}
			segs <- b
		}
	}()

	// Stage 3: analyse and emit, or analyse and encode in workers.
	written := make(chan struct{})
	if opt.Encoding == nil {
		go func() {
			defer close(written)
			z := analyzers.Get().(*analyze.Analyzer)
			defer analyzers.Put(z)
			z.JA4T = opt.JA4T
			for b := range conns {
				for i := range b.conn[:b.n] {
					emit(z.Analyze(name, &b.conn[i]))
				}
				freeConns <- b
			}
		}()
	} else {
		go func() {
			defer close(written)
			*werr = encodeInWorkers(name, opt, workers, conns, freeConns)
		}()
	}

	// Stage 2: the connection table. Batches are numbered in the order
	// they fill, which is the order the connections finished.
	seq := 0
	cur := <-freeConns
	cur.n, cur.seq = 0, seq
	table := flows.NewTable(func(c *flows.Conn) {
		c.CopyTo(&cur.conn[cur.n])
		if cur.n++; cur.n == len(cur.conn) {
			conns <- cur
			seq++
			cur = <-freeConns
			cur.n, cur.seq = 0, seq
		}
	})
	configure(table, opt)
	for b := range segs {
		for i := range b.seg[:b.n] {
			table.Observe(&b.seg[i])
		}
		st.Segments += b.n
		freeSegs <- b
	}
	table.Flush()
	conns <- cur
	close(conns)
	<-written
	st.finished(table)
	return readErr
}

// ReadFile runs the capture at path and returns all its records (cloned,
// in the order their connections finished): for programs and tests that
// keep every record of a small capture.
func ReadFile(path string, opt Options) ([]analyze.Record, Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Stats{}, err
	}
	defer f.Close()
	var recs []analyze.Record
	st, err := Run(filepath.Base(path), f, opt, func(r *analyze.Record) { recs = append(recs, r.Clone()) })
	return recs, st, err
}
