package flows

import "math/bits"

// This file reproduces Zeek's TCP endpoint state machine and history string
// (src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc, TCP_Endpoint.cc,
// Conn.cc; scripts/base/protocols/conn/main.zeek), so that synfin's state
// and history columns read exactly like a Zeek conn.log. Zeek's originator
// is the sender of the first packet seen, which is not always synfin's
// client; ZeekState keeps its own orientation and the history is written
// in Zeek's.

// ZeekEndpointState is Zeek's TCP_ENDPOINT_* value.
type ZeekEndpointState uint8

// Zeek endpoint states.
const (
	ZeekInactive ZeekEndpointState = iota
	ZeekSynSent
	ZeekSynAckSent
	ZeekPartial
	ZeekEstablished
	ZeekClosed
	ZeekReset
)

// History "seen once" masks (Conn.h); the responder's are shifted by 16.
const (
	histSYN      = 0x1
	histFIN      = 0x2
	histRST      = 0x4
	histFINRST   = 0x8
	histDATA     = 0x10
	histACK      = 0x20
	histMULTIFLG = 0x40
)

type zeekEndpoint struct {
	state, prev ZeekEndpointState
	start       Seq
	last        Seq
	ack         Seq
	finCnt      int32
	finSeq      uint32 // relative to start
	histSYN     uint32 // relative seq of the last SYN, FIN and RST letters
	histFIN     uint32
	histRST     uint32
	rxmt, rxmtT int32 // logarithmic counters: count and next threshold
	win0, win0T int32
	gap, gapT   int32
	reassem     uint32 // relative seq up to which content is "delivered"
	hasReassem  bool
}

func (e *zeekEndpoint) set(s ZeekEndpointState) {
	if s != e.state {
		e.prev, e.state = e.state, s
	}
}

// size is TCP_Endpoint::Size: the highest of bytes sent and bytes acked,
// less the SYN and FIN octets.
func (e *zeekEndpoint) size(peer *zeekEndpoint) int64 {
	if e.prev == ZeekSynSent && e.state == ZeekReset && peer.state == ZeekInactive &&
		!(e.ack == e.start || e.ack == e.start+1) {
		return 0
	}
	hi := e.last
	if hi.LessThan(e.ack) {
		hi = e.ack
	}
	sz := int64(uint32(hi - e.start))
	if sz != 0 {
		sz--
	}
	if e.finCnt > 0 && sz != 0 {
		sz--
	}
	return sz
}

// ZeekState is the Zeek view of one connection: both endpoints' states, in
// Zeek's orientation, and the history string.
type ZeekState struct {
	ep           [2]zeekEndpoint // 0 = Zeek's originator, 1 = responder
	origIsServer bool            // Zeek's originator is synfin's server
	started      bool
	histSeen     uint32
	hist         [40]byte
	nhist        uint8
}

func (z *ZeekState) addHistory(b byte) {
	if int(z.nhist) < len(z.hist) {
		z.hist[z.nhist] = b
		z.nhist++
	}
}

// check is Connection::CheckHistory: record code the first time mask is seen.
// It reports whether the mask had been seen before.
func (z *ZeekState) check(orig bool, mask uint32, code byte) bool {
	if !orig {
		mask <<= 16
		code += 'a' - 'A'
	}
	if z.histSeen&mask != 0 {
		return true
	}
	z.histSeen |= mask
	z.addHistory(code)
	return false
}

func (z *ZeekState) add(orig bool, code byte) {
	if !orig {
		code += 'a' - 'A'
	}
	z.addHistory(code)
}

// scaled is Connection::ScaledHistoryEntry: the letter at the 1st, 10th,
// 100th … occurrence.
func (z *ZeekState) scaled(orig bool, code byte, cnt, thresh *int32) {
	if *thresh == 0 {
		*thresh = 1
	}
	*cnt++
	if *cnt == *thresh {
		z.add(orig, code)
		*thresh *= 10
	}
}

// History returns the Zeek history string.
func (z *ZeekState) History() string { return string(z.hist[:z.nhist]) }

// HistoryBytes is History without a copy: valid while z is unchanged.
func (z *ZeekState) HistoryBytes() []byte { return z.hist[:z.nhist] }

// States returns the originator's and responder's end states, and their
// sizes (for the REJ rule).
func (z *ZeekState) States() (orig, resp ZeekEndpointState, origSize, respSize int64) {
	return z.ep[0].state, z.ep[1].state, z.ep[0].size(&z.ep[1]), z.ep[1].size(&z.ep[0])
}

// OrigIsServer reports whether Zeek's originator is synfin's server.
func (z *ZeekState) OrigIsServer() bool { return z.origIsServer }

