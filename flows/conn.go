package flows

import (
	"math/bits"
	"net/netip"
)

// ClientRule says how the client of a connection was decided (docs/spec.md §2).
type ClientRule uint8

// Client rules, in order of preference.
const (
	ByUnknown ClientRule = iota
	BySYN                // sender of the first SYN without ACK
	BySYNACK             // receiver of the first SYN-ACK
	ByPort               // mid-stream: the endpoint with the higher port
	ByFirst              // mid-stream, equal ports: the sender of the first packet
)

func (r ClientRule) String() string {
	return [...]string{"", "syn", "synack", "port", "first"}[r]
}

// Conn is one TCP connection: the facts package analyze turns into a
// record. The table owns it; a callback must not keep it after returning.
// Fields are grouped by size, so that none pads another.
type Conn struct {
	Index           int // connection number in its file, from 0 in order of first packet
	FirstIndex      int // frame number of the first packet
	FirstTS, LastTS int64
	DataAfterFin    int64 // payload bytes sent after the other side's FIN
	ClosedTS        int64

	// App holds the first payload bytes of each direction when the table
	// collects them (Table.CollectApp); nil otherwise.
	App *AppBytes

	// table bookkeeping: the activity list and the closing list.
	prev, next *Conn
	cprev      *Conn
	cnext      *Conn

	HS  Handshake
	Dir [2]Stream // indexed by Dir
	// ICMP are the ICMP errors that quoted this connection's segments.
	ICMP ICMPFacts
	// Tunnel is the outer IP header of the first of its segments that
	// came through a tunnel, and TunnelDir who sent that segment.
	Tunnel    Outer
	TunnelDir Dir

	// Flagged counts the segments that earned each flag (by bit); Last is
	// the analysis flags of the latest segment (for Trace hooks).
	Flagged [NumAnalysis]uint32
	// Reassembled counts the segments that came in IP datagrams put back
	// together from fragments.
	Reassembled uint32
	Last        Analysis

	Zeek ZeekState

	Key      Key
	ClientBy ClientRule
	clientHi bool // the client is Key.Hi

	// LateSYNOptions: a segment without SYN carried an option only valid
	// on SYN (MSS, window scale, SACK permitted); SACKBlocks: some segment
	// carried SACK blocks.
	LateSYNOptions, SACKBlocks bool

	// FirstFin is the side whose FIN came first; SimultaneousClose is set
	// when the second FIN did not acknowledge the first.
	FirstFin          Dir
	SimultaneousClose bool
	FinAckedBySecond  bool // the second FIN segment was the first to acknowledge the first FIN
	FirstRst          Dir
	RstBeforeClose    bool // an RST came before both FINs were acknowledged
	Closed            bool

	Completeness uint8 // Wireshark's tcp.completeness bits after one pass
	firstBits    uint8 // bits the first packet adds in tshark's second pass
	inClosing    bool
}

// FirstDataSeq is the sequence number of the first byte side d sends:
// its ISN plus one, known when its SYN (or SYN-ACK) was seen.
func (c *Conn) FirstDataSeq(d Dir) (Seq, bool) {
	if d == DirClient && c.HS.HasSYN {
		return c.HS.ISN.Add(1), true
	}
	if d == DirServer && c.HS.HasSYNACK {
		return c.HS.ServerISN.Add(1), true
	}
	return 0, false
}

// Client returns the client's endpoint (docs/spec.md §2).
func (c *Conn) Client() netip.AddrPort {
	if c.clientHi {
		return c.Key.Hi()
	}
	return c.Key.Lo()
}

// Server returns the server's endpoint.
func (c *Conn) Server() netip.AddrPort {
	if c.clientHi {
		return c.Key.Lo()
	}
	return c.Key.Hi()
}

// dirOf returns the direction of a segment in c, given whether its
// sender is the key's Hi endpoint.
func (c *Conn) dirOf(srcHi bool) Dir {
	if srcHi == c.clientHi {
		return DirClient
	}
	return DirServer
}

// oooThreshold is Wireshark's out-of-order threshold: its iRTT when
// known, else 3 ms.
func (c *Conn) oooThreshold() int64 {
	if c.HS.HasIRTT && c.HS.IRTT > 0 {
		return c.HS.IRTT
	}
	return 3e6
}

