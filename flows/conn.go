package flows

import (
	"math/bits"
	"net/netip"
)

// ClientRule says how the client of a connection was decided (SPEC §2).
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

// Handshake holds the raw facts of the opening of a connection, as seen.
// The timing facts are kept as they happen, so no per-transmission list is
// needed (SPEC §3, handshake.go in package analyze). Fields are grouped by
// size so that none pads another: times, then sequence numbers and counts,
// then options, then flags.
type Handshake struct {
	// Times (ns) of SYNs from the client carrying the client ISN.
	FirstSYNTS int64
	LastSYNTS  int64 // the latest so far
	// Of SYN-ACKs from the server acknowledging the client's SYN.
	FirstSYNACKTS int64
	LastSYNACKTS  int64 // the latest SYN-ACK before the handshake ACK
	// The SYN the latest SYN-ACK answers, taken to be the latest SYN sent
	// before it (HasPaired, PairedAmbiguous).
	PairedSYNTS int64
	// At the first SYN-ACK: the SYN it answers, taken to be the last SYN
	// sent before it (HasAnswered, Ambiguous).
	AnsweredSYNTS int64
	ACKTS         int64 // the handshake's ACK (HasACK)
	ServerSYNTS   int64 // a SYN without ACK from the server (ServerSYN)
	RejectTS      int64 // an RST refusing the SYN (Rejected)
	// Wireshark's iRTT (packet-tcp.c): the first segment with ACK and
	// without SYN, from either side, minus the most recent SYN without
	// ACK. A zero result counts as not measured, so the next such segment
	// measures again, as in Wireshark.
	mruSYN int64
	IRTT   int64

	ISN          Seq    // client ISN
	ServerISN    Seq    // server ISN
	SYNACKAck    Seq    // acknowledgment number of the first SYN-ACK
	ACKAck       Seq    // acknowledgment number of the handshake's ACK
	LastSYNTSVal uint32 // the latest SYN's timestamp option value, when HasLastTSVal
	// the latest SYN-ACK's TSval, for the ACK's echo
	lastSYNACKTSVal uint32
	SYNN            int32 // SYNs, retransmissions and capture duplicates included (as tshark counts)
	SYNDups         int32 // of them, capture duplicates
	SYNACKN         int32 // SYN-ACKs, likewise
	SYNACKDups      int32 // of them, capture duplicates
	// TFO: payload carried on the client's SYN.
	SYNPayload int

	SYNOpts    SynOptions
	SYNACKOpts SynOptions
	SYNSeg     SegInfo
	SYNACKSeg  SegInfo

	HasSYN          bool
	HasLastTSVal    bool
	HasSYNACK       bool
	lastSYNACKHasTS bool
	// The pairing of the latest SYN-ACK (PairedSYNTS) is a guess: a SYN
	// was retransmitted and the SYN-ACK's timestamp echo does not name
	// this one.
	HasPaired       bool
	PairedAmbiguous bool
	// The first SYN-ACK's echo names another SYN than AnsweredSYNTS (the
	// sample is then ambiguous in Karn's sense).
	HasAnswered bool
	Ambiguous   bool
	// The client's first ACK of the server's SYN (ack = server ISN + 1),
	// pure or with data.
	HasACK bool
	// A SYN without ACK from the server side: simultaneous open (RFC 9293
	// §3.5, figure 8).
	ServerSYN bool
	// An RST answering the client's SYN before any SYN-ACK: a refusal.
	Rejected  bool
	hasMRUSYN bool
	HasIRTT   bool
}

