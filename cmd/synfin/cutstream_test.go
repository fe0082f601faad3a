package main

import (
	"archive/tar"
	"bytes"
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
// it ends at. How far that is depends on the format: lz4 and bzip2
// decompress whole blocks (4 MB and 900 kB), so a cut gives up its block.
// Real captures (testdata/upload, testdata/lab); each program skipped
// where absent.
func TestCutCompressedArchives(t *testing.T) {
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
	// lz4's blocks here are 4 MB of the tar, decoded whole: cut halfway,
	// the first block is cut and nothing can be read (a limit, in the
	// README); cut at nine tenths, the first block is whole.
	for _, c := range []struct {
		prog, ext string
		at        float64
	}{{"gzip", "gz", 0.5}, {"zstd", "zst", 0.5}, {"xz", "xz", 0.5}, {"lz4", "lz4", 0.9}, {"bzip2", "bz2", 0.5}} {
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
