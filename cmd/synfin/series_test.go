package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSeriesSurvivesKill writes a sweep as numbered Parquet files and
// kills it (SIGKILL: nothing is tidied) once its second file is in place.
// Every file there then reads whole, and --resume gives one machine's
// records, none missing and none twice: the results were queryable while
// the sweep ran, and the kill lost only the open file, which the resumed
// run wrote again.
func TestSeriesSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds synfin and sweeps the corpus twice")
	}
	bin, tree := sweep(t)
	one := t.TempDir()
	runLine(t, bin, one, "synfin batch -q -o all.jsonl "+tree)
	all := recordsOf(t, filepath.Join(one, "all.jsonl"))

	dir := t.TempDir()
	args := []string{"batch", "-q", "--jobs", "1", "--rotate", "150", "--resume", "m", "-o", "c-%04d.parquet", tree}
	cmd := exec.Command(filepath.Join(bin, "synfin"), args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, "c-0001.parquet")); err == nil {
			break
		}
	}
	cmd.Process.Kill()
	err := cmd.Wait()
	if cmd.ProcessState.Exited() {
		t.Fatalf("the sweep ended (%v) before it was killed: nothing tested\n%s", err, stderr.String())
	}
	parts, _ := filepath.Glob(filepath.Join(dir, "c-*.parquet"))
	manifest, _ := os.ReadFile(filepath.Join(dir, "m"))
	t.Logf("killed with %d files in place, %d captures named in the manifest", len(parts), bytes.Count(manifest, []byte("\n")))
	if len(parts) < 2 {
		t.Fatalf("%d files in place when killed, want 2 or more", len(parts))
	}
	got := recordsOf(t, filepath.Join(dir, "c-*.parquet")) // every file reads whole
	if len(got) >= len(all) {
		t.Fatalf("the killed sweep wrote %d records of %d: it was not stopped part way", len(got), len(all))
	}

	runLine(t, bin, dir, "synfin "+strings.Join(args, " "))
	sameRecords(t, "killed and resumed, numbered Parquet files", filepath.Join(dir, "c-*.parquet"), all)
	if again, _ := filepath.Glob(filepath.Join(dir, "c-*.parquet")); len(again) <= len(parts) {
		t.Errorf("the resumed run added no file: %d before, %d after", len(parts), len(again))
	}
}
