package flows

import (
	"hash/maphash"
	"sort"
	"time"
)

// Defaults for Table.
const (
	// DefaultIdleTimeout finishes connections silent for this long in
	// capture time (Zeek's tcp_inactivity_timeout is 5 min; SPEC asks 2 h
	// so that long-lived quiet connections stay whole).
	DefaultIdleTimeout = 2 * time.Hour
	// DefaultLinger keeps a closed connection this long in capture time so
	// that late segments (a retransmitted FIN, the last ACK, data behind an
	// RST) still join it: Linux holds TIME-WAIT for 60 s.
	DefaultLinger = 60 * time.Second
	// DefaultMaxLinger bounds how many closed connections linger at once.
	// Beyond it the longest closed is finished early and only a tombstone
	// of a few bytes stays for the rest of its TIME-WAIT, so that a capture
	// of thousands of connections a second keeps flat memory.
	DefaultMaxLinger = 10_000
	// DefaultTombSlots is the size of the tombstone table (2 MiB, allocated when
	// first needed): pairs of slots chosen by a hash of the key, the
	// sooner-expiring of a full pair giving way. A segment arriving after
	// more than DefaultMaxLinger later closes and after its tombstone gave
	// way is rare; a table this size stays in cache, which a map holding a
	// tombstone per connection of a busy capture's last minute did not.
	DefaultTombSlots = 1 << 16
	// DefaultMaxConns bounds the connections held at once. A Conn is about
	// 1.5 KiB with its map entry, so the default stays near 3 GiB.
	DefaultMaxConns = 2_000_000
)

// Table tracks the connections of one input file. Segments go in through
// Observe; finished connections come out through the Finish callback,
// which must not keep the *Conn: the table reuses it.
type Table struct {
	TableOptions
	Finish func(*Conn)
	// Trace, when set, sees every segment after its connection took it
	// in, with what it did to the sequence space: ladder diagrams and
	// walkthroughs follow one connection packet by packet with it.
	Trace func(c *Conn, seg *Segment, d Dir, class SegClass)
	// Shared, when set, is the whole this table is one shard of; nil: a
	// table on its own, numbering its connections itself.
	Shared Shared

	conns map[Key]*Conn
	// active is a list of live connections ordered by last activity (head
	// is the least recently seen); closing lists closed ones by close time.
	head, tail   *Conn
	chead, ctail *Conn
	nclosing     int
	free         []*Conn
	slab         []Conn // connections not yet handed out (fromSlab)
	nextIndex    int
	now          int64
	// Closed connections already finished, by a hash of their key: a few
	// bytes each where a whole Conn would be a kilobyte (tombstone).
	tombs []tombstone
	seed  maphash.Seed
	stats TableStats
}

// TableOptions say how a table keeps connections (DefaultTableOptions).
type TableOptions struct {
	IdleTimeout time.Duration
	// Linger is how long a closed connection waits, in capture time, for
	// late segments before it is finished. Zero or less finishes it as it
	// closes (a live capture read through a pipe, where its record should
	// come out now); late segments within DefaultLinger are then counted
	// as late rather than starting a connection of their own.
	Linger    time.Duration
	MaxLinger int // closed connections held at once; beyond, the longest closed is finished early
	MaxConns  int // connections held at once; beyond, the longest idle is finished early
	// TombSlots is the size of the tombstone table, a power of two; 0:
	// DefaultTombSlots.
	TombSlots int
	// CollectApp keeps the first in-order payload bytes of each direction
	// (Conn.App) for application hints. Segments must then be observed as
	// they are decoded: Segment.Payload points into the packet.
	CollectApp bool
	// Hold keeps finished connections from being reused until Release
	// gives them back: their records may then be made after Finish
	// returns, in another goroutine, without copying them.
	Hold bool
}

// DefaultTableOptions are a table's options unless set otherwise.
func DefaultTableOptions() TableOptions {
	return TableOptions{IdleTimeout: DefaultIdleTimeout, Linger: DefaultLinger, MaxLinger: DefaultMaxLinger, MaxConns: DefaultMaxConns}
}

// Shared is the whole a table is one shard of (the pipeline's sharded
// engine): where connection numbers come from, so that the shards number
// their connections as one table would, and a call as each starts.
type Shared interface {
	// Number is the number of a connection starting now.
	Number() int
	// Started sees each connection as it begins, its key, number and
	// first segment set.
	Started(c *Conn)
}

