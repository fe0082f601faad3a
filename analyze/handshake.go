package analyze

import "github.com/synfin/synfin/flows"

// HandshakeStatus is how the opening of a connection went (docs/spec.md §3): one
// of the Handshake constants, written as its value (handshake.status).
type HandshakeStatus string

// Handshake statuses (docs/spec.md §3).
const (
	HandshakeComplete     HandshakeStatus = "complete"     // SYN, SYN-ACK, ACK
	HandshakeNoAck        HandshakeStatus = "no_ack"       // SYN, SYN-ACK, no ACK
	HandshakeNoReply      HandshakeStatus = "no_reply"     // SYN only
	HandshakeRejected     HandshakeStatus = "rejected"     // SYN answered by RST
	HandshakeUnreachable  HandshakeStatus = "unreachable"  // SYN answered by an ICMP error, not by the server's TCP
	HandshakeSimultaneous HandshakeStatus = "simultaneous" // both sides sent a SYN without ACK
	HandshakeSynackOnly   HandshakeStatus = "synack_only"  // the capture began after the SYN
	HandshakeNotSeen      HandshakeStatus = "not_seen"     // mid-stream
)

// CapturePoint is where the capture was taken, judged from the two legs
// of the handshake RTT: one of the Point constants, written as its value
// (handshake.capture_point).
type CapturePoint string

// Capture points.
const (
	PointClient CapturePoint = "client" // the SYN-ACK→ACK leg is under a tenth of the RTT
	PointServer CapturePoint = "server" // the SYN→SYN-ACK leg is under a tenth of the RTT
	PointMiddle CapturePoint = "middle" // neither leg is
)

func handshakeStatus(hs *flows.Handshake, icmp *flows.ICMPFacts) HandshakeStatus {
	switch {
	case hs.HasSYN && hs.ServerSYN:
		return HandshakeSimultaneous
	case hs.HasSYN && hs.Rejected:
		return HandshakeRejected
	case hs.HasSYN && !hs.HasSYNACK && icmp.AboutSYN:
		return HandshakeUnreachable
	case hs.HasSYN && hs.HasSYNACK && hs.HasACK:
		return HandshakeComplete
	case hs.HasSYN && hs.HasSYNACK:
		return HandshakeNoAck
	case hs.HasSYN:
		return HandshakeNoReply
	case hs.HasSYNACK:
		return HandshakeSynackOnly
	}
	return HandshakeNotSeen
}

func handshake(c *flows.Conn, a *arena, ja4t bool) Handshake {
	hs := &c.HS
	h := Handshake{Status: handshakeStatus(hs, &c.ICMP), SynCount: int(hs.SYNN), SynackCount: int(hs.SYNACKN)}
	h.OptionNotes = optionNotes(c, a.notes[:0])
	if hs.HasSYN {
		h.SynTS = a.time(Time(hs.FirstSYNTS))
		h.ClientISN = a.uint32(uint32(hs.ISN))
		o := hs.SYNOpts.Options()
		h.SynOptions = options(&o, &hs.SYNSeg, a)
		h.SynSignature = a.str(signature(&o, &hs.SYNSeg))
		if ja4t {
			h.JA4T = a.str(JA4T(&o, &hs.SYNSeg))
		}
	}
	if hs.HasSYNACK {
		h.SynackTS = a.time(Time(hs.FirstSYNACKTS))
		h.ServerISN = a.uint32(uint32(hs.ServerISN))
		o := hs.SYNACKOpts.Options()
		h.SynackOptions = options(&o, &hs.SYNACKSeg, a)
		h.SynackSignature = a.str(signature(&o, &hs.SYNACKSeg))
		if ja4t {
			h.JA4TS = a.str(JA4T(&o, &hs.SYNACKSeg))
		}
	}
	if hs.HasIRTT {
		h.IRTTms = a.float(ms(hs.IRTT))
	}
	if hs.HasACK {
		h.AckTS = a.time(Time(hs.ACKTS))
	}
	if hs.HasSYN && hs.HasSYNACK {
		h.Negotiated = negotiate(hs, a)
		h.AckOK = a.bool(hs.SYNACKAck == hs.ISN+1 && (!hs.HasACK || hs.ACKAck == hs.ServerISN+1))
	}
	if hs.HasSYN && hs.Rejected {
		h.RejectMS = a.float(ms(hs.RejectTS - hs.LastSYNTS))
	}
	if h.Status == HandshakeComplete || h.Status == HandshakeNoAck {
		timing(hs, &h, a)
	}
	return h
}

// timing computes the handshake RTT and its two legs (docs/spec.md §3) from the
// exchange that completed the handshake: the last SYN-ACK before the ACK,
// and the latest client SYN before that SYN-ACK, so that the RTT is one
// round trip and the sum of its legs. setup_ms is the whole wait, from the
// first SYN, retransmission timeouts included. Without the ACK the first
// leg is that of the first SYN-ACK and the SYN it answered.
//
// Why not the SYN the SYN-ACK's timestamp echo names, as an earlier SPEC
// asked: the echo names the earliest SYN the server recorded, not the one
// it answered (RFC 7323 §4.3 echoes the oldest unacknowledged TSval, and
// Linux resends the SYN-ACK from its timer with the first SYN's TSval):
// on corpus lab/05_synack_dropped that gives 1054 ms for a 40 ms path.
// When the echo names another SYN, or the ACK's another SYN-ACK, the
// pairing is a guess in Karn's sense and RTTAmbiguous says so.
func timing(hs *flows.Handshake, h *Handshake, a *arena) {
	if !hs.HasAnswered {
		return // timestamps out of order: no honest answer
	}
	if !hs.HasACK {
		h.RTTAmbiguous = hs.Ambiguous
		h.SynSynackMS = a.float(ms(hs.FirstSYNACKTS - hs.AnsweredSYNTS))
		return
	}
	if !hs.HasPaired {
		return
	}
	h.RTTAmbiguous = hs.PairedAmbiguous
	leg1 := hs.LastSYNACKTS - hs.PairedSYNTS
	leg2 := hs.ACKTS - hs.LastSYNACKTS
	total := leg1 + leg2
	h.SynSynackMS = a.float(ms(leg1))
	h.SynackAckMS = a.float(ms(leg2))
	h.RTTms = a.float(ms(total))
	h.SetupMS = a.float(ms(hs.ACKTS - hs.FirstSYNTS))
	switch {
	case total <= 0:
	case leg2*10 < total:
		h.CapturePoint = a.point(PointClient)
	case leg1*10 < total:
		h.CapturePoint = a.point(PointServer)
	default:
		h.CapturePoint = a.point(PointMiddle)
	}
}
