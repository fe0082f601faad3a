package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTermSafe(t *testing.T) {
	for in, want := range map[string]string{
		"plain.pcap":                  "plain.pcap",
		"\x1b[2Jclear.pcap":           `\x1b[2Jclear.pcap`,
		"bell\x07":                    `bell\x07`,
		"c1\u009bm":                   `c1\u{009b}m`,
		"bidi\u202etxt.pcap":          `bidi\u{202e}txt.pcap`,
		"bad\xffutf8":                 `bad\xffutf8`,
		"中文.pcap":                     "中文.pcap",
		"tab\tnewline\n":              `tab\x09newline\x0a`,
		"pipe|in|markdown":            "pipe|in|markdown",
		"=HYPERLINK(\"http://x\")":    "=HYPERLINK(\"http://x\")",
		"\x1b]8;;http://evil\x07link": `\x1b]8;;http://evil\x07link`,
	} {
		if got := termSafe(in); got != want {
			t.Errorf("termSafe(%q) = %q, want %q", in, got, want)
		}
	}
	if got := markdownSafe("a|b\\c"); got != `a\|b\\c` {
		t.Errorf("markdownSafe = %q", got)
	}
	for in, want := range map[string]string{"=1+1": "'=1+1", "+cmd": "'+cmd", "-2": "'-2", "@SUM": "'@SUM", "\tx": "'\tx", "ok.pcap": "ok.pcap", "": ""} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHostileFileNames runs the command on captures whose names carry a
// terminal escape, a Markdown separator and a spreadsheet formula.
func TestHostileFileNames(t *testing.T) {
	demo, err := os.ReadFile("demo/demo.pcap")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a := filepath.Join(dir, "=cmd|\x1b[31mred.pcap")
	b := filepath.Join(dir, "plain.pcap")
	for _, f := range []string{a, b} {
		if err := os.WriteFile(f, demo, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hostile := filepath.Join(dir, "text\x1b]0;owned\x07.pcap")
	if err := os.WriteFile(hostile, []byte("not a capture"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"table", "markdown", "csv"} {
		var out, errb bytes.Buffer
		run([]string{"-f", format, a, b, hostile}, strings.NewReader(""), &out, &errb)
		all := out.String() + errb.String()
		if strings.ContainsAny(all, "\x1b\x07") {
			t.Errorf("%s: an escape sequence reached the output:\n%q", format, all)
		}
		if !strings.Contains(errb.String(), `text\x1b]0;owned\x07.pcap: not a pcap`) {
			t.Errorf("%s: message does not name the file safely: %q", format, errb.String())
		}
		switch format {
		case "markdown":
			// The escape is shown as \x1b, its backslash escaped for Markdown.
			if !strings.Contains(out.String(), `=cmd\|\\x1b[31mred.pcap`) {
				t.Errorf("markdown: file cell not escaped:\n%s", out.String())
			}
		}
	}
	// A relative name that starts with "=" is neutralised in CSV.
	t.Chdir(dir)
	var out, errb bytes.Buffer
	run([]string{"-f", "csv", "=cmd|\x1b[31mred.pcap", "plain.pcap"}, strings.NewReader(""), &out, &errb)
	if !strings.Contains(out.String(), "\n'=cmd|\\x1b[31mred.pcap,0,") {
		t.Errorf("csv: formula cell not neutralised:\n%q", out.String())
	}
}
