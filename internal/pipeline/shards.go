package pipeline

import (
	"math"
	"math/bits"
	"sort"

	"github.com/synfin/synfin/flows"
)

// Connections are split over virtual shards by a fixed hash of their
// addresses (flows.Key.Shard), each shard a flows.Table of its own, so that
// several workers can each own some shards and track their connections at
// once. What a connection becomes depends only on its own segments and on
// the capture's clock, which every shard is advanced to before each of its
// segments, so each connection expires exactly as it would in one table.
// The caps (--max-conns, the lingering closed connections, the tombstones)
// are kept per shard, and the number of shards depends only on the
// options, so no record ever depends on how many workers there are.
//
// The order records come out in is fixed by the shards too: a connection
// finished while a segment is observed comes out at that segment; one
// expired when its shard is advanced at the start of a round (every
// roundLen segments) comes out there, shard by shard; the ones still open
// at the end come out in order of connection number. One goroutine owning
// every shard (runInOne) and W workers merged (runShards) give the same
// order, byte for byte.

// roundLen is how many segments a round holds: the reader hands each
// worker its share of a round at once, and the shards are advanced to the
// capture's clock at the start of each.
const roundLen = 2048

// shardsFor returns the number of virtual shards for a cap of maxConns
// open connections: MaxShards, unless the cap is under minShardedCap,
// where dividing it would change which connections it finishes early;
// one table then keeps the cap exactly (and one worker does the work).
func shardsFor(maxConns int) int {
	if maxConns > 0 && maxConns < minShardedCap {
		return 1
	}
	return flows.MaxShards
}

// minShardedCap is the smallest --max-conns kept per shard: 1,024 open
// connections a shard.
const minShardedCap = flows.MaxShards * 1024

// perShard divides a cap over n shards, rounding up.
func perShard(cap, n int) int { return (cap + n - 1) / n }

// shardSet is the tables of the shards one goroutine owns.
type shardSet struct {
	n      int                           // virtual shards in all
	tables [flows.MaxShards]*flows.Table // nil for shards owned elsewhere
	owned  []int                         // the shards owned, in order
	shard  int                           // the shard being advanced or observed
	clock  int64                         // the capture's clock (the latest segment time)
	seen   int                           // segments observed, to start rounds in runInOne
	// numbers counts connections across the shards when the set owns
	// them all (openAll).
	numbers int
	rest    []*flows.Conn // scratch for flush
}

// open takes a table from the pool for each shard s of n for which own(s)
// is true and configures it; finish is each table's Finish.
func (ss *shardSet) open(n int, own func(int) bool, opt *Options, finish func(*flows.Conn)) {
	*ss = shardSet{n: n, owned: ss.owned[:0], rest: ss.rest[:0]}
	maxConns := opt.MaxConns
	if maxConns <= 0 {
		maxConns = flows.DefaultMaxConns
	}
	for s := range n {
		if !own(s) {
			continue
		}
		t := tables.Get().(*flows.Table)
		t.Reset(finish)
		configure(t, opt)
		t.MaxConns = perShard(maxConns, n)
		t.MaxLinger = perShard(flows.DefaultMaxLinger, n)
		t.TombSlots = 1 << bits.Len(uint(perShard(flows.DefaultTombSlots, n)-1))
		ss.tables[s] = t
		ss.owned = append(ss.owned, s)
	}
}

// openAll opens every shard for one goroutine, its tables numbering
// connections as one table would.
func (ss *shardSet) openAll(n int, opt *Options, finish func(*flows.Conn)) {
	ss.open(n, func(int) bool { return true }, opt, finish)
	ss.each(func(t *flows.Table) { t.Shared = ss })
}

// Number is the next connection number of the set's tables together.
func (ss *shardSet) Number() int { ss.numbers++; return ss.numbers - 1 }

// Started: the set's tables need no call as a connection starts.
func (ss *shardSet) Started(*flows.Conn) {}

