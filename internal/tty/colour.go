package tty

import (
	"io"
	"os"

	"golang.org/x/term"
)

// ColourWanted says whether output to w is coloured: only on a terminal,
// and never when NO_COLOR is set to anything (https://no-color.org) or the
// terminal is "dumb".
func ColourWanted(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && colourFor(term.IsTerminal(int(f.Fd())), os.Getenv)
}

// colourFor decides ColourWanted from whether the output is a terminal
// and the environment.
func colourFor(terminal bool, env func(string) string) bool {
	return terminal && env("NO_COLOR") == "" && env("TERM") != "dumb"
}

// Colour is an ANSI foreground colour; the zero value is none.
type Colour string

// The colours synfin uses (ladders: the handshake blue, the teardown
// yellow, a reset red, notes magenta).
const (
	Plain   Colour = ""
	Blue    Colour = "\x1b[34m"
	Yellow  Colour = "\x1b[33m"
	Red     Colour = "\x1b[31m"
	Magenta Colour = "\x1b[35m"
	reset          = "\x1b[0m"
)

// Paint wraps s in colour c when on is set and c is not Plain.
func Paint(on bool, c Colour, s string) string {
	if !on || c == Plain || s == "" {
		return s
	}
	return string(c) + s + reset
}

// IsTerminal says whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
