package flows

import "math"

// DataPhase is what one direction did between the handshake and the close,
// as a course lab and tcptrace -lr ask of it: the RTT of every segment it
// sent, its RFC 6298 estimate, the windows it advertised, its initial
// window, its idle times and how long the other side's window held it back.
// It is kept as the segments pass, so no list of segments is needed; the
// one list it keeps, the segments waiting for their ACK, lives in the
// stream's cold part and is bounded (maxWaiting).
//
// The RTT rule is the textbook's SampleRTT and tcptrace's: a segment that
// takes sequence space (data, SYN, FIN) is timed from when it passed the
// capture to the first ACK from the other side covering its last byte;
// bytes sent more than once are never timed (Karn's rule), nor are
// keep-alives, capture duplicates or segments after maxWaiting were already
// waiting. The samples are taken in the order their ACKs arrive, and the
// estimator sees them in that order. analyze/segments lists the same
// samples one segment at a time.
type DataPhase struct {
	// Fields are grouped by size, as in Stream, so none pads another.

	// RTT samples: extremes, sum and sum of squares (ns, ns²), and the
	// RFC 6298 estimate after the last.
	RTTMin, RTTMax int64
	RTTSum, RTTSq  float64
	Est            RTTEstimator
	// AdvSum is the sum of the windows advertised (AdvN).
	AdvSum float64
	// FirstDataTS is when this side's first data segment passed;
	// LastAckTS when the other side last moved the edge over its data
	// (HasData, HasAck).
	FirstDataTS int64
	LastAckTS   int64
	// IdleMax is the longest time between two segments of this direction.
	IdleMax int64
	// LimitedNS is how long the sender was held by the other side's
	// window: bytes in flight within one segment (the largest it sent so
	// far) of the window last advertised to it; a zero-window probe is in
	// flight, so a closed window counts. Kept only once both windows'
	// scales are known (the SYN and SYN-ACK seen); LimitedN counts the
	// times it became held.
	LimitedNS    int64
	limitedSince int64
	// Data bytes this side sent before the other side first acknowledged
	// any of its data (tcptrace's initial window), and the segments.
	InitBytes int64

	RTTN int32
	// Windows this side advertised on its ACKs, scaled (SYNs, RSTs and
	// segments without ACK left out, as tcptrace does): how many, how many
	// zero, the smallest above zero (tcptrace's min win adv), the largest,
	// and the latest as its receiver reads it (hasAdv; a SYN's unscaled).
	AdvN, AdvZero  int32
	AdvMin, AdvMax uint32
	lastAdv        uint32
	InitSegs       int32
	// NewSegs counts data segments that advanced the sequence space; Acks
	// the ACKs from the other side that moved the acknowledged edge over
	// this side's data: their ratio is the other side's segments per ACK.
	NewSegs, Acks int32
	LimitedN      int32
	MaxSeg        int32 // largest payload this side sent
	ackedTo       Seq   // how far the other side acknowledged this side's data (ackedSet)
	firstData     Seq   // sequence number of the first data segment (HasData)

	hasAdv, ackedSet, initDone bool
	HasData, HasAck, limited   bool
}

// waiting is a segment waiting for its ACK; ts notTimed marks bytes sent
// again (Karn: not to be timed).
type waiting struct {
	ts       int64
	seq, end Seq
}

// notTimed marks a waiting segment's bytes as sent again. Not a negative
// time: a capture's clock may be set before 1970.
const notTimed = math.MinInt64

// maxWaiting bounds the segments waiting for an ACK per direction: 8192
// full-sized segments are a 12 MB window, more than the capture's
// receivers offer; past it a segment is not timed.
const maxWaiting = 8192

// RTTEstimator is one sender's RFC 6298 state (§2): the first sample R
// sets SRTT = R and RTTVAR = R/2; each later one RTTVAR = 3/4·RTTVAR +
// 1/4·|SRTT − R| and then SRTT = 7/8·SRTT + 1/8·R. RTO = SRTT + 4·RTTVAR,
// at least one second as the RFC says (Linux's floor is 200 ms: synfin
// states the RFC's, not one system's).
type RTTEstimator struct {
	srtt, rttvar float64 // ns
	n            int32
}

