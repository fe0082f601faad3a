package pipeline

import (
	"runtime"
	"sync"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
)

// runStages analyses a capture in three stages at once, for a machine of
// one or two cores, where runShards' reader and workers cost more in
// hand-offs than they gain: reading and decoding (with decompression),
// every shard's table in one goroutine, and analysis with output (in a
// worker a core with Encoding). Batches pass between them over channels
// and come back to be reused, so nothing is allocated per packet. One
// goroutine owns every shard, so records come out in runInOne's order,
// which is runShards' too. It returns the error that ended the input.
func runStages(name string, capt *capture.Capture, opt *Options, n int, emit func(*analyze.Record), st *Stats, werr *error) error {
	workers := runtime.GOMAXPROCS(0)
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
			b := <-freeConns
			clear(b.conn[:b.n]) // this capture's tables are gone
			b.n = 0
			connBatches.Put(b)
		}
	}()

	// Stage 1: read and decode.
	var readErr error
	go func() {
		defer close(segs)
		dec := decoders.Get().(*flows.Decoder)
		defer func() { st.Frag = dec.EndFile(); decoders.Put(dec) }()
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
				if st.count(name, &pkt, dec, &b.seg[b.n], dec.Decode(&pkt, &b.seg[b.n])) {
					// Routed here, off the table's goroutine, the busiest.
					k, hi, shard := route(&b.seg[b.n], n)
					b.key[b.n], b.srcHi[b.n], b.shard[b.n] = k, hi, uint8(shard)
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
					emit(z.Analyze(name, b.conn[i]))
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

	// Stage 2: the shards' tables. Batches are numbered in the order
	// they fill, which is the order the connections finished. The tables
	// hold finished connections, so that stage 3 analyses them where they
	// are; a batch coming back gives its connections back for reuse.
	var ss shardSet
	seq := 0
	var cur *connBatch
	next := func() {
		cur = <-freeConns
		for _, c := range cur.conn[:cur.n] {
			ss.tables[c.Key.Shard(n)].Release(c)
		}
		clear(cur.conn[:cur.n])
		cur.n, cur.seq = 0, seq
	}
	next()
	ss.openAll(n, opt, func(c *flows.Conn) {
		cur.conn[cur.n] = c
		if cur.n++; cur.n == len(cur.conn) {
			conns <- cur
			seq++
			next()
		}
	})
	defer ss.close()
	ss.each(func(t *flows.Table) { t.Hold = true })
	for b := range segs {
		for i := range b.seg[:b.n] {
			ss.addRouted(&b.seg[i], &b.key[i], b.srcHi[i], int(b.shard[i]))
		}
		st.Segments += b.n
		freeSegs <- b
	}
	ss.flush(nil)
	conns <- cur
	close(conns)
	<-written
	ss.addStats(st, opt)
	return readErr
}

// Batch sizes of the stages: large enough that a channel operation costs
// nothing per packet, small enough to stay in cache.
const (
	segBatchLen  = 256
	connBatchLen = 64
)

type segBatch struct {
	seg   [segBatchLen]flows.Segment
	key   [segBatchLen]flows.Key
	srcHi [segBatchLen]bool
	shard [segBatchLen]uint8
	n     int
}

type connBatch struct {
	conn [connBatchLen]*flows.Conn // held by their tables until the batch comes back
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
			encoder := enc.Format.NewEncoder()
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
					buf = encoder.AppendRecord(buf, z.Analyze(name, b.conn[i]))
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
			enc.write(buf, &err)
			bufs <- buf[:0]
			next++
		}
	}
	return err
}

// The stages' batches, kept between captures (about 440 KiB).
var (
	segBatches  = sync.Pool{New: func() any { return new(segBatch) }}
	connBatches = sync.Pool{New: func() any { return new(connBatch) }}
)
