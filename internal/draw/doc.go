// Package draw draws one connection packet by packet: ladders (sequence
// diagrams) as text for a terminal or a Markdown code block and as SVG,
// and walkthroughs that tell each packet of the opening and closing in
// words, with the RFC 9293 states of both sides.
//
// It reads what analyze/ladder recorded and the connection's record; it
// may use table and tty, and never the pipeline or the batch.
package draw
