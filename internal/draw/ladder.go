package draw

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/evidence"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/analyze/segments"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/table"
	"github.com/synfin/synfin/internal/tty"
)

// Style is how a ladder is drawn.
type Style struct {
	Lang   msg.Lang
	ASCII  bool // ASCII instead of Unicode box drawing
	RawSeq bool // raw sequence numbers instead of relative ones
	Full   bool // every packet, no folding
	// Embedded: the ladder sits under a heading of its own in a report,
	// so it prints no title.
	Embedded bool
	Colour   bool // ANSI colours by phase (text on a terminal only)
	// Width, when not 0, is the terminal's: a line that would be wider
	// has its notes wrapped onto lines of their own inside the diagram,
	// and a narrow terminal gets a narrower time column.
	Width int
}

// ansiPhase is the terminal colour of a phase's arrows and heading.
var ansiPhase = map[ladder.Phase]tty.Colour{
	ladder.Handshake: tty.Blue, ladder.Teardown: tty.Yellow, ladder.Reset: tty.Red,
}

// foldAfter is the length of a run of ordinary data segments beyond which
// the middle of the run is folded into one line: the first and last two
// stay, so the reader sees how the run starts and ends.
const (
	foldAfter = 6
	foldKeep  = 2
)

// ladderRow is one line of a ladder: a packet, a phase heading, or a fold.
type ladderRow struct {
	step   *ladder.Step
	no     int // frame number in the capture, as Wireshark's No. column
	phase  ladder.Phase
	head   bool // a phase heading
	folded int  // a fold of this many packets
}

// ladderRows lays out a ladder's packets with phase headings and folds.
func ladderRows(l *ladder.Ladder, full bool) []ladderRow {
	var rows []ladderRow
	plain := func(s *ladder.Step) bool {
		return s.Phase == ladder.Data && s.Class == flows.SegNew && s.Flags&(flows.FlagSYN|flows.FlagFIN|flows.FlagRST) == 0
	}
	for i := 0; i < len(l.Steps); {
		s := &l.Steps[i]
		if i == 0 || l.Steps[i-1].Phase != s.Phase {
			rows = append(rows, ladderRow{phase: s.Phase, head: true})
		}
		if !full && plain(s) {
			j := i
			for j < len(l.Steps) && plain(&l.Steps[j]) {
				j++
			}
			if j-i > foldAfter {
				for k := i; k < i+foldKeep; k++ {
					rows = append(rows, ladderRow{step: &l.Steps[k], no: l.Steps[k].Frame, phase: s.Phase})
				}
				rows = append(rows, ladderRow{folded: j - i - 2*foldKeep, phase: s.Phase})
				for k := j - foldKeep; k < j; k++ {
					rows = append(rows, ladderRow{step: &l.Steps[k], no: l.Steps[k].Frame, phase: s.Phase})
				}
				i = j
				continue
			}
		}
		rows = append(rows, ladderRow{step: s, no: s.Frame, phase: s.Phase})
		i++
	}
	return rows
}

var phaseKey = map[ladder.Phase]string{
	ladder.Handshake: "ladder.handshake", ladder.Data: "ladder.data",
	ladder.Teardown: "ladder.teardown", ladder.Reset: "ladder.reset",
}

// stepLabel is the text on a packet's arrow: flags, seq/ack, length.
func stepLabel(s *ladder.Step, raw bool) string {
	var b strings.Builder
	b.WriteString(ladder.FlagNames(s.Flags))
	seq, ack := s.RelSeq, s.RelAck
	if raw {
		seq, ack = s.Seq, s.Ack
	}
	b.WriteString("  seq=")
	b.WriteString(strconv.FormatUint(uint64(seq), 10))
	if s.Flags&flows.FlagACK != 0 && (raw || s.RelAckOK) {
		b.WriteString(" ack=")
		b.WriteString(strconv.FormatUint(uint64(ack), 10))
	}
	if s.Len > 0 {
		b.WriteString(" len=")
		b.WriteString(strconv.Itoa(s.Len))
	}
	return b.String()
}

