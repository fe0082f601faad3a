package main

import (
	"bytes"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The captures of these tests are real (testdata/lab), copied into a
// temporary directory so that a test that failed to protect them would
// destroy only its copy.

// copyCapture copies a testdata capture to dir/name.
func copyCapture(t *testing.T, from, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func sum(t *testing.T, p string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// noTemporaries fails if a run left a temporary output file in dir.
func noTemporaries(t *testing.T, dir string) {
	t.Helper()
	left, _ := filepath.Glob(filepath.Join(dir, ".*.synfin-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// TestOutputIsNeverAnInput: -o naming an input, by its name, through a
// symbolic link or inside a directory input, is refused before anything is
// opened, in every view that writes -o; the capture's bytes are unchanged.
func TestOutputIsNeverAnInput(t *testing.T) {
	const lab = "../../testdata/lab/01_plain_client_close.pcap"
	for _, view := range []string{"", "summary", "ladder", "report", "batch", "handshakes"} {
		dir := t.TempDir()
		mine := copyCapture(t, lab, dir, "mine.pcap")
		if err := os.Symlink("mine.pcap", filepath.Join(dir, "link.pcap")); err != nil {
			t.Fatal(err)
		}
		sub := filepath.Join(dir, "sub")
		os.Mkdir(sub, 0o755)
		inSub := copyCapture(t, lab, sub, "in.pcap")
		before, beforeSub := sum(t, mine), sum(t, inSub)
		for _, c := range []struct {
			out, in, want string
		}{
			{mine, mine, "is also an input"},
			{filepath.Join(dir, "link.pcap"), mine, "is the input " + mine},
			{mine, filepath.Join(dir, "link.pcap"), "(the same file)"},
			{inSub, sub, "is also an input"},
		} {
			args := []string{"-o", c.out, c.in}
			if view != "" {
				args = append([]string{view}, args...)
			}
			var out, errb bytes.Buffer
			code := run(args, strings.NewReader(""), &out, &errb)
			if code != exitNothing || !strings.Contains(errb.String(), c.want) || strings.Count(errb.String(), "\n") != 2 {
				t.Errorf("synfin %s: exit %d, stderr %q; want exit 2 and one line saying %q", strings.Join(args, " "), code, errb.String(), c.want)
			}
		}
		if sum(t, mine) != before || sum(t, inSub) != beforeSub {
			t.Errorf("view %q: a capture changed", view)
		}
		noTemporaries(t, dir)
	}
}

// TestOutputNeverOverwritesACapture: an -o that is somebody's capture
// (by its first bytes, whatever its name) is kept unless --force is given.
func TestOutputNeverOverwritesACapture(t *testing.T) {
	dir := t.TempDir()
	in := copyCapture(t, "../../testdata/lab/06_refused.pcap", dir, "in.pcap")
	for _, name := range []string{"trace.out", "trace", "archive.txt"} {
		for _, from := range []string{"../../testdata/lab/01_plain_client_close.pcap", "../../testdata/compressed/demo.pcap.zst", "../../testdata/pcapng/test001.pcapng"} {
			if _, err := os.Stat(from); err != nil {
				continue
			}
			victim := copyCapture(t, from, dir, name)
			before := sum(t, victim)
			var errb bytes.Buffer
			code := run([]string{"-o", victim, in}, strings.NewReader(""), &bytes.Buffer{}, &errb)
			if code != exitNothing || !strings.Contains(errb.String(), "is a capture (or a compressed file): synfin will not overwrite it") {
				t.Errorf("-o %s (%s): exit %d, %q", name, filepath.Base(from), code, errb.String())
			}
			if sum(t, victim) != before {
				t.Errorf("-o %s: the capture changed", name)
			}
			code = run([]string{"--force", "-o", victim, in}, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
			b, _ := os.ReadFile(victim)
			if code != exitOK || !bytes.HasPrefix(b, []byte("+------+")) {
				t.Errorf("--force -o %s: exit %d, file starts %q; want the table", name, code, b[:min(20, len(b))])
			}
		}
	}
	noTemporaries(t, dir)
}

// TestOutputExtensionNamesTheFormat: an extension naming another format
// than the one written is refused and nothing is created; an unknown one
// keeps the format; a known one chooses it when -f is not given.
func TestOutputExtensionNamesTheFormat(t *testing.T) {
	dir := t.TempDir()
	copyCapture(t, "../../testdata/lab/06_refused.pcap", dir, "in.pcap")
	t.Chdir(dir) // names as a user types them, in the messages too
	in := "in.pcap"
	for _, c := range []struct {
		args []string
		want string // "" for success
	}{
		{[]string{"report", "-o", "r.pdf"}, "-o r.pdf: synfin does not write pdf files; this writes Markdown, so name it r.md"},
		{[]string{"-f", "csv", "-o", "x.json"}, "-o x.json names JSON, but this writes CSV: name it x.csv, or give -f json"},
		{[]string{"-o", "x.pcapng"}, "synfin does not write pcapng files"},
		{[]string{"handshakes", "-o", "h.svg"}, "the handshakes view writes table, markdown, csv, json or jsonl, not svg (SVG comes from ladder or graph)"},
		{[]string{"ladder", "-o", "l.html"}, ""},
		{[]string{"-f", "csv", "-o", "x.out"}, ""},
		{[]string{"-o", "x.jsonl"}, ""},
	} {
		out := c.args[len(c.args)-1]
		args := append(append([]string{}, c.args[:len(c.args)-1]...), out, in)
		var errb bytes.Buffer
		code := run(args, strings.NewReader(""), &bytes.Buffer{}, &errb)
		_, statErr := os.Stat(out)
		switch {
		case c.want == "" && (code != exitOK || statErr != nil):
			t.Errorf("synfin %v: exit %d (%s), want the file written", c.args, code, errb.String())
		case c.want != "" && (code != exitNothing || !strings.Contains(errb.String(), c.want) || statErr == nil):
			t.Errorf("synfin %v: exit %d, %q, file made: %v; want exit 2, %q, no file", c.args, code, errb.String(), statErr == nil, c.want)
		}
	}
	if b, _ := os.ReadFile("x.jsonl"); !bytes.HasPrefix(b, []byte(`{"schema":`)) {
		t.Errorf("-o x.jsonl wrote %q, want JSON Lines", b[:min(20, len(b))])
	}
	noTemporaries(t, dir)
}

// TestOutputReplacedWhole: a run that reads nothing leaves the old output
// as it was; one that succeeds replaces it, keeping its mode.
func TestOutputReplacedWhole(t *testing.T) {
	dir := t.TempDir()
	in := copyCapture(t, "../../testdata/lab/06_refused.pcap", dir, "in.pcap")
	old := filepath.Join(dir, "conns.csv")
	os.WriteFile(old, []byte("yesterday's results\n"), 0o600)
	code := run([]string{"-o", old, "../../testdata/bad/not-a-capture.txt"}, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if b, _ := os.ReadFile(old); code != exitNothing || string(b) != "yesterday's results\n" {
		t.Errorf("a run that read nothing: exit %d, -o now %q; want 2 and the old file", code, b)
	}
	if code := run([]string{"-o", old, in}, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	b, _ := os.ReadFile(old)
	fi, _ := os.Stat(old)
	if !bytes.HasPrefix(b, []byte("file,conn,client")) || fi.Mode().Perm() != 0o600 {
		t.Errorf("-o replaced with %q, mode %v; want CSV, mode 0600", b[:min(30, len(b))], fi.Mode().Perm())
	}
	noTemporaries(t, dir)
}

// TestSummaryOnlyResumeRefused: --summary-only writes no records, so a
// manifest naming its captures would make a later --resume skip them.
func TestSummaryOnlyResumeRefused(t *testing.T) {
	dir := t.TempDir()
	man := filepath.Join(dir, "m.jsonl")
	var errb bytes.Buffer
	code := run([]string{"batch", "--summary-only", "--resume", man, "../../testdata/lab"}, strings.NewReader(""), &bytes.Buffer{}, &errb)
	if _, err := os.Stat(man); code != exitNothing || err == nil || !strings.Contains(errb.String(), "--summary-only writes no records") {
		t.Errorf("exit %d, manifest made %v, %q", code, err == nil, errb.String())
	}
}

// buildSynfin builds the command once per test binary, for tests that
// need a real process (signals, broken pipes).
func buildSynfin(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "synfin")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestInterruptEndsInput: a live pipe (a capture's bytes, then nothing,
// the writer still there, as tcpdump -U -w - between packets) and a
// first SIGINT: synfin finishes every open connection and writes the
// view, then exits 130. A second SIGINT exits at once, leaving -o's old
// file as it was. Real process, real signal, in each of the views named
// by the issue.
func TestInterruptEndsInput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds synfin")
	}
	bin := buildSynfin(t)
	capture, _ := os.ReadFile("../../testdata/lab/01_plain_client_close.pcap")
	start := func(args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer, *os.File) {
		cmd := exec.Command(bin, args...)
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		cmd.Stdin, cmd.Stdout, cmd.Stderr = pr, &out, &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		pw.Write(capture) // and keep the pipe open: a capture still running
		waitDrained(pr)   // synfin has read all of it: the signal ends nothing unread
		pr.Close()
		return cmd, &out, &errb, pw
	}
	// The signal comes once synfin has read what it was given; its note
	// says how many packets it read.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-"}, "| SF    |"},
		{[]string{"summary", "-"}, "state SF"},
		{[]string{"-f", "jsonl", "-"}, `"state":"SF"`},
		{[]string{"handshakes", "-f", "csv", "-"}, "\n-,0,10.77.0.1:"}, // standard input is "-", no formula guard
	} {
		cmd, out, errb, pw := start(c.args...)
		cmd.Process.Signal(syscall.SIGINT)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("synfin %v did not end 10 s after SIGINT", c.args)
		}
		pw.Close()
		if code := cmd.ProcessState.ExitCode(); code != exitInterrupted || !strings.Contains(out.String(), c.want) || !strings.Contains(errb.String(), "input ended by the interrupt after 12 packets") {
			t.Errorf("synfin %v: exit %d, stdout %q, stderr %q; want 130, %q and the note", c.args, code, out.String(), errb.String(), c.want)
		}
	}
	// Twice: at once, and -o as it was.
	dir := t.TempDir()
	old := filepath.Join(dir, "out.txt")
	os.WriteFile(old, []byte("old\n"), 0o644)
	cmd, _, _, pw := start("-o", old, "-")
	defer pw.Close()
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Wait()
	if b, _ := os.ReadFile(old); cmd.ProcessState.ExitCode() != exitInterrupted || (string(b) != "old\n" && !bytes.Contains(b, []byte("SF"))) {
		t.Errorf("two SIGINTs: exit %d, -o holds %q; want 130 and the old file or a whole new one", cmd.ProcessState.ExitCode(), b)
	}
	noTemporaries(t, dir)
}

// TestLabCaptureSurvivesHead: synfin lab -w x.pcapng | head -2 keeps the
// capture, written before the explanation (needs root for AF_PACKET).
func TestLabCaptureSurvivesHead(t *testing.T) {
	if os.Geteuid() != 0 || testing.Short() {
		t.Skip("lab needs root")
	}
	bin := buildSynfin(t)
	p := filepath.Join(t.TempDir(), "x.pcapng")
	sh := exec.Command("bash", "-c", bin+" lab -w "+p+" | head -2")
	out, _ := sh.CombinedOutput()
	if strings.Count(string(out), "\n") != 2 {
		t.Errorf("head -2 printed %q", out)
	}
	var errb bytes.Buffer
	if code := run([]string{"-f", "csv", p}, strings.NewReader(""), &bytes.Buffer{}, &errb); code != exitOK {
		t.Errorf("the capture written is not whole: exit %d, %s", code, errb.String())
	}
}
