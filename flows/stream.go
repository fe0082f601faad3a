package flows

// hole is a gap in one direction's sequence space: bytes after which later
// bytes were seen but which have not been seen themselves.
type hole struct{ from, to Seq }

// Stream is what one direction of a connection sent, with the sequence
// state needed to classify each segment (RFC 9293 §3.4). Counters are
// exported for package analyze.
//
// Every segment touches it, so it is kept small: fields are grouped by
// size (no padding between them), and what few directions need, sequence
// gaps and RTT samples past the second, lives in a part of its own
// (streamCold) made on first use.
type Stream struct {
	// Sequence state.
	base          Seq   // first sequence number seen from this side
	nxt           Seq   // one past the highest sequence number seen (SYN and FIN count one)
	maxAck        Seq   // highest acknowledgment number this side sent
	dupAcks       int32 // duplicate ACKs in a row (same ack, no data, no SYN/FIN/RST)
	lastAdvanceTS int64 // time of the last segment that moved nxt forward
	ctlOctets     int64 // SYN and FIN octets inside [base, nxt)
	lastAckTS     int64 // time of the last segment with ACK from this side
	lastWin       uint16
	baseSet       bool
	ackSet        bool
	// Data-phase RTT: one segment timed at a time, as classic TCP does
	// (RFC 6298 §3); a retransmission of it cancels the sample (Karn).
	// With timestamps, the TSval of the first data segment not yet echoed
	// and when it was sent (RFC 7323 round-trip time measurement).
	timing   bool
	tsTiming bool
	timedEnd Seq
	tsVal    uint32
	timedTS  int64
	tsSent   int64

	last lastSeg // the last segment, for capture duplicates

	// Wireshark's analysis state (tcp_analyze_seq_info), kept apart from
	// the byte accounting above because its rules differ in places: its
	// next sequence number does not advance for zero-window probes, and its
	// last ACK and window are those of the latest segment, not the highest.
	an anState

	// FIN and RST.
	FinTS    int64 // first FIN from this side
	FinAckTS int64 // first ACK from the other side covering this FIN
	RstTS    int64
	FinSeq   Seq   // sequence number of the FIN itself
	FinCount int32 // segments with FIN set, retransmissions included
	SynFlags int32 // segments with SYN set (with or without ACK)
	FinSeen  bool
	FinAcked bool
	RstSeen  bool

	// Statistics.
	Pkts        int32
	RetxPkts    int32
	Duplicates  int32 // capture duplicates (SegDuplicate), not counted as retransmissions
	OutOfOrder  int32
	ZeroWindow  int32
	KeepAlives  int32
	RTTSamples  int32
	Bytes       int64 // payload bytes, from IP lengths, retransmissions included
	RetxBytes   int64
	MissedBytes int64 // gaps given up on (past maxHoles); missed() adds the open ones
	RTTMin      int64
	RTTMax      int64
	RTTSum      int64
	// The first two RTT samples, in microseconds, for medians; from the
	// third on all kept samples are in cold.rtt.
	rttBuf [2]uint32

	// DP is the data phase: every segment's RTT, the windows this side
	// advertised, its initial window, idle and held times; wq the
	// segments waiting for their ACK, segBuf the first RTT samples of
	// every segment (the rest in cold.segRTT).
	DP     DataPhase
	wq     waitQueue
	segBuf [4]uint32

	cold *streamCold
}

// streamCold is the part of a Stream that most directions never need,
// made when a direction first has a gap in its sequence space, a third
// RTT sample or a segment waiting for its ACK. The table keeps it when it
// reuses the connection.
type streamCold struct {
	// holes are the gaps in the sequence space, oldest first; the first
	// few live in holeBuf, and a lossy bulk transfer grows the slice up to
	// maxHoles.
	holes   []hole
	holeBuf [4]hole
	// rtt holds the kept RTT samples once there are more than two: all of
	// them up to maxRTTKept, a uniform sample beyond.
	rtt []uint32
	// wait are the segments waiting for their ACK, in order of their
	// ends, from waitHead on (DataPhase); segRTT the kept samples of
	// every segment's RTT, as rtt keeps the capture point's.
	wait     []waiting
	waitHead int
	segRTT   []uint32
}

// coldPart returns s's cold part, making it on first use.
func (s *Stream) coldPart() *streamCold {
	if s.cold == nil {
		s.cold = new(streamCold)
		s.cold.holes = s.cold.holeBuf[:0]
	}
	return s.cold
}

// reset empties a cold part for reuse, keeping grown slices' memory.
func (c *streamCold) reset() {
	if cap(c.holes) > len(c.holeBuf) {
		c.holes = c.holes[:0]
	} else {
		c.holes = c.holeBuf[:0]
	}
	c.rtt = c.rtt[:0]
	c.wait, c.waitHead = c.wait[:0], 0
	c.segRTT = c.segRTT[:0]
}