// TableStats are what a table counted.
type TableStats struct {
	Segments int // segments observed
	Late     int // segments of connections already closed and finished
	// ICMPUnmatched counts ICMP errors quoting a segment of no connection
	// the table holds (one not in the capture, or finished).
	ICMPUnmatched int
	// EarlyFinished counts connections finished before their time because
	// of MaxConns.
	EarlyFinished int
}

// Stats returns what the table counted so far.
func (t *Table) Stats() TableStats { return t.stats }

// tombstone remembers a finished closed connection during TIME-WAIT; a
// zero hash is an empty slot.
type tombstone struct {
	hash                 uint64
	until                int64
	clientISN, serverISN Seq
	hasClient, hasServer bool // the ISNs were seen
}

// tombHash hashes a key for the tombstone table; the low bit set keeps a
// real hash from reading as an empty slot.
func (t *Table) tombHash(k Key) uint64 { return maphash.Comparable(t.seed, k) | 1 }

// tombPair returns the two slots a key hash may occupy.
func (t *Table) tombPair(h uint64) (*tombstone, *tombstone) {
	i := h & uint64(len(t.tombs)-2)
	return &t.tombs[i], &t.tombs[i+1]
}

// NewTable returns a table that calls finish for every finished connection.
func NewTable(finish func(*Conn)) *Table {
	return &Table{TableOptions: DefaultTableOptions(), Finish: finish, conns: make(map[Key]*Conn),
		seed: maphash.MakeSeed()}
}

// Reset makes t a table like NewTable(finish) returns, keeping the memory
// of the connections it held and of its map for the next capture: a batch
// of thousands of small captures otherwise takes fresh pages from the
// system for each one's connections. Call it after Flush; connections
// still held are dropped.
func (t *Table) Reset(finish func(*Conn)) {
	clear(t.conns)
	*t = Table{TableOptions: DefaultTableOptions(), Finish: finish, conns: t.conns, free: t.free,
		slab: t.slab, seed: t.seed}
}

// Spare returns the number of finished connections kept for reuse.
func (t *Table) Spare() int { return len(t.free) }

// Len returns the number of connections held.
func (t *Table) Len() int { return len(t.conns) }

// Advance moves the table's clock to now, capture time, if that is later,
// and finishes what has been idle or lingering too long by then. The
// tables of several shards advance to the capture's clock, the latest
// time of any segment so far, before each of their segments, so that each
// connection expires exactly as it would in one table.
func (t *Table) Advance(now int64) {
	if now > t.now {
		t.now = now
		t.expire()
	}
}

// Observe adds one segment.
func (t *Table) Observe(seg *Segment) {
	key, srcHi := KeyOf(seg.Src, seg.Dst)
	t.ObserveKeyed(seg, key, srcHi)
}

// ObserveKeyed adds one segment whose key (KeyOf) is known already: the
// reader that routes segments to shards computed it.
func (t *Table) ObserveKeyed(seg *Segment, key Key, srcHi bool) {
	if seg.ICMP.IsError() {
		t.Advance(seg.TS)
		if c := t.conns[key]; c != nil {
			c.observeICMP(seg, c.dirOf(srcHi))
		} else {
			t.stats.ICMPUnmatched++ // about a connection not in the capture, or already finished
		}
		return
	}
	t.stats.Segments++
	t.Advance(seg.TS)
	c := t.conns[key]
	if c != nil && t.startsNew(c, seg, srcHi) {
		t.finish(c)
		c = nil
	}
	first := false
	if c == nil && t.tombs != nil && t.late(key, seg) {
		t.stats.Late++
		return
	}
	if c == nil {
		c = t.newConn(key, seg, srcHi)
		first = true
	} else {
		t.unlink(c)
	}
	t.pushBack(c)
	wasClosed := c.Closed
	d := c.dirOf(srcHi)
	class := c.observe(seg, d, first)
	if t.CollectApp && len(seg.Payload) > 0 {
		c.collectApp(seg, d)
	}
	if t.Trace != nil {
		t.Trace(c, seg, d, class)
	}
	if c.Closed && !wasClosed {
		t.pushClosing(c)
		switch {
		case t.Linger <= 0:
			t.bury(c)
			t.finish(c)
		case t.nclosing > t.MaxLinger:
			t.bury(t.chead)
			t.finish(t.chead)
		}
	}
}

