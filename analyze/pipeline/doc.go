// Package pipeline analyses one capture: bytes in, records out. Run opens
// the capture (flows/capture), decodes each packet into a segment
// (flows.Decoder), tracks connections (flows.Table) and turns each finished
// connection into a record (analyze.Analyzer), handing it to the caller as
// the connection finishes.
//
// A large capture runs as three stages on three goroutines (read and
// decode, the connection table, analysis and output), so that one file
// uses several cores; a small one, or one whose hooks read payloads, runs
// in the caller's goroutine. Batches and tables are pooled between
// captures, so that nothing is allocated per packet.
//
// It imports analyze, flows and flows/capture, and nothing above them: no
// flags, no output formats, no terminal.
package pipeline
