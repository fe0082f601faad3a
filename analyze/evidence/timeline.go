package evidence

import (
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
)

// Kind is what a packet was, by what it carried and what came before it.
type Kind uint8

const (
	_               Kind = iota
	SYN                  // a SYN without ACK, its sender's first
	SYNAgain             // the same SYN again (the same ISN)
	SYNNew               // a SYN with another ISN: a new attempt
	SYNACK               // a SYN with ACK, its sender's first
	SYNACKAgain          // the same SYN-ACK again
	HandshakeACK         // the first ACK of the other side's SYN-ACK
	Data                 // new data
	Retransmission       // data sent before, sent again
	OutOfOrder           // data filling a gap shortly after later data
	KeepAlive            // a byte (or none) just below the next: a keep-alive
	ZeroWindowProbe      // a byte pushed into the other side's zero window
	ZeroWindow           // an ACK advertising a window of 0
	WindowUpdate         // an ACK that only changes the window
	DupAck               // the same ACK again, as data arrives out of order
	Ack                  // an ACK that acknowledges new data, or nothing new
	FIN                  // its sender's first FIN
	FINAgain             // the sender's FIN again (the same sequence number)
	FINAck               // acknowledges the other side's FIN
	RST
	Copy // the capture holds the packet before it again
)

// RetxCause is what the packets before a retransmission single out as
// its trigger.
type RetxCause uint8

const (
	RetxTimer   RetxCause = iota + 1 // no duplicate ACK or SACK came: a timer fired
	RetxDupAcks                      // the other side's duplicate ACKs: a fast retransmission
	RetxSACK                         // the other side's SACK blocks named the hole
)

// CopyEvidence says how a packet is known to be the capture's second copy
// of the one before it.
type CopyEvidence uint8

const (
	CopyByID      CopyEvidence = iota + 1 // the same non-zero IPv4 identification: one packet, recorded twice
	CopyIdentical                         // the same in every field, but with no IPv4 ID to tell (IPv6, or ID 0): a copy, or a second packet just like it
)

// RSTCause is what the packets before an RST single out as its reason.
type RSTCause uint8

const (
	RSTRefused         RSTCause = iota + 1 // answers a SYN: nothing accepted it (or a firewall, or the host)
	RSTProbe                               // the client answers the SYN-ACK: no socket of its own expected it
	RSTHalfOpen                            // the server's SYN-ACK was never acknowledged: it gives up
	RSTGiveUp                              // the client, in SYN-SENT after its SYN retries, gives up
	RSTDataAfterClose                      // data arrived after the sender had sent its FIN (close()): RFC 9293 §3.10.7.4 / RFC 1122 §4.2.2.13
	RSTDataAroundClose                     // the sender had sent its FIN without acknowledging data seen before it: unread at close(), or arriving just after; RFC 1122 §4.2.2.13 resets either way
	RSTUnreadData                          // it follows data the sender never acknowledged: close() with unread data, SO_LINGER 0 or an abort; the capture cannot tell which
	RSTAfterClose                          // both FINs were acknowledged: it answers a late segment
	RSTAfterRST                            // another RST after one: each answers a segment that arrived after the first
	RSTAbort                               // none of the above: an abort, for a reason the capture does not show
	RSTNoConnection                        // the sender\'s first packet, answering a segment with seq = its ack: a host with no connection for it (RFC 9293 §3.10.7.1)
	RSTGiveUpRetx                          // after its retransmissions went unanswered: the stack gives up on a silent peer
)

