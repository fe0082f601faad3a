package draw

import (
	"strconv"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/evidence"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/table"
)

// The opening: SYN, SYN-ACK and the handshake's ACK, with what they offered and agreed.

func (wk *walk) syn(e *evidence.Entry, s *ladder.Step) string {
	me := s.Dir
	prev := wk.syns[me]
	wk.syns[me] = s
	if wk.firstSYN[me] == nil {
		wk.firstSYN[me] = s
	}
	var text string
	switch {
	case e.Kind == evidence.SYN && wk.tl.Simultaneous && wk.syns[me.Other()] != nil:
		text = wk.lang.F("explain.syn.simultaneous", who(wk.lang, me), s.Seq)
	case e.Kind == evidence.SYN && wk.probe && me == flows.DirClient:
		text = wk.lang.F("explain.syn.probe", s.Seq) + offers(wk.lang, s.Options)
	case e.Kind == evidence.SYN && me == flows.DirClient:
		text = wk.lang.F("explain.syn", s.Seq) + offers(wk.lang, s.Options)
	case e.Kind == evidence.SYN:
		text = wk.lang.F("explain.syn.fromserver", s.Seq) + offers(wk.lang, s.Options)
	case e.AfterRST && e.Kind == evidence.SYNAgain:
		text = wk.lang.F("explain.syn.afterrst", ms2(s.TS-wk.lastRST(s.TS)), ms2(e.Since))
	case e.AfterRST:
		text = wk.lang.F("explain.syn.afterrst.new", s.Seq, ms2(s.TS-wk.lastRST(s.TS)))
	case e.Kind == evidence.SYNAgain && e.Since < 100e6:
		// Sooner than any retransmission timer: RFC 6298 starts at 1 s,
		// and no stack waits less than about 200 ms.
		text = wk.lang.F("explain.syn.again.soon", ms2(e.Since))
	case e.Kind == evidence.SYNAgain && wk.syns[me.Other()] != nil:
		// The capture holds the other side's SYN-ACK: it was sent, but
		// had not reached this side, whose timer fired.
		text = wk.lang.F("explain.syn.again.lost", ms2(e.Since), wk.syns[me.Other()].Frame)
	case e.Kind == evidence.SYNAgain:
		text = wk.lang.F("explain.syn.again", ms2(e.Since))
		if first := wk.firstSYN[me]; first != nil && first != prev {
			text += wk.sep + wk.lang.F("explain.syn.again.total", ms2(s.TS-first.TS))
		}
	default:
		text = wk.lang.F("explain.syn.new", s.Seq, ms2(e.Since))
	}
	if e.SYNData > 0 {
		key := "explain.syn.data.notfo"
		for _, o := range s.Options {
			if o.Kind == ladder.OfferTFORequest || o.Kind == ladder.OfferTFOCookie {
				key = "explain.syn.data"
			}
		}
		text += wk.sep + wk.lang.F(key, e.SYNData)
	}
	if e.Kind == evidence.SYN && me == flows.DirClient {
		text += wk.reuse(s)
	}
	return text
}

