package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestJobsSameOutput: the table views read several captures at once
// (-j 4), holding each one's output until the ones before it are written,
// and print byte for byte what one job prints, on stdout and stderr, in
// every format; a damaged capture among them keeps its place and its exit
// status. This is the held-output path of batch.Session (analyzeHeld,
// copyOut).
func TestJobsSameOutput(t *testing.T) {
	lab, _ := filepath.Glob("../../testdata/lab/*.pcap")
	inputs := append(lab[:12], "../../testdata/bad/demo-cut.pcap", "../../testdata/bad/page.html", "../../testdata/retry/refused-rst-late.server.pcap")
	for _, args := range [][]string{
		{"-f", "jsonl"}, {"-f", "csv"}, {"-f", "table"}, {"handshakes", "-f", "csv"},
		{"summary"}, {"summary", "-f", "json"}, {"-f", "json"}, {"teardowns", "-f", "markdown"},
	} {
		run1 := func(jobs string) (int, string, string) {
			var out, errb bytes.Buffer
			code := run(append(append([]string{}, args...), append([]string{"-j", jobs}, inputs...)...), strings.NewReader(""), &out, &errb)
			return code, out.String(), errb.String()
		}
		c1, o1, e1 := run1("1")
		if c1 != 1 || len(o1) < 500 {
			t.Fatalf("%v -j 1: exit %d, %d bytes", args, c1, len(o1))
		}
		for _, j := range []string{"2", "4", "16"} {
			c, o, e := run1(j)
			if c != c1 || o != o1 || e != e1 {
				t.Errorf("%v -j %s: exit %d (want %d), stdout same %v, stderr same %v:\n%s\nwant\n%s", args, j, c, c1, o == o1, e == e1, e, e1)
			}
		}
	}
}
