package flows

// Analysis is the set of Wireshark's tcp.analysis flags a segment earns,
// computed by Wireshark's rules (packet-tcp.c, tcp_analyze_sequence_number)
// so that synfin's per-packet flags can be compared with tshark's. They
// are kept apart from the classification behind the statistics (SegClass),
// which follows the sequence space byte by byte.
type Analysis uint16

const (
	AnRetransmission Analysis = 1 << iota
	AnFastRetransmission
	AnSpuriousRetransmission
	AnOutOfOrder
	AnLostSegment
	AnDuplicateAck
	AnZeroWindow
	AnKeepAlive
	AnWindowFull
	numAnalysis = iota

	// anZeroWindowProbe is not reported; it changes how later segments
	// are judged.
	anZeroWindowProbe Analysis = 1 << 15
)

// AnalysisNames are the flags as tshark's fields name them
// (tcp.analysis.NAME), in bit order.
var AnalysisNames = [numAnalysis]string{"retransmission", "fast_retransmission", "spurious_retransmission",
	"out_of_order", "lost_segment", "duplicate_ack", "zero_window", "keep_alive", "window_full"}

// NumAnalysis is the number of flags.
const NumAnalysis = numAnalysis

// Names lists the flags set in a.
func (a Analysis) Names() []string {
	var out []string
	for i, n := range AnalysisNames {
		if a&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// anState is one direction's state for Wireshark's analysis (fields
// ordered to pack).
type anState struct {
	nextTS      int64 // when next last advanced
	lastAckT    int64 // when lastAck was sent
	next        Seq   // highest sequence number sent plus one (SYN and FIN count one)
	lastAck     Seq   // acknowledgment number of the latest segment with ACK
	dupAcks     int32 // duplicate ACKs since the ack number last changed; -1 after an ACK of unseen data
	maxToAck    Seq   // end of the data sent without a gap (Wireshark's maxseqtobeacked)
	maxToAckSet bool
	win         uint16
	last        Analysis
	nextSet     bool
	ackSet      bool
	winSet      bool // win is the window of the latest segment, raw
	winSYN      bool // ... which had SYN set (a SYN's window is never scaled)
}

// analyze computes the flags of seg, sent by the side whose state is s
// (o is the other side's), and updates their analysis state.
func (c *Conn) analyze(seg *Segment, s, o *Stream, seglen uint32) Analysis {
	var a Analysis
	f := seg.Flags
	noCtl := f&(FlagSYN|FlagFIN|FlagRST) == 0
	payload := uint32(seg.PayloadLen)
	fs, rs := &s.an, &o.an

	// ZERO WINDOW PROBE: one byte at the next sequence number into a zero
	// window. It skips the checks up to the duplicate ACK.
	if payload == 1 && fs.nextSet && seg.Seq == fs.next && rs.winSet && rs.win == 0 {
		a |= anZeroWindowProbe
	} else {
		if seg.Window == 0 && noCtl {
			a |= AnZeroWindow
		}
		// LOST SEGMENT: starts beyond the next expected byte.
		if fs.nextSet && fs.next.LessThan(seg.Seq) && f&FlagRST == 0 {
			a |= AnLostSegment
		}
		// KEEP ALIVE: at most one byte, starting one byte before the next.
		if payload <= 1 && fs.nextSet && seg.Seq.Add(1) == fs.next && noCtl {
			a |= AnKeepAlive
		}
		// WINDOW FULL: data up to the right edge of the other side's
		// last advertised window, when its scaling is known.
		if payload > 0 && noCtl && rs.ackSet && rs.winSet {
			if shift, ok := c.windowShift(o == &c.Dir[DirClient]); ok {
				if rs.winSYN {
					shift = 0
				}
				if seg.Seq.Add(payload) == rs.lastAck.Add(uint32(rs.win)<<shift) {
					a |= AnWindowFull
				}
			}
		}
		// DUPLICATE ACK: nothing but the same ACK and window again, at the
		// next sequence number; not an answer to a keep-alive or to a zero
		// window probe.
		same := payload == 0 && noCtl && fs.winSet && seg.Window == fs.win && fs.nextSet && seg.Seq == fs.next &&
			fs.ackSet && f&FlagACK != 0 && seg.Ack == fs.lastAck
		switch {
		case same && seg.Window != 0 && rs.last&AnKeepAlive != 0: // keep-alive ACK
		case same && seg.Window == 0 && rs.last&anZeroWindowProbe != 0: // zero window probe ACK
		case same && seg.Window != 0:
			if fs.dupAcks < 0 {
				fs.dupAcks = 0 // tshark: from -1 straight to 1
			}
			fs.dupAcks++
			a |= AnDuplicateAck
		}
	}
	if f&FlagACK != 0 && (!fs.ackSet || seg.Ack != fs.lastAck) {
		fs.dupAcks = 0
	}
	// ACKED UNSEEN SEGMENT: tshark 4.0 then marks the other side's
	// duplicate-ACK count -1 in an unsigned counter, so that side's next
	// retransmission at the acknowledged number passes its "two or more
	// duplicate ACKs" test and is called fast. synfin does the same, to
	// agree with it.
	if f&FlagACK != 0 && rs.maxToAckSet && rs.maxToAck.LessThan(seg.Ack) {
		if rs.next.LessThan(rs.maxToAck) {
			rs.maxToAck = rs.next
		} else {
			rs.dupAcks = -1
		}
	}

	// RETRANSMISSION family: data, SYN or FIN that does not advance the
	// sequence number (a keep-alive is none of them).
	if (payload > 0 || f&(FlagSYN|FlagFIN) != 0) && a&AnKeepAlive == 0 {
		notAdvanced := fs.nextSet && seg.Seq.LessThan(fs.next)
		if payload > 1 && fs.nextSet && fs.next == seg.Seq.Add(1) {
			notAdvanced = false // new data after a possible zero window probe
		}
		end := seg.Seq.Add(seglen)
		switch {
		case payload > 0 && rs.ackSet && seg.Seq.Add(payload).LessThanEq(rs.lastAck):
			a |= AnSpuriousRetransmission | AnRetransmission
		case notAdvanced && (rs.dupAcks >= 2 || rs.dupAcks < 0) && rs.lastAck == seg.Seq && seg.TS-rs.lastAckT < 20e6:
			a |= AnFastRetransmission | AnRetransmission
		case notAdvanced && seg.TS-fs.nextTS < c.oooThreshold() && fs.next != end:
			a |= AnOutOfOrder
		case notAdvanced:
			a |= AnRetransmission
		}
	}

	// Remember for the segments to come.
	if end := seg.Seq.Add(seglen); (!fs.nextSet || fs.next.LessThan(end)) && a&anZeroWindowProbe == 0 {
		fs.next, fs.nextSet, fs.nextTS = end, true, seg.TS
	}
	if a&anZeroWindowProbe == 0 && (!fs.maxToAckSet || seg.Seq == fs.maxToAck) {
		fs.maxToAck, fs.maxToAckSet = fs.next, true
	}
	fs.win, fs.winSet, fs.winSYN = seg.Window, true, f&FlagSYN != 0
	if f&FlagACK != 0 {
		fs.lastAck, fs.ackSet, fs.lastAckT = seg.Ack, true, seg.TS
	}
	fs.last = a
	return a &^ anZeroWindowProbe
}

// windowShift is the window scale of the client's (client true) or the
// server's advertisements, and whether it is known (the handshake was
// seen): Wireshark judges a full window only then.
func (c *Conn) windowShift(client bool) (uint, bool) {
	if !c.HS.HasSYN || !c.HS.HasSYNACK {
		return 0, false
	}
	if !c.HS.SYNOpts.HasWScale || !c.HS.SYNACKOpts.HasWScale {
		return 0, true
	}
	if client {
		return uint(clampShift(c.HS.SYNOpts.WScale)), true
	}
	return uint(clampShift(c.HS.SYNACKOpts.WScale)), true
}
