package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gopacket/gopacket/layers"

	"synfin/analyze"
	"synfin/flows"
)

// fileStats counts what one capture held, for the summary and for notes.
type fileStats struct {
	Packets     int
	Segments    int
	NotTCP      int
	Unsupported map[layers.LinkType]int
	Damaged     int                  // packets whose headers are cut short or inconsistent
	Examples    []*flows.PacketError // the first few of them
	Format      string
	Compression string
	EarlyFinish int // connections finished early because of --max-conns
	MaxConns    int
	Late        int // segments of connections finished early, absorbed by their tombstones
	decoded     bool
}

// linkName names a link type for messages, without gopacket's placeholder
// for types it does not know.
func linkName(lt layers.LinkType) string {
	if s := lt.String(); !strings.HasPrefix(s, "Unknown") {
		return fmt.Sprintf("%d (%s)", int(lt), s)
	}
	return strconv.Itoa(int(lt))
}

// maxExamples is how many damaged packets of one file are named on stderr;
// the rest are counted.
const maxExamples = 3

// limits are the resource bounds of one analysis.
type limits struct {
	idle     time.Duration // finish connections idle this long (capture time)
	maxConns int           // connections open at once
	// trace, when set, sees every segment (flows.Table.Trace); it runs on
	// the table's goroutine and is done when analyzeCapture returns.
	trace func(*flows.Conn, *flows.Segment, flows.Dir, flows.SegClass)
	// small says the input is small (smallInput): its stages run one after
	// another in the caller's goroutine, since starting and stopping three
	// goroutines costs more than a few thousand packets do.
	small bool
	ja4t  bool // add FoxIO JA4T/JA4TS (--ja4t)
	app   bool // application hints (--app): the stages run in one goroutine, as the table reads payloads
	// inOne runs the stages in one goroutine, so that trace hooks may
	// read Segment.Payload (--streams).
	inOne bool
}

// smallInput is the size under which a capture is analysed in one
// goroutine: a batch over thousands of small captures then scales with
// --jobs instead of waiting on hand-offs between stages.
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
	case interface{ Size() int64 }: // bytes.Reader
		return x.Size() < smallInput
	}
	return false
}

// Batch sizes of the pipeline: large enough that a channel operation costs
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
}

// batchPools keep the pipeline's batches (about 570 KiB a capture) from
// one capture to the next: a batch over thousands of small captures would
// otherwise spend half its time allocating, clearing and scanning them.
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

// analyzeCapture reads one capture and calls emit for every connection as
// it finishes (closed and lingered, idle, or at the end of input), in the
// order they finish. The record passed to emit is valid during the call
// only (analyze.Analyzer); Clone it to keep it. It returns a *flows.OpenError when nothing could be
// read and a *flows.PacketError when the file is damaged after some
// packets.
//
// Three stages run at once, so that a single file uses both cores: reading
// and decoding (with decompression), the connection table, and analysis
// with output. Batches pass between them over channels and come back to be
// reused, so nothing is allocated per packet; the table is a single
// goroutine, so records come out in the same order on every run.
func analyzeCapture(name string, r io.Reader, lim limits, emit func(*analyze.Record)) (fileStats, error) {
	st := fileStats{Unsupported: map[layers.LinkType]int{}}
	capt, err := flows.Open(name, r)
	if err != nil {
		return st, err
	}
	defer capt.Close()
	st.Format, st.Compression = capt.Format, capt.Compression
	if lim.small || lim.app || lim.inOne {
		return analyzeInOne(name, capt, lim, emit, st)
	}

	segs, freeSegs := make(chan *segBatch, 2), make(chan *segBatch, 4)
	conns, freeConns := make(chan *connBatch, 2), make(chan *connBatch, 4)
	for range 4 {
		freeSegs <- segBatches.Get().(*segBatch)
		freeConns <- connBatches.Get().(*connBatch)
	}
	// Every batch is back in its free channel once the stages are done.
	defer func() {
		for range 4 {
			segBatches.Put(<-freeSegs)
			connBatches.Put(<-freeConns)
		}
	}()

	// Stage 1: read and decode.
	var readErr error
	go func() {
		defer close(segs)
		dec := decoders.Get().(*flows.Decoder)
		defer decoders.Put(dec)
		var pkt flows.Packet
		for {
			b := <-freeSegs
			b.n = 0
			for b.n < len(b.seg) {
				if readErr = capt.Next(&pkt); readErr != nil {
					segs <- b
					return
				}
				st.Packets++
				if st.count(name, &pkt, dec.Decode(&pkt, &b.seg[b.n])); st.decoded {
					b.n++
				}
			}
			segs <- b
		}
	}()

	// Stage 3: analyse and write.
	written := make(chan struct{})
	go func() {
		defer close(written)
		z := analyzers.Get().(*analyze.Analyzer)
		defer analyzers.Put(z)
		z.JA4T = lim.ja4t
		for b := range conns {
			for i := range b.conn[:b.n] {
				emit(z.Analyze(name, &b.conn[i]))
			}
			freeConns <- b
		}
	}()

	// Stage 2: the connection table.
	cur := <-freeConns
	cur.n = 0
	table := flows.NewTable(func(c *flows.Conn) {
		c.CopyTo(&cur.conn[cur.n])
		if cur.n++; cur.n == len(cur.conn) {
			conns <- cur
			cur = <-freeConns
			cur.n = 0
		}
	})
	if lim.idle > 0 {
		table.IdleTimeout = lim.idle
	}
	if lim.maxConns > 0 {
		table.MaxConns = lim.maxConns
	}
	table.Trace = lim.trace
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
	st.EarlyFinish, st.MaxConns, st.Late = table.EarlyFinished, table.MaxConns, table.Late
	if readErr != io.EOF {
		return st, readErr
	}
	return st, nil
}

