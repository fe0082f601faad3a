package batch

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/synfin/synfin/cmd/synfin/internal/inputs"
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
