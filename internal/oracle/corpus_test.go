package oracle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/corpus"
)

// corpusDir is the shared corpus's oracles (internal/corpus); tests
// reading them are skipped when it is absent (a fresh clone does not have
// it) or with -short.
func corpusDir(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: corpus tests skipped")
	}
	dir := corpus.Path("oracles")
	if _, err := os.Stat(filepath.Join(dir, "tshark")); dir == "" || err != nil {
		t.Skip("no corpus oracles beside the repository (SYNFIN_CORPUS names them)")
	}
	return dir
}

// TestCorpusTsharkParses reads every tshark oracle of the corpus.
func TestCorpusTsharkParses(t *testing.T) {
	dir := corpusDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "tshark", "*.tsv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no tshark oracles: %v", err)
	}
	var conns, skipped, tunnelled int
	reasons := map[string]int{}
	for _, f := range files {
		l, err := ReadTsharkFile(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		conns += len(l.Conns)
		skipped += len(l.Skipped)
		for _, s := range l.Skipped {
			reasons[s.Reason]++
		}
		for _, c := range l.Conns {
			if c.Tunnelled {
				tunnelled++
			}
			if c.Completeness == nil {
				t.Errorf("%s %s: no completeness", l.Capture, c.ID())
			}
		}
	}
	t.Logf("%d files, %d streams (%d tunnelled), %d rows skipped: %v", len(files), conns, tunnelled, skipped, reasons)
}

// TestCorpusZeekParses reads the mapping and every conn.log it names.
func TestCorpusZeekParses(t *testing.T) {
	dir := corpusDir(t)
	bs, err := ReadMappingFile(filepath.Join(dir, "zeek", "mapping.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	usable, missing, rows := 0, 0, 0
	why := map[string]int{}
	for _, b := range bs {
		for _, r := range b.SkipReasons() {
			why[r]++
		}
		if _, err := os.Stat(b.LogPath(dir)); err != nil {
			missing++
			continue
		}
		l, err := ReadZeekBaseline(dir, b)
		if err != nil {
			t.Errorf("%s: %v", b.CopiedTo, err)
			continue
		}
		if b.Usable() {
			if !l.Comparable() {
				t.Logf("%s: usable by the mapping, but the log lacks columns (%s)", b.CopiedTo, strings.Join(l.Columns, ","))
				continue
			}
			usable++
			rows += len(l.Conns)
		}
	}
	t.Logf("%d baselines, %d usable (%d TCP rows), %d files missing; skip reasons: %v", len(bs), usable, rows, missing, why)
}

// recordFrom builds the record a perfect synfin would write for a stream:
// irtt_ms is the oracle's iRTT, and so is rtt_ms except on a refused
// connection, which has none (RuleRefusedNoRTT).
func recordFrom(c TsharkConn, conn int, dropISN bool) analyze.Record {
	opts := func(s *TsharkSegment) *analyze.Options {
		if s == nil {
			return nil
		}
		o := &analyze.Options{MSS: s.MSS, WScale: s.WScale, SackPerm: s.SackPerm, TSVal: s.TSVal}
		if s.Layout != nil {
			o.Layout = *s.Layout
		}
		if s.Window != nil {
			o.Window = *s.Window
		}
		return o
	}
	r := analyze.Record{File: c.Capture, Conn: conn, Client: c.Client.String(), Server: c.Server.String()}
	if c.Completeness != nil {
		r.Completeness = *c.Completeness
	}
	r.Handshake = analyze.Handshake{ClientISN: c.ClientISN, ServerISN: c.ServerISN, SynCount: c.SynCount, SynackCount: c.SynAckCount,
		RTTms: c.IRTTMs, IRTTms: c.IRTTMs, SynOptions: opts(c.Syn), SynackOptions: opts(c.SynAck)}
	if c.Refused {
		r.Handshake.Status, r.Handshake.RTTms = analyze.HandshakeRejected, nil
	}
	if dropISN {
		r.Handshake.ClientISN = nil
	}
	return r
}

// TestCorpusTsharkSelfMatch compares every tshark oracle with records made
// from it (every other one without a client ISN, in reverse order): all
// must match and agree, which exercises matching on every stream of the
// corpus, port reuse included.
func TestCorpusTsharkSelfMatch(t *testing.T) {
	dir := corpusDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "tshark", "*.tsv"))
	var total FieldStats
	refusedIRTT := 0 // refused streams with an iRTT: rtt_ms~irtt by rule
	for _, f := range files {
		l, err := ReadTsharkFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var recs []analyze.Record
		for i := len(l.Conns) - 1; i >= 0; i-- {
			recs = append(recs, recordFrom(l.Conns[i], l.Conns[i].Stream, i%2 == 1))
			if l.Conns[i].Refused && l.Conns[i].IRTTMs != nil {
				refusedIRTT++
			}
		}
		s := CompareTshark(recs, l.Conns)
		if len(s.UnmatchedSynfin)+len(s.UnmatchedOracle) > 0 {
			t.Errorf("%s: unmatched %v / %v", l.Capture, s.UnmatchedSynfin, s.UnmatchedOracle)
		}
		total.Merge(s)
	}
	if total.Field(FieldIRTT).Compared == 0 {
		t.Error("no irtt compared")
	}
	for _, f := range total.Fields {
		want := f.Compared
		if f.Field == FieldClientISN {
			continue // half the records have none on purpose
		}
		if f.Agreed != want {
			t.Errorf("%s: %d of %d agreed", f.Field, f.Agreed, f.Compared)
		}
	}
	for _, d := range total.Disagreements {
		if d.Field != FieldClientISN {
			t.Errorf("disagreement %+v", d)
		}
	}
	// Only refused connections' rtt_ms is set aside; irtt has no rule.
	for _, d := range total.ByRule {
		if d.Field != FieldRTT || d.Note != RuleRefusedNoRTT {
			t.Errorf("by rule %+v", d)
		}
	}
	if got := total.Field(FieldRTT).ByRule; got != refusedIRTT || len(total.ByRule) != refusedIRTT {
		t.Errorf("rtt_ms~irtt by rule %d (%d listed), want %d refused streams", got, len(total.ByRule), refusedIRTT)
	}
	t.Logf("%d streams matched; irtt %+v; rtt_ms~irtt %+v", total.Matched, total.Field(FieldIRTT), total.Field(FieldRTT))
}

