package draw

import (
	"fmt"
	"html"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/evidence"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/cmd/synfin/internal/msg"
	"github.com/synfin/synfin/cmd/synfin/internal/table"
	"github.com/synfin/synfin/cmd/synfin/internal/tty"
	"github.com/synfin/synfin/flows"
)

// Form is how a walkthrough is written.
type Form uint8

const (
	PlainText       Form = iota // numbered paragraphs for a terminal, under a title
	Markdown                    // a numbered list under a "###" heading, to paste into a report
	MarkdownSection             // the list alone, under a report's own heading
	HTML                        // an ordered list, for the HTML report, with no heading of its own
)

// Explain writes a numbered walkthrough of one connection: a sentence or
// two per packet of the opening and the closing, and the data phase told
// by what a teacher would point at (zero windows and their probes,
// keep-alives, retransmissions and what triggered them, arrivals out of
// order), the rest summed up. Every sentence is built from the
// connection's evidence timeline (package evidence): a cause is stated
// only where the packets single it out, and each side's RFC 9293 state
// follows only what it sent or received.
func Explain(w io.Writer, l *ladder.Ladder, r *analyze.Record, lang msg.Lang, form Form, ctx Context) {
	tl := evidence.Build(l)
	wk := &walk{w: w, l: l, r: r, tl: tl, facts: evidenceOf(l, r), lang: lang, form: form, note: ctx.Note, ctx: ctx, sep: sentenceSep(lang), probe: isProbe(l)}
	wk.heading()
	wk.partial()
	for i := range tl.Entries {
		e := &tl.Entries[i]
		s := &l.Steps[e.Step]
		if wk.folds(e, s) {
			if e.Kind == evidence.ZeroWindow {
				wk.run.zeroAgain++
			}
			if s.Len > 0 && wk.zeroWin[s.Dir.Other()] != 0 {
				wk.run.intoZero++
			}
			if !wk.run.empty() && wk.run.timerRetx != isTimerRetx(e) {
				wk.flushRun() // a timer's retransmissions are a run of their own
			}
			if wk.run.empty() {
				wk.startRun(e)
				wk.run.timerRetx = isTimerRetx(e)
			}
			wk.run.add(e, s)
			continue
		}
		wk.flushRun()
		wk.item(s, wk.sentence(e, s))
		wk.last[s.Dir] = s
	}
	wk.flushRun()
	if l.Dropped > 0 && len(l.Steps) > 0 {
		wk.truncated()
	}
	wk.footer()
}

// truncated says where the walkthrough stops when the ladder kept only
// the first ladder.MaxSteps packets.
func (wk *walk) truncated() {
	text := wk.lang.F("explain.truncated", wk.l.Steps[len(wk.l.Steps)-1].Frame, wk.l.Dropped, ladder.MaxSteps)
	switch wk.form {
	case HTML:
		fmt.Fprintf(wk.w, "<li><i>%s</i></li>\n", html.EscapeString(text))
	case Markdown, MarkdownSection:
		fmt.Fprintf(wk.w, "\n*%s*\n", text)
	default:
		fmt.Fprintf(wk.w, "\n%s\n", wrapText(text, wk.textWidth()+4, ""))
	}
}

// walk is one walkthrough being written.
type walk struct {
	w     io.Writer
	l     *ladder.Ladder
	r     *analyze.Record
	tl    *evidence.Timeline
	facts map[int]packetFacts // each packet's RTT, by frame
	lang  msg.Lang
	form  Form
	note  func(*ladder.Step) string
	ctx   Context
	sep   string // between sentences
	// probe: the client answered the SYN-ACK with RST, with no ACK or data
	// before: its SYN had no socket behind it (a SYN scan).
	probe bool

	n        int             // items written
	syns     [2]*ladder.Step // each side's latest SYN
	firstSYN [2]*ladder.Step
	fins     [2]*ladder.Step // each side's first FIN
	zeroWin  [2]int64        // when each side advertised a zero window, while it lasts
	last     [2]*ladder.Step
	run      run
}

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