// RFC 6298's constants: α = 1/8, β = 1/4, K = 4, RTO at least 1 s.
const (
	rttAlpha  = 0.125
	rttBeta   = 0.25
	rttK      = 4
	MinRTONS  = int64(1e9)
	rttMaxRTO = int64(60e9) // RFC 6298 §2.5: a maximum of at least 60 s may be placed
)

// Sample takes one RTT sample r (ns) and returns the estimate after it,
// rounded to the nanosecond.
func (e *RTTEstimator) Sample(r int64) (srtt, rttvar, rto int64) {
	e.add(r)
	return e.Now()
}

// add takes one RTT sample r (ns).
func (e *RTTEstimator) add(r int64) {
	R := float64(r)
	if e.n == 0 {
		e.srtt, e.rttvar = R, R/2
	} else {
		e.rttvar = (1-rttBeta)*e.rttvar + rttBeta*math.Abs(e.srtt-R)
		e.srtt = (1-rttAlpha)*e.srtt + rttAlpha*R
	}
	e.n++
}

// Now returns the estimate after the last sample (zeros before any).
func (e *RTTEstimator) Now() (srtt, rttvar, rto int64) {
	if e.n == 0 {
		return 0, 0, 0
	}
	rto = int64(e.srtt + rttK*e.rttvar)
	return int64(math.Round(e.srtt)), int64(math.Round(e.rttvar)), max(rto, MinRTONS)
}

// Samples is how many samples the estimator has taken.
func (e *RTTEstimator) Samples() int { return int(e.n) }

// waitInline is how many segments wait for their ACK inline: a request
// and its answer need no more, and a connection that never has more
// waiting needs no cold part for it, whose memory a packet would
// otherwise have to reach.
const waitInline = 4

// waitQueue holds a direction's segments waiting for their ACK, in order
// of their ends: inline while there are at most waitInline, then all in
// the cold part's slice (spilled), where they stay.
type waitQueue struct {
	buf     [waitInline]waiting
	n       uint8
	spilled bool
}

// waiting returns the segments waiting, oldest first; changing one
// changes it in the queue.
func (s *Stream) waiting() []waiting {
	if !s.wq.spilled {
		return s.wq.buf[:s.wq.n]
	}
	return s.cold.wait[s.cold.waitHead:]
}

// sent records a segment of this direction taking sequence space [seq,
// end) by its class: a new or reordered one waits for its ACK; one sent
// again marks every waiting transmission it overlaps as not to be timed.
func (s *Stream) sent(class SegClass, seq, end Seq, ts int64) {
	switch class {
	case SegNew, SegOutOfOrder:
		s.wait(waiting{ts, seq, end})
	case SegRetx:
		ws := s.waiting()
		for i := range ws {
			w := &ws[i]
			if !seq.LessThan(w.end) {
				continue
			}
			if !w.seq.LessThan(end) {
				break
			}
			w.ts = notTimed
		}
	}
}

// wait adds w to the segments waiting, where its end puts it: a new
// segment ends past all others, a reordered one goes where it belongs.
func (s *Stream) wait(w waiting) {
	q := &s.wq
	if !q.spilled && int(q.n) < waitInline {
		i := int(q.n)
		for i > 0 && w.end.LessThan(q.buf[i-1].end) {
			q.buf[i] = q.buf[i-1]
			i--
		}
		q.buf[i] = w
		q.n++
		return
	}
	c := s.coldPart()
	if !q.spilled {
		c.wait = append(growing(c.wait[:0], maxWaiting), q.buf[:q.n]...)
		c.waitHead, q.n, q.spilled = 0, 0, true
	}
	if len(c.wait)-c.waitHead >= maxWaiting {
		return
	}
	if c.waitHead > 0 && c.waitHead == len(c.wait) {
		c.wait, c.waitHead = c.wait[:0], 0
	}
	i := len(c.wait)
	for i > c.waitHead && w.end.LessThan(c.wait[i-1].end) {
		i--
	}
	c.wait = append(growing(c.wait, maxWaiting), w)
	if i < len(c.wait)-1 {
		copy(c.wait[i+1:], c.wait[i:])
		c.wait[i] = w
	}
}