// close puts the tables back in the pool: without this capture's
// callbacks, and only those holding few connections, as the pool would
// keep a large one's for the rest of the run.
func (ss *shardSet) close() {
	for _, s := range ss.owned {
		t := ss.tables[s]
		t.Reset(nil)
		if t.Spare() <= pooledConns/flows.MaxShards {
			tables.Put(t)
		}
		ss.tables[s] = nil
	}
}

// each calls f for every table owned.
func (ss *shardSet) each(f func(*flows.Table)) {
	for _, s := range ss.owned {
		f(ss.tables[s])
	}
}

// tick starts a round: every shard owned is advanced to the capture's
// clock, in order of shard.
func (ss *shardSet) tick(clock int64) {
	for _, s := range ss.owned {
		ss.shard = s
		ss.tables[s].Advance(clock)
	}
}

// observe adds a segment with its key to its shard after advancing the
// shard to the capture's clock, which includes the segment's own time.
func (ss *shardSet) observe(seg *flows.Segment, key *flows.Key, srcHi bool, shard int, clock int64) {
	ss.shard = shard
	t := ss.tables[shard]
	t.Advance(clock)
	t.ObserveKeyed(seg, *key, srcHi)
}

// add is runInOne's step: a round starts every roundLen segments, then
// the segment is observed.
func (ss *shardSet) add(seg *flows.Segment) {
	k, hi, shard := route(seg, ss.n)
	ss.addRouted(seg, &k, hi, shard)
}

// addRouted is add for a segment whose key and shard are known (route).
func (ss *shardSet) addRouted(seg *flows.Segment, k *flows.Key, hi bool, shard int) {
	if ss.seen > 0 && ss.seen%roundLen == 0 {
		ss.tick(ss.clock)
	}
	ss.seen++
	ss.clock = max(ss.clock, seg.TS)
	ss.observe(seg, k, hi, shard, ss.clock)
}

// route returns a segment's key, whether its source is the key's Hi
// endpoint, and its shard of n.
func route(seg *flows.Segment, n int) (flows.Key, bool, int) {
	k, hi := flows.KeyOf(seg.Src, seg.Dst)
	if n == 1 {
		return k, hi, 0
	}
	return k, hi, k.Shard(n)
}

// flush finishes every connection still open in the shards owned, in
// order of connection number, calling after (if set) after each and once
// more at the end.
func (ss *shardSet) flush(after func(last bool)) {
	ss.rest = ss.rest[:0]
	ss.each(func(t *flows.Table) { ss.rest = t.Open(ss.rest) })
	sort.Slice(ss.rest, func(i, j int) bool { return ss.rest[i].Index < ss.rest[j].Index })
	for _, c := range ss.rest {
		ss.shard = c.Key.Shard(ss.n)
		ss.tables[ss.shard].Done(c)
		if after != nil {
			after(false)
		}
	}
	if after != nil {
		after(true)
	}
	clear(ss.rest)
}

// addStats adds the tables' counts to st.
func (ss *shardSet) addStats(st *Stats, opt *Options) {
	st.MaxConns, st.Shards = opt.MaxConns, ss.n
	if st.MaxConns <= 0 {
		st.MaxConns = flows.DefaultMaxConns
	}
	ss.each(func(t *flows.Table) {
		ts := t.Stats()
		st.EarlyFinish += ts.EarlyFinished
		st.Late += ts.Late
	})
}

// flushPos is the position of the records of connections open at the end.
const flushPos = math.MaxInt64

// event is a connection finished in a worker, with its place in the
// output: pos is 2×frame+1 when it finished at the segment of that frame,
// 2×frame when its shard was advanced at the start of the round that
// begins with that frame, and flushPos at the end; sub orders events at
// one pos (shard and sequence, or the connection number when flushed).
type event struct {
	pos, sub int64
	conn     *flows.Conn
}

func (a *event) before(b *event) bool { return a.pos < b.pos || a.pos == b.pos && a.sub < b.sub }