// late reports whether a segment with no live connection belongs to one
// closed and finished: any segment within its linger (see
// DefaultMaxLinger), and a SYN or SYN-ACK repeating its ISN at any time,
// as a retransmission (startsNew). A SYN or SYN-ACK with a new ISN starts
// a new connection instead.
func (t *Table) late(key Key, seg *Segment) bool {
	h := t.tombHash(key)
	a, b := t.tombPair(h)
	tb := a
	if tb.hash != h {
		tb = b
	}
	if tb.hash != h {
		return false
	}
	// A SYN or SYN-ACK repeating the connection's ISN belongs to it however
	// late, as in Wireshark (packet-tcp.c compares the SYN's sequence
	// number with the base, not the time); one with a new ISN is port
	// reuse. Anything else belongs only within the linger.
	// The answer to such a SYN comes soon after it: the linger starts
	// again from it.
	switch f := seg.Flags & (FlagSYN | FlagACK); {
	case f == FlagSYN:
		if tb.hasClient && seg.Seq == tb.clientISN {
			tb.until = max(tb.until, t.now+t.lingerNS())
			return true
		}
	case f == FlagSYN|FlagACK:
		if tb.hasServer && seg.Seq == tb.serverISN {
			tb.until = max(tb.until, t.now+t.lingerNS())
			return true
		}
	case t.now <= tb.until:
		return true
	default:
		return false // past the linger; the ISNs are still remembered
	}
	*tb = tombstone{}
	return false
}

// startsNew decides port reuse (docs/spec.md §2), by Wireshark's rule: a SYN
// without ACK that carries a new ISN starts a new connection; one that
// repeats the client's ISN is a retransmission, even after the connection
// closed (Windows retries a refused connect() with the same ISN after
// each RST; tshark keeps them in one tcp.stream). A SYN from the server
// side before anything else from it is a simultaneous open.
func (t *Table) startsNew(c *Conn, seg *Segment, srcHi bool) bool {
	f := seg.Flags
	if f&FlagSYN == 0 {
		return false
	}
	d := c.dirOf(srcHi)
	if f&FlagACK != 0 {
		// A SYN-ACK with a new server ISN on a closed connection: the
		// capture missed the new SYN.
		return c.Closed && d == DirServer && c.HS.HasSYNACK && seg.Seq != c.HS.ServerISN
	}
	if c.Closed {
		return !(d == DirClient && c.HS.HasSYN && seg.Seq == c.HS.ISN)
	}
	if d == DirClient {
		if c.HS.HasSYN {
			return seg.Seq != c.HS.ISN
		}
		// Mid-stream connection: a SYN from a side that already sent
		// other segments begins something new.
		return c.Dir[DirClient].baseSet
	}
	// From the server side: simultaneous open only while the handshake is
	// still in progress and the server has not sent a different SYN.
	if c.HS.ServerSYN {
		return false
	}
	return c.HS.HasACK || c.HS.HasSYNACK || !c.HS.HasSYN || c.Dir[DirServer].Pkts > 0
}

func (t *Table) newConn(key Key, seg *Segment, srcHi bool) *Conn {
	if len(t.conns) >= t.MaxConns && t.head != nil {
		t.stats.EarlyFinished++
		t.finish(t.head) // the longest idle
	}
	var c *Conn
	if n := len(t.free); n > 0 {
		c = t.free[n-1]
		t.free = t.free[:n-1]
		// Keep the cold parts, emptied, for the next connection.
		c0, c1 := c.Dir[0].cold, c.Dir[1].cold
		*c = Conn{}
		if c0 != nil {
			c0.reset()
			c.Dir[0].cold = c0
		}
		if c1 != nil {
			c1.reset()
			c.Dir[1].cold = c1
		}
	} else {
		c = t.fromSlab()
	}
	c.Key = key
	if t.Shared != nil {
		c.Index = t.Shared.Number()
	} else {
		c.Index = t.nextIndex
		t.nextIndex++
	}
	c.FirstTS, c.FirstIndex = seg.TS, seg.Index
	clientIsSrc := true
	switch {
	case seg.Flags&(FlagSYN|FlagACK) == FlagSYN:
		c.ClientBy = BySYN
	case seg.Flags&(FlagSYN|FlagACK) == FlagSYN|FlagACK:
		clientIsSrc, c.ClientBy = false, BySYNACK
	case seg.Src.Port() > seg.Dst.Port():
		c.ClientBy = ByPort
	case seg.Src.Port() < seg.Dst.Port():
		clientIsSrc, c.ClientBy = false, ByPort
	default:
		c.ClientBy = ByFirst
	}
	c.clientHi = clientIsSrc == srcHi
	t.conns[key] = c
	if t.Shared != nil {
		t.Shared.Started(c)
	}
	return c
}