// Entry is what one packet proves.
type Entry struct {
	Step int // index in the ladder's Steps
	Kind Kind
	Dir  flows.Dir
	// What it acknowledges for the first time: bytes of the other side's
	// data, its SYN, its FIN.
	AckedBytes       uint32
	AcksSYN, AcksFIN bool
	// A SYN's data (TCP Fast Open), and on a SYN-ACK whether it
	// acknowledges that data too.
	SYNData      int
	SYNDataAcked bool
	Retx         RetxCause
	Copy         CopyEvidence
	RST          RSTCause
	// Since is, for a SYN or FIN sent again or a retransmission, the time
	// since the transmission it repeats (ns); for an RST that answers
	// data, since that data arrived.
	Since int64
	// AfterRST: an RST came back between this SYN and the one before.
	AfterRST bool
	// Spurious: a retransmission of bytes the other side had already
	// acknowledged.
	Spurious bool
	// Early: data sent by a side still SYN-RECEIVED, its SYN-ACK not yet
	// acknowledged, without Fast Open (RFC 9293 §3.10.2 queues it).
	Early bool
	// AfterReset: the packet came after an RST of either side: its sender
	// or receiver had already deleted the connection.
	AfterReset bool
	// BelowWindow, on an RST: its sequence number is below the next one
	// its receiver expects (the sender's FIN's own number, say), so a
	// receiver that got everything before discards it (RFC 9293
	// §3.10.7.4, RFC 5961 §3) and keeps its connection.
	BelowWindow bool
	// States are each side's state after the packet, as far as the
	// capture tells (Unknown before the capture shows anything of it).
	States [2]State
}

// Timeline is a connection's packets, each with what it proves.
type Timeline struct {
	Entries []Entry
	// Absent marks a side none of whose packets are in the capture;
	// Unseen counts bytes the other side acknowledged that the capture
	// never showed it send (a direction the capture point did not see,
	// or packets it dropped).
	Absent [2]bool
	Unseen [2]uint32
	// Acking marks a side that sent an ACK of anything: with the other
	// side absent, only that proves the other sent something at all.
	Acking [2]bool
	// Simultaneous: both sides sent a SYN without ACK (simultaneous open).
	Simultaneous bool
	// MidStream: the capture starts after the handshake.
	MidStream bool
	// First and Last are the capture times of the first and last packets.
	First, Last int64
}

// side is what the timeline knows of one direction.
type side struct {
	isn       uint32
	isnKnown  bool
	next      uint32 // one past the highest sequence number sent (SYN and FIN count one)
	nextKnown bool
	synTS     int64
	synSeq    uint32
	synData   int
	synSent   bool
	synackTS  int64
	finSent   bool
	finSeq    uint32 // the first FIN's sequence number
	finTS     int64
	finAcked  bool
	finDone   bool // its FIN reached the other side, as far as the capture tells
	synAcked  bool
	acked     uint32 // the other side's highest ACK of this side's bytes
	ackedSet  bool
	win       uint16
	winSet    bool
	zeroWin   bool // its latest window was 0
	ackSeen   bool // sent an ACK after the handshake
	dataAfter bool // the other side sent data after this side's FIN
	lastData  int64
	sentAt    map[uint32]int64
	sent      []sent            // its data segments, first transmissions, in order
	lastTx    map[uint32]int64  // when the bytes at a sequence number were last sent
	streak    int               // retransmissions since the other side\'s latest packet
	dupAcks   int               // duplicate ACKs it sent since its ack number last moved
	dupAckTS  int64             // when it sent the latest of them
	streakTS  int64             // when that streak began
	sack      bool              // sent SACK blocks since the other side's last new data
	sackTS    int64             // when it last sent SACK blocks
	recent    map[copyKey]int64 // its packets with an IPv4 ID, lately: a copy may come after others
	rst       bool
	pkts      int
	lastSent  int64 // when it sent its latest packet before this one
	state     State
	last      *ladder.Step
}

// copyKey is what a capture's second copy of a packet shares with the
// first: the same IPv4 identification (non-zero), sequence and
// acknowledgment numbers, flags and length.
type copyKey struct {
	id       uint16
	seq, ack uint32
	flags    flows.Flags
	n        int
}

// copyWindow is how long after a packet its copy is looked for: mirror
// ports and second interfaces record it within milliseconds, and an IPv4
// ID does not come round again so soon.
const copyWindow = 1e9 // ns

// after says whether sequence number a comes after b (RFC 9293's modular
// comparison).
func after(a, b uint32) bool { return int32(a-b) > 0 }

