package tty

import "testing"

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
		if got := Safe(in); got != want {
			t.Errorf("Safe(%q) = %q, want %q", in, got, want)
		}
	}
	if got := MarkdownSafe("a|b\\c"); got != `a\|b\\c` {
		t.Errorf("markdownSafe = %q", got)
	}
	for in, want := range map[string]string{"=1+1": "'=1+1", "+cmd": "'+cmd", "-2": "'-2", "@SUM": "'@SUM", "\tx": "'\tx", "ok.pcap": "ok.pcap", "": "", "-": "-"} {
		if got := CSVSafe(in); got != want {
			t.Errorf("CSVSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
