package tty

import (
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Cells is the terminal width of s: East Asian wide characters take two.
func Cells(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6:
			n += 2
		default:
			n++
		}
	}
	return n
}

// Wide reports whether s holds a character two cells wide (Chinese text).
func Wide(s string) bool { return Cells(s) != utf8.RuneCountInString(s) }

// Pad right-pads s with spaces to width cells; a string as wide or wider
// gets one space, so that columns never touch.
func Pad(s string, width int) string {
	if w := Cells(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s + " "
}

// Center centres s in width cells.
func Center(s string, width int) string {
	w := Cells(s)
	if w >= width {
		return s
	}
	left := (width - w) / 2
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", width-w-left)
}

// Wrap breaks s at spaces into lines of at most width cells (at least 8);
// Chinese fills its lines and breaks between characters (fill), and a
// word longer than a line is cut.
func Wrap(s string, width int) []string {
	width = max(width, 8)
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		// A Chinese run that does not fit fills the line first: Chinese
		// breaks between characters, only not inside a number or a
		// Latin word it holds, nor next to a mark that forbids it.
		for word != "" && Wide(word) {
			sep := 0
			if cur != "" {
				sep = 1
			}
			if Cells(cur)+sep+Cells(word) <= width {
				break
			}
			head, rest := fill(word, width-Cells(cur)-sep)
			switch {
			case head != "" && cur != "":
				lines = append(lines, cur+" "+head)
			case head != "":
				lines = append(lines, head)
			case cur != "":
				lines = append(lines, cur)
			}
			if head == "" && cur == "" {
				break // no break fits even a line of its own: cut below
			}
			cur, word = "", rest
		}
		for Cells(word) > width {
			if cur != "" {
				lines = append(lines, cur)
				cur = ""
			}
			cut, n := 0, 0
			for i, r := range word {
				if n+Cells(string(r)) > width {
					break
				}
				n += Cells(string(r))
				cut = i + utf8.RuneLen(r)
			}
			lines = append(lines, word[:cut])
			word = word[cut:]
		}
		switch {
		case word == "":
		case cur == "":
			cur = word
		case Cells(cur)+1+Cells(word) <= width:
			cur += " " + word
		default:
			lines = append(lines, cur)
			cur = word
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// noLineStart are the marks Chinese typesetting never starts a line with;
// noLineEnd are those it never ends a line with.
const (
	noLineStart = "）》」』】，。、：；！？"
	noLineEnd   = "（《「『【"
)

// fill splits word after at most room cells, at a break between two
// characters of which one is wide (Chinese), never inside a run of
// narrow ones; head is empty when no such break fits.
func fill(word string, room int) (head, rest string) {
	n, cut := 0, 0
	prevWide, prev := false, rune(0)
	for i, r := range word {
		wide := Cells(string(r)) == 2
		if i > 0 && (wide || prevWide) && !strings.ContainsRune(noLineStart, r) && !strings.ContainsRune(noLineEnd, prev) {
			cut = i // a break may fall before r
		}
		n += Cells(string(r))
		if n > room {
			break
		}
		prevWide, prev = wide, r
		if i+utf8.RuneLen(r) == len(word) {
			cut = len(word)
		}
	}
	return word[:cut], word[cut:]
}

// CutMiddle shortens s to width cells by replacing its middle with "…",
// keeping more of the end (a port, the last flags) than of the start.
func CutMiddle(s string, width int) string {
	if Cells(s) <= width || width < 3 || !utf8.ValidString(s) {
		return s
	}
	runes := []rune(s)
	keep := width - 1
	head := keep / 2
	tail := keep - head
	return string(runes[:head]) + "…" + string(runes[len(runes)-tail:])
}

// WrapWidth is the width plain text written to w wraps to: the
// terminal's when w is one and plain holds (not Markdown, not --wide), as
// explain takes it; 0, no wrapping, otherwise, so that a file or a pipe
// gets each paragraph on one line, for grep.
func WrapWidth(w io.Writer, plain bool) int {
	if !plain {
		return 0
	}
	return Width(w)
}

// Hang prints text after lead within width cells (0: no limit): text
// wraps (Wrap), its further lines indented under its first, so that a
// list's words stay beside their label.
func Hang(lead, text string, width int) string {
	if width <= 0 || Cells(lead)+Cells(text) <= width {
		return lead + text
	}
	indent := strings.Repeat(" ", Cells(lead))
	return lead + strings.Join(Wrap(text, width-Cells(lead)), "\n"+indent)
}

// reflowLead is what a line of Reflow's text hangs under: its indentation, and a
// column's name and the spaces after it ("  state        Zeek's …").
var reflowLead = regexp.MustCompile(`^(\s+\S[^ ]*(?: [^ ]+)*?\s{2,}|\s+)`)

// Reflow wraps help text to width. The text is paragraphs (lines at the
// margin) and entries (a name indented two spaces, then its definition,
// continued on lines indented further): a paragraph's lines and an
// entry's are joined, then wrapped at spaces, an entry's further lines
// under its definition, not under its name.
func Reflow(text string, width int) string {
	var out []string
	var lead, body string // the paragraph or entry being gathered
	gathering, entry := false, false
	flush := func() {
		if gathering {
			out = append(out, Hang(lead, body, width))
		}
		gathering = false
	}
	for _, l := range strings.Split(text, "\n") {
		indent := len(l) - len(strings.TrimLeft(l, " "))
		trimmed := strings.TrimSpace(l)
		switch {
		case trimmed == "":
			flush()
			out = append(out, l)
		case gathering && entry && indent > 2, gathering && !entry && indent == 0:
			if !strings.HasSuffix(body, "/") { // a list of names broken after a slash
				body += " "
			}
			body += trimmed // the entry's or the paragraph's next line
		default:
			flush()
			gathering, entry = true, indent > 0
			lead = ""
			if entry {
				lead = reflowLead.FindString(l)
			}
			body = strings.TrimSpace(l[len(lead):])
		}
	}
	flush()
	return strings.Join(out, "\n")
}
