package report

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"synfin/analyze"
	"synfin/analyze/pipeline"
	"synfin/cmd/synfin/internal/msg"
	"testing"
)

// TestRepresentatives: the demo capture's three connections are each the
// first of a kind: a textbook one, a refused one, a reset one.
func TestRepresentatives(t *testing.T) {
	recs := demoRecords(t)
	var got []string
	for _, p := range Representatives(recs) {
		got = append(got, strconv.Itoa(p.Rec.Conn)+":"+p.Reason)
	}
	want := "0:report.pick.complete 1:report.pick.refused 2:report.pick.reset"
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
	paths, _ := filepath.Glob("../../../../testdata/lab/*.pcap")
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
	f, err := os.Open("../../demo/demo.pcap")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []analyze.Record
	if _, err := pipeline.Run("demo.pcap", f, pipeline.Options{}, func(r *analyze.Record) { recs = append(recs, r.Clone()) }); err != nil {
		t.Fatal(err)
	}
	return recs
}
