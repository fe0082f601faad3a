//go:build !unix

package tty

import "io"

// Width is 0 (unknown) where synfin cannot ask the terminal.
func Width(io.Writer) int { return 0 }