// gaps returns the open sequence gaps, oldest first.
func (s *Stream) gaps() []hole {
	if s.cold == nil {
		return nil
	}
	return s.cold.holes
}

// maxRTTKept bounds the RTT samples kept per direction.
const maxRTTKept = 1024

// ReservoirSlot is where reservoir sampling (Algorithm R) puts the nth
// sample (n from 1) once the reservoir is full: a slot in [0, n), kept only
// if it falls inside the reservoir. A multiplicative hash of n stands in
// for the random draw, so that every run keeps the same samples.
func ReservoirSlot(n uint64) int {
	return int((n * 0x9E3779B97F4A7C15 >> 33) % n)
}

// keepRTT keeps sample d (ns): the first two inline, the rest in the cold
// part, and past maxRTTKept as reservoir sampling (Algorithm R) does, with
// ReservoirSlot's fixed draw so that runs agree.
func (s *Stream) keepRTT(d int64) {
	us := uint32(min(max(d/1000, 0), 1<<32-1))
	n := int(s.RTTSamples) // samples before this one
	switch {
	case n < len(s.rttBuf):
		s.rttBuf[n] = us
	case n < maxRTTKept:
		c := s.coldPart()
		if n == len(s.rttBuf) {
			c.rtt = append(c.rtt[:0], s.rttBuf[:]...)
		}
		c.rtt = append(c.rtt, us)
	default:
		if j := ReservoirSlot(uint64(n + 1)); j < maxRTTKept {
			s.cold.rtt[j] = us
		}
	}
}

// RTTKept returns the data-phase RTT samples kept, in microseconds (all of
// them up to maxRTTKept, a uniform sample beyond).
func (s *Stream) RTTKept() []uint32 {
	if int(s.RTTSamples) <= len(s.rttBuf) {
		return s.rttBuf[:s.RTTSamples]
	}
	return s.cold.rtt
}

// noteAck counts duplicate acknowledgments as Wireshark does: a segment
// without payload, SYN, FIN or RST that repeats the previous ack number and
// window is one more duplicate; any other segment from this side ends the
// run.
func (s *Stream) noteAck(ack Seq, win uint16, pure bool, ts int64) {
	if pure && s.ackSet && ack == s.maxAck && win == s.lastWin {
		s.dupAcks++
	} else {
		s.dupAcks = 0
	}
	s.lastWin, s.lastAckTS = win, ts
}

// fastRetransmission reports whether a segment at seq sent at ts answers
// the peer's duplicate ACKs (peer is the other direction's stream):
// Wireshark asks for two or more, the last within 20 ms.
func (peer *Stream) fastRetransmission(seq Seq, ts int64) bool {
	return peer.dupAcks >= 2 && peer.ackSet && seq == peer.maxAck && ts-peer.lastAckTS < 20e6
}

// SegClass is what a segment did to its stream's sequence space, as
// Wireshark's tcp.analysis flags name it.
type SegClass uint8

const (
	SegNew        SegClass = iota // advanced the sequence space (or carried nothing)
	SegRetx                       // repeated bytes already seen
	SegOutOfOrder                 // filled a gap shortly after later bytes arrived
	SegKeepAlive                  // one byte (or none) just below the next expected byte
	SegDuplicate                  // the capture recorded the previous segment again (lastSeg.duplicate)
)

// dupWindow is how soon after a segment a copy of it counts as a capture
// duplicate: mirror ports and captures on two interfaces record the copy
// microseconds later, while no retransmission timer fires this soon
// (Linux's least RTO is 200 ms) and a fast retransmission follows
// duplicate ACKs from the other side.
const dupWindow = 10e6 // ns

// lastSeg is what a direction remembers of its last segment, to tell a
// capture duplicate (the same packet recorded twice) from a
// retransmission (the same bytes sent again).
type lastSeg struct {
	ts         int64
	seq, ack   Seq
	tsVal      uint32
	plen       int32
	win        uint16
	ipid       uint16
	flags      Flags
	valid      bool
	hasTS      bool
	otherSince bool // a segment of the other direction came after it
}

// duplicate says whether seg is a capture duplicate of the last segment:
// within dupWindow, the same sequence and acknowledgment numbers, flags,
// window, payload length and timestamp, and the same IPv4 identification.
// Where there is none to compare (IPv6, or an ID of 0, which Linux sends
// on SYN-ACKs), the copy must also follow with nothing from the other side
// between.
func (l *lastSeg) duplicate(seg *Segment) bool {
	if !l.valid || seg.TS-l.ts > dupWindow || seg.TS < l.ts ||
		seg.Seq != l.seq || seg.Ack != l.ack || seg.Flags != l.flags || seg.Window != l.win ||
		int32(seg.PayloadLen) != l.plen || seg.HasTS != l.hasTS || (seg.HasTS && seg.TSVal != l.tsVal) {
		return false
	}
	if seg.IPID != 0 || l.ipid != 0 {
		return seg.IPID == l.ipid
	}
	return !l.otherSince
}