func (wk *walk) heading() {
	head := wk.lang.F("ladder.title", wk.l.Conn, wk.l.Client, wk.l.Server)
	switch wk.form {
	case HTML:
		fmt.Fprint(wk.w, "<ol class=\"explain\">\n")
	case Markdown:
		fmt.Fprintf(wk.w, "### %s\n\n", tty.MarkdownSafe(head))
	case MarkdownSection:
	default:
		fmt.Fprintf(wk.w, "%s\n\n", titleLines(wk.lang, wk.l, wk.ctx.Width))
	}
}

// partial says once, before the packets, that the capture misses a
// direction: what follows then tells only what the captured side proves.
func (wk *walk) partial() {
	var text string
	for _, d := range []flows.Dir{flows.DirClient, flows.DirServer} {
		o := d.Other()
		switch {
		case wk.tl.Absent[o] && !wk.tl.Absent[d] && wk.tl.Acking[d]:
			// Only an ACK of d proves o sent anything: a lone SYN is no
			// missing direction.
			text = wk.lang.F("explain.absent", who(wk.lang, d), who(wk.lang, o), who(wk.lang, d))
		case wk.tl.Unseen[o] > 0 && !wk.tl.Absent[o]:
			text = wk.lang.F("explain.unseen", who(wk.lang, d), wk.tl.Unseen[o], who(wk.lang, o))
		}
		if text != "" {
			break
		}
	}
	if wk.tl.MidStream {
		mid := wk.lang.T("explain.midstream")
		if text != "" {
			text = mid + wk.sep + text
		} else {
			text = mid
		}
	}
	if text == "" {
		return
	}
	switch wk.form {
	case HTML:
		fmt.Fprintf(wk.w, "<li><i>%s</i></li>\n", html.EscapeString(text))
	case Markdown, MarkdownSection:
		fmt.Fprintf(wk.w, "*%s*\n\n", text)
	default:
		fmt.Fprintf(wk.w, "%s\n\n", wrapText(text, wk.textWidth()+4, ""))
	}
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

// item writes one packet's sentences.
func (wk *walk) item(s *ladder.Step, text string) {
	wk.n++
	if wk.note != nil {
		if by := wk.note(s); by != "" {
			text = "[" + by + "] " + text
		}
	}
	from, to := who(wk.lang, s.Dir), who(wk.lang, s.Dir.Other())
	// The frame number is Wireshark's "No.", so a student can find the
	// packet in the capture.
	when := wk.lang.F("explain.frame", s.Frame, wk.ms(s.TS))
	switch wk.form {
	case HTML:
		fmt.Fprintf(wk.w, "<li><b>%s</b> — %s</li>\n", html.EscapeString(wk.lang.F("explain.head", when, from, to, ladder.FlagNames(s.Flags))), html.EscapeString(text))
	case Markdown, MarkdownSection:
		fmt.Fprintf(wk.w, "%d. **%s** — %s\n", wk.n, wk.lang.F("explain.head", when, from, to, ladder.FlagNames(s.Flags)), text)
	default:
		fmt.Fprintf(wk.w, "%2d. [%s] %s → %s  %s\n    %s\n", wk.n, when, from, to, ladder.FlagNames(s.Flags), wrapText(text, wk.textWidth(), "    "))
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

// sentence says what one packet proves.
func (wk *walk) sentence(e *evidence.Entry, s *ladder.Step) string {
	me, other := s.Dir, s.Dir.Other()
	switch e.Kind {
	case evidence.Copy:
		return wk.copyText(e)
	case evidence.SYN, evidence.SYNAgain, evidence.SYNNew:
		return wk.syn(e, s)
	case evidence.SYNACK, evidence.SYNACKAgain:
		return wk.synack(e, s)
	case evidence.RST:
		return wk.rst(e, s)
	case evidence.HandshakeACK:
		return wk.handshakeACK(e, s)
	case evidence.FIN, evidence.FINAgain:
		return wk.fin(e, s)
	case evidence.FINAck:
		return wk.finACK(e, s)
	case evidence.Retransmission:
		return wk.retx(e, s)
	case evidence.OutOfOrder:
		return wk.lang.F("explain.ooo", s.Len, who(wk.lang, me))
	case evidence.KeepAlive:
		idle := ""
		if p := wk.last[me]; p != nil {
			idle = ms2(s.TS - p.TS)
		}
		what := wk.lang.T("explain.keepalive.none")
		if s.Len > 0 {
			what = wk.lang.T("explain.keepalive.byte")
		}
		return wk.lang.F("explain.keepalive", who(wk.lang, me), idle, what)
	case evidence.ZeroWindow:
		wk.zeroWin[me] = s.TS
		return wk.lang.F("explain.zerowindow", who(wk.lang, me), who(wk.lang, other))
	case evidence.ZeroWindowProbe:
		since := ""
		if t := wk.zeroWin[other]; t != 0 {
			since = ms2(s.TS - t)
		}
		return wk.lang.F("explain.zwprobe", who(wk.lang, me), since)
	case evidence.WindowUpdate:
		if t := wk.zeroWin[me]; t != 0 {
			wk.zeroWin[me] = 0
			return wk.lang.F("explain.window.open", who(wk.lang, me), int(s.Window), ms2(s.TS-t), who(wk.lang, other))
		}
		return wk.lang.F("explain.window.update", who(wk.lang, me), int(s.Window))
	}
	if e.Early {
		return wk.lang.F("explain.data.early", who(wk.lang, me), s.Len)
	}
	if s.Len > 0 && wk.fins[me] != nil {
		return wk.lang.F("explain.data.afterownfin", who(wk.lang, me), s.Len)
	}
	if s.Len > 0 && wk.fins[other] != nil {
		return wk.lang.F("explain.teardown.data", who(wk.lang, me), s.Len)
	}
	if s.Len > 0 {
		return wk.lang.F("explain.segment", who(wk.lang, me), s.Len)
	}
	if ka := wk.last[other]; ka != nil && wk.keepAlive(ka) {
		return wk.lang.F("explain.keepalive.ack", who(wk.lang, me))
	}
	if s.Flags&flows.FlagACK != 0 && s.RelAckOK {
		return wk.lang.F("explain.ack.upto", who(wk.lang, me), who(wk.lang, other), s.RelAck)
	}
	return wk.lang.T("explain.plain.ack")
}

// copyText tells a packet the capture holds twice, by its evidence.
func (wk *walk) copyText(e *evidence.Entry) string {
	if e.Copy == evidence.CopyByID {
		return wk.lang.F("explain.dup", ms2(e.Since))
	}
	return wk.lang.F("explain.dup.noid", ms2(e.Since))
}

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

// rst tells an RST by what the packets before it single out, and whether
// its receiver could accept it.
func (wk *walk) rst(e *evidence.Entry, s *ladder.Step) string {
	text := wk.rstCause(e, s)
	if e.BelowWindow && e.RST != evidence.RSTAfterRST {
		text += wk.sep + wk.lang.F("explain.rst.below", s.Seq-wk.isnOf(s.Dir), who(wk.lang, s.Dir.Other()))
	}
	return text
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

// retx tells a retransmission by what came before it.
func (wk *walk) retx(e *evidence.Entry, s *ladder.Step) string {
	me, other := s.Dir, s.Dir.Other()
	if e.Spurious {
		return wk.lang.F("explain.retx.spurious", who(wk.lang, me), s.Len, who(wk.lang, other))
	}
	switch e.Retx {
	case evidence.RetxDupAcks:
		if e.Since <= 0 {
			return wk.lang.F("explain.retx.unseen", who(wk.lang, me), s.Len)
		}
		return wk.lang.F("explain.retx.dupacks", who(wk.lang, me), s.Len, who(wk.lang, other), ms2(e.Since))
	case evidence.RetxSACK:
		if e.Since <= 0 {
			return wk.lang.F("explain.retx.unseen", who(wk.lang, me), s.Len)
		}
		return wk.lang.F("explain.retx.sack", who(wk.lang, me), s.Len, who(wk.lang, other), ms2(e.Since))
	}
	if e.Since > 0 {
		return wk.lang.F("explain.retx.timer", who(wk.lang, me), s.Len, ms2(e.Since))
	}
	return wk.lang.F("explain.retx.unseen", who(wk.lang, me), s.Len)
}

// footer closes the list and, in text and Markdown, sums the connection up.
func (wk *walk) footer() {
	if wk.form == HTML {
		fmt.Fprint(wk.w, "</ol>\n")
		return
	}
	fmt.Fprintln(wk.w)
	for _, line := range Facts(wk.l, wk.r, wk.lang) {
		if wk.form == Markdown || wk.form == MarkdownSection {
			fmt.Fprintf(wk.w, "%s\n\n", strings.TrimSpace(line))
		} else {
			// A fact's continuation lines keep its own indent.
			indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
			fmt.Fprintln(wk.w, indent+wrapText(strings.TrimSpace(line), wk.textWidth()+4-len(indent), indent))
		}
	}
}

// sentenceSep goes between sentences: a space, none in Chinese.
func sentenceSep(lang msg.Lang) string {
	if lang == msg.ZH {
		return ""
	}
	return " "
}

// who names the sender d: the client or the server.
func who(lang msg.Lang, d flows.Dir) string {
	if d == flows.DirClient {
		return lang.T("ladder.client")
	}
	return lang.T("ladder.server")
}

// Who names one end of a connection in lang: the client or the server.
func Who(lang msg.Lang, d flows.Dir) string { return who(lang, d) }

func ms2(ns int64) string { return strconv.FormatFloat(float64(ns)/1e6, 'f', 3, 64) }

func portOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		return addr[i+1:]
	}
	return addr
}

// offers says in words what a SYN's or SYN-ACK's options propose.
func offers(lang msg.Lang, opts ladder.Offers) string {
	var parts []string
	for _, o := range opts {
		switch o.Kind {
		case ladder.OfferMSS:
			parts = append(parts, lang.F("explain.opt.mss", o.Value))
		case ladder.OfferWScale:
			parts = append(parts, lang.F("explain.opt.ws", o.Value, 1<<min(o.Value, 14)))
		case ladder.OfferSackPerm:
			parts = append(parts, lang.T("explain.opt.sack"))
		case ladder.OfferTimestamps:
			parts = append(parts, lang.T("explain.opt.ts"))
		case ladder.OfferTFORequest, ladder.OfferTFOCookie:
			parts = append(parts, lang.T("explain.opt.tfo"))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return sentenceSep(lang) + lang.F("explain.offers", strings.Join(parts, lang.T("explain.listsep")))
}

// negotiatedText says what the handshake settled.
func negotiatedText(lang msg.Lang, n *analyze.Negotiated) string {
	if n == nil || n.MSS == nil {
		return ""
	}
	ws := lang.T("explain.neg.nows")
	if n.WScaleClient != nil && n.WScaleServer != nil {
		ws = lang.F("explain.neg.ws", *n.WScaleClient, *n.WScaleServer)
	}
	return lang.F("explain.negotiated", *n.MSS, ws, yesNo(lang, n.Sack), yesNo(lang, n.Timestamps))
}

func yesNo(lang msg.Lang, b bool) string {
	if b {
		return lang.T("explain.yes")
	}
	return lang.T("explain.no")
}

// wrapText breaks text into lines of at most width cells, indenting the
// lines after the first. Chinese, which has no spaces, breaks between
// characters (tty.Wrap), as a Chinese typesetter breaks it.
func wrapText(text string, width int, indent string) string {
	return strings.Join(tty.Wrap(text, width), "\n"+indent)
}

// isProbe says whether a connection is a SYN scan's probe: the client's
// first packets are a SYN, the server answers SYN-ACK, and the client's
// next packet is an RST, with no ACK or data between.
func isProbe(l *ladder.Ladder) bool {
	synack := false
	for i := range l.Steps {
		s := &l.Steps[i]
		switch {
		case s.Class == flows.SegDuplicate:
		case s.Dir == flows.DirServer:
			if s.Flags&(flows.FlagSYN|flows.FlagACK) == flows.FlagSYN|flows.FlagACK {
				synack = true
			}
		case s.Flags&flows.FlagRST != 0:
			return synack && s.Flags&flows.FlagACK == 0 && s.Len == 0
		case s.Flags&(flows.FlagSYN|flows.FlagACK) != flows.FlagSYN:
			return false // an ACK or data: a socket was there
		}
	}
	return false
}

// textWidth is how wide plain text is wrapped: 92 cells and the indent of
// 4, or the terminal's width.
func (wk *walk) textWidth() int {
	if wk.ctx.Width > 0 {
		return max(40, min(92, wk.ctx.Width-5))
	}
	return 92
}
