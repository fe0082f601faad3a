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

// wholeLines is an output that fails the test when a write ends inside a
// line: what a reader following the file (tail -f) would see.
type wholeLines struct {
	t      *testing.T
	writes int
	bytes  int
}

func (w *wholeLines) Write(p []byte) (int, error) {
	if len(p) > 0 && p[len(p)-1] != '\n' {
		w.t.Errorf("write %d of %d bytes ends inside a line: %q", w.writes+1, len(p), p[max(0, len(p)-40):])
	}
	w.writes++
	w.bytes += len(p)
	return len(p), nil
}

// TestBatchWritesWholeLines: a batch's JSON Lines go out in whole lines,
// also when they are many times the output's buffer (CSV is written the
// same way; testdata's CSV fits in one buffer).
func TestBatchWritesWholeLines(t *testing.T) {
	for _, format := range []string{"jsonl"} {
		out := &wholeLines{t: t}
		run([]string{"batch", "-q", "--jobs", "2", "-f", format, "../../testdata"}, strings.NewReader(""), out, &bytes.Buffer{})
		if out.writes < 3 {
			t.Errorf("-f %s: %d bytes in %d writes: the buffer was never full, nothing tested", format, out.bytes, out.writes)
		}
		t.Logf("-f %s: %d bytes in %d writes, each ending a line", format, out.bytes, out.writes)
	}
}
