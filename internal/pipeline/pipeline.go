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
	// BySize runs a large capture in stages (runStages) or on the
	// reader and workers of runShards, and a small one (under smallInput, or of unknown size
	// never) in the caller's goroutine, where starting and stopping
	// goroutines would cost more than its packets.
	BySize Stages = iota
	// InOne always runs in the caller's goroutine: a Trace hook then sees
	// each segment while its payload is still there (Segment.Payload
	// points into the reader's buffer).
	InOne
	// Staged always runs in stages or on workers, whatever the input's
	// size: for tests of those paths on small captures.
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
	// Workers is how many goroutines track connections at once on a large
	// capture, each owning some of the virtual shards (runShards); 0 or
	// 1: one, in stages (runStages), the faster on one or two cores. The
	// records are the same, in the same order, for any number.
	Workers int
	// Encoding, when set, has records encoded to bytes by the workers
	// instead of handed to emit (see Encoding).
	Encoding *Encoding
}

// Encoding turns records into bytes in several goroutines: on a large
// capture each worker analyses and encodes the connections of its shards
// (NewEncoder gives each worker its encoder), and Write receives their
// bytes merged in the order the connections finished, so the output is
// byte for byte what one goroutine writes, whatever Options.Workers is. On
// a small capture, or in one goroutine, a single encoder does it all. emit
// is not called.
type Encoding struct {
	// Format gives each goroutine that encodes its encoder.
	Format analyze.Encoders
	// Out takes the bytes of consecutive records; an error stops
	// nothing, and the first is returned by Run.
	Out io.Writer
}

// write writes p to Out, keeping the first error in *first.
func (e *Encoding) write(p []byte, first *error) {
	if len(p) == 0 {
		return
	}
	if _, err := e.Out.Write(p); err != nil && *first == nil {
		*first = err
	}
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
	switch x := underlying(r).(type) {
	case *os.File:
		fi, err := x.Stat()
		return err == nil && fi.Mode().IsRegular() && fi.Size() < smallInput
	case interface{ Size() int64 }: // bytes.Reader, strings.Reader, io.SectionReader
		return x.Size() < smallInput
	}
	return false
}

// underlying looks through readers that wrap another (one that ends the
// input on Ctrl-C) to the file or buffer below, whose kind decides how it
// is read.
func underlying(r io.Reader) io.Reader {
	for {
		u, ok := r.(interface{ Unwrap() io.Reader })
		if !ok {
			return r
		}
		r = u.Unwrap()
	}
}

// IsStream reports whether r is a pipe, a socket or a terminal: a capture
// being written while it is read (tcpdump -w - | synfin -). It is read in
// one goroutine, so that each record is made as soon as its connection
// finishes, not when a batch of segments between stages fills.
func IsStream(r io.Reader) bool {
	f, ok := underlying(r).(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && !fi.Mode().IsRegular() && !fi.IsDir()
}

// The pools keep what a capture needs (a decoder, an analyzer, the tables
// of its shards, and the rounds of workers.go) from one capture to the
// next: a batch over thousands of small captures would otherwise spend
// half its time allocating, clearing and scanning them.
var (
	// Decoders hold a parser per link type, each with all its layers.
	decoders = sync.Pool{New: func() any { return flows.NewDecoder() }}
	// Analyzers keep their record and string arena between captures
	// (records are valid only during emit, so nothing refers to them).
	analyzers = sync.Pool{New: func() any { return new(analyze.Analyzer) }}
	// Tables keep their connections' memory between small captures (up
	// to pooledConns of them in a capture's shards, about 6 MiB).
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
		encoder := enc.Format.NewEncoder()
		var buf []byte
		emit = func(rec *analyze.Record) {
			buf = encoder.AppendRecord(buf[:0], rec)
			enc.write(buf, &werr)
		}
	}
	n := shardsFor(opt.MaxConns)
	if inOne {
		err = runInOne(name, capt, &opt, n, emit, &st)
	} else if opt.Workers <= 1 || n == 1 {
		err = runStages(name, capt, &opt, n, emit, &st, &werr)
	} else {
		err = runShards(name, capt, &opt, n, emit, &st, &werr)
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

// runInOne analyses in the caller's goroutine, which owns every shard:
// each finished connection is analysed straight from its table, without a
// copy, in the order runShards merges them into. It returns the error that
// ended the input (io.EOF at its end).
func runInOne(name string, capt *capture.Capture, opt *Options, n int, emit func(*analyze.Record), st *Stats) error {
	z := analyzers.Get().(*analyze.Analyzer)
	defer analyzers.Put(z)
	z.JA4T = opt.JA4T
	var ss shardSet
	ss.openAll(n, opt, func(c *flows.Conn) { emit(z.Analyze(name, c)) })
	defer ss.close()
	dec := decoders.Get().(*flows.Decoder)
	defer func() { st.Frag = dec.EndFile(); decoders.Put(dec) }()
	var pkt capture.Packet
	var seg flows.Segment
	var err error
	for {
		if err = capt.Next(&pkt); err != nil {
			break
		}
		st.Packets++
		if st.count(name, &pkt, dec, &seg, dec.Decode(&pkt, &seg)) {
			ss.add(&seg)
			st.Segments++
		}
	}
	ss.flush(nil)
	ss.addStats(st, opt)
	return err
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