func (wk *walk) synack(e *evidence.Entry, s *ladder.Step) string {
	me, other := s.Dir, s.Dir.Other()
	peer := wk.syns[other]
	if e.Kind == evidence.SYNACKAgain {
		if peer != nil && wk.syns[me] != nil && peer.TS > wk.syns[me].TS {
			return wk.lang.F("explain.synack.answer", ms2(e.Since))
		}
		if wk.tl.Absent[other] {
			return wk.lang.F("explain.synack.again.unseen", ms2(e.Since), who(wk.lang, other))
		}
		return wk.lang.F("explain.synack.again", ms2(e.Since))
	}
	wk.syns[me] = s
	if wk.tl.Simultaneous {
		return wk.lang.F("explain.synack.simultaneous", who(wk.lang, me), s.Seq, s.Ack, who(wk.lang, other), e.States[me].String()) + offers(wk.lang, s.Options)
	}
	peerISN := s.Ack - 1
	if peer != nil {
		peerISN = peer.Seq
	}
	var text string
	switch {
	case e.SYNData > 0 && e.SYNDataAcked:
		text = wk.lang.F("explain.synack.tfo", s.Seq, s.Ack, 1+e.SYNData, peerISN, e.SYNData)
	case e.SYNData > 0:
		text = wk.lang.F("explain.synack", s.Seq, s.Ack, peerISN) + wk.sep + wk.lang.F("explain.synack.tfo.refused", e.SYNData)
	default:
		text = wk.lang.F("explain.synack", s.Seq, s.Ack, peerISN)
	}
	if peer != nil {
		if cp := wk.r.Handshake.CapturePoint; cp != nil && *cp == analyze.PointServer {
			text += wk.sep + wk.lang.F("explain.synack.left", ms2(s.TS-peer.TS))
		} else {
			text += wk.sep + wk.lang.F("explain.synack.after", ms2(s.TS-peer.TS))
		}
	}
	return text + offers(wk.lang, s.Options)
}

// handshakeACK tells the ACK that completes the handshake, with its timing
// and what each side may now send.
func (wk *walk) handshakeACK(e *evidence.Entry, s *ladder.Step) string {
	h := &wk.r.Handshake
	peer := wk.syns[s.Dir.Other()]
	isn := s.Ack - 1
	if peer != nil {
		isn = peer.Seq
	}
	if s.Dir != flows.DirClient || wk.tl.Simultaneous {
		return wk.lang.F("explain.ack.synack", who(wk.lang, s.Dir), s.Ack, isn)
	}
	text := wk.lang.F("explain.ack", s.Ack, isn)
	told := wk.ctx.Told
	switch {
	case wk.ackLost(s):
		// The server sends its SYN-ACK again below: this ACK did not
		// reach it.
		text += wk.sep + wk.lang.T("explain.established.lost")
	case told != nil && told.Handshake && h.RTTms != nil:
		// Told whole above: what differs is the timing.
		text += wk.sep + wk.lang.F("explain.established.brief", table.MS(h.RTTms), told.Conn)
	case h.RTTms != nil && wk.synDataTaken():
		text += wk.sep + wk.lang.F("explain.established.tfo", table.MS(h.RTTms))
	case h.RTTms != nil && h.SetupMS != nil && *h.SetupMS > *h.RTTms:
		text += wk.sep + wk.lang.F("explain.established.retx", table.MS(h.RTTms), table.MS(h.SetupMS))
	case h.RTTms != nil:
		text += wk.sep + wk.lang.F("explain.established", table.MS(h.RTTms))
	}
	if h.CapturePoint != nil && h.SynSynackMS != nil && (told == nil || !told.Handshake) && !wk.ackLost(s) {
		text += wk.sep + wk.lang.T("explain.point."+string(*h.CapturePoint))
	}
	if told != nil && !told.Handshake {
		told.Handshake, told.Conn = true, wk.l.Conn
	}
	if neg := wk.negotiated(); neg != "" {
		text += wk.sep + neg
	}
	if sc := wk.scaledWindow(s); sc != "" {
		text += wk.sep + sc
	}
	if s.Len > 0 {
		text += wk.sep + wk.lang.F("explain.ack.data", s.Len)
	}
	return text
}

