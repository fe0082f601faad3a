package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/synfin/synfin/internal/corpus"

	"github.com/parquet-go/parquet-go"

	"github.com/synfin/synfin/analyze"
)

// The distributed lines of docs/batch.md, run for real: a Slurm job array on the
// one-node cluster .ci/slurm.sh starts, and GNU parallel. Each is skipped
// where its program is absent, unless SYNFIN_CLUSTER=required (CI), which
// makes that a failure.

// clusterTool finds program or skips (fails when required).
func clusterTool(t *testing.T, program string) {
	t.Helper()
	long(t, "runs "+program)
	if _, err := exec.LookPath(program); err != nil {
		if os.Getenv("SYNFIN_CLUSTER") == "required" {
			t.Fatalf("%s not found, and SYNFIN_CLUSTER=required", program)
		}
		t.Skipf("%s not found (bash .ci/slurm.sh start, apt-get install parallel)", program)
	}
}

// docLines are the lines of docs/batch.md, where the README sends a
// user for the cluster recipes, that start with prefix, in order.
func docLines(t *testing.T, prefix string) []string {
	t.Helper()
	b, err := os.ReadFile("../../docs/batch.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		t.Fatalf("docs/batch.md has no line starting %q", prefix)
	}
	return out
}

// forTest makes a docs/batch.md line run here: 4 shards instead of 8, the
// test's captures for /captures, and sbatch waiting for its job. The
// docs/batch.md resubmits task 3 of 8; the test cancels and resubmits task 1 of 4.
func forTest(t *testing.T, line, captures string) string {
	t.Helper()
	for _, want := range []string{"/8", "/captures"} {
		if !strings.Contains(line, want) {
			t.Fatalf("docs/batch.md line %q no longer has %q: the test and docs/batch.md drifted", line, want)
		}
	}
	r := strings.NewReplacer("/8", "/4", "0-7", "0-3", "seq 0 7", "seq 0 3", "--array=3", "--array=1", " /captures", " "+captures,
		"sbatch ", "sbatch --wait ")
	return r.Replace(line)
}

// sweep builds synfin and a tree of captures for the distributed runs:
// the shared corpus's captures (the lab captures without it), in two
// tar.zst archives and loose files. It returns the directory holding the
// binary and the tree.
func sweep(t *testing.T) (bin, tree string) {
	t.Helper()
	long(t, "builds synfin and packs the corpus")
	bin, tree = t.TempDir(), t.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(bin, "synfin"), ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var files []string
	if c := corpus.Path("captures"); c != "" {
		files, _ = filepath.Glob(filepath.Join(c, "*"))
	}
	if len(files) == 0 {
		files, _ = filepath.Glob("../../testdata/lab/*.pcap")
	}
	var groups [3][]string
	for i, f := range files {
		groups[i%3] = append(groups[i%3], f)
	}
	for i, name := range []string{"a.tar.zst", "b.tar.zst"} {
		stage := t.TempDir()
		var names []string
		for _, f := range groups[i] {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(stage, filepath.Base(f)), b, 0o644)
			names = append(names, filepath.Base(f))
		}
		args := append([]string{"-I", "zstd", "-cf", filepath.Join(tree, name), "-C", stage}, names...)
		if out, err := exec.Command("tar", args...).CombinedOutput(); err != nil {
			t.Fatalf("tar: %v\n%s", err, out)
		}
	}
	loose := filepath.Join(tree, "loose")
	os.MkdirAll(loose, 0o755)
	for _, f := range groups[2] {
		b, _ := os.ReadFile(f)
		os.WriteFile(filepath.Join(loose, filepath.Base(f)), b, 0o644)
	}
	return bin, tree
}

// runLine runs a shell line in dir with the test's synfin first on PATH.
// Its exit status is not checked: synfin batch exits 1 when a capture was
// damaged (the corpus holds some), and a job array reports it as a failed
// task; the records are what the test compares.
func runLine(t *testing.T, bin, dir, line string) {
	t.Helper()
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
}

// recordsOf reads every record of the Parquet and JSON Lines files
// matching glob as JSON lines, sorted by file and connection.
func recordsOf(t *testing.T, glob string) []string {
	t.Helper()
	files, _ := filepath.Glob(glob)
	if len(files) == 0 {
		t.Fatalf("no files %s", glob)
	}
	var out []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".parquet") {
			r := parquet.NewGenericReader[analyze.Record](fh)
			recs := make([]analyze.Record, r.NumRows())
			if n, err := r.Read(recs); n != len(recs) || (err != nil && err != io.EOF) {
				t.Fatalf("%s: %d of %d rows: %v", f, n, len(recs), err)
			}
			for i := range recs {
				out = append(out, string(recs[i].AppendJSON(nil)))
			}
			r.Close()
		} else {
			sc := bufio.NewScanner(fh)
			sc.Buffer(make([]byte, 1<<20), 1<<24)
			for sc.Scan() {
				out = append(out, sc.Text())
			}
		}
		fh.Close()
	}
	slices.Sort(out) // "file" and "conn" lead every line
	return out
}