// update applies one segment from synfin direction d
// (TCPSessionAdapter::Process), in the steps Zeek takes: the roles, the
// endpoint's start, the history, the window, the last sequence number, the
// state machine, and the gaps an ACK reveals.
func (z *ZeekState) update(c *Conn, seg *Segment, d Dir) {
	if !z.started {
		z.start(seg, d)
	}
	isOrig := (d == DirServer) == z.origIsServer
	ei := 1
	if isOrig {
		ei = 0
	}
	E, P := &z.ep[ei], &z.ep[1-ei]
	f := seg.Flags
	length := seg.PayloadLen
	segLen := uint32(length)
	if f&FlagSYN != 0 {
		segLen++
	}
	if f&FlagFIN != 0 {
		segLen++
	}
	if f&FlagRST != 0 {
		segLen -= uint32(length)
	}
	seq := seg.Seq
	end := seq.Add(segLen)

	E.initEndpoint(f, seq, end)
	relSeq := uint32(seq - E.start)
	z.updateHistory(E, isOrig, f, relSeq, length)
	// update_window
	if seg.Window == 0 && f&FlagRST == 0 && P.state != ZeekClosed && E.state != ZeekReset {
		z.scaled(isOrig, 'W', &E.win0, &E.win0T)
	}
	if f&FlagFIN != 0 {
		E.finCnt++
		E.finSeq = relSeq + segLen
	}
	relAck := P.ackSeen(f, seg.Ack)
	z.updateLastSeq(E, isOrig, f, end, length)
	z.stateMachine(E, P, isOrig, seq, f, length)

	// AckReceived on the peer: acknowledged bytes it never sent in our
	// sight are a content gap (G), while both sides are established.
	if f&FlagACK != 0 && f&FlagRST == 0 {
		z.ackReceived(c, seg, d, relAck)
	}
}

// start picks the roles at the first packet. Zeek's originator is its
// sender, unless that packet is not a pure SYN and comes from a likely
// server port (TCPAnalyzer::WantConnection): then Zeek flips the roles at
// once and the history starts with '^'.
func (z *ZeekState) start(seg *Segment, d Dir) {
	z.started = true
	z.origIsServer = d == DirServer
	if seg.Flags&(FlagSYN|FlagACK) != FlagSYN && likelyServerPort(seg.Src.Port()) {
		flip := true
		if likelyServerPort(seg.Dst.Port()) {
			flip = seg.Flags&FlagSYN == 0 && seg.Src.Port() < seg.Dst.Port()
		}
		if flip {
			z.origIsServer = !z.origIsServer
			z.addHistory('^')
		}
	}
}

// initEndpoint is Zeek's init_endpoint: where the sender's sequence space
// starts.
func (E *zeekEndpoint) initEndpoint(f Flags, seq, end Seq) {
	syn := f&FlagSYN != 0
	switch E.state {
	case ZeekInactive:
		if syn {
			E.start, E.ack, E.last = seq, seq, end
		} else {
			E.start, E.ack, E.last = seq-1, seq-1, seq
		}
	case ZeekSynSent, ZeekSynAckSent:
		if syn && seq != E.start {
			E.start, E.ack, E.last = seq, seq, end
		}
	case ZeekEstablished, ZeekPartial:
		if syn {
			E.start, E.ack, E.last = seq, seq, end
		}
	case ZeekReset:
		if syn && E.prev == ZeekInactive {
			E.start, E.ack, E.last = seq, seq, end
		}
	}
}

// updateHistory is Zeek's update_history: the letter this segment adds.
func (z *ZeekState) updateHistory(E *zeekEndpoint, isOrig bool, f Flags, relSeq uint32, length int) {
	switch {
	case bits.OnesCount8(uint8(f&(FlagSYN|FlagFIN|FlagRST))) > 1:
		if f&FlagFIN != 0 && f&FlagRST != 0 {
			z.check(isOrig, histFINRST, 'I')
		} else {
			z.check(isOrig, histMULTIFLG, 'Q')
		}
	case f&FlagSYN != 0:
		code := byte('S')
		if f&FlagACK != 0 {
			code = 'H'
		}
		if z.check(isOrig, histSYN, code) && relSeq != E.histSYN {
			z.add(isOrig, code)
		}
		E.histSYN = relSeq
	case f&FlagFIN != 0:
		if z.check(isOrig, histFIN, 'F') && relSeq+uint32(length) != E.histFIN {
			z.add(isOrig, 'F')
		}
		E.histFIN = relSeq + uint32(length)
	case f&FlagRST != 0:
		if z.check(isOrig, histRST, 'R') && relSeq != E.histRST {
			z.add(isOrig, 'R')
		}
		E.histRST = relSeq
	case length > 0:
		z.check(isOrig, histDATA, 'D')
	case f&FlagACK != 0:
		z.check(isOrig, histACK, 'A')
	}
}

// ackSeen takes the acknowledgement of a segment sent to P and returns it
// relative to P's start (the first ACK of a side never seen to send
// starts it).
func (P *zeekEndpoint) ackSeen(f Flags, ack Seq) (relAck uint32) {
	if f&FlagACK == 0 {
		return 0
	}
	if P.state == ZeekInactive {
		P.start, P.ack, P.last = ack-1, ack-1, ack-1
		return 1
	}
	if f&FlagRST == 0 && P.ack.LessThan(ack) {
		P.ack = ack
	}
	return uint32(ack - P.start)
}

