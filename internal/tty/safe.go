package tty

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Strings that come from the input (file names from a hostile archive, and
// later application hints and pcapng comments) are made safe before they
// reach a terminal, a Markdown table or a spreadsheet.

// Say prints one message on standard error, terminal-safe: messages
// carry file names, which an archive may have made hostile. On a terminal
// a message wider than it is wrapped, its later lines indented; a file or
// a pipe gets it on one line, for grep.
func Say(w io.Writer, format string, args ...any) {
	line := Safe(fmt.Sprintf(format, args...))
	if width := Width(w); width > 20 && Cells(line) > width {
		line = strings.Join(Wrap(line, width-2), "\n  ")
	}
	fmt.Fprintln(w, line)
}

// Safe escapes control characters (C0, DEL, C1), the Unicode bidi
// controls and invalid UTF-8 as \xNN or \u{NNNN}, so that no escape
// sequence from the input reaches the terminal.
func Safe(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			fmt.Fprintf(&b, `\u{%04x}`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// MarkdownSafe makes a cell safe inside a Markdown table: terminal-safe,
// with the column separator and the escape character escaped.
func MarkdownSafe(s string) string {
	s = Safe(s)
	if strings.ContainsAny(s, `|\`) {
		s = strings.NewReplacer(`\`, `\\`, `|`, `\|`).Replace(s)
	}
	return s
}

// CSVSafe neutralises a text cell that a spreadsheet would run as a formula
// (one starting with =, +, -, @, tab or carriage return) by putting a single
// quote before it, as OWASP recommends. Only text taken from the input goes
// through it; synfin's own numbers (such as "+81.095" or "-") do not.
func CSVSafe(s string) string {
	// A lone "-" is synfin's name for standard input, and no formula.
	if s != "" && s != "-" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
