package flows

import (
	"encoding/binary"
	"net/netip"

	"github.com/gopacket/gopacket/layers"
	"github.com/synfin/synfin/flows/capture"
)

// IP fragments are put back together before TCP is read, as tshark does by
// default, so that a SYN or a segment a router fragmented is seen. The
// reassembler holds what it must within hard bounds: a capture made only
// of first fragments cannot make it grow.
const (
	// MaxFragDatagrams is how many datagrams are reassembled at once;
	// past it the oldest is given up.
	MaxFragDatagrams = 1024
	// MaxFragBytes is how many payload bytes all of them may hold.
	MaxFragBytes = 8 << 20
	// FragTimeout is how long, in capture time, a datagram's fragments
	// may take to arrive (Linux's ipfrag_time, 30 s).
	FragTimeout = int64(30e9)
	// maxDatagram is the largest payload an IP datagram can have.
	maxDatagram = 65535
)

// FragStats counts what reassembly did, for the notes of a capture.
type FragStats struct {
	Reassembled int // datagrams put back together
	Overlapping int // IPv4 fragments overlapping bytes already held: the first arrived kept
	Dropped     int // IPv6 datagrams with overlapping fragments, dropped (RFC 5722)
	Incomplete  int // datagrams not whole FragTimeout after their first fragment, or at the end of the capture
	Evicted     int // datagrams given up to stay within MaxFragDatagrams and MaxFragBytes
	Invalid     int // datagrams whose fragments' lengths disagree or pass 65,535 bytes
}

type fragKey struct {
	src, dst netip.Addr
	id       uint32
	proto    uint8
}

// span is a range of payload bytes held, [from, to).
type span struct{ from, to int }

// datagram is one datagram being reassembled.
type datagram struct {
	key    fragKey
	first  int64  // capture time of its first fragment to arrive
	header []byte // the IP header to rebuild it with (from the offset-0 fragment)
	data   []byte // payload bytes by offset
	have   []span // held, sorted and merged
	total  int    // payload length, once the last fragment came; -1 before
	gen    uint32 // bumped each time the struct is reused, to tell stale queue entries
	bad    bool   // IPv6 fragments overlapped: to be dropped
}

// queued is a datagram in order of arrival, as it was when queued.
type queued struct {
	g   *datagram
	gen uint32
}

// defrag reassembles IPv4 and IPv6 datagrams. Not safe for concurrent use:
// each Decoder has its own.
type defrag struct {
	held  map[fragKey]*datagram
	order []queued // datagrams by the arrival of their first fragment, from head on
	head  int
	bytes int
	spare []*datagram // emptied datagrams, their buffers kept
	out   []byte      // the rebuilt packet, valid until the next one
	FragStats
}

// take adds one fragment at capture time ts: offset and more say where it
// goes and whether more follow; header is the IP header to rebuild the
// datagram with (used from the offset-0 fragment), v6 whether it is IPv6.
// When the datagram is whole it returns the rebuilt packet (header, with
// lengths and fragment fields set, and the payload), valid until the next
// call.
func (f *defrag) take(key fragKey, v6 bool, header, payload []byte, offset int, more bool, ts int64) ([]byte, bool) {
	if f.held == nil {
		f.held = make(map[fragKey]*datagram)
	}
	f.expire(ts)
	g := f.held[key]
	if g == nil {
		if len(f.held) >= MaxFragDatagrams {
			f.evictOldest()
		}
		g = f.newDatagram(key, ts)
	}
	end := offset + len(payload)
	if end > maxDatagram || (!more && g.total >= 0 && end != g.total) || (g.total >= 0 && end > g.total) {
		f.drop(g)
		f.Invalid++
		return nil, false
	}
	if !more {
		g.total = end
	}
	if offset == 0 {
		g.header = append(g.header[:0], header...)
	}
	// Bytes already held are kept (IPv4: the first arrived wins, as
	// Linux does); with IPv6 an overlap drops the datagram (RFC 5722).
	for _, h := range g.have {
		if offset < h.to && h.from < end {
			if v6 {
				g.bad = true
			} else {
				f.Overlapping++
			}
		}
	}
	if g.bad {
		f.drop(g)
		f.Dropped++
		return nil, false
	}
	if f.bytes+len(payload) > MaxFragBytes {
		f.evictOldest()
		if f.bytes+len(payload) > MaxFragBytes {
			f.drop(g)
			f.Evicted++
			return nil, false
		}
	}
	if len(g.data) < end {
		f.bytes += end - len(g.data)
		g.data = append(g.data, make([]byte, end-len(g.data))...)
	}
	f.fill(g, offset, payload)
	if g.total < 0 || len(g.have) != 1 || g.have[0].from != 0 || g.have[0].to != g.total || len(g.header) == 0 {
		return nil, false
	}
	f.out = rebuild(f.out[:0], g, v6)
	f.drop(g)
	f.Reassembled++
	return f.out, true
}

