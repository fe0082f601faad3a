package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"synfin/analyze"
	"synfin/analyze/ladder"
	"synfin/cmd/synfin/msg"
	"synfin/flows"
)

// explainConn writes a numbered walkthrough of one connection's opening
// and closing: one or two sentences per packet, generated from its fields,
// with the socket states of RFC 9293 each side passes through. The data
// transfer in between is summed up in one line.
//
// format is "table" (plain text for a terminal), "markdown" (a numbered
// list to paste into a report) or "html" (an ordered list, for the HTML
// report, with no heading of its own).
func explainConn(w io.Writer, l *ladder.Ladder, r *analyze.Record, lang msg.Lang, format string) {
	explainConnWith(w, l, r, lang, format, nil)
}

// explainConnWith is explainConn with note naming, beside each packet,
// what sent it (synfin lab: the socket call).
func explainConnWith(w io.Writer, l *ladder.Ladder, r *analyze.Record, lang msg.Lang, format string, note func(*ladder.Step) string) {
	markdown, htmlOut := format == "markdown" || format == "markdown-section", format == "html"
	sep := sentenceSep(lang)
	t0 := l.FirstTS
	ms := func(ts int64) string { return strconv.FormatFloat(float64(ts-t0)/1e6, 'f', 3, 64) }
	head := lang.F("ladder.title", l.Conn, l.Client, l.Server)
	switch {
	case htmlOut:
		fmt.Fprint(w, "<ol class=\"explain\">\n")
	case format == "markdown":
		fmt.Fprintf(w, "### %s\n\n", markdownSafe(head))
	case markdown: // a section of a report, under the report's heading
	default:
		fmt.Fprintf(w, "%s\n\n", head)
	}
	item := func(n int, s *ladder.Step, text string) {
		if note != nil {
			if by := note(s); by != "" {
				text = "[" + by + "] " + text
			}
		}
		if htmlOut {
			fmt.Fprintf(w, "<li><b>%s ms, %s → %s, %s</b> — %s</li>\n", ms(s.TS), escapeHTML(who(lang, s.FromCli)), escapeHTML(who(lang, !s.FromCli)), ladder.FlagNames(s.Flags), escapeHTML(text))
		} else if markdown {
			fmt.Fprintf(w, "%d. **%s ms, %s → %s, %s** — %s\n", n, ms(s.TS), who(lang, s.FromCli), who(lang, !s.FromCli), ladder.FlagNames(s.Flags), text)
		} else {
			fmt.Fprintf(w, "%2d. [%s ms] %s → %s  %s\n    %s\n", n, ms(s.TS), who(lang, s.FromCli), who(lang, !s.FromCli), ladder.FlagNames(s.Flags), wrapText(text, 92, "    "))
		}
	}
	var (
		n                      int
		lastSYN                *ladder.Step
		finFrom                = map[bool]*ladder.Step{} // first FIN of each side
		finAcked               = map[bool]bool{}
		dataPkts               int
		dataBytes              [2]int
		dataFirst, dataLast    *ladder.Step
		dataHalf               bool // the run is after a FIN: a half-close
		retxInData, synackSeen int
		serverISN              uint32
		haveServISN            bool
	)
	// acksFIN reports whether s acknowledges the other side's first FIN,
	// not yet acknowledged.
	acksFIN := func(s *ladder.Step) bool {
		fin := finFrom[!s.FromCli]
		return fin != nil && !finAcked[!s.FromCli] && s.Flags&flows.FlagACK != 0 && s.Ack == fin.Seq+uint32(fin.Len)+1
	}
	flush := func() {
		if dataPkts == 0 {
			return
		}
		n++
		key := "explain.data"
		if dataHalf {
			key = "explain.data.halfclose"
		}
		text := lang.F(key, dataPkts, dataBytes[0], dataBytes[1])
		if retxInData > 0 {
			text += sep + lang.F("explain.data.retx", retxInData)
		}
		if htmlOut {
			fmt.Fprintf(w, "<li><b>%s–%s ms</b> — %s</li>\n", ms(dataFirst.TS), ms(dataLast.TS), escapeHTML(text))
		} else if markdown {
			fmt.Fprintf(w, "%d. **%s–%s ms** — %s\n", n, ms(dataFirst.TS), ms(dataLast.TS), text)
		} else {
			fmt.Fprintf(w, "%2d. [%s–%s ms] %s\n", n, ms(dataFirst.TS), ms(dataLast.TS), wrapText(text, 92, "    "))
		}
		dataPkts, dataBytes, retxInData = 0, [2]int{}, 0
	}
	h := r.Handshake
	for i := range l.Steps {
		s := &l.Steps[i]
		f := s.Flags
		// Data, and in a half-close the data and ACKs after the first FIN
		// (but not the ACK of a FIN), are summed up, not told one by one.
		if (s.Phase == ladder.Data || s.Phase == ladder.Teardown && !acksFIN(s)) && f&(flows.FlagSYN|flows.FlagFIN|flows.FlagRST) == 0 {
			if dataPkts == 0 {
				dataFirst, dataHalf = s, s.Phase == ladder.Teardown
			}
			dataLast = s
			dataPkts++
			if s.FromCli {
				dataBytes[0] += s.Len
			} else {
				dataBytes[1] += s.Len
			}
			if s.Class == flows.SegRetx {
				retxInData++
			}
			continue
		}
		flush()
		var text string
		switch {
		case f&flows.FlagSYN != 0 && f&flows.FlagACK == 0 && s.FromCli:
			if lastSYN != nil && s.Seq == lastSYN.Seq {
				text = lang.F("explain.syn.again", ms2(s.TS-lastSYN.TS))
			} else {
				text = lang.F("explain.syn", s.Seq) + offers(lang, s.Options)
			}
			lastSYN = s
		case f&flows.FlagSYN != 0 && f&flows.FlagACK == 0:
			text = lang.T("explain.syn.simultaneous")
		case f&flows.FlagSYN != 0:
			synackSeen++
			serverISN, haveServISN = s.Seq, true
			if synackSeen > 1 {
				text = lang.T("explain.synack.again")
				break
			}
			text = lang.F("explain.synack", s.Seq, s.Ack, s.Ack-1)
			if lastSYN != nil {
				text += sep + lang.F("explain.synack.after", ms2(s.TS-lastSYN.TS))
			}
			text += offers(lang, s.Options)
		case f&flows.FlagRST != 0 && h.Status == "rejected" && !s.FromCli:
			text = lang.F("explain.refused", s.Ack, portOf(l.Server))
		case f&flows.FlagRST != 0:
			addr := l.Server
			if s.FromCli {
				addr = l.Client
			}
			text = lang.F("explain.rst", who(lang, s.FromCli), addr)
		case s.Phase == ladder.Handshake && f&flows.FlagACK != 0 && haveServISN:
			text = lang.F("explain.ack", s.Ack, serverISN)
			if h.RTTms != nil {
				text += sep + lang.F("explain.established", fms(h.RTTms))
			}
			if h.CapturePoint != nil && h.SynSynackMS != nil {
				text += sep + lang.T("explain.point."+*h.CapturePoint)
			}
			if neg := negotiatedText(lang, h.Negotiated); neg != "" {
				text += sep + neg
			}
		case f&flows.FlagFIN != 0:
			other := finFrom[!s.FromCli]
			switch {
			case finFrom[s.FromCli] != nil:
				text = lang.T("explain.fin.again")
			case other == nil:
				text = lang.F("explain.fin1", who(lang, s.FromCli), who(lang, !s.FromCli))
			case acksFIN(s):
				text = lang.F("explain.fin2.threeway", who(lang, s.FromCli), who(lang, !s.FromCli))
				finAcked[!s.FromCli] = true
			case other != nil && !finAcked[!s.FromCli]:
				text = lang.F("explain.fin.simultaneous", who(lang, s.FromCli))
			default:
				text = lang.F("explain.fin2", who(lang, s.FromCli))
			}
			if finFrom[s.FromCli] == nil {
				finFrom[s.FromCli] = s
			}
		case acksFIN(s):
			finAcked[!s.FromCli] = true
			if r.Teardown.Kind == analyze.KindSimultaneous {
				text = lang.F("explain.ack.simultaneous", who(lang, s.FromCli), who(lang, !s.FromCli))
			} else if finFrom[s.FromCli] != nil {
				text = lang.F("explain.ack.last", who(lang, s.FromCli), who(lang, !s.FromCli))
			} else {
				text = lang.F("explain.ack.fin1", who(lang, s.FromCli), who(lang, !s.FromCli))
			}
		default:
			if s.Len > 0 {
				text = lang.F("explain.teardown.data", who(lang, s.FromCli), s.Len)
			} else {
				text = lang.T("explain.plain.ack")
			}
		}
		n++
		item(n, s, text)
	}
	flush()
	if htmlOut {
		fmt.Fprint(w, "</ol>\n")
		return
	}
	fmt.Fprintln(w)
	for _, line := range ladderFacts(r, lang) {
		if markdown {
			fmt.Fprintf(w, "%s\n\n", strings.TrimSpace(line))
		} else {
			fmt.Fprintln(w, line)
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

func who(lang msg.Lang, client bool) string {
	if client {
		return lang.T("ladder.client")
	}
	return lang.T("ladder.server")
}

func ms2(ns int64) string { return strconv.FormatFloat(float64(ns)/1e6, 'f', 3, 64) }

func portOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		return addr[i+1:]
	}
	return addr
}

// offers says in words what a SYN's or SYN-ACK's options propose.
func offers(lang msg.Lang, opts string) string {
	var parts []string
	for _, o := range strings.Fields(opts) {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "mss":
			parts = append(parts, lang.F("explain.opt.mss", v))
		case "ws":
			shift, _ := strconv.Atoi(v)
			parts = append(parts, lang.F("explain.opt.ws", v, 1<<min(shift, 14)))
		case "sack_perm":
			parts = append(parts, lang.T("explain.opt.sack"))
		case "ts":
			parts = append(parts, lang.T("explain.opt.ts"))
		case "tfo":
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
// lines after the first. Text with Chinese characters is left whole: it
// has no spaces to break at, and a terminal wraps it well enough.
func wrapText(text string, width int, indent string) string {
	if cells(text) != len([]rune(text)) {
		return text
	}
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(text) {
		wl := cells(word)
		if i > 0 && line+1+wl > width {
			b.WriteString("\n" + indent)
			line = 0
		} else if i > 0 {
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += wl
	}
	return b.String()
}