// packetFacts are what a ladder notes beside a packet: its evidence (the
// walkthrough, the ladder and the caption read one timeline, so they tell
// one story), and the RTT its segment gave.
type packetFacts struct {
	e      *evidence.Entry
	rtt    int64 // ns
	hasRTT bool
	// far: its sender is the side away from the capture, so its "RTT" is
	// mostly the receiver's time to acknowledge (segments.CapturedNear).
	far bool
}

// evidenceOf maps each packet of a ladder, by frame, to its facts; rec
// gives the window scaling (nil: none).
func evidenceOf(l *ladder.Ladder, rec *analyze.Record) map[int]packetFacts {
	tl := evidence.Build(l)
	m := make(map[int]packetFacts, len(tl.Entries))
	for i := range tl.Entries {
		e := &tl.Entries[i]
		m[l.Steps[e.Step].Frame] = packetFacts{e: e}
	}
	shift := [2]int{-1, -1}
	var near flows.Dir
	placed := false
	if rec != nil {
		shift = segments.Shifts(rec)
		near, placed = segments.CapturedNear(rec)
	}
	for _, r := range segments.Of(l, shift) {
		if r.HasRTT {
			f := m[r.Frame]
			f.rtt, f.hasRTT = r.RTT, true
			f.far = placed && r.From != near
			m[r.Frame] = f
		}
	}
	return m
}

// noteKeys name, per kind of packet, the note beside its arrow.
var noteKeys = map[evidence.Kind]string{
	evidence.OutOfOrder: "ladder.ooo", evidence.KeepAlive: "ladder.keepalive", evidence.ZeroWindow: "ladder.zerowindow",
	evidence.ZeroWindowProbe: "ladder.zwprobe", evidence.DupAck: "ladder.dupack", evidence.SYNAgain: "ladder.synagain",
	evidence.SYNACKAgain: "ladder.synackagain",
}

// stepNotes are what a reader should notice about a packet, from its
// evidence: a retransmission and its trigger, a copy and how it is known,
// a zero window, a probe, a keep-alive, an RST below the window; and its
// options.
func stepNotes(s *ladder.Step, f packetFacts, lang msg.Lang) string {
	e := f.e
	var notes []string
	if f.hasRTT && s.Len > 0 {
		// The segment's RTT: its sending to the first ACK of its last
		// byte. Seen beside its receiver, that is the receiver's delay.
		key := "ladder.rtt.segment"
		if f.far {
			key = "ladder.ack.after"
		}
		notes = append(notes, lang.F(key, strconv.FormatFloat(float64(f.rtt)/1e6, 'f', 3, 64)))
	}
	if e != nil {
		switch {
		case e.Kind == evidence.Retransmission && e.Retx == evidence.RetxDupAcks:
			notes = append(notes, lang.T("ladder.retx.dupacks"))
		case e.Kind == evidence.Retransmission && e.Retx == evidence.RetxSACK:
			notes = append(notes, lang.T("ladder.retx.sack"))
		case e.Kind == evidence.Retransmission:
			notes = append(notes, lang.T("ladder.retx"))
		case e.Kind == evidence.Copy && e.Copy == evidence.CopyByID:
			notes = append(notes, lang.T("ladder.dup"))
		case e.Kind == evidence.Copy:
			notes = append(notes, lang.T("ladder.dup.noid"))
		case e.Kind == evidence.FINAgain && e.AcksFIN:
			notes = append(notes, lang.T("ladder.finagain.acks"))
		case e.Kind == evidence.FINAgain:
			notes = append(notes, lang.T("ladder.finagain"))
		case e.Kind == evidence.RST && e.BelowWindow:
			notes = append(notes, lang.T("ladder.rst.below"))
		case e.AfterReset && e.Kind != evidence.RST:
			notes = append(notes, lang.T("ladder.afterrst"))
		case e.Kind == evidence.WindowUpdate && s.Window > 0:
			notes = append(notes, lang.T("ladder.windowupdate"))
		default:
			if k, ok := noteKeys[e.Kind]; ok {
				notes = append(notes, lang.T(k))
			}
		}
	}
	if len(s.Options) > 0 {
		notes = append(notes, "["+s.Options.String()+"]")
	}
	if s.Flags&flows.FlagSYN != 0 || s.Flags&flows.FlagRST != 0 || e != nil && (e.Kind == evidence.ZeroWindow || e.Kind == evidence.WindowUpdate) {
		notes = append(notes, "win="+strconv.Itoa(int(s.Window)))
	}
	return strings.Join(notes, " ")
}

