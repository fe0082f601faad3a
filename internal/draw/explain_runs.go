package draw

import (
	"fmt"
	"html"
	"slices"
	"strconv"

	"github.com/synfin/synfin/analyze/evidence"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/msg"
)

// Runs of data: consecutive data segments and their ACKs told as one item, with each side's bytes, retransmissions and data RTT.

// run is a stretch of packets told as one item: data and the plain ACKs
// between, or plain ACKs alone, or what still came after an RST.
type run struct {
	entries    []*evidence.Entry
	steps      []*ladder.Step
	dataPkts   int
	acks       [2]int // plain ACKs by sender
	dupAcks    int
	bytes      [2]int
	largest    int
	copies     int
	halfClose  bool
	closer     flows.Dir // with halfClose: the side whose FIN came before
	afterReset bool
	lastAck    *ladder.Step
	ackedBy    [2]int // ACKs that acknowledged new data, by sender
	dataFrom   [2]int // segments with data, by sender
	timerRetx  bool   // retransmissions by a timer, one side, nothing else between
	zeroAgain  int    // ACKs repeating a zero window
	intoZero   int    // data segments sent while the other side's window was zero
}

// ackAdvance is how far the acknowledgements side d sends advance over a
// run (raw numbers: the other side's ISN may be unknown).
func ackAdvance(r *run, d flows.Dir) uint32 {
	var first, last uint32
	seen := false
	for _, s := range r.steps {
		if s.Dir != d || s.Flags&flows.FlagACK == 0 {
			continue
		}
		if !seen {
			first, seen = s.Ack, true
		}
		last = s.Ack
	}
	if !seen || int32(last-first) <= 0 {
		return 0
	}
	return last - first
}

// isTimerRetx reports whether e is a retransmission no packet before it
// triggered: a timer's.
func isTimerRetx(e *evidence.Entry) bool {
	return e.Kind == evidence.Retransmission && e.Retx == evidence.RetxTimer && e.Since > 0
}

func (r *run) add(e *evidence.Entry, s *ladder.Step) {
	r.entries = append(r.entries, e)
	r.steps = append(r.steps, s)
	r.afterReset = e.AfterReset
	switch {
	case e.Kind == evidence.Copy:
		r.copies++
		return
	case s.Len > 0:
		r.dataPkts++
		r.bytes[s.Dir] += s.Len
		r.dataFrom[s.Dir]++
		r.largest = max(r.largest, s.Len)
	case e.Kind == evidence.DupAck:
		r.dupAcks++
		r.acks[s.Dir]++
	default:
		r.acks[s.Dir]++
	}
	if s.Flags&flows.FlagACK != 0 {
		r.lastAck = s
		if e.AckedBytes > 0 {
			r.ackedBy[s.Dir]++
		}
	}
}

func (r *run) empty() bool { return len(r.steps) == 0 }

func (wk *walk) ms(ts int64) string {
	return strconv.FormatFloat(float64(ts-wk.l.FirstTS)/1e6, 'f', 3, 64)
}

// folds says whether a packet is told within a run rather than alone: data
// and plain ACKs of the data phase and of a half-close, ACKs alone, and
// whatever came after an RST.
func (wk *walk) folds(e *evidence.Entry, s *ladder.Step) bool {
	if !wk.run.empty() && wk.run.afterReset != e.AfterReset {
		return false // an RST ends a run
	}
	if e.AfterReset && s.Flags&(flows.FlagSYN|flows.FlagFIN|flows.FlagRST) == 0 {
		return true
	}
	if e.AcksSYN || e.AcksFIN {
		return false // the end of a handshake or the ACK of a FIN: told
	}
	switch e.Kind {
	case evidence.Data, evidence.Ack, evidence.DupAck:
		if e.Kind == evidence.Data && (wk.fins[s.Dir] != nil || e.Early) {
			return false // data after its own FIN, or before the handshake: told
		}
		return true
	case evidence.WindowUpdate:
		return wk.zeroWin[s.Dir] == 0 // one that reopens a zero window is told
	case evidence.ZeroWindow:
		return wk.zeroWin[s.Dir] != 0 // the window still zero: folded, counted
	case evidence.Retransmission:
		// A timer firing again and again is told once, with its intervals.
		return isTimerRetx(e) && (wk.run.empty() || !wk.run.timerRetx || wk.run.steps[0].Dir == s.Dir)
	case evidence.Copy:
		return !wk.run.empty() && s.Flags&(flows.FlagSYN|flows.FlagFIN|flows.FlagRST) == 0
	}
	return false
}

