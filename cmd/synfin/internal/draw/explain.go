package draw

import (
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/synfin/synfin/analyze"
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

// Explain writes a numbered walkthrough of one connection's opening and
// closing: one or two sentences per packet, chosen from what the packets
// show, with the socket states of RFC 9293 each side passes through. The
// data transfer in between is summed up in one line.
func Explain(w io.Writer, l *ladder.Ladder, r *analyze.Record, lang msg.Lang, form Form, ctx Context) {
	wk := &walk{w: w, l: l, r: r, lang: lang, form: form, note: ctx.Note, ctx: ctx, sep: sentenceSep(lang), probe: isProbe(l)}
	wk.heading()
	for i := range l.Steps {
		s := &l.Steps[i]
		prev := wk.last[s.Dir]
		wk.last[s.Dir] = s
		switch {
		case wk.summed(s):
			wk.data.add(s)
		case s.Class == flows.SegDuplicate && prev != nil:
			// A copy the capture made changes nothing: the state stays,
			// and a SYN's retransmission interval is measured between
			// real transmissions.
			wk.flushData()
			wk.item(s, wk.lang.F("explain.dup", ms2(s.TS-prev.TS)))
		default:
			wk.flushData()
			wk.item(s, wk.sentence(s))
		}
	}
	wk.flushData()
	wk.footer()
}

// walk is one walkthrough being written: what the packets so far have
// shown, which decides what the next one means.
type walk struct {
	w    io.Writer
	l    *ladder.Ladder
	r    *analyze.Record
	lang msg.Lang
	form Form
	note func(*ladder.Step) string
	ctx  Context
	sep  string // between sentences
	// probe: the client answered the SYN-ACK with RST, with no ACK or data
	// before: its SYN had no socket behind it (a SYN scan).
	probe bool

	n           int          // items written
	lastSYN     *ladder.Step // the client's latest SYN
	synacks     int
	serverISN   uint32
	haveServISN bool
	haveACK     bool            // the handshake's ACK was told
	finFrom     [2]*ladder.Step // each side's first FIN
	finAcked    [2]bool         // and whether the other side acknowledged it
	last        [2]*ladder.Step // each side's latest packet
	data        dataRun
}

// dataRun is a run of data and plain ACKs, told as one item.
type dataRun struct {
	pkts        int
	bytes       [2]int // by sender
	first, last *ladder.Step
	halfClose   bool // the run is after a FIN
	retx        int
	dups        int            // capture duplicates, not counted in pkts and bytes
	steps       []*ladder.Step // all of them, to tell one by one a run after a FIN without data
	closer      flows.Dir      // with halfClose: the side whose FIN came before
}

func (d *dataRun) add(s *ladder.Step) {
	d.last = s
	d.steps = append(d.steps, s)
	if s.Class == flows.SegDuplicate {
		d.dups++
		return
	}
	d.pkts++
	d.bytes[s.Dir] += s.Len
	if s.Class == flows.SegRetx {
		d.retx++
	}
}

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

// acksFIN reports whether s acknowledges the other side's first FIN, not
// yet acknowledged.
func (wk *walk) acksFIN(s *ladder.Step) bool {
	o := s.Dir.Other()
	fin := wk.finFrom[o]
	return fin != nil && !wk.finAcked[o] && s.Flags&flows.FlagACK != 0 && s.Ack == fin.Seq+uint32(fin.Len)+1
}

// summed says whether s is summed up in a data run rather than told: data,
// and in a half-close the data and ACKs after the first FIN (but not the
// ACK of a FIN). A run starting with s notes whether it is a half-close.
func (wk *walk) summed(s *ladder.Step) bool {
	if s.Flags&(flows.FlagSYN|flows.FlagFIN|flows.FlagRST) != 0 {
		return false
	}
	if s.Phase != ladder.Data && (s.Phase != ladder.Teardown || wk.acksFIN(s)) {
		return false
	}
	if wk.data.pkts == 0 && wk.data.dups == 0 {
		wk.data.first, wk.data.halfClose = s, s.Phase == ladder.Teardown
		if wk.finFrom[flows.DirServer] != nil && wk.finFrom[flows.DirClient] == nil {
			wk.data.closer = flows.DirServer
		} else {
			wk.data.closer = flows.DirClient
		}
	}
	return true
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

// flushData writes the data run so far as one item.
func (wk *walk) flushData() {
	d := &wk.data
	if d.pkts == 0 && d.dups == 0 {
		return
	}
	if d.halfClose && d.bytes[flows.DirClient]+d.bytes[flows.DirServer] == 0 {
		// After a FIN, without data: no half-close, only ACKs, each told.
		steps := d.steps
		*d = dataRun{}
		for _, s := range steps {
			wk.item(s, wk.sentence(s))
		}
		return
	}
	wk.n++
	var text string
	if d.halfClose {
		text = wk.lang.F("explain.data.halfclose", who(wk.lang, d.closer), d.pkts, d.bytes[flows.DirClient], d.bytes[flows.DirServer])
	} else {
		text = wk.lang.F("explain.data", d.pkts, d.bytes[flows.DirClient], d.bytes[flows.DirServer])
	}
	if d.retx > 0 {
		text += wk.sep + wk.lang.F("explain.data.retx", d.retx)
	}
	if d.dups > 0 {
		text += wk.sep + wk.lang.F("explain.data.dup", d.dups)
	}
	first, last := wk.ms(d.first.TS), wk.ms(d.last.TS)
	span := first + "–" + last
	if first == last {
		span = first
	}
	when := wk.lang.F("explain.frames", d.first.Frame, d.last.Frame, span)
	if d.first.Frame == d.last.Frame {
		when = wk.lang.F("explain.frame", d.first.Frame, span)
	}
	switch wk.form {
	case HTML:
		fmt.Fprintf(wk.w, "<li><b>%s</b> — %s</li>\n", when, html.EscapeString(text))
	case Markdown, MarkdownSection:
		fmt.Fprintf(wk.w, "%d. **%s** — %s\n", wk.n, when, text)
	default:
		fmt.Fprintf(wk.w, "%2d. [%s]\n    %s\n", wk.n, when, wrapText(text, wk.textWidth(), "    "))
	}
	*d = dataRun{}
}

// sentence says what packet s did, from what the packets before it showed.
func (wk *walk) sentence(s *ladder.Step) string {
	f := s.Flags
	switch {
	case f&flows.FlagSYN != 0 && f&flows.FlagACK == 0 && s.Dir == flows.DirClient:
		return wk.syn(s)
	case f&flows.FlagSYN != 0 && f&flows.FlagACK == 0:
		return wk.lang.T("explain.syn.simultaneous")
	case f&flows.FlagSYN != 0:
		return wk.synack(s)
	case f&flows.FlagRST != 0:
		return wk.rst(s)
	case s.Phase == ladder.Handshake && f&flows.FlagACK != 0 && wk.haveServISN:
		return wk.handshakeACK(s)
	case f&flows.FlagFIN != 0:
		return wk.fin(s)
	case wk.acksFIN(s):
		return wk.finACK(s)
	case s.Len > 0:
		return wk.lang.F("explain.teardown.data", who(wk.lang, s.Dir), s.Len)
	}
	return wk.lang.T("explain.plain.ack")
}

func (wk *walk) syn(s *ladder.Step) string {
	var text string
	switch {
	case wk.probe && wk.lastSYN == nil:
		text = wk.lang.F("explain.syn.probe", s.Seq) + offers(wk.lang, s.Options)
	case wk.lastSYN != nil && s.Seq == wk.lastSYN.Seq:
		text = wk.lang.F("explain.syn.again", ms2(s.TS-wk.lastSYN.TS))
	default:
		text = wk.lang.F("explain.syn", s.Seq) + offers(wk.lang, s.Options)
	}
	if wk.lastSYN == nil {
		text += wk.reuse(s)
	}
	wk.lastSYN = s
	return text
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

func (wk *walk) synack(s *ladder.Step) string {
	wk.synacks++
	wk.serverISN, wk.haveServISN = s.Seq, true
	if wk.synacks > 1 {
		return wk.lang.T("explain.synack.again")
	}
	text := wk.lang.F("explain.synack", s.Seq, s.Ack, s.Ack-1)
	if wk.lastSYN != nil {
		text += wk.sep + wk.lang.F("explain.synack.after", ms2(s.TS-wk.lastSYN.TS))
	}
	return text + offers(wk.lang, s.Options)
}

// rst tells an RST by what came before it: the answer to a SYN, a probe's
// reset, a server giving up on a half-open connection, a reset after the
// sender's own FIN or after both, or an abort.
func (wk *walk) rst(s *ladder.Step) string {
	me := s.Dir
	addr := wk.l.Server
	if me == flows.DirClient {
		addr = wk.l.Client
	}
	switch {
	case wk.r.Handshake.Status == analyze.HandshakeRejected && me == flows.DirServer:
		if t, ok := wk.ctx.Listened[wk.l.Server]; ok && int64(t) < s.TS {
			return wk.lang.F("explain.refused.listened", s.Ack, portOf(wk.l.Server))
		}
		return wk.lang.F("explain.refused", s.Ack, portOf(wk.l.Server))
	case wk.probe && me == flows.DirClient && wk.synacks > 0 && !wk.haveACK:
		return wk.lang.T("explain.rst.probe")
	case me == flows.DirServer && wk.synacks > 0 && !wk.haveACK:
		return wk.lang.F("explain.rst.halfopen", wk.r.Handshake.SynackCount)
	case wk.finFrom[me] != nil && wk.finFrom[me.Other()] != nil:
		return wk.lang.F("explain.rst.closed", who(wk.lang, me), addr)
	case wk.finFrom[me] != nil:
		return wk.lang.F("explain.rst.afterfin", who(wk.lang, me), addr)
	}
	return wk.lang.F("explain.rst", who(wk.lang, me), addr)
}

// handshakeACK tells the ACK that completes the handshake, with its timing
// and what was agreed.
func (wk *walk) handshakeACK(s *ladder.Step) string {
	wk.haveACK = true
	h := &wk.r.Handshake
	text := wk.lang.F("explain.ack", s.Ack, wk.serverISN)
	switch {
	case h.RTTms != nil && h.SetupMS != nil && *h.SetupMS > *h.RTTms:
		text += wk.sep + wk.lang.F("explain.established.retx", table.MS(h.RTTms), table.MS(h.SetupMS))
	case h.RTTms != nil:
		text += wk.sep + wk.lang.F("explain.established", table.MS(h.RTTms))
	}
	if h.CapturePoint != nil && h.SynSynackMS != nil {
		text += wk.sep + wk.lang.T("explain.point."+string(*h.CapturePoint))
	}
	if neg := negotiatedText(wk.lang, h.Negotiated); neg != "" {
		text += wk.sep + neg
	}
	return text
}

func (wk *walk) fin(s *ladder.Step) string {
	me, other := s.Dir, s.Dir.Other()
	var text string
	switch {
	case wk.finFrom[me] != nil:
		text = wk.lang.T("explain.fin.again")
	case wk.finFrom[other] == nil && wk.r.Teardown.Kind == analyze.TeardownSimultaneous:
		text = wk.lang.F("explain.fin1.crossing", who(wk.lang, me), who(wk.lang, other))
	case wk.finFrom[other] == nil:
		text = wk.lang.F("explain.fin1", who(wk.lang, me), who(wk.lang, other))
	case wk.acksFIN(s):
		text = wk.lang.F("explain.fin2.threeway", who(wk.lang, me), who(wk.lang, other))
		wk.finAcked[other] = true
	case !wk.finAcked[other]:
		text = wk.lang.F("explain.fin.simultaneous", who(wk.lang, me))
	default:
		text = wk.lang.F("explain.fin2", who(wk.lang, me))
	}
	if wk.finFrom[me] == nil {
		wk.finFrom[me] = s
	}
	return text
}

// finACK tells the ACK of the other side's first FIN.
func (wk *walk) finACK(s *ladder.Step) string {
	me, other := s.Dir, s.Dir.Other()
	wk.finAcked[other] = true
	switch {
	case wk.r.Teardown.Kind == analyze.TeardownSimultaneous:
		return wk.lang.F("explain.ack.simultaneous", who(wk.lang, me), who(wk.lang, other))
	case wk.finFrom[me] != nil:
		return wk.lang.F("explain.ack.last", who(wk.lang, me), who(wk.lang, other))
	}
	text := wk.lang.F("explain.ack.fin1", who(wk.lang, me), who(wk.lang, other))
	if s.Len > 0 {
		text += wk.sep + wk.lang.F("explain.ack.fin1.data", s.Len, who(wk.lang, me))
	}
	return text
}

// footer closes the list and, in text and Markdown, sums the connection up.
func (wk *walk) footer() {
	if wk.form == HTML {
		fmt.Fprint(wk.w, "</ol>\n")
		return
	}
	fmt.Fprintln(wk.w)
	for _, line := range Facts(wk.r, wk.lang) {
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
