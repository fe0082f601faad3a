package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCutCompressedArchives: a tar archive compressed by each program a
// user has (gzip, zstd, xz, lz4, bzip2) and then cut halfway through the
// compressed bytes (head -c) is read as far as its decompressor gives
// bytes: every member it gives whole yields the same records as in the
// whole archive, and the member the cut falls in is named with the byte
// it ends at. How far that is depends on the format: bzip2 decompresses
// whole blocks (900 kB), so a cut gives up its block; synfin decodes an
// lz4 block cut short sequence by sequence.
// Real captures (testdata/upload, testdata/lab); each program skipped
// where absent.
func TestCutCompressedArchives(t *testing.T) {
	long(t, "compresses 6 MB five ways")
	var tarball bytes.Buffer
	tw := tar.NewWriter(&tarball)
	paths, _ := filepath.Glob("../../testdata/lab/*.pcap")
	paths = append(paths, "../../testdata/upload/upload-1mb-loss.pcap", "../../testdata/upload/upload-1mb-loss.server.pcap")
	paths = append(paths, paths...) // about 6 MB, several blocks of every format
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		tw.WriteHeader(&tar.Header{Name: strings.Repeat("x", i%2) + filepath.Base(p) + "-" + string(rune('a'+i%26)), Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg})
		tw.Write(b)
	}
	tw.Close()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "all.tar"), tarball.Bytes(), 0o644)
	wholeRecs := func(in string) map[string]bool {
		out := filepath.Join(dir, in+".jsonl")
		var errb bytes.Buffer
		run([]string{"batch", "-q", "--no-progress", "-o", out, filepath.Join(dir, in)}, strings.NewReader(""), &bytes.Buffer{}, &errb)
		m := map[string]bool{}
		b, _ := os.ReadFile(out)
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if l != "" {
				m[strings.Replace(l, in, "ARCHIVE", 1)] = true
			}
		}
		return m
	}
	whole := wholeRecs("all.tar")
	for _, c := range []struct {
		prog, ext string
		at        float64
	}{{"gzip", "gz", 0.5}, {"zstd", "zst", 0.5}, {"xz", "xz", 0.5}, {"lz4", "lz4", 0.5}, {"bzip2", "bz2", 0.5}} {
		if _, err := exec.LookPath(c.prog); err != nil {
			t.Logf("%s not found: .tar.%s not tested", c.prog, c.ext)
			continue
		}
		comp, err := exec.Command(c.prog, "-c", filepath.Join(dir, "all.tar")).Output()
		if err != nil {
			t.Fatalf("%s: %v", c.prog, err)
		}
		name := "cut.tar." + c.ext
		os.WriteFile(filepath.Join(dir, name), comp[:int(float64(len(comp))*c.at)], 0o644)
		var errb bytes.Buffer
		out := filepath.Join(dir, name+".jsonl")
		run([]string{"batch", "--no-progress", "-o", out, filepath.Join(dir, name)}, strings.NewReader(""), &bytes.Buffer{}, &errb)
		b, _ := os.ReadFile(out)
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		cutMember := ""
		for _, l := range strings.Split(errb.String(), "\n") {
			if strings.Contains(l, "cut short at byte") && strings.Contains(l, "(the archive ends there)") {
				cutMember = l
			}
		}
		// Records of members read whole equal the whole archive's; those
		// of the cut member are what its bytes up to the cut give.
		same, n := 0, 0
		for _, l := range lines {
			if l == "" {
				continue
			}
			n++
			if whole[strings.Replace(l, name, "ARCHIVE", 1)] {
				same++
			}
		}
		if n == 0 || cutMember == "" {
			t.Errorf(".tar.%s cut at %.0f%%: %d records, cut member named: %q", c.ext, 100*c.at, n, cutMember)
			continue
		}
		if n-same > 3 {
			t.Errorf(".tar.%s: %d of %d records differ from the whole archive's (only the cut member's may)", c.ext, n-same, n)
		}
		t.Logf(".tar.%s cut at %.0f%%: %d of %d records saved; the cut member: %s", c.ext, 100*c.at, n, len(whole), cutMember[strings.LastIndex(cutMember, "!/")+2:])
	}
}

