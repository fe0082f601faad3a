// Package table prints connection records for people and programs: the
// views (columns over records: conns, handshakes, teardowns, options),
// rows made safe for their format, terminal tables fitted to the
// terminal's width, Markdown pipe tables, CSV, JSON and JSON Lines, the
// summary, the isn view, the --packets list, sorting by any column, and
// the JSON Schema of the record.
//
// It imports analyze (and analyze/isn), the message catalogue and tty;
// never the pipeline, the batch or the drawings above it.
package table
