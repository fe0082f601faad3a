package draw

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/synfin/synfin/internal/corpus"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/evidence"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
)

// corpusDir is the shared corpus (internal/corpus), or a directory that
// is not there, so that its globs find nothing.
func corpusDir() string {
	if d := corpus.Dir(); d != "" {
		return d
	}
	return "no-corpus"
}

// walkFiles are the captures TestWalkthroughRules reads: testdata's, the
// lab's and every public capture of the shared corpus (under 8 MB: a
// bulk transfer's thousands of packets add no kind of walkthrough).
func walkFiles(t *testing.T) []string {
	var files []string
	for _, pat := range []string{"../../testdata/*/*.pcap", "../../testdata/*/*.pcapng",
		corpusDir() + "/lab/*.pcap", corpusDir() + "/lab/*.pcapng", corpusDir() + "/captures/*"} {
		m, _ := filepath.Glob(pat)
		for _, f := range m {
			if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() && fi.Size() < 8<<20 {
				files = append(files, f)
			}
		}
	}
	return files
}

// followAll reads a capture following every connection: its ladders and
// records; no records for a capture too damaged to read.
func followAll(t *testing.T, path string) (*ladder.Recorder, []analyze.Record) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec := ladder.NewRecorder()
	var recs []analyze.Record
	_, err = pipeline.Run(path, f, pipeline.Options{Trace: rec.Trace}, func(r *analyze.Record) { recs = append(recs, r.Clone()) })
	if err != nil && len(recs) == 0 {
		return rec, nil
	}
	return rec, recs
}

// rule is one rule of TCP a walkthrough must not break, with how many
// walkthroughs it checked and how many broke it.
type rule struct {
	name            string
	checked, broken int
}

// TestWalkthroughRules reads the walkthrough of every connection of every
// test capture (testdata, and where the shared corpus sits beside the
// repository its lab captures and all its public ones), in English and
// Chinese, against rules of TCP that a sentence must not break, and prints
// how many walkthroughs each rule checked. A broken rule names the capture
// and the connection.
func TestWalkthroughRules(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: every capture of testdata and the corpus")
	}
	files := walkFiles(t)
	if len(files) < 60 {
		t.Fatalf("only %d captures", len(files))
	}
	rules := map[string]*rule{}
	check := func(name, where string, ok bool, why string, args ...any) {
		r := rules[name]
		if r == nil {
			r = &rule{name: name}
			rules[name] = r
		}
		r.checked++
		if !ok {
			r.broken++
			if r.broken <= 5 {
				t.Errorf("%s: %s: "+why, append([]any{where, name}, args...)...)
			}
		}
	}
	relAck := regexp.MustCompile(`ack=(\d+) \(relative (\d+)\)`)
	clientISN := regexp.MustCompile(`the client's ISN (\d+) plus one`)
	walked := 0
	for _, path := range files {
		rec, recs := followAll(t, path)
		if recs == nil {
			continue // damaged test captures
		}
		ctx := Context{Listened: Listening(recs), Earlier: Earliers(recs)}
		for i := range recs {
			r := &recs[i]
			l := rec.Ladder(r.Conn)
			if l == nil || l.Dropped > 0 {
				continue
			}
			where := filepath.Base(path) + " conn " + strconv.Itoa(r.Conn)
			tl := evidence.Build(l)
			checkStates(check, where, l, tl)
			for _, lang := range []msg.Lang{msg.EN, msg.ZH} {
				var b bytes.Buffer
				Explain(&b, l, r, lang, PlainText, ctx)
				walked++
				if lang != msg.EN {
					// The Chinese text keeps the same rules where they
					// are words: no agreed MSS, no OS timer as fact, no
					// "never answered".
					zh := b.String()
					check("zh: no agreed MSS, no OS timer, no never answered", where,
						!strings.Contains(zh, "协商结果：MSS") && !strings.Contains(zh, "Linux 先等") && !strings.Contains(zh, "服务器没有回应"),
						"%.200s", zh)
					continue
				}
				text := strings.Join(strings.Fields(b.String()), " ")
				items := splitItems(text)
				checkText(check, where, l, r, tl, text, items)
				// A relative ack is the bytes, SYN and FIN it covers: in a
				// SYN-ACK, the client's ISN plus one, plus a SYN's data the
				// SYN-ACK takes.
				if m, isn := relAck.FindStringSubmatch(text), clientISN.FindStringSubmatch(text); m != nil && isn != nil {
					ack, _ := strconv.ParseUint(m[1], 10, 32)
					rel, _ := strconv.ParseUint(m[2], 10, 32)
					base, _ := strconv.ParseUint(isn[1], 10, 32)
					check("relative ack = bytes covered", where, uint32(ack)-uint32(base) == uint32(rel),
						"ack %d is %d past ISN %d, told as relative %d", ack, uint32(ack)-uint32(base), base, rel)
				}
			}
		}
	}
	names := make([]string, 0, len(rules))
	for n := range rules {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Logf("rule %-50s checked %6d walkthroughs or packets, broken %d", n, rules[n].checked, rules[n].broken)
	}
	if walked < 500 {
		t.Errorf("only %d walkthroughs read", walked)
	}
}

