package tty

import (
	"strings"
	"testing"
)

func TestCutMiddle(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want string
	}{
		{"[fd00:77::1]:40000", 12, "[fd00…:40000"},
		{"short", 10, "short"},
		{"abcdefghij", 5, "ab…ij"},
	} {
		if got := CutMiddle(c.in, c.w); got != c.want {
			t.Errorf("CutMiddle(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}

// TestWrap: lines of at most the width, words kept whole where they fit,
// a word wider than the width (Chinese has no spaces) broken between
// characters, and nothing lost.
func TestWrap(t *testing.T) {
	for _, c := range []struct {
		in    string
		width int
		want  []string
	}{
		{"the quick brown fox jumps over", 10, []string{"the quick", "brown fox", "jumps over"}},
		{"averyveryverylongword x", 8, []string{"averyver", "yverylon", "gword x"}},
		{"客户端调用 connect() 发出 SYN", 8, []string{"客户端调", "用", "connect(", ") 发出", "SYN"}},
	} {
		got := Wrap(c.in, c.width)
		for _, l := range got {
			if Cells(l) > max(c.width, 8) {
				t.Errorf("Wrap(%q, %d): %q is %d cells", c.in, c.width, l, Cells(l))
			}
		}
		if strings.Join(strings.Fields(strings.Join(got, "")), "") != strings.Join(strings.Fields(c.in), "") {
			t.Errorf("Wrap(%q, %d) = %q: text lost", c.in, c.width, got)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("Wrap(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}

func TestCells(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "中文": 4, "握手 RTT": 8, "": 0} {
		if got := Cells(s); got != want {
			t.Errorf("Cells(%q) = %d, want %d", s, got, want)
		}
	}
	if !Wide("连接") || Wide("conn") {
		t.Error("Wide")
	}
}