// startRun notes whether a run begins after one side's FIN (a
// half-close: the other side still sends) or after an RST.
func (wk *walk) startRun(e *evidence.Entry) {
	c, sv := wk.fins[flows.DirClient], wk.fins[flows.DirServer]
	switch {
	case e.AfterReset:
	case c != nil && sv == nil:
		wk.run.halfClose, wk.run.closer = true, flows.DirClient
	case sv != nil && c == nil:
		wk.run.halfClose, wk.run.closer = true, flows.DirServer
	}
}

// flushRun writes the run so far as one item.
func (wk *walk) flushRun() {
	r := &wk.run
	if r.empty() {
		return
	}
	defer func() { *r = run{} }()
	if len(r.steps) == 1 && !r.afterReset && r.copies == 0 || r.timerRetx && len(r.steps) < 3 {
		for i, s := range r.steps {
			wk.item(s, wk.sentence(r.entries[i], s))
			wk.last[s.Dir] = s
		}
		return
	}
	first, last := r.steps[0], r.steps[len(r.steps)-1]
	for _, s := range r.steps {
		wk.last[s.Dir] = s
	}
	text := wk.runText(r)
	wk.n++
	firstMS, lastMS := wk.ms(first.TS), wk.ms(last.TS)
	span := firstMS + "–" + lastMS
	if firstMS == lastMS {
		span = firstMS
	}
	when := wk.lang.F("explain.frames", first.Frame, last.Frame, span)
	if first.Frame == last.Frame {
		when = wk.lang.F("explain.frame", first.Frame, span)
	}
	switch wk.form {
	case HTML:
		fmt.Fprintf(wk.w, "<li><b>%s</b> — %s</li>\n", when, html.EscapeString(text))
	case Markdown, MarkdownSection:
		fmt.Fprintf(wk.w, "%d. **%s** — %s\n", wk.n, when, text)
	default:
		fmt.Fprintf(wk.w, "%2d. [%s]\n    %s\n", wk.n, when, wrapText(text, wk.textWidth(), "    "))
	}
}

