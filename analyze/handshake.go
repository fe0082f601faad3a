package analyze

import "synfin/flows"

// Handshake statuses (SPEC §3).
const (
	HSComplete     = "complete"
	HSNoAck        = "no_ack"
	HSNoReply      = "no_reply"
	HSRejected     = "rejected"
	HSSimultaneous = "simultaneous"
	HSSynackOnly   = "synack_only"
	HSNotSeen      = "not_seen"
)

// Capture points: where the capture was taken, judged from the two legs.
const (
	PointClient = "client"
	PointServer = "server"
	PointMiddle = "middle"
)

func handshakeStatus(hs *flows.Handshake) string {
	switch {
	case hs.HasSYN && hs.ServerSYN:
		return HSSimultaneous
	case hs.HasSYN && hs.Rejected:
		return HSRejected
	case hs.HasSYN && hs.HasSYNACK && hs.HasACK:
		return HSComplete
	case hs.HasSYN && hs.HasSYNACK:
		return HSNoAck
	case hs.HasSYN:
		return HSNoReply
	case hs.HasSYNACK:
		return HSSynackOnly
	}
	return HSNotSeen
}

func handshake(c *flows.Conn, a *arena, ja4t bool) Handshake {
	hs := &c.HS
	h := Handshake{Status: handshakeStatus(hs), SynCount: int(hs.SYNN), SynackCount: int(hs.SYNACKN)}
	h.OptionNotes = optionNotes(c, a.notes[:0])
	if hs.HasSYN {
		h.SynTS = a.time(Time(hs.FirstSYNTS))
		h.ClientISN = a.uint32(uint32(hs.ISN))
		h.SynOptions = options(&hs.SYNOpts, &hs.SYNSeg, a)
		h.SynSignature = a.str(signature(&hs.SYNOpts, &hs.SYNSeg))
		if ja4t {
			h.JA4T = a.str(JA4T(&hs.SYNOpts, &hs.SYNSeg))
		}
	}
	if hs.HasSYNACK {
		h.SynackTS = a.time(Time(hs.FirstSYNACKTS))
		h.ServerISN = a.uint32(uint32(hs.ServerISN))
		h.SynackOptions = options(&hs.SYNACKOpts, &hs.SYNACKSeg, a)
		h.SynackSignature = a.str(signature(&hs.SYNACKOpts, &hs.SYNACKSeg))
		if ja4t {
			h.JA4TS = a.str(JA4T(&hs.SYNACKOpts, &hs.SYNACKSeg))
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
	if h.Status == HSComplete || h.Status == HSNoAck {
		timing(hs, &h, a)
	}
	return h
}

// timing computes the handshake RTT and its two legs (SPEC §3). The SYN a
// SYN-ACK answers is taken to be the last SYN sent before it. SPEC asks to
// let the SYN-ACK's timestamp echo pick an earlier SYN instead; synfin does
// not, because the echo names the earliest SYN the server recorded, not the
// one it answered: RFC 7323 §4.3 echoes the oldest unacknowledged TSval,
// and Linux resends the SYN-ACK from its timer with the first SYN's TSval
// (corpus lab/05_synack_dropped: the echo-chosen SYN gives 1054 ms, the
// true RTT is 40 ms). When the echo names another SYN than the last one the
// sample is ambiguous in Karn's sense and RTTAmbiguous says so.
func timing(hs *flows.Handshake, h *Handshake, a *arena) {
	if !hs.HasAnswered {
		return // timestamps out of order: no honest answer
	}
	h.RTTAmbiguous = hs.Ambiguous
	leg1 := hs.FirstSYNACKTS - hs.AnsweredSYNTS
	h.SynSynackMS = a.float(ms(leg1))
	if !hs.HasACK {
		return
	}
	leg2 := hs.ACKTS - hs.LastSYNACKTS
	total := hs.ACKTS - hs.AnsweredSYNTS
	h.SynackAckMS = a.float(ms(leg2))
	h.RTTms = a.float(ms(total))
	switch {
	case total <= 0:
	case leg2*10 < total:
		h.CapturePoint = a.str(PointClient)
	case leg1*10 < total:
		h.CapturePoint = a.str(PointServer)
	default:
		h.CapturePoint = a.str(PointMiddle)
	}
}