// acked takes an ACK from the other side at ack, time ts: every waiting
// segment it covers leaves, and those sent once are timed.
func (s *Stream) acked(ack Seq, ts int64) {
	ws := s.waiting()
	k := 0
	for ; k < len(ws) && !ack.LessThan(ws[k].end); k++ {
		if ws[k].ts != notTimed {
			s.addSegRTT(ts - ws[k].ts)
		}
	}
	if k == 0 {
		return
	}
	q := &s.wq
	if !q.spilled {
		copy(q.buf[:], q.buf[k:q.n])
		q.n -= uint8(k)
		return
	}
	c := s.cold
	c.waitHead += k
	if c.waitHead == len(c.wait) {
		c.wait, c.waitHead = c.wait[:0], 0
	} else if c.waitHead > 1024 && c.waitHead > len(c.wait)/2 {
		n := copy(c.wait, c.wait[c.waitHead:])
		c.wait, c.waitHead = c.wait[:n], 0
	}
}

// addSegRTT takes one segment's RTT sample (ns), keeping it for the
// median as keepRTT keeps the capture point's: the first few inline, the
// rest in the cold part, a uniform sample past maxRTTKept.
func (s *Stream) addSegRTT(r int64) {
	d := &s.DP
	us := uint32(min(max(r/1000, 0), 1<<32-1))
	switch n := int(d.RTTN); {
	case n < len(s.segBuf):
		s.segBuf[n] = us
	case n < maxRTTKept:
		c := s.coldPart()
		if n == len(s.segBuf) {
			c.segRTT = append(c.segRTT[:0], s.segBuf[:]...)
		}
		c.segRTT = append(growing(c.segRTT, maxRTTKept), us)
	default:
		if j := ReservoirSlot(uint64(n + 1)); j < maxRTTKept {
			s.cold.segRTT[j] = us
		}
	}
	if d.RTTN == 0 || r < d.RTTMin {
		d.RTTMin = r
	}
	d.RTTMax = max(d.RTTMax, r)
	f := float64(r)
	d.RTTSum += f
	d.RTTSq += f * f
	d.RTTN++
	d.Est.add(r)
}

// RTTStdev is the standard deviation of the samples (population, ns),
// as tcptrace prints it; 0 with fewer than two.
func (d *DataPhase) RTTStdev() float64 {
	if d.RTTN < 2 {
		return 0
	}
	n := float64(d.RTTN)
	mean := d.RTTSum / n
	return math.Sqrt(max(d.RTTSq/n-mean*mean, 0))
}

// advertised takes a window this side advertised, scaled by shift (-1:
// not scaled, or not known to be).
func (d *DataPhase) advertised(w uint16, shift int) {
	v := uint32(w)
	if shift > 0 {
		v <<= uint(shift)
	}
	if v == 0 {
		d.AdvZero++
	} else if d.AdvMin == 0 || v < d.AdvMin {
		d.AdvMin = v
	}
	d.AdvMax = max(d.AdvMax, v)
	d.AdvSum += float64(v)
	d.AdvN++
	d.lastAdv, d.hasAdv = v, true
}

// AdvMean is the mean window this side advertised, zeros included.
func (d *DataPhase) AdvMean() float64 {
	if d.AdvN == 0 {
		return 0
	}
	return d.AdvSum / float64(d.AdvN)
}

// idle notes a segment of this direction at ts, the last before it at
// last (hasLast).
func (d *DataPhase) idle(ts, last int64, hasLast bool) {
	if hasLast && ts-last > d.IdleMax {
		d.IdleMax = ts - last
	}
}

// ackedOver takes an ACK at ack, time ts, of this side's (s's) bytes: when
// it moves the acknowledged edge over data, it is one more ACK of data,
// the last so far, and the initial window is over.
func (d *DataPhase) ackedOver(s *Stream, ack Seq, ts int64) {
	if !d.HasData {
		return
	}
	edge := ack
	if end := s.nxt; s.FinSeen {
		end = s.FinSeq
		if end.LessThan(edge) {
			edge = end
		}
	} else if end.LessThan(edge) {
		edge = end
	}
	if !d.firstData.LessThan(edge) || d.ackedSet && !d.ackedTo.LessThan(edge) {
		return
	}
	d.ackedTo, d.ackedSet = edge, true
	d.Acks++
	d.LastAckTS, d.HasAck, d.initDone = ts, true, true
}