// runText tells a run: what still came after an RST; a half-close's data;
// the data phase, with its acknowledgements; or acknowledgements alone.
func (wk *walk) runText(r *run) string {
	c, sv := flows.DirClient, flows.DirServer
	pkts := len(r.steps) - r.copies
	var text string
	switch {
	case r.timerRetx:
		d := r.steps[0].Dir
		text := wk.lang.F("explain.retx.timers", who(wk.lang, d), len(r.steps), r.steps[0].Frame, r.steps[len(r.steps)-1].Frame, who(wk.lang, d.Other()))
		// The same bytes sent again after longer and longer waits: the
		// timer backing off.
		var waits []string
		prev, growing, last := r.steps[0].TS, true, int64(0)
		for _, st := range r.steps[1:] {
			if st.Seq != r.steps[0].Seq {
				continue
			}
			w := st.TS - prev
			growing = growing && w > last
			waits, prev, last = append(waits, ms2(w)), st.TS, w
		}
		if len(waits) >= 2 && growing {
			text += wk.sep + wk.lang.F("explain.retx.backoff", msg.List(waits))
		}
		return text
	case r.afterReset && pkts == 1:
		return wk.lang.F("explain.afterreset.one", who(wk.lang, r.steps[0].Dir))
	case r.afterReset && r.dataPkts > 0:
		text = wk.lang.F("explain.afterreset.data", pkts, r.bytes[c], r.bytes[sv])
	case r.afterReset:
		text = wk.lang.F("explain.afterreset", pkts)
	case r.halfClose && r.dataPkts > 0 && wk.aborts(r.closer):
		// The closer answers this data with RST below: it had called
		// close(), not shutdown(), so no half-close was meant.
		text = wk.lang.F("explain.data.afterfin", who(wk.lang, r.closer), who(wk.lang, r.closer.Other()), pkts, r.bytes[r.closer.Other()])
	case r.halfClose && r.dataPkts > 0:
		text = wk.lang.F("explain.data.halfclose", who(wk.lang, r.closer), pkts, r.bytes[c], r.bytes[sv])
		if r.ackedBy[r.closer] > 0 {
			// The closer acknowledges the data: after close() its stack
			// would have answered with RST.
			text += wk.sep + wk.lang.F("explain.data.halfclose.shut", who(wk.lang, r.closer))
		}
	case r.dataPkts > 0:
		text = wk.lang.F("explain.data", r.dataPkts, r.acks[c]+r.acks[sv], r.bytes[c], r.bytes[sv], r.largest)
		var rttParts msg.List
		for _, d := range []flows.Dir{c, sv} {
			// Each data segment's RTT, to the ACK of its last byte.
			var rtts []int64
			far := false
			for _, st := range r.steps {
				if f := wk.facts[st.Frame]; st.Dir == d && st.Len > 0 && f.hasRTT {
					rtts = append(rtts, f.rtt)
					far = f.far
				}
			}
			// Seen beside the receiver, a segment's "RTT" is mostly
			// the receiver's time to acknowledge: said so.
			one, many := "explain.data.rtt.one", "explain.data.rtt.many"
			if far {
				one, many = "explain.data.far.one", "explain.data.far.many"
			}
			switch slices.Sort(rtts); len(rtts) {
			case 0:
			case 1:
				rttParts = append(rttParts, wk.lang.F(one, who(wk.lang, d), ms2(rtts[0]), who(wk.lang, 1-d)))
			default:
				rttParts = append(rttParts, wk.lang.F(many, who(wk.lang, d), ms2(rtts[0]), ms2(rtts[len(rtts)-1]), ms2(rtts[len(rtts)/2]), len(rtts), who(wk.lang, 1-d)))
			}
		}
		if len(rttParts) > 0 {
			text += wk.sep + wk.lang.F("explain.data.rtt", rttParts)
		}
		for _, d := range []flows.Dir{c, sv} {
			// A side absent from the capture: what the other acknowledges
			// of it is all the packets show.
			if wk.tl.Absent[d] {
				if adv := ackAdvance(r, d.Other()); adv > 0 {
					text += wk.sep + wk.lang.F("explain.data.absentside", who(wk.lang, d), who(wk.lang, d.Other()), adv)
				}
			}
		}
		for _, d := range []flows.Dir{c, sv} {
			// Delayed ACKs: most ACKs of new data acknowledge exactly two
			// full segments of the other side (RFC 9293 §3.8.6.3).
			two := 0
			for _, e := range r.entries {
				if e.Dir == d && r.largest > 0 && int(e.AckedBytes) == 2*r.largest {
					two++
				}
			}
			if a := r.ackedBy[d]; a >= 4 && two*2 >= a {
				text += wk.sep + wk.lang.F("explain.data.delayed", who(wk.lang, d), two, a, 2*r.largest)
			}
		}
	default:
		text = wk.lang.F("explain.acks", pkts, r.acks[c], r.acks[sv])
		if r.lastAck != nil && r.lastAck.RelAckOK {
			text += wk.sep + wk.lang.F("explain.acks.upto", who(wk.lang, r.lastAck.Dir), r.lastAck.RelAck)
		}
	}
	if r.dupAcks > 0 && !r.afterReset {
		text += wk.sep + wk.lang.F("explain.data.dupacks", r.dupAcks)
	}
	if r.zeroAgain > 0 {
		text += wk.sep + wk.lang.F("explain.data.zeroagain", r.zeroAgain)
	}
	if r.intoZero > 0 {
		text += wk.sep + wk.lang.F("explain.data.intozero", r.intoZero)
	}
	if r.copies > 0 {
		text += wk.sep + wk.lang.F("explain.data.dup", r.copies)
	}
	return text
}