// negotiated says what each side may send after the handshake: MSS is no
// negotiation, each side tells the largest segment it accepts (RFC 9293
// §3.7.1), 536 when it gave none; window scaling, SACK and timestamps
// hold only when both offered them.
func (wk *walk) negotiated() string {
	h := &wk.r.Handshake
	n := h.Negotiated
	if n == nil || h.SynOptions == nil || h.SynackOptions == nil {
		return ""
	}
	if h.SynOptions.MSS == nil && h.SynackOptions.MSS == nil {
		mssText := wk.lang.T("explain.mss.neither")
		ws := wk.lang.T("explain.neg.nows")
		if n.WScaleClient != nil && n.WScaleServer != nil {
			ws = wk.lang.F("explain.neg.ws", *n.WScaleClient, *n.WScaleServer)
		}
		return mssText + wk.sep + wk.lang.F("explain.negotiated", ws, yesNo(wk.lang, n.Sack), yesNo(wk.lang, n.Timestamps))
	}
	mss := func(o *analyze.Options, d flows.Dir) string {
		if o.MSS == nil {
			return wk.lang.F("explain.mss.none", who(wk.lang, d))
		}
		return strconv.Itoa(int(*o.MSS))
	}
	ws := wk.lang.T("explain.neg.nows")
	if n.WScaleClient != nil && n.WScaleServer != nil {
		ws = wk.lang.F("explain.neg.ws", *n.WScaleClient, *n.WScaleServer)
	}
	// The client sends segments up to the server's MSS, and the server up
	// to the client's.
	return wk.lang.F("explain.mss", mss(h.SynackOptions, flows.DirServer), mss(h.SynOptions, flows.DirClient)) + wk.sep +
		wk.lang.F("explain.negotiated", ws, yesNo(wk.lang, n.Sack), yesNo(wk.lang, n.Timestamps))
}

// scaledWindow explains the first window after the handshake when window
// scaling is on: the SYN's window is never scaled (RFC 7323 §2.2), so the
// number "drops", and what it means once scaled.
func (wk *walk) scaledWindow(s *ladder.Step) string {
	n := wk.r.Handshake.Negotiated
	if n == nil || n.WScaleClient == nil || n.WScaleServer == nil || *n.WScaleClient == 0 {
		return ""
	}
	shift := *n.WScaleClient
	syn := wk.firstSYN[flows.DirClient]
	if syn == nil || int(s.Window)<<shift == int(syn.Window) {
		return ""
	}
	return wk.lang.F("explain.window.scaled", int(syn.Window), int(s.Window), 1<<shift, int(s.Window)<<shift)
}

// reuse says, of a connection's first SYN, that the 4-tuple carried a
// connection before, and who is still in TIME-WAIT for it.
func (wk *walk) reuse(s *ladder.Step) string {
	e, ok := wk.ctx.before(wk.l, s.TS)
	if !ok {
		return ""
	}
	gap := s.TS - int64(e.Last)
	text := wk.sep + wk.lang.F("explain.reuse", e.Conn, ms2(gap))
	if gap >= 60e9 || e.Kind == analyze.TeardownReset || e.Kind == analyze.TeardownOpen {
		return text // no TIME-WAIT left, or none kept
	}
	switch e.Closer {
	case analyze.CloserServer:
		key := "explain.reuse.timewait"
		if int32(s.Seq-e.ClientEnd) <= 0 {
			key = "explain.reuse.timewait.ts"
		}
		text += wk.sep + wk.lang.F(key, who(wk.lang, flows.DirServer), e.Conn, s.Seq, e.ClientEnd)
	case analyze.CloserClient:
		text += wk.sep + wk.lang.F("explain.reuse.clientwait", e.Conn)
	}
	return text
}

// synDataTaken reports whether the server's SYN-ACK took the data of the
// client's SYN (TCP Fast Open).
func (wk *walk) synDataTaken() bool {
	for _, e := range wk.tl.Entries {
		if e.Kind == evidence.SYNACK && e.SYNDataAcked {
			return true
		}
	}
	return false
}

// synAfter reports whether the client sends another SYN after s.
func (wk *walk) synAfter(s *ladder.Step) bool {
	for i := range wk.l.Steps {
		x := &wk.l.Steps[i]
		if x.TS > s.TS && x.Dir == flows.DirClient && x.Flags&flows.FlagSYN != 0 {
			return true
		}
	}
	return false
}
