package flows

import (
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
	// that late segments (a retransmitted FIN, the last ACK) still join it:
	// Linux holds TIME-WAIT for 60 s.
	DefaultLinger = 60 * time.Second
	// DefaultMaxConns bounds the connections held at once. A Conn is about
	// 1.5 KiB with its map entry, so the default stays near 3 GiB.
	DefaultMaxConns = 2_000_000
)

// Table tracks the connections of one input file. Segments go in through
// Observe; finished connections come out through the Finish callback,
// which must not keep the *Conn: the table reuses it.
type Table struct {
	IdleTimeout time.Duration
	Linger      time.Duration
	MaxConns    int // connections held at once; beyond, the longest idle is finished early
	Finish      func(*Conn)
	// EarlyFinished counts connections finished before their time because
	// of MaxConns.
	EarlyFinished int

	conns map[Key]*Conn
	// active is a list of live connections ordered by last activity (head
	// is the least recently seen); closing lists closed ones by close time.
	head, tail   *Conn
	chead, ctail *Conn
	free         []*Conn
	nextIndex    int
	now          int64
	// Counters for the summary.
	Segments int
}

// NewTable returns a table that calls finish for every finished connection.
func NewTable(finish func(*Conn)) *Table {
	return &Table{IdleTimeout: DefaultIdleTimeout, Linger: DefaultLinger, MaxConns: DefaultMaxConns, Finish: finish, conns: make(map[Key]*Conn)}
}

// Len returns the number of connections held.
func (t *Table) Len() int { return len(t.conns) }

// Observe adds one segment.
func (t *Table) Observe(seg *Segment) {
	t.Segments++
	if seg.TS > t.now {
		t.now = seg.TS
		t.expire()
	}
	key := KeyOf(seg.Src, seg.Dst)
	c := t.conns[key]
	if c != nil && t.startsNew(c, seg) {
		t.finish(c)
		c = nil
	}
	first := false
	if c == nil {
		c = t.newConn(key, seg)
		first = true
	} else {
		t.unlink(c)
	}
	t.pushBack(c)
	wasClosed := c.Closed
	c.observe(seg, c.dirOf(seg), first)
	if c.Closed && !wasClosed {
		t.pushClosing(c)
	}
}

// startsNew decides port reuse (SPEC §2): a SYN without ACK on a tuple
// whose connection is closed, or that carries a new ISN (not a
// retransmission of the one seen), starts a new connection. A SYN from the
// server side before anything else from it is a simultaneous open.
func (t *Table) startsNew(c *Conn, seg *Segment) bool {
	f := seg.Flags
	if f&FlagSYN == 0 {
		return false
	}
	d := c.dirOf(seg)
	if f&FlagACK != 0 {
		// A SYN-ACK with a new server ISN on a closed connection: the
		// capture missed the new SYN.
		return c.Closed && d == DirServer && c.HS.HasSYNACK && seg.Seq != c.HS.ServerISN
	}
	if c.Closed {
		return true
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

func (t *Table) newConn(key Key, seg *Segment) *Conn {
	if len(t.conns) >= t.MaxConns && t.head != nil {
		t.EarlyFinished++
		t.finish(t.head) // the longest idle
	}
	var c *Conn
	if n := len(t.free); n > 0 {
		c = t.free[n-1]
		t.free = t.free[:n-1]
		// Keep grown gap lists' memory for the next connection.
		h0, h1 := c.Dir[0].holes, c.Dir[1].holes
		*c = Conn{}
		if cap(h0) > len(c.Dir[0].holeBuf) {
			c.Dir[0].holes = h0[:0]
		}
		if cap(h1) > len(c.Dir[1].holeBuf) {
			c.Dir[1].holes = h1[:0]
		}
	} else {
		c = new(Conn)
	}
	c.Key, c.Index = key, t.nextIndex
	t.nextIndex++
	c.FirstTS, c.FirstIndex = seg.TS, seg.Index
	client := seg.Src
	switch {
	case seg.Flags&(FlagSYN|FlagACK) == FlagSYN:
		c.ClientBy = BySYN
	case seg.Flags&(FlagSYN|FlagACK) == FlagSYN|FlagACK:
		client, c.ClientBy = seg.Dst, BySYNACK
	case seg.Src.Port() > seg.Dst.Port():
		c.ClientBy = ByPort
	case seg.Src.Port() < seg.Dst.Port():
		client, c.ClientBy = seg.Dst, ByPort
	default:
		c.ClientBy = ByFirst
	}
	c.clientHi = client == key.Hi
	t.conns[key] = c
	return c
}

// expire finishes connections idle past the timeout and closed ones past
// the linger, both judged in capture time.
func (t *Table) expire() {
	linger := t.Linger.Nanoseconds()
	for c := t.chead; c != nil && t.now-c.ClosedTS > linger; c = t.chead {
		t.finish(c)
	}
	idle := t.IdleTimeout.Nanoseconds()
	for c := t.head; c != nil && t.now-c.LastTS > idle; c = t.head {
		t.finish(c)
	}
}

// Flush finishes every connection still held, in order of connection
// number, at the end of the input.
func (t *Table) Flush() {
	rest := make([]*Conn, 0, len(t.conns))
	for _, c := range t.conns {
		rest = append(rest, c)
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].Index < rest[j].Index })
	for _, c := range rest {
		t.finish(c)
	}
}

func (t *Table) finish(c *Conn) {
	t.unlink(c)
	if c.inClosing {
		t.unlinkClosing(c)
	}
	delete(t.conns, c.Key)
	if t.Finish != nil {
		t.Finish(c)
	}
	t.free = append(t.free, c)
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
}