func relMS(l *ladder.Ladder, ts int64) string {
	return strconv.FormatFloat(float64(ts-l.FirstTS)/1e6, 'f', 3, 64)
}

// Facts sums a connection up under its ladder, in words.
func Facts(l *ladder.Ladder, rec *analyze.Record, lang msg.Lang) []string {
	if rec == nil {
		return nil
	}
	handshake := lang.T("handshake." + string(rec.Handshake.Status))
	state := lang.F("ladder.statecode", rec.State, lang.T(stateKey(rec)))
	if l != nil {
		// A capture that misses a direction proves less than the labels
		// say: the caption says what the packets show.
		tl := evidence.Build(l)
		if rec.State == analyze.StateRSTRH || rec.State == analyze.StateSHR {
			synack := false
			for i := range l.Steps {
				synack = synack || l.Steps[i].Flags&(flows.FlagSYN|flows.FlagACK) == flows.FlagSYN|flows.FlagACK
			}
			if !synack {
				state = lang.F("ladder.zeeklabel", rec.State)
			}
		}
		for _, d := range []flows.Dir{flows.DirClient, flows.DirServer} {
			if tl.Absent[d] && tl.Acking[d.Other()] || tl.Unseen[d] > 0 {
				state = lang.F("ladder.partial", rec.State, who(lang, d))
				if rec.Handshake.Status == analyze.HandshakeNoReply && d == flows.DirServer {
					handshake = lang.T("handshake.no_reply.oneway")
				}
			}
		}
	}
	lines := []string{lang.F("ladder.summary", lang.Name("handshake", string(rec.Handshake.Status)), lang.Name("teardown", string(rec.Teardown.Kind)), rec.State),
		"  " + handshake}
	for _, s := range icmpText(rec, lang) {
		lines = append(lines, "  "+s)
	}
	lines = append(lines, "  "+teardownText(l, rec, lang), "  "+state)
	h := rec.Handshake
	if h.RTTms != nil && h.SynSynackMS != nil && h.SynackAckMS != nil && h.CapturePoint != nil {
		lines = append(lines, lang.F("ladder.rtt", table.MS(h.RTTms), table.MS(h.SynSynackMS), table.MS(h.SynackAckMS), lang.T("point."+string(*h.CapturePoint))))
		if h.SetupMS != nil && *h.SetupMS > *h.RTTms {
			lines = append(lines, lang.F("ladder.setup", table.MS(h.SetupMS)))
		}
	}
	return lines
}

// stateKey is the message telling a record's state; Zeek's RSTO, told of
// an established connection, is told of the handshake it interrupted when
// the ACK never came.
func stateKey(rec *analyze.Record) string {
	if rec.State == analyze.StateSF && rec.Teardown.Kind == analyze.TeardownReset {
		if t := &rec.Teardown; t.RstTS != nil && t.Fin2TS != nil && *t.RstTS < *t.Fin2TS {
			return "state.SF.rstbetween"
		}
		return "state.SF.reset"
	}
	if rec.Handshake.Status == analyze.HandshakeUnreachable && rec.State == analyze.StateS0 {
		return "state.S0.icmp"
	}
	if rec.Handshake.Status == analyze.HandshakeNoAck {
		switch rec.State {
		case analyze.StateRSTO:
			return "state.RSTO.noack"
		case analyze.StateRSTR:
			return "state.RSTR.noack"
		case analyze.StateS1:
			return "state.S1.noack"
		}
	}
	return "state." + string(rec.State)
}

