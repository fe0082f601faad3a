package evidence

import (
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
)

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