// SegInfo is the IP and TCP header fields of a SYN or SYN-ACK that records show.
type SegInfo struct {
	Window uint16
	TTL    uint8
	DF     bool
	AE     bool // AccECN's AE flag
	Flags  Flags
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

// Wireshark tcp.completeness bits.
const (
	CompSYN    = 1
	CompSYNACK = 2
	CompACK    = 4
	CompDATA   = 8
	CompFIN    = 16
	CompRST    = 32
)

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

// Client returns the client's endpoint (SPEC §2).
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

// observeHandshake records the handshake facts: Wireshark's iRTT, the SYN
// and SYN-ACK, the ACK that completes them, and a refusal.
func (c *Conn) observeHandshake(seg *Segment, d Dir, s *Stream, dup bool) {
	f := seg.Flags
	switch {
	case f&(FlagSYN|FlagACK) == FlagSYN:
		c.HS.mruSYN, c.HS.hasMRUSYN = seg.TS, true
	case f&(FlagSYN|FlagACK) == FlagACK && c.HS.hasMRUSYN && !c.HS.HasIRTT:
		if dt := seg.TS - c.HS.mruSYN; dt != 0 {
			c.HS.IRTT, c.HS.HasIRTT = dt, true
		}
	}
	if f&FlagSYN != 0 {
		s.SynFlags++
		c.observeSYN(seg, d, dup)
	}
	// The handshake's ACK is the client's first segment acknowledging the
	// server's SYN: ack = server ISN + 1, or beyond when the capture lost
	// the pure ACK (as Wireshark's iRTT, which takes the first ACK).
	if d == DirClient && f&(FlagSYN|FlagACK) == FlagACK && c.HS.HasSYNACK && !c.HS.HasACK && c.HS.ServerISN.LessThan(seg.Ack) {
		c.HS.HasACK, c.HS.ACKTS, c.HS.ACKAck = true, seg.TS, seg.Ack
		// After a retransmitted SYN-ACK the ACK may answer an earlier one,
		// unless its echo names the latest.
		if c.HS.SYNACKN-c.HS.SYNACKDups > 1 && !(seg.HasTS && c.HS.lastSYNACKHasTS && seg.TSEcr == c.HS.lastSYNACKTSVal) {
			c.HS.PairedAmbiguous = true
		}
	}
	if f&FlagRST != 0 && d == DirServer && c.HS.HasSYN && !c.HS.HasSYNACK && !c.HS.Rejected {
		c.HS.Rejected, c.HS.RejectTS = true, seg.TS
	}
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

func (c *Conn) observeSYN(seg *Segment, d Dir, dup bool) {
	hs := &c.HS
	info := SegInfo{Window: seg.Window, TTL: seg.TTL, DF: seg.DF, AE: seg.AE, Flags: seg.Flags}
	if seg.Flags&FlagACK == 0 {
		if d == DirServer {
			if !hs.ServerSYN {
				hs.ServerSYN, hs.ServerSYNTS = true, seg.TS
			}
			return
		}
		if !hs.HasSYN {
			hs.HasSYN, hs.ISN, hs.SYNSeg, hs.SYNPayload = true, seg.Seq, info, seg.PayloadLen
			hs.SYNOpts.set(&seg.Opts)
			hs.FirstSYNTS = seg.TS
		}
		if seg.Seq == hs.ISN {
			hs.SYNN++
			if dup {
				hs.SYNDups++
				return
			}
			hs.LastSYNTS, hs.LastSYNTSVal, hs.HasLastTSVal = seg.TS, seg.TSVal, seg.HasTS
		}
		return
	}
	// SYN-ACK. In a simultaneous open both sides send one; the server's
	// is the one that answers the client's SYN.
	if d != DirServer {
		return
	}
	if !hs.HasSYNACK {
		hs.HasSYNACK, hs.ServerISN, hs.SYNACKAck, hs.SYNACKSeg = true, seg.Seq, seg.Ack, info
		hs.SYNACKOpts.set(&seg.Opts)
		hs.FirstSYNACKTS = seg.TS
		if hs.HasSYN && hs.LastSYNTS <= seg.TS {
			hs.AnsweredSYNTS, hs.HasAnswered = hs.LastSYNTS, true
			hs.Ambiguous = hs.SYNN-hs.SYNDups > 1 && seg.HasTS && hs.HasLastTSVal && seg.TSEcr != hs.LastSYNTSVal
		}
	}
	if seg.Seq == hs.ServerISN {
		hs.SYNACKN++
		if dup {
			hs.SYNACKDups++
			return
		}
		if !hs.HasACK {
			hs.LastSYNACKTS = seg.TS
			hs.lastSYNACKTSVal, hs.lastSYNACKHasTS = seg.TSVal, seg.HasTS
			if hs.HasSYN && hs.LastSYNTS <= seg.TS {
				hs.PairedSYNTS, hs.HasPaired = hs.LastSYNTS, true
				hs.PairedAmbiguous = hs.SYNN-hs.SYNDups > 1 && !(seg.HasTS && hs.HasLastTSVal && seg.TSEcr == hs.LastSYNTSVal)
			}
		}
	}
}

// clampShift applies RFC 7323 §2.3: a shift over 14 is treated as 14.
func clampShift(s uint8) int {
	if s > 14 {
		return 14
	}
	return int(s)
}

// updateCompleteness applies Wireshark's tcp.completeness rules
// (packet-tcp.c): a SYN counts only as the conversation's first packet, and
// the SYN-ACK, ACK, DATA, FIN and RST bits come from the packets after it.
// tshark -2 (two passes, as the oracles and most users run it) visits the
// first packet again once the value is no longer zero, and then counts its
// other bits too; firstBits keeps them for WiresharkCompleteness.
func (c *Conn) updateCompleteness(seg *Segment, first bool) {
	f := seg.Flags
	var bits uint8
	if f&(FlagSYN|FlagACK) == FlagSYN|FlagACK {
		bits |= CompSYNACK
	}
	if f&(FlagSYN|FlagACK) == FlagACK {
		if seg.PayloadLen > 0 {
			bits |= CompDATA
		} else {
			bits |= CompACK
		}
	}
	if f&(FlagFIN|FlagACK) == FlagFIN|FlagACK {
		bits |= CompFIN
	}
	if f&FlagRST != 0 {
		bits |= CompRST
	}
	if !first {
		c.Completeness |= bits
		return
	}
	c.firstBits = bits
	if f&(FlagSYN|FlagACK) == FlagSYN {
		c.Completeness |= CompSYN
		if seg.PayloadLen > 0 {
			c.Completeness |= CompDATA
		}
	}
}

// WiresharkCompleteness is tcp.completeness as tshark -2 reports it.
func (c *Conn) WiresharkCompleteness() uint8 {
	if c.Completeness == 0 {
		return 0
	}
	return c.Completeness | c.firstBits
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