// analyzeInOne is analyzeCapture in the caller's goroutine: each finished
// connection is analysed straight from the table, without a copy.
func analyzeInOne(name string, capt *flows.Capture, lim limits, emit func(*analyze.Record), st fileStats) (fileStats, error) {
	z := analyzers.Get().(*analyze.Analyzer)
	defer analyzers.Put(z)
	z.JA4T = lim.ja4t
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
	if lim.idle > 0 {
		table.IdleTimeout = lim.idle
	}
	if lim.maxConns > 0 {
		table.MaxConns = lim.maxConns
	}
	table.Trace = lim.trace
	table.CollectApp = lim.app
	dec := decoders.Get().(*flows.Decoder)
	defer decoders.Put(dec)
	var pkt flows.Packet
	var seg flows.Segment
	var err error
	for {
		if err = capt.Next(&pkt); err != nil {
			break
		}
		st.Packets++
		if st.count(name, &pkt, dec.Decode(&pkt, &seg)); st.decoded {
			table.Observe(&seg)
			st.Segments++
		}
	}
	table.Flush()
	st.EarlyFinish, st.MaxConns, st.Late = table.EarlyFinished, table.MaxConns, table.Late
	if err != io.EOF {
		return st, err
	}
	return st, nil
}

// count files one packet's decoding outcome; st.decoded says whether it
// gave a segment.
func (st *fileStats) count(name string, pkt *flows.Packet, derr error) {
	st.decoded = derr == nil
	switch {
	case derr == nil:
	case errors.Is(derr, flows.ErrUnsupportedLink):
		st.Unsupported[pkt.Link]++
	case flows.IsDamage(derr):
		st.Damaged++
		if len(st.Examples) < maxExamples {
			st.Examples = append(st.Examples, &flows.PacketError{File: name, Index: pkt.Index, Offset: pkt.Offset, Err: derr})
		}
	default:
		st.NotTCP++
	}
}

// sortRecords orders records by input order, then connection number.
func sortRecords(recs []analyze.Record, fileOrder map[string]int) {
	sort.SliceStable(recs, func(i, j int) bool {
		fi, fj := fileOrder[recs[i].File], fileOrder[recs[j].File]
		if fi != fj {
			return fi < fj
		}
		return recs[i].Conn < recs[j].Conn
	})
}

// problems lists what went wrong in one file, each line naming the file,
// and whether it counts as damage (exit status 1).
func (st fileStats) problems(name string) (lines []string, damaged bool) {
	for _, e := range st.Examples {
		lines = append(lines, e.Error())
	}
	if more := st.Damaged - len(st.Examples); more > 0 {
		lines = append(lines, fmt.Sprintf("%s: %d more damaged packets", name, more))
	}
	var kinds []string
	for lt, n := range st.Unsupported {
		kinds = append(kinds, fmt.Sprintf("%s: %d packets of link type %s skipped: synfin has no decoder for it", name, n, linkName(lt)))
	}
	sort.Strings(kinds)
	lines = append(lines, kinds...)
	if st.EarlyFinish > 0 {
		lines = append(lines, fmt.Sprintf("%s: %d connections finished early: more than %d (--max-conns) were open at once", name, st.EarlyFinish, st.MaxConns))
	}
	return lines, st.Damaged > 0 || len(st.Unsupported) > 0
}

// unusable reports why a file that opened gave nothing to analyse: every
// packet had a link type synfin cannot decode.
func (st fileStats) unusable(name string) error {
	if st.Segments > 0 || st.NotTCP > 0 || st.Damaged > 0 || len(st.Unsupported) == 0 {
		return nil
	}
	for lt, n := range st.Unsupported {
		if len(st.Unsupported) == 1 {
			return fmt.Errorf("%s: nothing synfin can read: all %d packets have link type %s, which it cannot decode", name, n, linkName(lt))
		}
	}
	return fmt.Errorf("%s: nothing synfin can read: no packet has a link type it can decode", name)
}
