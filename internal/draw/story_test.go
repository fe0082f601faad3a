package draw

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze/evidence"
	"github.com/synfin/synfin/internal/msg"
)

// storyWords are, per kind of packet the ladder notes and the walkthrough
// tells on its own, a word both must use for it.
var storyWords = map[evidence.Kind][2]string{ // ladder note, walkthrough
	evidence.Retransmission:  {"retransmission", "again"},
	evidence.ZeroWindow:      {"zero window", "zero window"},
	evidence.ZeroWindowProbe: {"zero-window probe", "zero-window probe"},
	evidence.KeepAlive:       {"keep-alive", "keep-alive"},
	evidence.OutOfOrder:      {"out of order", "out of order"},
	evidence.SYNAgain:        {"SYN again", "SYN again"},
	evidence.FINAgain:        {"FIN again", "FIN"},
}

// TestOneStory: the ladder's notes and the walkthrough read one timeline,
// so each packet the walkthrough tells on its own (a retransmission, a
// zero window, a probe, a keep-alive, a SYN or FIN sent again) is noted
// beside its arrow with the same event, in the same order, over every
// connection of testdata and the lab.
func TestOneStory(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: every capture of testdata and the corpus")
	}
	var files []string
	for _, pat := range []string{"../../testdata/*/*.pcap", corpusDir() + "/lab/*.pcap"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	rowFrame := regexp.MustCompile(`^\s*(\d+)\s+[0-9.]+\s`)
	told := 0
	for _, path := range files {
		rec, recs := followAll(t, path)
		if recs == nil {
			continue
		}
		for i := range recs {
			r := &recs[i]
			l := rec.Ladder(r.Conn)
			if l == nil || l.Dropped > 0 {
				continue
			}
			var lb, eb bytes.Buffer
			Text(&lb, l, r, Style{Lang: msg.EN, Full: true})
			Explain(&eb, l, r, msg.EN, PlainText, Context{})
			notes := map[int]string{} // frame: the ladder's row
			for _, line := range strings.Split(lb.String(), "\n") {
				if m := rowFrame.FindStringSubmatch(line); m != nil {
					n, _ := strconv.Atoi(m[1])
					notes[n] = line
				}
			}
			items := map[int]string{} // frame: its walkthrough item
			var itemOrder []int
			for _, it := range splitItems(strings.Join(strings.Fields(eb.String()), " ")) {
				if m := regexp.MustCompile(`\[frame (\d+),`).FindStringSubmatch(it); m != nil {
					n, _ := strconv.Atoi(m[1])
					items[n] = it
					itemOrder = append(itemOrder, n)
				}
			}
			where := filepath.Base(path) + " conn " + strconv.Itoa(r.Conn)
			var order []int
			for _, e := range evidence.Build(l).Entries {
				words, ok := storyWords[e.Kind]
				if !ok || e.AfterReset {
					continue
				}
				s := l.Steps[e.Step]
				it, told1 := items[s.Frame]
				if !told1 {
					continue // folded into a run, which counts it
				}
				told++
				order = append(order, s.Frame)
				if !strings.Contains(notes[s.Frame], words[0]) {
					t.Errorf("%s frame %d: the walkthrough tells %q, the ladder's note is %q", where, s.Frame, words[1], notes[s.Frame])
				}
				if !strings.Contains(it, words[1]) {
					t.Errorf("%s frame %d: the ladder notes %q, the walkthrough says %.100q", where, s.Frame, words[0], it)
				}
			}
			// The same events, in the walkthrough's order.
			j := 0
			for _, n := range itemOrder {
				if j < len(order) && n == order[j] {
					j++
				}
			}
			if j != len(order) {
				t.Errorf("%s: the walkthrough tells frames %v out of the ladder's order", where, order)
			}
		}
	}
	t.Logf("%d packets told alike by the ladder's notes and the walkthrough", told)
	if told < 20 {
		t.Errorf("only %d packets compared", told)
	}
}
