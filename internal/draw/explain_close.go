package draw

import (
	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/evidence"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
)

// The closing: FINs and their ACKs, RSTs and what the packets show caused them.

func (wk *walk) fin(e *evidence.Entry, s *ladder.Step) string {
	me, other := s.Dir, s.Dir.Other()
	if e.AfterReset {
		if wk.keptAfterRST(me, s) {
			return wk.lang.F("explain.fin.afterreset.kept", who(wk.lang, me), who(wk.lang, other))
		}
		return wk.lang.F("explain.fin.afterreset", who(wk.lang, me))
	}
	if e.Kind == evidence.FINAgain {
		text := wk.lang.F("explain.fin.again", ms2(e.Since))
		switch {
		case e.AcksFIN && e.States[me] == evidence.TimeWait:
			text = wk.lang.F("explain.fin.again.acked", who(wk.lang, me), who(wk.lang, other))
		case e.AcksFIN:
			text = wk.lang.F("explain.fin.again.acks", who(wk.lang, me), who(wk.lang, other), e.States[me].String())
		}
		if s.Len > 0 {
			text += wk.sep + wk.lang.F("explain.fin.again.data", s.Len)
		}
		return text
	}
	first := wk.fins[me] == nil
	if first {
		wk.fins[me] = s
	}
	var text string
	switch {
	case !first:
		text = wk.lang.F("explain.fin.other", who(wk.lang, me))
	case wk.fins[other] == nil && wk.r.Teardown.Kind == analyze.TeardownSimultaneous:
		text = wk.lang.F("explain.fin1.crossing", who(wk.lang, me), who(wk.lang, other))
	case wk.fins[other] == nil && (wk.tl.Absent[other] || wk.tl.Unseen[other] > 0):
		// The capture misses some of the other side's packets: it cannot
		// say who closed first.
		text = wk.lang.F("explain.fin1.partial", who(wk.lang, me), who(wk.lang, other))
	case wk.fins[other] == nil:
		text = wk.lang.F("explain.fin1", who(wk.lang, me), who(wk.lang, other))
	case e.AcksFIN:
		text = wk.lang.F("explain.fin2.threeway", who(wk.lang, me), who(wk.lang, other))
	case e.States[me] == evidence.FinWait1:
		text = wk.lang.F("explain.fin.simultaneous", who(wk.lang, me))
	default:
		text = wk.lang.F("explain.fin2", who(wk.lang, me))
	}
	if s.Len > 0 {
		text += wk.sep + wk.lang.F("explain.fin.data", s.Len)
	}
	return text
}

// finACK tells the ACK of the other side's FIN, by the states it leaves.
func (wk *walk) finACK(e *evidence.Entry, s *ladder.Step) string {
	me, other := s.Dir, s.Dir.Other()
	if e.AfterReset {
		return wk.lang.F("explain.afterreset", 1)
	}
	switch e.States[me] {
	case evidence.Closing, evidence.TimeWait:
		if wk.r.Teardown.Kind == analyze.TeardownSimultaneous || e.States[me] == evidence.Closing {
			return wk.lang.F("explain.ack.simultaneous", who(wk.lang, me), who(wk.lang, other))
		}
		return wk.lang.F("explain.ack.last", who(wk.lang, me), who(wk.lang, other))
	}
	text := wk.lang.F("explain.ack.fin1", who(wk.lang, me), who(wk.lang, other))
	if s.Len > 0 {
		text += wk.sep + wk.lang.F("explain.ack.fin1.data", s.Len, who(wk.lang, me))
	}
	return text
}

// rst tells an RST by what the packets before it single out, and whether
// its receiver could accept it.
func (wk *walk) rst(e *evidence.Entry, s *ladder.Step) string {
	text := wk.rstCause(e, s)
	if e.BelowWindow && e.RST != evidence.RSTAfterRST {
		text += wk.sep + wk.lang.F("explain.rst.below", s.Seq-wk.isnOf(s.Dir), who(wk.lang, s.Dir.Other()))
	}
	return text
}

