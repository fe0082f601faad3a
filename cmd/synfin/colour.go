package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// colourWanted says whether output to w is coloured: only on a terminal,
// and never when NO_COLOR is set to anything (https://no-color.org) or the
// terminal is "dumb".
func colourWanted(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && colourFor(term.IsTerminal(int(f.Fd())), os.Getenv)
}

func colourFor(terminal bool, env func(string) string) bool {
	return terminal && env("NO_COLOR") == "" && env("TERM") != "dumb"
}

// ANSI colours of ladder phases, as in the SVG ladders: the handshake
// blue, the teardown yellow, a reset red; data and folds stay plain.
const (
	ansiReset     = "\x1b[0m"
	ansiHandshake = "\x1b[34m"
	ansiTeardown  = "\x1b[33m"
	ansiRST       = "\x1b[31m"
	ansiNote      = "\x1b[35m" // retransmissions and other notes
)

// paint wraps s in colour when on is set and colour is not empty.
func paint(on bool, colour, s string) string {
	if !on || colour == "" || s == "" {
		return s
	}
	return colour + s + ansiReset
}
