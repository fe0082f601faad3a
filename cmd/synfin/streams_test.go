package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestStreamsMatchTsharkFollow: the files --streams writes hold exactly
// the bytes tshark's "Follow TCP Stream" gives (tshark -q -z
// follow,tcp,raw,0, run once; sizes and SHA-256 below) for an HTTP, a TLS
// 1.3 and an SSH connection.
func TestStreamsMatchTsharkFollow(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, f := range []string{"http-simple-get", "curl-enabled-tls13", "ssh2"} {
		paths = append(paths, "../../testdata/app/"+f+".pcap")
	}
	if code, stderr := runBatchArgs(t, append([]string{"-q", "--streams", dir}, paths...)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := map[string]string{ // capture.direction: size and SHA-256 prefix from tshark
		"http-simple-get.c2s": "152 619101c40cb32741", "http-simple-get.s2c": "5237 443226c983d3ec71",
		"curl-enabled-tls13.c2s": "845 82b4dbde1cbdb017", "curl-enabled-tls13.s2c": "4238 5edd944db27e514a",
		"ssh2.c2s": "1109 51af6ce320f44233", "ssh2.s2c": "1407 71017bd090dcb086",
	}
	for key, w := range want {
		capture, ext, _ := strings.Cut(key, ".")
		m, _ := filepath.Glob(filepath.Join(dir, "testdata_app_"+capture+".pcap_0000_*."+ext))
		if len(m) != 1 {
			t.Errorf("%s: files %v", key, m)
			continue
		}
		b, err := os.ReadFile(m[0])
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if got := strconv.Itoa(len(b)) + " " + hex.EncodeToString(sum[:])[:16]; got != w {
			t.Errorf("%s: %s, tshark %s", key, got, w)
		}
	}
	if gaps, _ := filepath.Glob(filepath.Join(dir, "*.gaps")); len(gaps) != 0 {
		t.Errorf("gap files for complete streams: %v", gaps)
	}
}

// TestStreamsRunTwice: a second run replaces the files of the first, it
// does not add to them.
func TestStreamsRunTwice(t *testing.T) {
	dir := t.TempDir()
	for range 2 {
		if code, stderr := runBatchArgs(t, "-q", "--streams", dir, "../../testdata/app/ssh2.pcap"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	m, _ := filepath.Glob(filepath.Join(dir, "*.c2s"))
	if len(m) != 1 {
		t.Fatalf("files %v", m)
	}
	if fi, _ := os.Stat(m[0]); fi.Size() != 1109 {
		t.Errorf("%d bytes after two runs, want 1109", fi.Size())
	}
}