// observe applies one segment from direction d.
func (c *Conn) observe(seg *Segment, d Dir, first bool) (class SegClass) {
	s, o := &c.Dir[d], &c.Dir[d.Other()]
	f := seg.Flags
	c.LastTS = seg.TS
	s.Pkts++
	s.Bytes += int64(seg.PayloadLen)
	if seg.Reassembled {
		c.Reassembled++
	}
	if seg.Outer.Kind != NoTunnel && c.Tunnel.Kind == NoTunnel {
		c.Tunnel, c.TunnelDir = seg.Outer, d
	}

	c.updateCompleteness(seg, first)
	if f&FlagSYN == 0 && seg.OptKinds&(SeenMSS|SeenWScale|SeenSACKPerm) != 0 {
		c.LateSYNOptions = true
	}
	if seg.OptKinds&SeenSACK != 0 {
		c.SACKBlocks = true
	}
	dup := s.last.duplicate(seg)
	if !dup {
		s.DP.idle(seg.TS, s.last.ts, s.last.valid)
	}
	s.last.remember(seg)
	o.last.otherSince = true
	c.Zeek.update(c, seg, d)
	c.observeHandshake(seg, d, s, dup)

	seglen := uint32(seg.PayloadLen)
	if f&FlagSYN != 0 {
		seglen++
	}
	if f&FlagFIN != 0 {
		seglen++
	}
	an := c.analyze(seg, s, o, seglen)
	switch {
	case dup:
		// The sequence state sees the copy (it changes nothing there), but
		// it is neither retransmitted data nor an end to an RTT sample.
		if f&FlagRST == 0 {
			s.classify(seg.Seq, seglen, seg.PayloadLen, f&(FlagSYN|FlagFIN) != 0, false, seg.TS, c.oooThreshold())
		}
		s.Duplicates++
		class = SegDuplicate
	case f&FlagRST == 0:
		class = c.observeSequence(seg, s, o, seglen)
	}
	if f&FlagACK != 0 {
		c.observeAck(seg, d, s, o)
	}
	// Zero-window advertisements (Wireshark's rule: a zero window on a
	// segment without SYN, FIN or RST).
	if seg.Window == 0 && f&(FlagSYN|FlagFIN|FlagRST) == 0 {
		s.ZeroWindow++
	}
	c.observeTeardown(seg, d, s, o)
	if !dup {
		c.observeDataPhase(seg, d, s, o, class, an, seglen)
	}
	c.Last = an
	// Most segments earn no flag: visit only the bits set.
	for a := an; a != 0; a &= a - 1 {
		c.Flagged[bits.TrailingZeros16(uint16(a))]++
	}
	return class
}

// observeSequence classifies a segment without RST in its sender's
// sequence space (new, retransmitted, out of order, keep-alive) and starts
// the RTT timers: by sequence number without timestamps, by TS echo with
// them.
func (c *Conn) observeSequence(seg *Segment, s, o *Stream, seglen uint32) SegClass {
	class := s.classify(seg.Seq, seglen, seg.PayloadLen, seg.Flags&(FlagSYN|FlagFIN) != 0, o.fastRetransmission(seg.Seq, seg.TS), seg.TS, c.oooThreshold())
	switch class {
	case SegRetx:
		s.RetxPkts++
		s.RetxBytes += int64(seg.PayloadLen)
		if s.timing && seg.Seq.LessThan(s.timedEnd) {
			s.timing = false // Karn: never time a retransmitted segment
		}
		// Nor across a loss: the echo that ends the recovery would time
		// the recovery, not a round trip.
		s.tsTiming = false
	case SegOutOfOrder:
		s.OutOfOrder++
	case SegKeepAlive:
		s.KeepAlives++
	case SegNew:
		// Timed by sequence number only without timestamps: with them the
		// echo times every round trip unambiguously (below).
		if seg.PayloadLen > 0 && !s.timing && !seg.HasTS {
			s.timing, s.timedEnd, s.timedTS = true, seg.Seq.Add(seglen), seg.TS
		}
	}
	// TS echo (RFC 7323 §4): the first new data segment's TSval is timed
	// until the other side echoes it (or a later value).
	if class == SegNew && seg.PayloadLen > 0 && seg.HasTS && !s.tsTiming {
		s.tsTiming, s.tsVal, s.tsSent = true, seg.TSVal, seg.TS
	}
	return class
}

