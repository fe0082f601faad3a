package draw

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/analyze/pipeline"
	"github.com/synfin/synfin/cmd/synfin/internal/msg"
)

// TestWalkthroughRules reads the walkthrough of every connection of every
// test capture (testdata and, where it sits beside the repository, the
// shared lab corpus), in English and Chinese, against rules of TCP that a
// sentence must not break; a broken rule names the capture and connection.
func TestWalkthroughRules(t *testing.T) {
	var files []string
	for _, pat := range []string{"../../../../testdata/*/*.pcap", "../../../../../shared/corpus/lab/*.pcap"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) < 60 {
		t.Fatalf("only %d captures", len(files))
	}
	againMS := regexp.MustCompile(`The SYN again, ([0-9.]+) ms after`)
	halfBytes := regexp.MustCompile(`A half-close: .* the client sent (\d+) bytes and the server (\d+)`)
	walked := 0
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		rec := ladder.NewRecorder()
		var recs []analyze.Record
		_, err = pipeline.Run(path, f, pipeline.Options{Trace: rec.Trace}, func(r *analyze.Record) { recs = append(recs, r.Clone()) })
		f.Close()
		if err != nil && len(recs) == 0 {
			continue // damaged test captures
		}
		ctx := Context{Listened: Listening(recs), Earlier: Earliers(recs)}
		for i := range recs {
			r := &recs[i]
			l := rec.Ladder(r.Conn)
			if l == nil {
				continue
			}
			for _, lang := range []msg.Lang{msg.EN, msg.ZH} {
				var b bytes.Buffer
				Explain(&b, l, r, lang, PlainText, ctx)
				walked++
				if lang != msg.EN {
					continue
				}
				text := strings.Join(strings.Fields(b.String()), " ")
				where := filepath.Base(path) + " conn " + strconv.Itoa(r.Conn)
				// A retransmission is sent after a timer, never within 1 ms.
				for _, m := range againMS.FindAllStringSubmatch(text, -1) {
					if v, _ := strconv.ParseFloat(m[1], 64); v < 1 {
						t.Errorf("%s: a SYN retransmission %s ms after the first", where, m[1])
					}
				}
				// A half-close is data after a FIN.
				for _, m := range halfBytes.FindAllStringSubmatch(text, -1) {
					if m[1] == "0" && m[2] == "0" {
						t.Errorf("%s: a half-close without data", where)
					}
				}
				// "Nothing listens" never follows a completed handshake to
				// that server.
				if t0, ok := ctx.Listened[r.Server]; ok && r.Handshake.SynTS != nil && t0 < *r.Handshake.SynTS && strings.Contains(text, "most often nothing listens") {
					t.Errorf("%s: nothing listens on %s, though a handshake to it completed before", where, r.Server)
				}
				// Never established: no sentence says it was.
				if r.Handshake.Status != analyze.HandshakeComplete && r.Handshake.Status != analyze.HandshakeSimultaneous &&
					(strings.Contains(text, "Established, then") || strings.Contains(text, "The connection was established")) {
					t.Errorf("%s: a %s handshake told as established", where, r.Handshake.Status)
				}
				// A connection the client's connect() made is ESTABLISHED
				// for the client at the SYN-ACK, not at its ACK.
				if strings.Contains(text, "both sides are ESTABLISHED") {
					t.Errorf("%s: both sides ESTABLISHED at once", where)
				}
				// A simultaneous close has no CLOSE-WAIT.
				if r.Teardown.Kind == analyze.TeardownSimultaneous && strings.Contains(text, "will be CLOSE-WAIT") {
					t.Errorf("%s: CLOSE-WAIT in a simultaneous close", where)
				}
				// A port reuse is named where the tuple carried one before.
				if _, ok := ctx.before(l, l.Steps[0].TS); ok && r.Handshake.SynCount > 0 && l.Steps[0].Dir == 0 && !strings.Contains(text, "a port reuse") {
					t.Errorf("%s: the 4-tuple carried a connection before, but the walkthrough does not say so", where)
				}
				// One caption tells one story: a reset after both FINs is
				// not "an RST before the close".
				if r.Teardown.Fin1TS != nil && r.Teardown.Fin2TS != nil && strings.Contains(text, "an RST ended the connection before the close completed") {
					t.Errorf("%s: both FINs, yet an RST before the close", where)
				}
			}
		}
	}
	if walked < 500 {
		t.Errorf("only %d walkthroughs read", walked)
	}
}
