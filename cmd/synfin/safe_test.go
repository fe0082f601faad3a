package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