// expire finishes connections idle past the timeout and closed ones past
// the linger, both judged in capture time.
func (t *Table) expire() {
	linger := t.Linger.Nanoseconds()
	for c := t.chead; c != nil && t.now-c.ClosedTS > linger; c = t.chead {
		t.bury(c) // its ISNs, for a SYN repeating them however late
		t.finish(c)
	}
	idle := t.IdleTimeout.Nanoseconds()
	for c := t.head; c != nil && t.now-c.LastTS > idle; c = t.head {
		t.finish(c)
	}
}

// bury remembers a closed connection as it is finished: for the rest of
// its linger, every segment of it; after, a SYN or SYN-ACK repeating its
// ISNs, for as long as its slot is not needed (late).
func (t *Table) bury(c *Conn) {
	until := c.ClosedTS + t.lingerNS()
	if until < t.now && !c.HS.HasSYN && !c.HS.HasSYNACK {
		return // nothing to remember past the linger
	}
	if t.tombs == nil {
		n := t.TombSlots
		if n < 2 || n&(n-1) != 0 {
			n = DefaultTombSlots
		}
		t.tombs = make([]tombstone, n)
	}
	h := t.tombHash(c.Key)
	a, b := t.tombPair(h)
	slot := a
	switch {
	case a.hash == h || a.until < t.now:
	case b.hash == h || b.until < t.now:
		slot = b
	case b.until < a.until:
		slot = b
	}
	*slot = tombstone{hash: h, until: until, clientISN: c.HS.ISN, serverISN: c.HS.ServerISN, hasClient: c.HS.HasSYN, hasServer: c.HS.HasSYNACK}
}

// Flush finishes every connection still held, in order of connection
// number, at the end of the input.
func (t *Table) Flush() {
	rest := t.Open(nil)
	sort.Slice(rest, func(i, j int) bool { return rest[i].Index < rest[j].Index })
	for _, c := range rest {
		t.finish(c)
	}
}

// Open appends the connections held to dst, in no order.
func (t *Table) Open(dst []*Conn) []*Conn {
	for _, c := range t.conns {
		dst = append(dst, c)
	}
	return dst
}

// Done finishes a connection the table holds now (Open): shards flushed
// together finish theirs in one order of connection numbers.
func (t *Table) Done(c *Conn) { t.finish(c) }

// fromSlab hands out a new connection. Connections come in slabs, a
// few at first and more as the table grows, so that a table of many
// thousands is a few hundred allocations, each connection exactly its size
// (new(Conn) would round it up to an allocation class) and next to the
// ones begun near it.
func (t *Table) fromSlab() *Conn {
	if len(t.slab) == 0 {
		n := min(max(len(t.conns)/4, 8), maxSlab)
		t.slab = make([]Conn, n)
	}
	c := &t.slab[0]
	t.slab = t.slab[1:]
	return c
}

// maxSlab is the most connections one slab holds (a quarter MiB).
const maxSlab = 192

// Release gives back a connection finished while Hold was set, for reuse.
func (t *Table) Release(c *Conn) { t.free = append(t.free, c) }

func (t *Table) finish(c *Conn) {
	t.unlink(c)
	if c.inClosing {
		t.unlinkClosing(c)
	}
	delete(t.conns, c.Key)
	if t.Finish != nil {
		t.Finish(c)
	}
	if !t.Hold {
		t.free = append(t.free, c)
	}
}

func (t *Table) pushBack(c *Conn) {
	c.prev, c.next = t.tail, nil
	if t.tail != nil {
		t.tail.next = c
	} else {
		t.head = c
	}
	t.tail = c
}

func (t *Table) unlink(c *Conn) {
	if c.prev != nil {
		c.prev.next = c.next
	} else if t.head == c {
		t.head = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	} else if t.tail == c {
		t.tail = c.prev
	}
	c.prev, c.next = nil, nil
}

func (t *Table) pushClosing(c *Conn) {
	c.inClosing = true
	t.nclosing++
	c.cprev, c.cnext = t.ctail, nil
	if t.ctail != nil {
		t.ctail.cnext = c
	} else {
		t.chead = c
	}
	t.ctail = c
}

func (t *Table) unlinkClosing(c *Conn) {
	if c.cprev != nil {
		c.cprev.cnext = c.cnext
	} else {
		t.chead = c.cnext
	}
	if c.cnext != nil {
		c.cnext.cprev = c.cprev
	} else {
		t.ctail = c.cprev
	}
	c.cprev, c.cnext, c.inClosing = nil, nil, false
	t.nclosing--
}

// lingerNS is how long a closed connection's late segments still join it,
// in ns: Linger, or DefaultLinger when connections are finished as they
// close.
func (t *Table) lingerNS() int64 {
	if t.Linger <= 0 {
		return DefaultLinger.Nanoseconds()
	}
	return t.Linger.Nanoseconds()
}
