package report

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
)

// TestRepresentatives: the demo capture's three connections are each the
// first of a kind: a textbook one, a refused one, a reset one.
func TestRepresentatives(t *testing.T) {
	recs := demoRecords(t)
	var got []string
	for _, p := range Representatives(recs) {
		got = append(got, strconv.Itoa(p.Rec.Conn)+":"+p.Reason)
	}
	want := "0:report.pick.textbook 1:report.pick.refused 2:report.pick.reset"
	if strings.Join(got, " ") != want {
		t.Errorf("picks %v, want %s", got, want)
	}
}

// TestEveryValueExplained: every state, handshake status and teardown kind
// that synfin reports on the lab captures has its sentence in the
// catalogue, and so do the values the code can produce.
func TestEveryValueExplained(t *testing.T) {
	keys := []string{}
	for _, s := range []analyze.State{analyze.StateS0, analyze.StateS1, analyze.StateSF, analyze.StateREJ, analyze.StateS2, analyze.StateS3,
		analyze.StateRSTO, analyze.StateRSTR, analyze.StateRSTOS0, analyze.StateRSTRH, analyze.StateSH, analyze.StateSHR, analyze.StateOTH} {
		keys = append(keys, "state."+string(s))
	}
	for _, s := range []analyze.HandshakeStatus{analyze.HandshakeComplete, analyze.HandshakeNoAck, analyze.HandshakeNoReply, analyze.HandshakeRejected,
		analyze.HandshakeSimultaneous, analyze.HandshakeSynackOnly, analyze.HandshakeNotSeen} {
		keys = append(keys, "handshake."+string(s))
	}
	for _, s := range []analyze.TeardownKind{analyze.TeardownFourWay, analyze.TeardownThreeWay, analyze.TeardownSimultaneous, analyze.TeardownHalfClosed,
		analyze.TeardownReset, analyze.TeardownOpen} {
		keys = append(keys, "teardown."+string(s))
	}
	for _, n := range analyze.AllNotes {
		keys = append(keys, "note."+string(n))
	}
	paths, _ := filepath.Glob("../../testdata/lab/*.pcap")
	if len(paths) < 20 {
		t.Fatalf("only %d lab captures", len(paths))
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		pipeline.Run(p, f, pipeline.Options{}, func(r *analyze.Record) {
			keys = append(keys, "state."+string(r.State), "handshake."+string(r.Handshake.Status), "teardown."+string(r.Teardown.Kind))
		})
		f.Close()
	}
	for _, k := range keys {
		if !msg.Has(k) {
			t.Errorf("no message for %s", k)
		}
	}
}

// demoRecords are the records of synfin's demo capture.
func demoRecords(t *testing.T) []analyze.Record {
	t.Helper()
	recs, _, err := pipeline.ReadFile("../../cmd/synfin/demo/demo.pcap", pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestPicksTrue: over every lab capture, each pick's reason holds for the
// connection drawn, and it is the first connection of its kind by conn
// (an earlier one of the kind would make "the first" false).
func TestPicksTrue(t *testing.T) {
	paths, _ := filepath.Glob("../../testdata/lab/*.pcap")
	if len(paths) < 20 {
		t.Fatalf("only %d lab captures", len(paths))
	}
	picked := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		var recs []analyze.Record
		pipeline.Run(p, f, pipeline.Options{}, func(r *analyze.Record) { recs = append(recs, r.Clone()) })
		f.Close()
		slices.SortFunc(recs, func(a, b analyze.Record) int { return a.Conn - b.Conn })
		for _, pk := range Representatives(recs) {
			if pk.Reason == "report.pick.first" {
				continue
			}
			picked++
			var is func(*analyze.Record) bool
			for _, r := range pickRules {
				if r.key == pk.Reason {
					is = r.is
				}
			}
			if !is(pk.Rec) {
				t.Errorf("%s: conn %d picked as %s, which it is not", filepath.Base(p), pk.Rec.Conn, pk.Reason)
			}
			for i := range recs {
				if recs[i].Conn < pk.Rec.Conn && is(&recs[i]) {
					t.Errorf("%s: conn %d picked as %s, but conn %d is one and comes first", filepath.Base(p), pk.Rec.Conn, pk.Reason, recs[i].Conn)
				}
			}
		}
	}
	if picked < 20 {
		t.Errorf("only %d picks checked", picked)
	}
}
