package report

import (
	"strconv"
	"strings"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/analyze/segments"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/graph"
	"github.com/synfin/synfin/internal/msg"
)

// firstSegments is how many of the sender's data segments the data-phase
// table lists: the textbook lab asks about the first six.
const firstSegments = 6

// dataPhase is a representative connection's data phase as a report
// tells it: the side that sent more data, its first segments with their
// RTT and EstimatedRTT, what that side's data phase adds up to, and the
// time-sequence graph (HTML only).
type dataPhase struct {
	Heading string
	Header  []string
	Rows    [][]string
	Intro   string // what the table holds
	Lines   []string
	Graph   *graph.Graph
	Title   string // the graph's
}

// dataPhaseOf builds it, or nil for a connection that carried no data.
func dataPhaseOf(l *ladder.Ladder, rec *analyze.Record, lang msg.Lang) *dataPhase {
	rows := segments.Of(l, segments.Shifts(rec))
	from := graph.Sender(rows)
	s := segments.Summarize(rows, from)
	if s.Segments == 0 {
		return nil
	}
	side := lang.T("ladder." + from.String())
	other := lang.T("ladder." + (1 - from).String())
	ms := func(ns int64) string { return strconv.FormatFloat(float64(ns)/1e6, 'f', 3, 64) }
	d := &dataPhase{Heading: lang.F("report.data.title", side)}
	for _, k := range []string{"frame", "seq", "len", "sent", "acked", "rtt", "srtt"} {
		d.Header = append(d.Header, lang.T("report.data.col."+k))
	}
	for _, r := range rows {
		if r.From != from || r.Len == 0 {
			continue
		}
		row := []string{strconv.Itoa(r.Frame), strconv.FormatUint(uint64(r.RelSeq), 10), strconv.Itoa(r.Len), ms(r.TS - l.FirstTS), "-", "-", "-"}
		if r.AckFrame > 0 {
			row[4] = ms(r.AckTS - l.FirstTS)
		}
		if r.HasRTT {
			row[5], row[6] = ms(r.RTT), ms(r.SRTT)
		} else if r.AckFrame > 0 {
			row[5] = lang.T("report.data.karn")
		}
		d.Rows = append(d.Rows, row)
		if len(d.Rows) == firstSegments {
			break
		}
	}
	// A student checking the table by hand starts EstimatedRTT at the
	// first data segment; RFC 6298 (and synfin) at the SYN's sample.
	for _, r := range rows {
		if r.From == from && r.Flags&flows.FlagSYN != 0 && r.HasRTT {
			name := "SYN"
			if r.Flags&flows.FlagACK != 0 {
				name = "SYN-ACK"
			}
			d.Lines = append(d.Lines, lang.F("report.data.synfirst", name, ms(r.RTT), r.Frame))
			break
		}
	}
	sent := "report.data.sent"
	if s.Segments == 1 {
		sent += ".one"
	}
	d.Lines = append(d.Lines, lang.F(sent, side, s.Segments, s.Bytes, s.Unique, s.SentAgain))
	if s.Samples > 0 {
		d.Lines = append(d.Lines, lang.F("report.data.rtt", s.Samples, ms(s.RTTMin), ms(s.RTT), ms(s.RTTMax), ms(s.SRTT), ms(s.RTO)))
		if line := wherePlaced(rec, from, side, other, lang); line != "" {
			d.Lines = append(d.Lines, line)
		}
	}
	if s.HasWin {
		d.Lines = append(d.Lines, lang.F("report.data.win", other, s.MinWin, s.MaxWin, s.ZeroWins))
	}
	if s.AckedPerACK > 0 {
		d.Lines = append(d.Lines, lang.F("report.data.perack", other, s.AckedPerACK))
	}
	if s.Elapsed > 0 {
		d.Lines = append(d.Lines, lang.F("report.data.throughput", s.Unique, ms(s.Elapsed), strconv.FormatFloat(s.Throughput*8/1000, 'f', 1, 64)))
	}
	switch {
	case len(d.Rows) < s.Segments:
		d.Intro = lang.F("report.data.first", len(d.Rows))
	case len(d.Rows) == 1:
		d.Intro = lang.T("report.data.all.one")
	default:
		d.Intro = lang.F("report.data.all", len(d.Rows))
	}
	d.Graph, _ = graph.Of(graph.TimeSeq, rows, l.FirstTS)
	d.Title = lang.F("graph.title.tseq", l.Conn, l.Client, l.Server, side)
	return d
}

// wherePlaced says what the sender's RTTs measure, from where the handshake
// shows the capture was taken (segments.CapturedNear); "" when it cannot
// tell.
func wherePlaced(rec *analyze.Record, from flows.Dir, side, other string, lang msg.Lang) string {
	near, ok := segments.CapturedNear(rec)
	if !ok {
		return ""
	}
	h := rec.Handshake
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
	if near == from {
		return lang.F("report.data.near", side, f(*h.SynSynackMS), f(*h.SynackAckMS))
	}
	return lang.F("report.data.far", other, f(*h.SynSynackMS), f(*h.SynackAckMS), other, other)
}

// shellWord is a file name as a POSIX shell reads it back whole: as it
// is when it holds only characters no shell treats specially, else in
// single quotes (a quote inside written '\”).
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./-+,:@%=", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