// splitItems cuts a walkthrough into its numbered items.
func splitItems(text string) []string {
	idx := regexp.MustCompile(` \d+\. \[`).FindAllStringIndex(text, -1)
	var items []string
	for i, at := range idx {
		end := len(text)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		items = append(items, text[at[0]:end])
	}
	return items
}

// checkStates holds each side's states to RFC 9293's diagram and to the
// RST: a side that sent an RST, or received one it could accept, is
// CLOSED from then on, until a new SYN starts another attempt. (An RST
// below its receiver's window is discarded, RFC 5961 §3.)
func checkStates(check func(string, string, bool, string, ...any), where string, l *ladder.Ladder, tl *evidence.Timeline) {
	var prev [2]evidence.State
	var closed [2]bool
	for _, e := range tl.Entries {
		s := l.Steps[e.Step]
		for d := range 2 {
			check("states follow RFC 9293's diagram", where, evidence.Reach(prev[d], e.States[d]) || s.Flags&flows.FlagSYN != 0,
				"frame %d: the %s goes %s → %s", s.Frame, flows.Dir(d), prev[d], e.States[d])
		}
		if s.Flags&flows.FlagSYN != 0 {
			closed = [2]bool{}
		}
		if s.Flags&flows.FlagRST != 0 && e.Kind == evidence.RST {
			closed[s.Dir] = true
			if !e.BelowWindow {
				closed[s.Dir.Other()] = true
			}
		}
		for d := range 2 {
			if closed[d] {
				check("no state after an RST", where, e.States[d] == evidence.Closed,
					"frame %d after the RST: the %s is %s", s.Frame, flows.Dir(d), e.States[d])
			}
		}
		prev = e.States
	}
}

