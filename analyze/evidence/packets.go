package evidence

import (
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
)

// How each kind of packet moves its sender's and receiver's state: what it acknowledges, what it sends first or again, and what an RST answers.

// sent is a data segment's first transmission.
type sent struct {
	seq, end uint32
	ts       int64
}

// firstSent is when the byte at seq was first sent, as far as the capture
// holds it (0: not in the capture): a retransmission may start inside an
// earlier, larger segment.
func (me *side) firstSent(seq uint32) int64 {
	if at, ok := me.sentAt[seq]; ok {
		return at
	}
	for i := len(me.sent) - 1; i >= 0; i-- {
		x := me.sent[i]
		if !after(x.seq, seq) && after(x.end, seq) {
			return x.ts
		}
	}
	return 0
}

// copyByID finds an earlier packet of the same side with the same
// non-zero IPv4 ID and headers, lately: the capture recorded it twice,
// perhaps with other packets between. It remembers s for the copies
// after it.
func (me *side) copyByID(s *ladder.Step) (bool, int64) {
	if !s.IPv4 || s.IPID == 0 {
		return false, 0
	}
	k := copyKey{s.IPID, s.Seq, s.Ack, s.Flags, s.Len}
	if at, ok := me.recent[k]; ok && s.TS-at <= copyWindow && s.TS >= at {
		return true, at
	}
	if len(me.recent) > 256 {
		for old, at := range me.recent {
			if s.TS-at > copyWindow {
				delete(me.recent, old)
			}
		}
	}
	me.recent[k] = s.TS
	return false, 0
}

// advance moves the sender's sequence space past the packet.
func (t *Timeline) advance(s *ladder.Step, me *side) {
	if s.Flags&flows.FlagRST != 0 {
		return
	}
	n := uint32(s.Len)
	if s.Flags&flows.FlagSYN != 0 {
		n++
	}
	if s.Flags&flows.FlagFIN != 0 {
		n++
	}
	if end := s.Seq + n; !me.nextKnown || after(end, me.next) {
		me.next, me.nextKnown = end, true
	}
	if s.Len > 0 && len(me.sentAt) < ladder.MaxSteps {
		if _, ok := me.sentAt[s.Seq]; !ok {
			me.sentAt[s.Seq] = s.TS
			me.sent = append(me.sent, sent{s.Seq, s.Seq + uint32(s.Len), s.TS})
		}
		me.lastTx[s.Seq] = s.TS
	}
}

// acks notes what the ACK of s acknowledges of the other side for the
// first time, and the states that follow: the sender proves it received
// what it acknowledges; the other side gets the ACK (as far as the
// capture can tell, in the capture's order).
func (t *Timeline) acks(e *Entry, s *ladder.Step, me, other *side) {
	a := s.Ack
	if other.nextKnown && after(a, other.next) && a-other.next > t.Unseen[e.Dir.Other()] {
		t.Unseen[e.Dir.Other()] = a - other.next
	}
	if other.synSent && !other.synAcked && after(a, other.synSeq) {
		other.synAcked, e.AcksSYN = true, true
	}
	if other.finSent && !other.finAcked && after(a, other.finSeq) {
		other.finAcked, e.AcksFIN = true, true
	}
	if other.ackedSet && after(a, other.acked) {
		e.AckedBytes = a - other.acked
		if e.AcksSYN {
			e.AckedBytes--
		}
		if e.AcksFIN {
			e.AckedBytes--
		}
	}
	if !other.ackedSet || after(a, other.acked) {
		other.acked, other.ackedSet = a, true
		me.dupAcks = 0 // its ack number moved
	}
	if me.rst || other.rst {
		return // a deleted connection has no states to move
	}
	// The sender received what it acknowledges.
	if e.AcksFIN && !other.finDone {
		other.finDone = true
		recvFIN(me)
	}
	// The other side receives the ACK.
	if e.AcksSYN && s.Flags&flows.FlagSYN == 0 {
		switch other.state {
		case SynReceived, SynSent:
			other.state = Established
		}
	}
	if e.AcksFIN {
		switch other.state {
		case FinWait1:
			other.state = FinWait2
		case Closing:
			other.state = TimeWait
		case LastAck:
			other.state = Closed
		}
	}
}