// fill copies payload at offset into the bytes not yet held, and merges
// the span into what is held.
func (f *defrag) fill(g *datagram, offset int, payload []byte) {
	end := offset + len(payload)
	pos := offset
	for _, h := range g.have {
		if h.to <= pos || h.from >= end {
			continue
		}
		if h.from > pos {
			copy(g.data[pos:h.from], payload[pos-offset:h.from-offset])
		}
		pos = max(pos, h.to)
	}
	if pos < end {
		copy(g.data[pos:end], payload[pos-offset:])
	}
	// Merge [offset, end) into the sorted spans.
	merged := g.have[:0:0]
	ns := span{offset, end}
	placed := false
	for _, h := range g.have {
		switch {
		case h.to < ns.from:
			merged = append(merged, h)
		case ns.to < h.from:
			if !placed {
				merged = append(merged, ns)
				placed = true
			}
			merged = append(merged, h)
		default:
			ns = span{min(ns.from, h.from), max(ns.to, h.to)}
		}
	}
	if !placed {
		merged = append(merged, ns)
	}
	g.have = append(g.have[:0], merged...)
}

// rebuild writes the datagram g whole: its header with the length set and
// no fragment left (IPv4: flags and offset cleared, checksum left as it
// was; IPv6: the fragment header's next header in the fixed header).
func rebuild(out []byte, g *datagram, v6 bool) []byte {
	out = append(out, g.header...)
	if v6 {
		binary.BigEndian.PutUint16(out[4:6], uint16(g.total))
		out[6] = g.key.proto
	} else {
		binary.BigEndian.PutUint16(out[2:4], uint16(len(g.header)+g.total))
		flags := binary.BigEndian.Uint16(out[6:8]) & 0x4000 // DF stays
		binary.BigEndian.PutUint16(out[6:8], flags)
	}
	return append(out, g.data[:g.total]...)
}

func (f *defrag) newDatagram(key fragKey, ts int64) *datagram {
	var g *datagram
	if n := len(f.spare); n > 0 {
		g, f.spare = f.spare[n-1], f.spare[:n-1]
	} else {
		g = new(datagram)
	}
	g.key, g.first, g.total, g.bad = key, ts, -1, false
	g.header, g.data, g.have = g.header[:0], g.data[:0], g.have[:0]
	f.held[key] = g
	f.queue(g)
	return g
}

// queue adds g at the end of the arrival order, first dropping the entries
// of datagrams done with when they are most of the queue, so that it stays
// within a few times MaxFragDatagrams however many datagrams pass.
func (f *defrag) queue(g *datagram) {
	if live := len(f.held); len(f.order)-f.head > 4*MaxFragDatagrams && len(f.order)-f.head > 2*live {
		kept := f.order[:0]
		for _, q := range f.order[f.head:] {
			if f.live(q) {
				kept = append(kept, q)
			}
		}
		clear(f.order[len(kept):])
		f.order, f.head = kept, 0
	}
	f.order = append(f.order, queued{g, g.gen})
}