// teardownText tells the teardown kind; a reset after both FINs is told as
// such, not as an RST before the close.
func teardownText(l *ladder.Ladder, rec *analyze.Record, lang msg.Lang) string {
	t := &rec.Teardown
	if t.Kind == analyze.TeardownReset && t.Fin1TS != nil && t.RstBy != nil && t.RstTS != nil {
		d := flows.DirClient
		if *t.RstBy == analyze.CloserServer {
			d = flows.DirServer
		}
		switch {
		case t.Fin2TS != nil && *t.RstTS > *t.Fin2TS:
			return lang.F("teardown.reset.afterfins", who(lang, d))
		default:
			// The order the packets show: the first FIN, the RST, and the
			// other FIN after it if one came.
			if closer, ok := firstFIN(l, rec); ok {
				return lang.F("teardown.reset.beforefin2", who(lang, closer), who(lang, d))
			}
		}
	}
	return lang.T("teardown." + string(t.Kind))
}

// firstFIN is who sent the first FIN: the record's closer, or when both
// closed, the sender of the first FIN in the ladder.
func firstFIN(l *ladder.Ladder, rec *analyze.Record) (flows.Dir, bool) {
	switch rec.Teardown.Closer {
	case analyze.CloserClient:
		return flows.DirClient, true
	case analyze.CloserServer:
		return flows.DirServer, true
	}
	if l != nil {
		for i := range l.Steps {
			if l.Steps[i].Flags&flows.FlagFIN != 0 {
				return l.Steps[i].Dir, true
			}
		}
	}
	return 0, false
}

// titleLines is a connection's title within width cells (0: no limit):
// when it is wider, as two IPv6 endpoints make it, the server goes on a
// line of its own, under the arrow.
func titleLines(lang msg.Lang, l *ladder.Ladder, width int) string {
	title := lang.F("ladder.title", l.Conn, l.Client, l.Server)
	if width <= 0 || tty.Cells(title) <= width {
		return title
	}
	head, server, ok := strings.Cut(title, " → ")
	if !ok {
		return title
	}
	return head + "\n  → " + server
}

// icmpText says what the ICMP errors about a connection's segments show:
// who answered its SYN, if an error did, and the path's MTU, if one gave
// it. A router is named as such only when the error's sender is not the
// server's address.
func icmpText(rec *analyze.Record, lang msg.Lang) []string {
	i := rec.ICMP
	if i == nil {
		return nil
	}
	proto := "ICMP"
	if i.V6 {
		proto = "ICMPv6"
	}
	kind := lang.T("icmp.kind." + string(i.Kind))
	var lines []string
	switch {
	case rec.Handshake.Status == analyze.HandshakeUnreachable && i.AfterSYNMS != nil && i.From == hostOf(rec.Server):
		lines = append(lines, lang.F("icmp.syn.server", proto, kind, i.Type, i.Code, table.MS(i.AfterSYNMS)))
	case rec.Handshake.Status == analyze.HandshakeUnreachable && i.AfterSYNMS != nil:
		lines = append(lines, lang.F("icmp.syn.path", i.From, proto, kind, i.Type, i.Code, table.MS(i.AfterSYNMS)))
	default:
		about := who(lang, flows.DirClient)
		if i.About == analyze.CloserServer {
			about = who(lang, flows.DirServer)
		}
		at := ms2(int64(i.TS - rec.FirstTS))
		if i.Count == 1 {
			lines = append(lines, lang.F("icmp.other.one", proto, kind, i.Type, i.Code, i.From, about, at))
		} else {
			lines = append(lines, lang.F("icmp.other.many", i.Count, proto, kind, i.Type, i.Code, i.From, about, at))
		}
	}
	if i.MTU != nil {
		headers := 40
		if i.V6 {
			headers = 60
		}
		lines = append(lines, lang.F("icmp.mtu", i.From, *i.MTU, max(*i.MTU-headers, 0), *i.MTU, headers))
	}
	return lines
}

// hostOf is the address of "address:port" (IPv6 in brackets).
func hostOf(ap string) string {
	a, err := netip.ParseAddrPort(ap)
	if err != nil {
		return ""
	}
	return a.Addr().Unmap().String()
}