// TestCorpusZeekSelfMatch compares every usable Zeek baseline with records
// made from its own rows (every other one seen from the other side).
func TestCorpusZeekSelfMatch(t *testing.T) {
	dir := corpusDir(t)
	bs, err := ReadMappingFile(filepath.Join(dir, "zeek", "mapping.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var total FieldStats
	for _, b := range bs {
		if !b.Usable() {
			continue
		}
		l, err := ReadZeekBaseline(dir, b)
		if err != nil || !l.Comparable() {
			continue
		}
		var recs []analyze.Record
		for i, z := range l.Conns {
			r := analyze.Record{File: "dir/" + l.Capture, Conn: i, Client: z.Orig.String(), Server: z.Resp.String(), State: analyze.State(z.ConnState), History: z.History}
			if i%2 == 1 {
				r.Client, r.Server = r.Server, r.Client
			}
			recs = append(recs, r)
		}
		s := CompareZeek(recs, l.Conns)
		if len(s.UnmatchedSynfin)+len(s.UnmatchedOracle)+len(s.Disagreements) > 0 {
			t.Errorf("%s: unmatched %v / %v, disagreements %v", b.CopiedTo, s.UnmatchedSynfin, s.UnmatchedOracle, s.Disagreements)
		}
		total.Merge(s)
	}
	t.Logf("%d Zeek rows matched; conn_state %+v, history %+v", total.Matched, total.Field(FieldConnState), total.Field(FieldHistory))
}