// live says whether a queue entry is a datagram still being reassembled.
func (f *defrag) live(q queued) bool { return q.g.gen == q.gen && f.held[q.g.key] == q.g }

// drop forgets g, keeping its buffers for the next datagram.
func (f *defrag) drop(g *datagram) {
	f.bytes -= len(g.data)
	delete(f.held, g.key)
	g.gen++
	if cap(g.data) <= 2*maxDatagram {
		f.spare = append(f.spare, g)
	}
}

// front is the oldest datagram still held, dropping done ones from the
// queue's head.
func (f *defrag) front() *datagram {
	for f.head < len(f.order) {
		q := f.order[f.head]
		if f.live(q) {
			return q.g
		}
		f.order[f.head] = queued{}
		f.head++
	}
	f.order, f.head = f.order[:0], 0
	return nil
}

// expire gives up the datagrams whose first fragment came more than
// FragTimeout before ts.
func (f *defrag) expire(ts int64) {
	for g := f.front(); g != nil && ts-g.first > FragTimeout; g = f.front() {
		f.drop(g)
		f.Incomplete++
	}
}

// evictOldest gives up the datagram whose first fragment came first.
func (f *defrag) evictOldest() {
	if g := f.front(); g != nil {
		f.drop(g)
		f.Evicted++
	}
}

// Pending is how many datagrams wait for fragments.
func (f *defrag) Pending() int { return len(f.held) }

// reassemble takes the packet just decoded when it stopped at an IP
// fragment, and returns the whole datagram when this fragment completed it.
func (d *Decoder) reassemble(ts int64) ([]byte, bool) {
	if d.depth > 0 || len(d.decoded) == 0 {
		return nil, false
	}
	switch d.decoded[len(d.decoded)-1] {
	case layers.LayerTypeIPv4:
		h := &d.ip4
		more := h.Flags&layers.IPv4MoreFragments != 0
		if !more && h.FragOffset == 0 {
			return nil, false
		}
		key := fragKey{src: addrOf(h.SrcIP.To4()), dst: addrOf(h.DstIP.To4()), id: uint32(h.Id), proto: uint8(h.Protocol)}
		return d.frag.take(key, false, h.Contents, h.Payload, int(h.FragOffset)*8, more, ts)
	case layers.LayerTypeIPv6Fragment:
		h, f := &d.ip6, &d.ip6frag
		if len(h.Contents) < 40 {
			return nil, false
		}
		key := fragKey{src: addrOf(h.SrcIP), dst: addrOf(h.DstIP), id: f.Identification, proto: uint8(f.NextHeader)}
		return d.frag.take(key, true, h.Contents[:40], f.Payload, int(f.FragmentOffset)*8, f.MoreFragments, ts)
	}
	return nil, false
}

// decodeWhole decodes a reassembled datagram as the packet that completed
// it: its frame number and time.
func (d *Decoder) decodeWhole(pkt *capture.Packet, whole []byte, seg *Segment) error {
	inner := capture.Packet{Data: whole, Link: layers.LinkTypeRaw, TS: pkt.TS, Index: pkt.Index, Offset: pkt.Offset, WireLen: len(whole)}
	lt, p := d.lastLT, d.last
	d.depth++
	err := d.slow(&inner, seg)
	d.depth--
	d.lastLT, d.last = lt, p // notes name the link the fragments came on
	if err == nil {
		seg.Reassembled = true
	}
	return err
}

// EndFile says what reassembly did in the file just decoded, counting the
// datagrams still waiting for fragments as given up, and forgets them, so
// that the next file starts afresh.
func (d *Decoder) EndFile() FragStats {
	for g := d.frag.front(); g != nil; g = d.frag.front() {
		d.frag.drop(g)
		d.frag.Incomplete++
	}
	st := d.frag.FragStats
	d.frag.FragStats = FragStats{}
	return st
}
