package draw

import (
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/evidence"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/tty"
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
