// Package tty owns what text needs before it reaches a person: escaping
// what came from the input (file names from a hostile archive, application
// hints) for a terminal, a Markdown table or a spreadsheet; the width of
// the terminal and of a string in its cells (East Asian characters take
// two); wrapping and padding; and colour, only where colour is wanted.
//
// It imports nothing of synfin: every other package of the command may
// use it.
package tty