// checkText holds the sentences to what the packets prove.
func checkText(check func(string, string, bool, string, ...any), where string, l *ladder.Ladder, r *analyze.Record, tl *evidence.Timeline, text string, items []string) {
	// Nothing after an RST is told as a state of an orderly close.
	afterRST := false
	for _, it := range items {
		if afterRST {
			for _, word := range []string{"FIN-WAIT-2", "LAST-ACK", "TIME-WAIT", "a three-way close", "CLOSE-WAIT"} {
				if strings.Contains(it, word) && !strings.Contains(it, "Neither side waits in TIME-WAIT") && !strings.Contains(it, "SYN") {
					check("no orderly-close state after an RST", where, false, "%q after the RST: %.120s", word, it)
				}
			}
			check("no orderly-close state after an RST", where, true, "")
		}
		if strings.Contains(it, " RST") && strings.Contains(it, "sends RST") || strings.Contains(it, "answers RST") {
			afterRST = true
		}
		if strings.Contains(it, "client → server SYN") || strings.Contains(it, "client → server  SYN") {
			afterRST = false
		}
	}
	// The caption's order of events is the packets'.
	td := &r.Teardown
	if td.RstTS != nil && td.Fin1TS != nil {
		says := strings.Contains(text, "Both sides sent FIN; then an RST")
		check("caption order: FINs, then RST", where, !says || td.Fin2TS != nil && *td.RstTS > *td.Fin2TS, "the caption puts the RST after both FINs")
		between := strings.Contains(text, "an RST came between the two FINs")
		check("caption order: RST between FINs", where, !between || td.Fin2TS != nil && *td.RstTS < *td.Fin2TS, "the caption puts the RST between the FINs")
	}
	// "A copy" only with the same non-zero IPv4 identification.
	for _, e := range tl.Entries {
		if e.Kind != evidence.Copy {
			continue
		}
		s := l.Steps[e.Step]
		check("a copy only by a non-zero IPv4 ID", where, e.Copy != evidence.CopyByID || s.IPv4 && s.IPID != 0, "frame %d called a copy by ID %d", s.Frame, s.IPID)
	}
	if strings.Contains(text, "a copy made where the capture was taken") {
		ok := false
		for _, e := range tl.Entries {
			ok = ok || e.Copy == evidence.CopyByID
		}
		check("a copy only by a non-zero IPv4 ID", where, ok, "a copy told with no packet of equal non-zero ID")
	}
	// MSS is not negotiated.
	check("no agreed MSS", where, !strings.Contains(text, "Agreed: MSS"), "MSS told as agreed")
	// No one stack's timer as fact.
	check("no OS timer as fact", where, !strings.Contains(text, "Linux waits"), "a Linux timer told as fact")
	// "Never answered": the capture holds no answer, no more.
	check("never answered only with evidence", where, !strings.Contains(text, "never answered"), "a SYN told as never answered")
	// Causes stated only with evidence: a late segment after both FINs
	// only when both were acknowledged; the half-open give-up only when
	// the SYN-ACK was never acknowledged; refusal only of a SYN.
	for _, e := range tl.Entries {
		if e.Kind != evidence.RST {
			continue
		}
		s := l.Steps[e.Step]
		switch e.RST {
		case evidence.RSTHalfOpen:
			check("causes only with evidence", where, r.Handshake.AckTS == nil || int64(*r.Handshake.AckTS) > s.TS, "frame %d: a half-open give-up after the handshake's ACK", s.Frame)
		case evidence.RSTRefused:
			check("causes only with evidence", where, s.Dir == flows.DirServer, "frame %d: a refusal from the client", s.Frame)
		default:
			check("causes only with evidence", where, true, "")
		}
	}
	// A retransmission of a SYN is sent after a timer, never within 1 ms.
	for _, m := range regexp.MustCompile(`The SYN again, ([0-9.]+) ms after`).FindAllStringSubmatch(text, -1) {
		v, _ := strconv.ParseFloat(m[1], 64)
		check("a SYN retransmission after a timer", where, v >= 1, "a SYN retransmission %s ms after the first", m[1])
	}
	// A simultaneous close has no CLOSE-WAIT; a simultaneous open no
	// listen().
	if r.Teardown.Kind == analyze.TeardownSimultaneous {
		check("no CLOSE-WAIT in a simultaneous close", where, !strings.Contains(text, "will be CLOSE-WAIT"), "CLOSE-WAIT in a simultaneous close")
	}
	if tl.Simultaneous {
		check("no listen() in a simultaneous open", where, !strings.Contains(text, "listen()ing"), "a listener in a simultaneous open")
	}
	// Both sides are never ESTABLISHED at one packet of a client's open.
	check("not both ESTABLISHED at once", where, !strings.Contains(text, "both sides are ESTABLISHED"), "both sides ESTABLISHED at once")
}
