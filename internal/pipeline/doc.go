// Package pipeline analyses one capture: bytes in, records out. Run opens
// the capture (flows/capture), decodes each packet into a segment
// (flows.Decoder), tracks connections (flows.Table) and turns each finished
// connection into a record (analyze.Analyzer), handing it to the caller as
// the connection finishes.
//
// Connections are split over virtual shards, each a table of its own
// (shards.go). A large capture runs on a reader and workers that each own
// some shards, their records merged into one order (workers.go), so that
// one file uses every core; a small one, or one whose hooks read
// payloads, runs every shard in the caller's goroutine, in the same order.
// Rounds and tables are pooled between captures, so that nothing is
// allocated per packet.
//
// It imports analyze, flows and flows/capture, and nothing above them: no
// flags, no output formats, no terminal.
package pipeline
