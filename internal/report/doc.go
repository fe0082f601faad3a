// Package report writes one document about a run for a lab report, in
// Markdown or as a self-contained HTML page (inline SVG, no scripts, no
// fetches): counts with their meanings, RTT figures and charts, the
// tables of the views, and ladders with walkthroughs of representative
// connections (Representatives picks them).
//
// It may use draw and table; it reads nothing itself: the command hands it
// the records and ladders.
package report