// TestCutCompressedMembers: archives (tar and zip) of captures compressed
// one by one with each program, cut at three fifths: every member before
// the cut gives the records it gives whole, and the member the cut falls
// in is named as cut by the archive, not as a damaged stream (or, cut
// between two members, the archive says it ends without its marker). Real
// captures (testdata/lab, testdata/upload); each program skipped where
// absent.
func TestCutCompressedMembers(t *testing.T) {
	long(t, "compresses the lab captures five ways")
	paths, _ := filepath.Glob("../../testdata/lab/*.pcap")
	paths = append(paths, "../../testdata/upload/upload-1mb-loss.pcap")
	for _, c := range []struct{ prog, ext string }{{"gzip", "gz"}, {"zstd", "zst"}, {"xz", "xz"}, {"lz4", "lz4"}, {"bzip2", "bz2"}} {
		if _, err := exec.LookPath(c.prog); err != nil {
			t.Logf("%s not found: .pcap.%s members not tested", c.prog, c.ext)
			continue
		}
		stage := t.TempDir()
		var names []string
		for _, p := range paths {
			out, err := exec.Command(c.prog, "-c", p).Output()
			if err != nil {
				t.Fatalf("%s: %v", c.prog, err)
			}
			names = append(names, filepath.Base(p)+"."+c.ext)
			os.WriteFile(filepath.Join(stage, names[len(names)-1]), out, 0o644)
		}
		for _, pack := range [][]string{{"tar", "-cf", "x.tar"}, {"zip", "-q", "-0", "x.zip"}} {
			if _, err := exec.LookPath(pack[0]); err != nil {
				t.Logf("%s not found", pack[0])
				continue
			}
			archive := pack[len(pack)-1]
			cmd := exec.Command(pack[0], append(pack[1:], names...)...)
			cmd.Dir = stage
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", pack[0], err, out)
			}
			whole := batchLines(t, stage, archive)
			b, _ := os.ReadFile(filepath.Join(stage, archive))
			cut := "cut-" + c.ext + "-" + archive
			os.WriteFile(filepath.Join(stage, cut), b[:len(b)*3/5], 0o644)
			var errb bytes.Buffer
			out := filepath.Join(stage, cut+".jsonl")
			run([]string{"batch", "--no-progress", "-o", out, filepath.Join(stage, cut)}, strings.NewReader(""), &bytes.Buffer{}, &errb)
			got := map[string]bool{}
			rb, _ := os.ReadFile(out)
			for _, l := range strings.Split(strings.TrimSpace(string(rb)), "\n") {
				if l != "" {
					got[strings.Replace(l, cut, archive, 1)] = true
				}
			}
			var cutMember string
			for _, l := range strings.Split(errb.String(), "\n") {
				var whole int
				if i := strings.Index(l, "ends after "); i >= 0 && strings.Contains(l, "without its end-of-archive marker") {
					fmt.Sscanf(l[i:], "ends after %d whole members", &whole)
					cutMember = names[whole] // the cut fell between two members
				}
				if strings.Contains(l, "(the archive ends there)") {
					rest := l[strings.Index(l, "!/")+2:]
					cutMember = rest[:strings.Index(rest, ":")]
					if strings.Contains(l, "damaged") {
						t.Errorf("%s: %s", cut, l)
					}
				}
			}
			if cutMember == "" {
				t.Errorf("%s: no member named as cut:\n%s", cut, errb.String())
				continue
			}
			// Every member before the cut one gives all its records.
			saved, before := 0, 0
			for _, name := range names {
				if name == cutMember {
					break
				}
				for l := range whole {
					if strings.Contains(l, "!/"+name+"\"") {
						before++
						if got[l] {
							saved++
						}
					}
				}
			}
			if saved != before || before == 0 {
				t.Errorf("%s: %d of the %d records of the members before %s", cut, saved, before, cutMember)
			}
			t.Logf("%s: the %d records of the members before %s, and %d of that member's", cut, before, cutMember, len(got)-saved)
		}
	}
}

// batchLines are the records synfin batch writes for name in dir.
func batchLines(t *testing.T, dir, name string) map[string]bool {
	t.Helper()
	out := filepath.Join(dir, name+".jsonl")
	run([]string{"batch", "-q", "--no-progress", "-o", out, filepath.Join(dir, name)}, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	b, _ := os.ReadFile(out)
	m := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if l != "" {
			m[l] = true
		}
	}
	return m
}