// sameRecords checks that the records of glob are exactly those of one
// single-machine run (all), none missing, none twice.
func sameRecords(t *testing.T, what, glob string, all []string) {
	t.Helper()
	got := recordsOf(t, glob)
	if !slices.Equal(got, all) {
		missing, extra := 0, 0
		seen := map[string]int{}
		for _, l := range got {
			seen[l]++
		}
		for _, l := range all {
			if seen[l] == 0 {
				missing++
			}
			seen[l]--
		}
		for _, n := range seen {
			if n > 0 {
				extra += n
			}
		}
		t.Errorf("%s: %d records, one machine %d: %d missing, %d more than once or different", what, len(got), len(all), missing, extra)
		return
	}
	t.Logf("%s: %d records, equal to one machine's", what, len(got))
}

// slurmUp says whether a Slurm controller answers and its node takes
// jobs, or skips (fails when required): sbatch without a cluster.
func slurmUp(t *testing.T) {
	t.Helper()
	out, err := exec.Command("sinfo", "-h", "-o", "%T").Output()
	if err == nil && (strings.Contains(string(out), "idle") || strings.Contains(string(out), "mixed") || strings.Contains(string(out), "allocated")) {
		return
	}
	if os.Getenv("SYNFIN_CLUSTER") == "required" {
		t.Fatalf("no Slurm node takes jobs (sinfo: %q, %v): bash .ci/slurm.sh start", out, err)
	}
	t.Skipf("no Slurm node takes jobs: bash .ci/slurm.sh start (as root)")
}

// TestSlurmArray runs docs/batch.md's Slurm lines as a job array of 4 and
// checks the shards' records against one synfin batch run; then the
// resumable lines: one array task cancelled with scancel while it runs,
// submitted again, and the same check.
func TestSlurmArray(t *testing.T) {
	clusterTool(t, "sbatch")
	slurmUp(t)
	bin, tree := sweep(t)
	one := t.TempDir()
	runLine(t, bin, one, "synfin batch -q -o all.jsonl "+tree)
	all := recordsOf(t, filepath.Join(one, "all.jsonl"))

	lines := docLines(t, "sbatch ")
	if len(lines) != 3 {
		t.Fatalf("docs/batch.md has %d sbatch lines, want 3 (the array, the resumable array, its resubmission)", len(lines))
	}
	out := t.TempDir()
	start := time.Now()
	runLine(t, bin, out, forTest(t, lines[0], tree))
	t.Logf("job array of 4 over %s: %.1f s", tree, time.Since(start).Seconds())
	sameRecords(t, "Slurm array, Parquet", filepath.Join(out, "conns-*.parquet"), all)

	// Resumable: submit without waiting, cancel task 1 once it runs,
	// wait for the rest, submit task 1 again.
	res := t.TempDir()
	submit := strings.Replace(forTest(t, lines[1], tree), "sbatch --wait ", "sbatch --parsable ", 1)
	cmd := exec.Command("sh", "-c", submit)
	cmd.Dir = res
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
	id, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", submit, err)
	}
	job := strings.TrimSpace(string(id))
	cancelled := false
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		st, _ := exec.Command("squeue", "-h", "-j", job+"_1", "-o", "%T").Output()
		switch strings.TrimSpace(string(st)) {
		case "RUNNING":
			exec.Command("scancel", job+"_1").Run()
			cancelled = true
		case "": // done (or gone)
		default:
			continue
		}
		break
	}
	for deadline := time.Now().Add(120 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if st, _ := exec.Command("squeue", "-h", "-j", job).Output(); len(strings.TrimSpace(string(st))) == 0 {
			break
		}
	}
	t.Logf("task 1 cancelled while running: %v", cancelled)
	runLine(t, bin, res, forTest(t, lines[2], tree))
	sameRecords(t, "Slurm array resumed after scancel, numbered Parquet files", filepath.Join(res, "conns-*.parquet"), all)
}

// TestGNUParallel runs docs/batch.md's parallel line with 4 local jobs and
// checks the shards' records against one synfin batch run.
func TestGNUParallel(t *testing.T) {
	clusterTool(t, "parallel")
	bin, tree := sweep(t)
	one := t.TempDir()
	runLine(t, bin, one, "synfin batch -q -o all.jsonl "+tree)
	all := recordsOf(t, filepath.Join(one, "all.jsonl"))
	out := t.TempDir()
	line := docLines(t, "parallel ")[0]
	runLine(t, bin, out, forTest(t, line, tree))
	sameRecords(t, "GNU parallel, Parquet", filepath.Join(out, "conns-*.parquet"), all)
}

// long skips a test that takes seconds under go test -short (the quick
// run a contributor makes); make test and CI run it.
func long(t *testing.T, what string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("-short: %s", what)
	}
}