func (l *lastSeg) remember(seg *Segment) {
	*l = lastSeg{valid: true, ts: seg.TS, seq: seg.Seq, ack: seg.Ack, flags: seg.Flags, win: seg.Window,
		plen: int32(seg.PayloadLen), ipid: seg.IPID, hasTS: seg.HasTS, tsVal: seg.TSVal}
}

// classify updates the sequence state with a segment and says what it
// was. seglen counts the payload plus one each for SYN and FIN; ctl is set
// when the segment has SYN or FIN. oooThresh is the time within which a
// gap-filling segment counts as reordered rather than retransmitted, as in
// Wireshark.
func (s *Stream) classify(seq Seq, seglen uint32, payload int, ctl, fastRetx bool, ts, oooThresh int64) SegClass {
	if !s.baseSet {
		s.baseSet, s.base, s.nxt, s.lastAdvanceTS = true, seq, seq.Add(seglen), ts
		if ctl && seglen > uint32(payload) {
			s.ctlOctets++
		}
		return SegNew
	}
	// A keep-alive repeats the last byte sent (or none): seq = next - 1
	// (RFC 9293 §3.8.4).
	if !ctl && payload <= 1 && seq.Add(1) == s.nxt {
		return SegKeepAlive
	}
	if seglen == 0 {
		return SegNew
	}
	end := seq.Add(seglen)
	if s.nxt.LessThan(end) {
		if s.nxt.LessThan(seq) {
			s.addHole(s.nxt, seq)
		}
		s.nxt, s.lastAdvanceTS = end, ts
		if ctl {
			s.ctlOctets += int64(seglen) - int64(payload)
		}
		return SegNew
	}
	// Wireshark's order: a segment at the sequence number the peer keeps
	// acknowledging twice or more is a fast retransmission; one that fills a
	// gap soon after later bytes came is out of order; anything else that
	// does not advance is a retransmission.
	filled := s.fill(seq, end)
	if !fastRetx && filled && ts-s.lastAdvanceTS < oooThresh {
		return SegOutOfOrder
	}
	return SegRetx
}

// UniqueBytes returns the payload bytes this side sent, each counted once:
// the sequence space covered, less the SYN and FIN octets and the gaps
// never filled (what Zeek reports as orig_bytes/resp_bytes).
func (s *Stream) UniqueBytes() int64 {
	if !s.baseSet {
		return 0
	}
	n := int64(s.base.Size(s.nxt)) - s.ctlOctets - s.missed()
	return max(n, 0)
}

// maxHoles bounds the gaps tracked per direction, so that a hostile or
// badly damaged capture cannot grow memory without limit.
const maxHoles = 4096

func (s *Stream) addHole(from, to Seq) {
	c := s.coldPart()
	if len(c.holes) == maxHoles {
		// Too many gaps to track: give up on the oldest, its bytes are missed.
		s.MissedBytes += int64(c.holes[0].from.Size(c.holes[0].to))
		c.holes = append(c.holes[:0], c.holes[1:]...)
	}
	c.holes = append(c.holes, hole{from, to})
}

// fill removes [from,to) from the gaps and reports whether it overlapped one.
func (s *Stream) fill(from, to Seq) bool {
	if s.cold == nil || len(s.cold.holes) == 0 {
		return false
	}
	c := s.cold
	filled := false
	for i := 0; i < len(c.holes); i++ {
		h := &c.holes[i]
		if !(from.LessThan(h.to) && h.from.LessThan(to)) {
			continue
		}
		filled = true
		switch {
		case from.LessThanEq(h.from) && h.to.LessThanEq(to): // covered: drop it
			c.holes = append(c.holes[:i], c.holes[i+1:]...)
			i--
		case from.LessThanEq(h.from): // covers the start
			h.from = to
		case h.to.LessThanEq(to): // covers the end
			h.to = from
		default: // inside: split it in two
			rest := hole{to, h.to}
			h.to = from
			if len(c.holes) < maxHoles {
				c.holes = append(c.holes, hole{})
				copy(c.holes[i+2:], c.holes[i+1:])
				c.holes[i+1] = rest
				i++
			} else {
				s.MissedBytes += int64(rest.from.Size(rest.to))
			}
		}
	}
	return filled
}

// missed returns the bytes of gaps never filled.
func (s *Stream) missed() int64 {
	m := s.MissedBytes
	for _, h := range s.gaps() {
		m += int64(h.from.Size(h.to))
	}
	return m
}

// addRTT records one data-phase RTT sample in nanoseconds.
func (s *Stream) addRTT(d int64) {
	s.keepRTT(d)
	if s.RTTSamples == 0 || d < s.RTTMin {
		s.RTTMin = d
	}
	if d > s.RTTMax {
		s.RTTMax = d
	}
	s.RTTSum += d
	s.RTTSamples++
}