// recvFIN moves a side that receives the other's FIN (RFC 9293 §3.10.7.4,
// "eighth, check the FIN bit").
func recvFIN(x *side) {
	switch x.state {
	case Established, SynReceived, Unknown:
		x.state = CloseWait
	case FinWait1:
		if x.finAcked {
			x.state = TimeWait
		} else {
			x.state = Closing
		}
	case FinWait2:
		x.state = TimeWait
	}
}

func (t *Timeline) syn(e *Entry, s *ladder.Step, me, other *side) {
	switch {
	case !me.synSent:
		e.Kind = SYN
	case s.Seq == me.synSeq && s.Len == me.synData:
		e.Kind = SYNAgain
		e.Since = s.TS - me.synTS
		e.AfterRST = other.rst
	default:
		e.Kind = SYNNew
		e.Since = s.TS - me.synTS
		e.AfterRST = other.rst
	}
	if e.AfterRST {
		// A retry after a refusal: a new attempt for the machine, whose
		// earlier one the RST ended.
		other.rst, me.rst = false, false
	}
	me.synSent, me.synSeq, me.synTS, me.synData = true, s.Seq, s.TS, s.Len
	me.isn, me.isnKnown = s.Seq, true
	e.SYNData = s.Len
	if other.synSent && !other.synAcked && e.Kind == SYN {
		t.Simultaneous = true
	}
	if me.state != SynReceived {
		me.state = SynSent
	}
}

func (t *Timeline) synack(e *Entry, s *ladder.Step, me, other *side) {
	if me.synSent && s.Seq == me.synSeq && me.synackTS != 0 {
		e.Kind = SYNACKAgain
		e.Since = s.TS - me.synackTS
		me.synackTS = s.TS
		// The SYN-ACK sent again shows its sender had not got the ACK
		// (or got the SYN again): the handshake is not complete for it.
		if me.state == Established && !me.finSent && !me.rst {
			me.state = SynReceived
		}
		// It still answers the other's SYN: a side that sent its SYN again
		// becomes ESTABLISHED when this one arrives.
		if !t.Simultaneous && other.state == SynSent && other.synSent && after(s.Ack, other.synSeq) && !other.rst {
			other.state = Established
		}
		return
	}
	e.Kind = SYNACK
	me.synackTS = s.TS
	if !t.Simultaneous && !me.synSent && me.state == Unknown {
		me.state = Listen // it answers a SYN: something listened
	}
	me.synSent, me.synSeq, me.isn, me.isnKnown = true, s.Seq, s.Seq, true
	if other.synData > 0 {
		e.SYNData = other.synData
		e.SYNDataAcked = s.Ack == other.synSeq+1+uint32(other.synData)
	}
	if me.rst {
		return
	}
	me.state = SynReceived
	switch {
	case !e.AcksSYN || other.rst:
	case !t.Simultaneous && other.state == SynSent:
		other.state = Established // the client's SYN is answered
	case t.Simultaneous && other.state == SynReceived:
		// Simultaneous open: each side goes SYN-SENT, SYN-RECEIVED (it
		// answered the other's SYN), then ESTABLISHED when its own SYN is
		// acknowledged.
		other.state = Established
	}
}

func (t *Timeline) fin(e *Entry, s *ladder.Step, me, other *side) {
	fseq := s.Seq + uint32(s.Len)
	if me.finSent {
		e.Kind = FINAgain
		e.Since = s.TS - me.finTS
		if fseq != me.finSeq {
			e.Kind = FIN // another sequence number: not the same FIN
		}
		return
	}
	e.Kind = FIN
	me.finSent, me.finSeq, me.finTS = true, fseq, s.TS
	if me.rst {
		return
	}
	switch me.state {
	case Established, SynReceived, Unknown:
		me.state = FinWait1
	case CloseWait:
		me.state = LastAck
	}
}