// hold updates whether sender s is held by the window receiver r last
// advertised to it, at time ts: held when what is in flight leaves less
// than one of its largest segments of that window.
func (s *Stream) hold(r *Stream, ts int64) {
	d := &s.DP
	if !s.baseSet || !r.ackSet || d.MaxSeg == 0 || !r.DP.hasAdv {
		return
	}
	win := int64(r.DP.lastAdv)
	inflight := int64(int32(s.nxt - r.maxAck))
	if s.FinSeen && !r.maxAck.LessThan(s.FinSeq.Add(1)) {
		inflight = 0
	}
	held := inflight > 0 && win-inflight < int64(d.MaxSeg)
	switch {
	case held && !d.limited:
		d.limited, d.limitedSince = true, ts
		d.LimitedN++
	case !held && d.limited:
		d.limited = false
		d.LimitedNS += ts - d.limitedSince
	}
}

// HeldNS is how long the sender was held by the other side's window, a
// hold still on at last (the connection's last packet) ending there.
func (d *DataPhase) HeldNS(last int64) int64 {
	if d.limited {
		return d.LimitedNS + max(last-d.limitedSince, 0)
	}
	return d.LimitedNS
}

// SegRTTKept returns the kept samples of every segment's RTT, in
// microseconds (all of them up to maxRTTKept, a uniform sample beyond).
func (s *Stream) SegRTTKept() []uint32 {
	if int(s.DP.RTTN) <= len(s.segBuf) {
		return s.segBuf[:s.DP.RTTN]
	}
	return s.cold.segRTT
}

// growing makes room in s for one more element, growing it eightfold from
// 16 up to limit: a connection's lists reach their size in a few steps,
// so that a long transfer allocates about as often as its first fifth.
func growing[T any](s []T, limit int) []T {
	if len(s) < cap(s) {
		return s
	}
	n := min(max(16, 8*cap(s)), max(limit, len(s)+1))
	g := make([]T, len(s), n)
	copy(g, s)
	return g
}

// observeDataPhase applies a segment (not a capture duplicate) to the data
// phase: its sender's waiting segments, data and window figures, the
// other side's RTT samples, and whether either sender is held by the
// other's window.
func (c *Conn) observeDataPhase(seg *Segment, d Dir, s, o *Stream, class SegClass, an Analysis, seglen uint32) {
	f, dp := seg.Flags, &s.DP
	if f&FlagRST != 0 {
		return // its ACK and window are no offer (tcptrace and the segments view leave them out too)
	}
	if seglen > 0 && class != SegKeepAlive {
		if an&(AnRetransmission|AnFastRetransmission|AnSpuriousRetransmission) != 0 {
			class = SegRetx // what Wireshark calls sent again is not timed either
		}
		s.sent(class, seg.Seq, seg.Seq.Add(seglen), seg.TS)
	}
	if seg.PayloadLen > 0 && class != SegKeepAlive {
		dp.MaxSeg = max(dp.MaxSeg, int32(seg.PayloadLen))
		if !dp.HasData {
			dp.HasData, dp.FirstDataTS, dp.firstData = true, seg.TS, seg.Seq
		}
		if class == SegNew {
			dp.NewSegs++
		}
		if !dp.initDone && class == SegNew { // bytes sent again are not counted twice (tcptrace)
			dp.InitBytes += int64(seg.PayloadLen)
			dp.InitSegs++
		}
	}
	if f&FlagSYN != 0 {
		dp.lastAdv, dp.hasAdv = uint32(seg.Window), true // never scaled (RFC 7323 §2.2)
	}
	if f&FlagACK != 0 {
		if f&FlagSYN == 0 {
			dp.advertised(seg.Window, c.windowShiftOf(0, d))
		}
		o.acked(seg.Ack, seg.TS)
		o.DP.ackedOver(o, seg.Ack, seg.TS)
	}
	// Whether a sender is held changes only when it sends (more in
	// flight) or the other side acknowledges (less in flight, a new
	// window).
	if c.HS.HasSYN && c.HS.HasSYNACK {
		if seglen > 0 {
			s.hold(o, seg.TS)
		}
		if f&FlagACK != 0 {
			o.hold(s, seg.TS)
		}
	}
}
