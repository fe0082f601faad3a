package batch

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/synfin/synfin/internal/inputs"
)

// TestManifestCutLine: a manifest whose last line a crash cut short still
// resumes, and the line appended next stands on its own.
func TestManifestCutLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.jsonl")
	os.WriteFile(path, []byte(`{"input":"a","size":1,"mtime_ns":2,"head_sha256":"x"}`+"\n"+`{"input":"b","si`), 0o644)
	for i := range 2 {
		m, err := OpenManifest(path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if !m.has(entry{Input: "a", Identity: inputs.Identity{Size: 1, MTime: 2, Head: "x"}}) {
			t.Errorf("open %d: the whole line was lost", i)
		}
		m.add(entry{Input: "c" + strconv.Itoa(i)})
		m.Close()
	}
}

// TestManifestOutputNotThere: the manifest names a series' captures just
// before their file is put in place; an entry naming a file not there
// (the run stopped in between) is not done, and its name is not written
// again.
func TestManifestOutputNotThere(t *testing.T) {
	dir := t.TempDir()
	placed, lost := filepath.Join(dir, "c-0000.parquet"), filepath.Join(dir, "c-0001.parquet")
	os.WriteFile(placed, []byte("PAR1"), 0o644)
	path := filepath.Join(dir, "m")
	m, err := OpenManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	a := entry{Input: "a", Identity: inputs.Identity{Size: 1}}
	b := entry{Input: "b", Identity: inputs.Identity{Size: 2}}
	a.Output, b.Output = placed, lost
	m.add(a)
	m.add(b)
	m.Close()
	if m, err = OpenManifest(path); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	a.Output, b.Output = "", ""
	if !m.has(a) {
		t.Error("a capture in a file put in place is not done")
	}
	if m.has(b) {
		t.Error("a capture whose file never was put in place is done")
	}
	if got := m.Outputs(); len(got) != 2 {
		t.Errorf("Outputs = %v, want both names", got)
	}
}
