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

func handshake(c *flows.Conn) Handshake {
	hs := &c.HS
	h := Handshake{Status: handshakeStatus(hs), SynCount: hs.SYNN, SynackCount: hs.SYNACKN}
	if hs.HasSYN {
		h.SynTS = ptr(Time(hs.SYNs[0].TS))
		h.ClientISN = ptr(uint32(hs.ISN))
		h.SynOptions = options(&hs.SYNOpts, &hs.SYNSeg)
		h.SynSignature = ptr(signature(&hs.SYNOpts, &hs.SYNSeg))
	}
	if hs.HasSYNACK {
		h.SynackTS = ptr(Time(hs.SYNACKs[0].TS))
		h.ServerISN = ptr(uint32(hs.ServerISN))
		h.SynackOptions = options(&hs.SYNACKOpts, &hs.SYNACKSeg)
		h.SynackSignature = ptr(signature(&hs.SYNACKOpts, &hs.SYNACKSeg))
	}
	if hs.HasIRTT {
		h.IRTTms = ptr(ms(hs.IRTT))
	}
	if hs.HasACK {
		h.AckTS = ptr(Time(hs.ACKTS))
	}
	if hs.HasSYN && hs.HasSYNACK {
		h.Negotiated = negotiate(hs)
		h.AckOK = ptr(hs.SYNACKAck == hs.ISN+1 && (!hs.HasACK || hs.ACKAck == hs.ServerISN+1))
	}
	if hs.HasSYN && hs.Rejected {
		h.RejectMS = ptr(ms(hs.RejectTS - hs.SYNs[min(hs.SYNN, len(hs.SYNs))-1].TS))
	}
	if h.Status == HSComplete || h.Status == HSNoAck {
		timing(hs, &h)
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
// true RTT is 40 ms). When the echo names an earlier SYN than the last one
// the sample is ambiguous in Karn's sense and RTTAmbiguous says so.
func timing(hs *flows.Handshake, h *Handshake) {
	syns := hs.SYNs[:min(hs.SYNN, len(hs.SYNs))]
	acks := hs.SYNACKs[:min(hs.SYNACKN, len(hs.SYNACKs))]
	if len(syns) == 0 || len(acks) == 0 {
		return
	}
	first := acks[0]
	answered := -1
	for i, s := range syns {
		if s.TS <= first.TS {
			answered = i
		}
	}
	if answered < 0 {
		return // timestamps out of order: no honest answer
	}
	if first.HasTS && answered > 0 {
		for _, s := range syns[:answered] {
			if s.HasTS && s.TSVal == first.TSEcr && syns[answered].TSVal != first.TSEcr {
				h.RTTAmbiguous = true
			}
		}
	}
	synTS := syns[answered].TS
	synack := first
	for _, a := range acks {
		if a.TS >= synTS {
			synack = a
			break
		}
	}
	leg1 := synack.TS - synTS
	h.SynSynackMS = ptr(ms(leg1))
	if !hs.HasACK {
		return
	}
	last := synack
	for _, a := range acks {
		if a.TS <= hs.ACKTS {
			last = a
		}
	}
	leg2 := hs.ACKTS - last.TS
	total := hs.ACKTS - synTS
	h.SynackAckMS = ptr(ms(leg2))
	h.RTTms = ptr(ms(total))
	switch {
	case total <= 0:
	case leg2*10 < total:
		h.CapturePoint = ptr(PointClient)
	case leg1*10 < total:
		h.CapturePoint = ptr(PointServer)
	default:
		h.CapturePoint = ptr(PointMiddle)
	}
}