// rstCause tells what the packets before an RST single out as its reason.
func (wk *walk) rstCause(e *evidence.Entry, s *ladder.Step) string {
	me, other := s.Dir, s.Dir.Other()
	addr := wk.l.Server
	if me == flows.DirClient {
		addr = wk.l.Client
	}
	switch e.RST {
	case evidence.RSTRefused:
		// The client may try again below: connect() fails only after the
		// last RST.
		outcome := wk.lang.T("explain.refused.fails")
		if wk.synAfter(s) {
			outcome = wk.lang.T("explain.refused.retries")
		}
		if t, ok := wk.ctx.Listened[wk.l.Server]; ok && int64(t) < s.TS {
			return wk.lang.F("explain.refused.listened", s.Ack, portOf(wk.l.Server), outcome)
		}
		return wk.lang.F("explain.refused", s.Ack, portOf(wk.l.Server), outcome)
	case evidence.RSTProbe:
		return wk.lang.T("explain.rst.probe")
	case evidence.RSTHalfOpen:
		return wk.lang.F("explain.rst.halfopen", wk.r.Handshake.SynackCount)
	case evidence.RSTGiveUp:
		n, first := 0, int64(0)
		for i := range wk.l.Steps {
			st := &wk.l.Steps[i]
			if st.Dir == me && st.Flags&flows.FlagSYN != 0 && st.Class != flows.SegDuplicate {
				n++
				if first == 0 {
					first = st.TS
				}
			}
		}
		return wk.lang.F("explain.rst.giveup", who(wk.lang, me), n, ms2(s.TS-first))
	case evidence.RSTDataAfterClose:
		fin := wk.fins[me]
		since := ""
		if fin != nil {
			since = ms2(s.TS - fin.TS)
		}
		return wk.lang.F("explain.rst.dataafterclose", who(wk.lang, me), addr, since, who(wk.lang, other))
	case evidence.RSTDataAroundClose:
		return wk.lang.F("explain.rst.aroundclose", who(wk.lang, me), addr, who(wk.lang, other))
	case evidence.RSTUnreadData:
		return wk.lang.F("explain.rst.unread", who(wk.lang, me), addr, ms2(e.Since), who(wk.lang, other))
	case evidence.RSTAfterClose:
		return wk.lang.F("explain.rst.closed", who(wk.lang, me), addr)
	case evidence.RSTGiveUpRetx:
		n, first := 0, int64(0)
		for _, x := range wk.tl.Entries {
			st := &wk.l.Steps[x.Step]
			if st.TS >= s.TS {
				break
			}
			if st.Dir != me {
				n, first = 0, 0
				continue
			}
			if x.Kind == evidence.Retransmission {
				if n == 0 {
					first = st.TS
				}
				n++
			}
		}
		return wk.lang.F("explain.rst.giveupretx", who(wk.lang, me), addr, n, ms2(s.TS-first), who(wk.lang, other))
	case evidence.RSTNoConnection:
		return wk.lang.F("explain.rst.noconn", who(wk.lang, me), addr, who(wk.lang, other))
	case evidence.RSTAfterRST:
		return wk.lang.F("explain.rst.again", who(wk.lang, me))
	}
	return wk.lang.F("explain.rst", who(wk.lang, me), addr)
}

// keptAfterRST reports whether the latest RST before s came from the
// other side below d's window: d may have kept its connection.
func (wk *walk) keptAfterRST(d flows.Dir, s *ladder.Step) bool {
	kept := false
	for _, e := range wk.tl.Entries {
		st := &wk.l.Steps[e.Step]
		if st.TS > s.TS {
			break
		}
		if e.Kind == evidence.RST {
			kept = e.Dir != d && e.BelowWindow
		}
	}
	return kept
}

// aborts reports whether side d answers data after its FIN with an RST
// (evidence.RSTDataAfterClose).
func (wk *walk) aborts(d flows.Dir) bool {
	for _, e := range wk.tl.Entries {
		if e.Kind == evidence.RST && e.Dir == d && (e.RST == evidence.RSTDataAfterClose || e.RST == evidence.RSTDataAroundClose) {
			return true
		}
	}
	return false
}

// lastRST is when the latest RST before ts was sent (0 for none).
func (wk *walk) lastRST(ts int64) int64 {
	var t int64
	for i := range wk.l.Steps {
		s := &wk.l.Steps[i]
		if s.TS > ts {
			break
		}
		if s.Flags&flows.FlagRST != 0 {
			t = s.TS
		}
	}
	if t == 0 {
		return ts
	}
	return t
}

// isnOf is the sequence number relative numbers count from for side d.
func (wk *walk) isnOf(d flows.Dir) uint32 {
	for i := range wk.l.Steps {
		if st := &wk.l.Steps[i]; st.Dir == d {
			return st.Seq - st.RelSeq
		}
	}
	return 0
}

// ackLost reports whether the server sends its SYN-ACK again after the
// handshake's ACK s: the ACK never reached it.
func (wk *walk) ackLost(s *ladder.Step) bool {
	for _, e := range wk.tl.Entries {
		st := &wk.l.Steps[e.Step]
		if st.TS > s.TS && e.Kind == evidence.SYNACKAgain && st.Dir == s.Dir.Other() {
			return true
		}
	}
	return false
}

// keepAlive reports whether s was told as a keep-alive.
func (wk *walk) keepAlive(s *ladder.Step) bool {
	for _, e := range wk.tl.Entries {
		if wk.l.Steps[e.Step].Frame == s.Frame {
			return e.Kind == evidence.KeepAlive
		}
	}
	return false
}