// observeAck takes an acknowledgment: the highest ACK, RTT samples of the
// other side's timed segment, and the acknowledgment of its FIN.
func (c *Conn) observeAck(seg *Segment, d Dir, s, o *Stream) {
	f := seg.Flags
	s.noteAck(seg.Ack, seg.Window, seg.PayloadLen == 0 && f&(FlagSYN|FlagFIN|FlagRST) == 0, seg.TS)
	advances := !s.ackSet || s.maxAck.LessThan(seg.Ack)
	if advances {
		s.ackSet, s.maxAck = true, seg.Ack
	}
	if o.timing && o.timedEnd.LessThanEq(seg.Ack) {
		o.timing = false
		o.addRTT(seg.TS - o.timedTS)
	}
	// Only an ACK of new data measures (RFC 7323 §4.2): a repeated ACK,
	// such as one sent into a zero window, echoes an old value.
	if o.tsTiming && seg.HasTS && advances && int32(seg.TSEcr-o.tsVal) >= 0 {
		o.tsTiming = false
		o.addRTT(seg.TS - o.tsSent)
	}
	if o.FinSeen && !o.FinAcked && o.FinSeq.LessThan(seg.Ack) {
		o.FinAcked, o.FinAckTS = true, seg.TS
		if f&FlagFIN != 0 && !s.FinSeen && d != c.FirstFin {
			c.FinAckedBySecond = true
		}
	}
}

// windowShiftOf is the window scale of the sender d once the handshake
// agreed one, or -1 (a SYN's window is never scaled).
func (c *Conn) windowShiftOf(f Flags, d Dir) int {
	if f&FlagSYN != 0 || !c.HS.SYNOpts.HasWScale || !c.HS.SYNACKOpts.HasWScale {
		return -1
	}
	if d == DirClient {
		return clampShift(c.HS.SYNOpts.WScale)
	}
	return clampShift(c.HS.SYNACKOpts.WScale)
}

// observeTeardown records the teardown facts: data after a FIN, each
// side's first FIN, the first RST, and when the connection closed.
func (c *Conn) observeTeardown(seg *Segment, d Dir, s, o *Stream) {
	f := seg.Flags
	if c.Dir[0].FinSeen || c.Dir[1].FinSeen {
		if !s.FinSeen && seg.PayloadLen > 0 {
			c.DataAfterFin += int64(seg.PayloadLen)
		}
	}
	if f&FlagFIN != 0 {
		s.FinCount++
		if !s.FinSeen {
			s.FinSeen, s.FinSeq, s.FinTS = true, seg.Seq.Add(uint32(seg.PayloadLen)), seg.TS
			if f&FlagSYN != 0 {
				s.FinSeq++
			}
			if !o.FinSeen {
				c.FirstFin = d
			} else if !(f&FlagACK != 0 && o.FinSeq.LessThan(seg.Ack)) {
				c.SimultaneousClose = true
			}
		}
	}
	if f&FlagRST != 0 {
		if !c.Dir[0].RstSeen && !c.Dir[1].RstSeen {
			c.FirstRst = d
			if !(c.Dir[0].FinAcked && c.Dir[1].FinAcked) {
				c.RstBeforeClose = true
			}
		}
		if !s.RstSeen {
			s.RstSeen, s.RstTS = true, seg.TS
		}
	}
	if !c.Closed && (s.RstSeen || (c.Dir[0].FinAcked && c.Dir[1].FinAcked)) {
		c.Closed, c.ClosedTS = true, seg.TS
	}
}

// CopyTo copies c into dst so that dst stays valid after the table reuses
// c: the sequence gaps are folded into the missed-byte counts, the RTT
// samples get a buffer of their own and the table's bookkeeping is dropped.
func (c *Conn) CopyTo(dst *Conn) {
	*dst = *c
	for d := range dst.Dir {
		dst.Dir[d].MissedBytes = c.Dir[d].missed()
		dst.Dir[d].cold = nil
		dst.Dir[d].wq = waitQueue{} // a copy is finished: nothing waits, and a spilled queue was in cold
		if k := c.Dir[d].RTTKept(); len(k) > len(dst.Dir[d].rttBuf) {
			dst.Dir[d].coldPart().rtt = append([]uint32(nil), k...)
		}
		if k := c.Dir[d].SegRTTKept(); len(k) > len(dst.Dir[d].segBuf) {
			dst.Dir[d].coldPart().segRTT = append([]uint32(nil), k...)
		}
	}
	dst.prev, dst.next, dst.cprev, dst.cnext, dst.inClosing = nil, nil, nil, nil, false
}

// MissedBytes returns the bytes of sequence gaps never filled in direction d.
func (c *Conn) MissedBytes(d Dir) int64 { return c.Dir[d].missed() }
