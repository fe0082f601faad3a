package tty

import (
	"strings"
	"testing"
	"unicode/utf8"
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

// TestWrapChinese: Chinese, which has no spaces, fills each line and breaks
// between characters, never inside a number or Latin word it holds, never
// before a closing mark or after an opening one.
func TestWrapChinese(t *testing.T) {
	text := "客户端调用 connect() 发出 SYN，初始序号（ISN）为 3496202456（相对值 0）。此时客户端套接字处于 SYN-SENT 状态。它提出：MSS 1460 字节（可接收的最大报文段），选择性确认（SACK），时间戳（RFC 7323），窗口扩大因子 10（窗口值乘以 1024）。"
	for _, width := range []int{30, 41, 60, 76} {
		lines := Wrap(text, width)
		if got := strings.Join(lines, ""); strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(text, " ", "") {
			t.Fatalf("%d: text changed: %q", width, got)
		}
		for i, l := range lines {
			if Cells(l) > width {
				t.Errorf("%d: line %d is %d cells: %q", width, i, Cells(l), l)
			}
			if i < len(lines)-1 && Cells(l) < width-12 {
				t.Errorf("%d: line %d not filled (%d cells): %q", width, i, Cells(l), l)
			}
			first, _ := utf8.DecodeRuneInString(l)
			last, _ := utf8.DecodeLastRuneInString(l)
			if i > 0 && strings.ContainsRune(noLineStart, first) || strings.ContainsRune(noLineEnd, last) {
				t.Errorf("%d: line %d breaks at a mark: %q", width, i, l)
			}
		}
		for _, whole := range []string{"3496202456", "SYN-SENT", "connect()", "1024"} {
			if !strings.Contains(strings.Join(lines, "\n"), whole) {
				t.Errorf("%d: %q split: %q", width, whole, lines)
			}
		}
	}
}

// TestHang: a call's words wrap under their first line, within the
// width; a buffer (no terminal) gets no width to wrap to.
func TestHang(t *testing.T) {
	got := Hang("  0.240 ms  server  ", "read() returns 0 (end of stream), or fails after an RST", 50)
	want := "  0.240 ms  server  read() returns 0 (end of\n                    stream), or fails after an RST"
	if got != want {
		t.Errorf("Hang = %q, want %q", got, want)
	}
	if Hang("a ", "b c", 0) != "a b c" {
		t.Error("Hang wrapped without a width")
	}
	if w := WrapWidth(&strings.Builder{}, true); w != 0 {
		t.Errorf("WrapWidth of a builder = %d", w)
	}
}

// TestReflow: an entry's continuation lines join its definition, which
// wraps under itself; a paragraph's lines join and wrap at the margin;
// short lines stay as they are.
func TestReflow(t *testing.T) {
	in := "conns: one line per connection.\n" +
		"  state        Zeek's conn_state (SF normal open and close, S0 no reply, REJ refused,\n" +
		"               RSTO reset by originator)\n" +
		"  closer       who sent the first FIN\n" +
		"The legs come from the exchange that completed\nthe handshake."
	want := "conns: one line per connection.\n" +
		"  state        Zeek's conn_state (SF normal open and close, S0 no\n" +
		"               reply, REJ refused, RSTO reset by originator)\n" +
		"  closer       who sent the first FIN\n" +
		"The legs come from the exchange that completed the handshake."
	if got := Reflow(in, 66); got != want {
		t.Errorf("Reflow:\n%s\nwant\n%s", got, want)
	}
}
