package batch

import (
	"bufio"
	"encoding/csv"
	"io"
	"sync"

	"github.com/synfin/synfin/analyze"
)

// lineEncoder is an output buffer and the line a record is encoded into,
// kept from one capture to the next.
type lineEncoder struct {
	bw   *bufio.Writer
	line []byte
}

var lineEncoders = sync.Pool{New: func() any { return &lineEncoder{bw: bufio.NewWriterSize(nil, 64<<10)} }}

// JSONLines is the Encoder of full records, one JSON object a line (SPEC
// §7). Its buffer is pooled: a batch over thousands of small captures
// makes no 64 KiB buffer per capture. Call flush once, at the end.
func JSONLines(w io.Writer) (emit func(*analyze.Record), flush func() error) {
	enc := lineEncoders.Get().(*lineEncoder)
	enc.bw.Reset(w)
	var err error
	return func(r *analyze.Record) {
			enc.line = append(r.AppendJSON(enc.line[:0]), '\n')
			if _, werr := enc.bw.Write(enc.line); werr != nil && err == nil {
				err = werr
			}
		}, func() error {
			if ferr := enc.bw.Flush(); err == nil {
				err = ferr
			}
			enc.bw.Reset(nil)
			lineEncoders.Put(enc)
			return err
		}
}

// sink writes the captures' encoded records to the output in the batch's
// format.
type sink struct {
	cfg    *Config
	bw     *bufio.Writer
	pq     *parquetWriter
	header bool // a CSV header is still due
}

// outputRows is the most rows of the output's row group: the writer holds
// a row group in memory until it is full, so without a limit a capture of
// millions of connections would be held whole.
const outputRows = 1 << 13

func newSink(cfg *Config) *sink {
	s := &sink{cfg: cfg, bw: bufio.NewWriterSize(cfg.Out, 256<<10)}
	switch {
	case cfg.SummaryOnly:
	case cfg.Format == Parquet:
		s.pq = newParquetOutput(s.bw)
	case cfg.Format == CSV:
		s.header = !cfg.AppendTo
	}
	return s
}

// write copies one capture's records out and flushes them, so that the
// manifest never names a capture whose records are not in the output.
func (s *sink) write(out *spill, held *rows) error {
	if s.pq != nil {
		return s.writeRows(held)
	}
	if s.header {
		cw := csv.NewWriter(s.bw)
		cw.Write(s.cfg.CSVHeader)
		cw.Flush()
		s.header = false
	}
	if out != nil { // nil: a capture whose records could not be held
		r, err := out.reader()
		if err != nil {
			return err
		}
		if _, err := io.Copy(s.bw, r); err != nil {
			return err
		}
	}
	// With a manifest the capture's records reach the file before the
	// manifest names it; without one, the buffer fills and goes out as it
	// will (a write per capture held the writer back).
	if s.cfg.Manifest != nil {
		return s.bw.Flush()
	}
	return nil
}

// writeRows writes one capture's rows to the Parquet output; with a
// manifest, they go out as a row group before the manifest names the
// capture.
func (s *sink) writeRows(held *rows) error {
	if held == nil { // a capture whose rows could not be held
		return nil
	}
	if err := held.writeTo(s.pq); err != nil || s.cfg.Manifest == nil {
		return err
	}
	if err := s.pq.Flush(); err != nil {
		return err
	}
	return s.bw.Flush()
}

// close finishes the output: a Parquet file gets its footer, so that even
// an interrupted batch leaves a valid file.
func (s *sink) close() error {
	if s.pq != nil {
		if err := s.pq.Close(); err != nil {
			return err
		}
	}
	return s.bw.Flush()
}
