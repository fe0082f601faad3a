//go:build unix

package tty

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// Width is the width of the terminal w writes to, or 0 when w is
// not a terminal (a file or a pipe gets whole tables).
func Width(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil || ws.Col == 0 {
		return 0
	}
	return int(ws.Col)
}
