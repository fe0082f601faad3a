package oracle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusOracles is the shared corpus; tests reading it directly are skipped
// when it is absent (a fresh clone does not have it) or with -short.
const corpusOracles = "/work/shared/corpus/oracles"

func corpusDir(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: corpus tests skipped")
	}
	dir := corpusOracles
	if d := os.Getenv("SYNFIN_ORACLES"); d != "" {
		dir = d
	}
	if _, err := os.Stat(filepath.Join(dir, "tshark")); err != nil {
		t.Skipf("corpus oracles not present at %s", dir)
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