// updateLastSeq is Zeek's update_last_seq: the highest sequence number
// sent, and a retransmission (T) when data does not advance it.
func (z *ZeekState) updateLastSeq(E *zeekEndpoint, isOrig bool, f Flags, end Seq, length int) {
	delta := int32(end - E.last)
	switch {
	case f&(FlagSYN|FlagRST) != 0 && (delta > 1<<20 || delta < -(1<<20)):
	case f&FlagFIN != 0 && E.last == E.start+1:
		E.last = end
	case E.state == ZeekReset:
	case delta > 0:
		E.last = end
	case length > 0:
		z.scaled(isOrig, 'T', &E.rxmt, &E.rxmtT)
	}
}

// stateMachine moves the sender E (and at times its peer P) through Zeek's
// endpoint states.
func (z *ZeekState) stateMachine(E, P *zeekEndpoint, isOrig bool, seq Seq, f Flags, length int) {
	syn, fin, rst, ack := f&FlagSYN != 0, f&FlagFIN != 0, f&FlagRST != 0, f&FlagACK != 0
	switch E.state {
	case ZeekInactive:
		if syn {
			if isOrig {
				if ack {
					E.set(ZeekSynAckSent)
				} else {
					E.set(ZeekSynSent)
				}
			} else {
				if !ack && P.state == ZeekSynAckSent && seq == E.start {
					// SYN/SYN-ACK reversal: Zeek flips the roles.
					z.ep[0], z.ep[1] = z.ep[1], z.ep[0]
					E, P = &z.ep[0], &z.ep[1]
					z.origIsServer = !z.origIsServer
					z.addHistory('^')
					P.set(ZeekEstablished)
				}
				if P.state == ZeekSynSent {
					P.set(ZeekEstablished)
				}
				E.set(ZeekEstablished)
			}
		}
		if fin {
			E.set(ZeekClosed)
		}
		if rst {
			E.set(ZeekReset)
		}
		if E.state == ZeekInactive {
			orig := &z.ep[0]
			switch {
			case !isOrig && length == 0 && orig.state == ZeekSynSent:
			case ack && P.state == ZeekEstablished:
				E.set(ZeekEstablished)
			default:
				E.set(ZeekPartial)
			}
		}
	case ZeekSynSent, ZeekSynAckSent:
		if fin {
			E.set(ZeekClosed)
		}
		if rst {
			E.set(ZeekReset)
		}
	case ZeekEstablished, ZeekPartial:
		if syn && E.state == ZeekPartial && P.state == ZeekInactive && !ack {
			E.set(ZeekSynSent)
		}
		if fin && !rst {
			E.set(ZeekClosed)
			if P.state == ZeekReset && P.prev == ZeekClosed {
				P.set(ZeekClosed)
			}
		}
		if rst {
			E.set(ZeekReset)
		}
	case ZeekClosed:
		if rst && P.state != ZeekClosed {
			E.set(ZeekReset)
		}
	}
}

// ackReceived is TCP_Reassembler's Undelivered path, simplified: the peer X
// of the acknowledging side delivered content up to reassem; an ACK beyond
// bytes X was never seen to send is a gap. synfin's per-direction holes
// tell which bytes were seen.
func (z *ZeekState) ackReceived(c *Conn, seg *Segment, d Dir, relAck uint32) {
	isOrig := (d == DirServer) == z.origIsServer
	xi := 0
	if isOrig {
		xi = 1
	}
	X, Y := &z.ep[xi], &z.ep[1-xi]
	if X.finCnt > 0 && relAck >= X.finSeq {
		relAck = X.finSeq - 1
	}
	if !X.hasReassem {
		X.reassem, X.hasReassem = 1, true
	}
	if int32(relAck-X.reassem) <= 0 {
		return
	}
	clean := func(e *zeekEndpoint) bool {
		return e.state == ZeekEstablished || (e.state == ZeekClosed && e.prev == ZeekEstablished)
	}
	from, to := X.start.Add(X.reassem), X.start.Add(relAck)
	X.reassem = relAck
	if !clean(X) || !clean(Y) {
		return
	}
	s := &c.Dir[d.Other()]
	gaps := 0
	for _, h := range s.gaps() {
		if h.from.LessThan(to) && from.LessThan(h.to) {
			gaps++
		}
	}
	if s.baseSet && s.nxt.LessThan(to) {
		gaps++
	}
	for ; gaps > 0; gaps-- {
		z.scaled(!isOrig, 'G', &X.gap, &X.gapT)
	}
}

// likelyServerPort mirrors Zeek's likely_server_ports: the TCP ports its
// default protocol analyzers register (scripts/base/protocols/*/main.zeek).
func likelyServerPort(p uint16) bool {
	switch p {
	case 21, 22, 25, 53, 80, 81, 88, 102, 110, 135, 139, 143, 389, 443, 445, 502, 563, 585,
		587, 614, 631, 636, 989, 990, 992, 993, 995, 1883, 3128, 3268, 3306, 3389,
		5223, 5900, 5901, 5902, 5903, 5904, 5905, 5906, 5907, 6379, 6666, 6667, 6668, 6669,
		8000, 8080, 8888, 20000:
		return true
	}
	return false
}