// Build reads a ladder into its timeline.
func Build(l *ladder.Ladder) *Timeline {
	t := &Timeline{Entries: make([]Entry, 0, len(l.Steps))}
	if len(l.Steps) == 0 {
		return t
	}
	t.First, t.Last = l.Steps[0].TS, l.Steps[len(l.Steps)-1].TS
	var sd [2]side
	for i := range sd {
		sd[i].sentAt = map[uint32]int64{}
		sd[i].recent = map[copyKey]int64{}
		sd[i].lastTx = map[uint32]int64{}
	}
	sawSYN, reset := false, false
	for i := range l.Steps {
		s := &l.Steps[i]
		me, other := &sd[s.Dir], &sd[s.Dir.Other()]
		me.pkts++
		e := Entry{Step: i, Dir: s.Dir, AfterReset: reset}
		f := s.Flags
		if f&flows.FlagSYN == 0 && !sawSYN && i == 0 {
			// The capture starts inside the connection: both sides were
			// ESTABLISHED, as far as anyone can tell.
			t.MidStream = true
			sd[0].state, sd[1].state = Established, Established
		}
		sawSYN = sawSYN || f&flows.FlagSYN != 0
		copyOf := s.Class == flows.SegDuplicate && me.last != nil
		byID, at := me.copyByID(s)
		copyOf = copyOf || byID
		if other.state == SynReceived && other.synAcked && !copyOf && !other.rst {
			// An earlier packet of this sender acknowledged the other's
			// SYN; it has arrived before this one: ESTABLISHED.
			other.state = Established
		}
		if me.finSent && !me.finDone && !copyOf && !me.rst && !other.rst {
			// Segments arrive in the order they were sent: this one came
			// after the sender's FIN, so the FIN reached the other side
			// first.
			me.finDone = true
			recvFIN(other)
		}
		// What the packet acknowledges of the other side.
		if f&flows.FlagACK != 0 && f&flows.FlagRST == 0 && !copyOf {
			t.acks(&e, s, me, other)
		}
		switch {
		case copyOf:
			e.Kind = Copy
			e.Copy = CopyIdentical
			e.Since = s.TS - me.last.TS
			if byID {
				e.Copy, e.Since = CopyByID, s.TS-at
			} else if s.IPv4 && s.IPID != 0 {
				e.Copy = CopyByID
			}
		case f&flows.FlagRST != 0:
			e.Kind = RST
			e.RST = t.rstCause(s, me, other, &sd)
			if other.lastData != 0 {
				e.Since = s.TS - other.lastData
			}
			me.rst, reset = true, true
			e.BelowWindow = me.nextKnown && after(me.next, s.Seq)
			me.state = Closed
			if !e.BelowWindow {
				other.state = Closed
			}
		case f&flows.FlagSYN != 0 && f&flows.FlagACK == 0:
			t.syn(&e, s, me, other)
		case f&flows.FlagSYN != 0:
			t.synack(&e, s, me, other)
		case f&flows.FlagFIN != 0:
			t.fin(&e, s, me, other)
		default:
			t.segment(&e, s, me, other)
		}
		if f&(flows.FlagSYN|flows.FlagFIN|flows.FlagRST) == 0 && s.Len > 0 && !copyOf {
			if other.finSent {
				other.dataAfter = true
			}
		}
		if s.Len > 0 && !copyOf {
			me.lastData = s.TS
		}
		if f&flows.FlagACK != 0 && f&flows.FlagRST == 0 && !copyOf {
			me.ackSeen = true
			t.Acking[s.Dir] = true
		}
		t.advance(s, me)
		if f&flows.FlagSYN == 0 && !copyOf {
			me.win, me.winSet, me.zeroWin = s.Window, true, s.Window == 0
		}
		if s.SACK {
			me.sack, me.sackTS = true, s.TS
		}
		me.last, me.lastSent = s, s.TS
		other.streak = 0 // the other side heard something from this one
		if e.Kind == Retransmission {
			if me.streak == 0 {
				me.streakTS = s.TS
			}
			me.streak++
		}
		e.States = [2]State{sd[0].state, sd[1].state}
		t.Entries = append(t.Entries, e)
	}
	for d := range sd {
		t.Absent[d] = sd[d].pkts == 0
	}
	// Data "before the handshake completed" is told only where the
	// other side's packets are in the capture to show it.
	for i := range t.Entries {
		if e := &t.Entries[i]; e.Early && t.Absent[e.Dir.Other()] {
			e.Early = false
		}
	}
	return t
}

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

// lastDataFrom is when o's latest data came, if after me's latest packet
// of its own.
func (me *side) lastDataFrom(o *side) int64 {
	if o.lastData == 0 || me.last != nil && me.last.TS > o.lastData {
		return 0
	}
	return o.lastData
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
