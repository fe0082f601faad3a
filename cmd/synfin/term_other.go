//go:build !unix

package main

import "io"

// terminalWidth is 0 (unknown) where synfin cannot ask the terminal.
func terminalWidth(io.Writer) int { return 0 }
