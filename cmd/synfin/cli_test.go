package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandLineMistakes: a mistake on the command line gets one line
// naming the flag (or operand) and what is allowed, exit 2, and never Go's
// own words; an input that cannot be read beside one that can leaves exit
// status 1.
func TestCommandLineMistakes(t *testing.T) {
	lab := "../../testdata/lab/06_refused.pcap"
	empty := t.TempDir()
	for _, c := range []struct {
		args []string
		exit int
		says string
	}{
		{[]string{"/nonexistent.pcap", lab}, 1, "/nonexistent.pcap: no such file or directory"},
		{[]string{"handshake", lab}, 2, `unknown view "handshake"; did you mean "handshakes"?`},
		{[]string{"teardwons", lab}, 2, `did you mean "teardowns"?`},
		{[]string{empty}, 2, "no captures found"},
		{[]string{"--limit", "-1", lab}, 2, "--limit -1: want 0 (all) or more"},
		{[]string{"-j", "0", lab}, 2, "--jobs 0: at least one"},
		{[]string{"--workers", "65", lab}, 2, "--workers 65: want 1 to 64"},
		{[]string{"--workers", "-1", lab}, 2, "--workers -1: want 1 to 64"},
		{[]string{"-j", "-3", lab}, 2, "--jobs -3"},
		{[]string{"--port", "70000", lab}, 2, "--port 70000: want 0 to 65535"},
		{[]string{"--state", "XYZ", lab}, 2, "--state XYZ: want one of Zeek's states: S0, S1, SF"},
		{[]string{"--idle-timeout", "0s", lab}, 2, "--idle-timeout 0s: want a positive duration"},
		{[]string{"--linger", "-1s", lab}, 2, "--linger -1s: want 0 (write each record as its connection closes) or a positive duration"},
		{[]string{"-c", "abc", lab}, 2, `--conn "abc": want a whole number`},
		{[]string{"--limit", "99999999999999999999", lab}, 2, "--limit 99999999999999999999: too large (at most 9223372036854775807)"},
		{[]string{"--idle-timeout", "soon", lab}, 2, `--idle-timeout "soon": want a duration`},
		{[]string{"lab", "--reset=maybe"}, 2, "--reset=maybe: want true or false"},
		{[]string{"--host", "not-an-ip", lab}, 2, `--host "not-an-ip" is not an IP address`},
		{[]string{"-f", "csv", "--host", "[fd00:ca:fe::2]", "../../testdata/lab/07_ipv6.pcap"}, 0, ""},
		{[]string{"-o", filepath.Join(empty, "x.parquet"), lab}, 2, "Parquet is written by synfin batch"},
		{[]string{"-o", filepath.Join(empty, "x.html"), lab}, 2, "the conns view writes table, markdown, csv, json or jsonl, not html (HTML comes from ladder or report)"},
		{[]string{"--version"}, 0, ""},
		{[]string{"-v"}, 0, ""},
		{[]string{"version"}, 0, ""},
	} {
		var out, errb bytes.Buffer
		code := run(c.args, strings.NewReader(""), &out, &errb)
		if code != c.exit || !strings.Contains(errb.String(), c.says) {
			t.Errorf("synfin %s: exit %d, stderr %q; want exit %d and %q", strings.Join(c.args, " "), code, errb.String(), c.exit, c.says)
		}
		for _, goWords := range []string{"strconv", "invalid syntax", "ParseBool", "ParseInt"} {
			if strings.Contains(errb.String(), goWords) {
				t.Errorf("synfin %s: Go's words reach the user: %q", strings.Join(c.args, " "), errb.String())
			}
		}
		if c.exit == 2 && strings.Count(strings.TrimSpace(errb.String()), "\n") > 1 {
			t.Errorf("synfin %s: more than a line and the usage line: %q", strings.Join(c.args, " "), errb.String())
		}
	}
	// The host as synfin prints it selects that host's connection.
	var out bytes.Buffer
	run([]string{"-f", "csv", "--host", "[fd00:ca:fe::2]", "../../testdata/lab/07_ipv6.pcap"}, strings.NewReader(""), &out, &bytes.Buffer{})
	if n := strings.Count(out.String(), "\n"); n != 2 {
		t.Errorf("--host [v6]: %d lines, want a header and one connection:\n%s", n, out.String())
	}
	// -o's extension picks the format, as batch does.
	csvOut := filepath.Join(empty, "o.csv")
	if code := run([]string{"-o", csvOut, lab}, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Fatalf("-o o.csv: exit %d", code)
	}
	if b, _ := os.ReadFile(csvOut); !bytes.HasPrefix(b, []byte("file,conn,client,server,")) {
		t.Errorf("-o o.csv wrote %q", b)
	}
	var v bytes.Buffer
	run([]string{"--version"}, strings.NewReader(""), &v, &bytes.Buffer{})
	if !strings.HasPrefix(v.String(), "synfin "+version) || !strings.Contains(v.String(), "record schema 2") {
		t.Errorf("--version: %q", v.String())
	}
}

// TestViewNamesBeforeFiles: the command line is read before any file is
// looked at, so a view's name is the view even where a file of that name
// is in the working directory; ./NAME reads the file.
func TestViewNamesBeforeFiles(t *testing.T) {
	capture, err := os.ReadFile("../../testdata/lab/06_refused.pcap")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"summary", "version"} {
		os.WriteFile(filepath.Join(dir, name), capture, 0o644)
	}
	t.Chdir(dir)
	for _, c := range []struct {
		args []string
		exit int
		out  string // in standard output, or error
	}{
		{[]string{"summary"}, 2, "no input"},
		{[]string{"version"}, 0, "synfin "},
		{[]string{"./summary"}, 0, "REJ"},
		{[]string{"summary", "summary"}, 0, "state REJ"},
	} {
		var out, errb bytes.Buffer
		code := run(c.args, strings.NewReader(""), &out, &errb)
		if code != c.exit || !strings.Contains(out.String()+errb.String(), c.out) {
			t.Errorf("synfin %s: exit %d, %q %q; want exit %d and %q", strings.Join(c.args, " "), code, out.String(), errb.String(), c.exit, c.out)
		}
	}
}