// segment classifies a packet with neither SYN, FIN nor RST.
func (t *Timeline) segment(e *Entry, s *ladder.Step, me, other *side) {
	switch {
	case e.AcksSYN && !e.AcksFIN && (e.Dir == flows.DirClient || !me.ackSeen):
		e.Kind = HandshakeACK // perhaps with data
	case e.AcksFIN:
		e.Kind = FINAck // perhaps with data
	case s.Len > 0 && other.zeroWin && (s.Len == 1 || s.Class == flows.SegKeepAlive) && s.Seq == me.next:
		e.Kind = ZeroWindowProbe
	case s.Len > 0 && s.Class == flows.SegKeepAlive, s.Len <= 1 && s.Analysis&flows.AnKeepAlive != 0:
		e.Kind = KeepAlive
	case s.Len > 0 && s.Class == flows.SegOutOfOrder && s.Analysis&flows.AnFastRetransmission == 0:
		e.Kind = OutOfOrder
	case s.Len > 0 && (s.Class == flows.SegRetx || s.Class == flows.SegOutOfOrder || s.Analysis&(flows.AnRetransmission|flows.AnFastRetransmission|flows.AnSpuriousRetransmission) != 0):
		e.Kind = Retransmission
		e.Spurious = me.ackedSet && !after(s.Seq+uint32(s.Len), me.acked)
		orig := me.firstSent(s.Seq)
		if orig != 0 {
			e.Since = s.TS - orig
		}
		switch {
		case s.Analysis&flows.AnFastRetransmission != 0,
			other.dupAcks >= 2 && other.dupAckTS > max(orig, me.lastTx[s.Seq]):
			// Duplicate ACKs came after these bytes were last sent.
			e.Retx = RetxDupAcks
		case other.sack && other.sackTS > max(orig, me.lastTx[s.Seq]):
			// SACK blocks came after these bytes were last sent: they
			// named the hole. (A timer backing off re-sends with none
			// between.)
			e.Retx = RetxSACK
		default:
			e.Retx = RetxTimer
		}
	case s.Len > 0:
		e.Kind = Data
		other.sack = false
		e.Early = me.state == SynReceived && !me.synAcked && other.synData == 0
	case s.Window == 0:
		e.Kind = ZeroWindow
	case s.Analysis&flows.AnDuplicateAck != 0:
		e.Kind = DupAck
		me.dupAcks++
		me.dupAckTS = s.TS
	case me.winSet && s.Window != me.win && e.AckedBytes == 0:
		e.Kind = WindowUpdate
	default:
		e.Kind = Ack
	}
}

// unackedData reports whether other sent data that me never
// acknowledged.
func unackedData(me, other *side) bool {
	if !other.nextKnown || !other.ackedSet || other.lastData == 0 {
		return false
	}
	end := other.next
	if other.finSent && !after(other.finSeq, end-1) {
		end-- // its FIN is no data
	}
	return after(end, other.acked)
}

// rstCause says what the packets before an RST single out.
func (t *Timeline) rstCause(s *ladder.Step, me, other *side, sd *[2]side) RSTCause {
	switch {
	case other.rst || me.rst:
		return RSTAfterRST
	case me.streak >= 3:
		return RSTGiveUpRetx
	case me.pkts == 1 && other.last != nil && other.last.Flags&flows.FlagACK != 0 && s.Seq == other.last.Ack && !other.synSent:
		return RSTNoConnection
	case other.synSent && !other.synAcked && !me.synSent:
		return RSTRefused
	case me.synSent && !me.synAcked && !other.synSent:
		return RSTGiveUp
	case s.Dir == flows.DirClient && other.synSent && me.synSent && !me.ackSeen && !other.synAcked:
		return RSTProbe
	case s.Dir == flows.DirServer && me.synSent && !me.synAcked:
		return RSTHalfOpen
	case me.finSent && other.finSent && me.finAcked && other.finAcked && !unackedData(me, other):
		return RSTAfterClose
	case me.finSent && me.dataAfter:
		// It had closed, and the other side's data reached it after.
		return RSTDataAfterClose
	case me.finSent && unackedData(me, other):
		// Its FIN did not acknowledge data the capture holds from before
		// it: the data was unread at close(), or crossed the FIN and
		// arrived just after; the capture point cannot tell.
		return RSTDataAroundClose
	case unackedData(me, other):
		return RSTUnreadData
	}
	return RSTAbort
}
