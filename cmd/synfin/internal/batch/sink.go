package batch

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"sync"

	"github.com/parquet-go/parquet-go"

	"synfin/analyze"
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
	pq     *parquet.GenericWriter[analyze.Record]
	header bool // a CSV header is still due
}

func newSink(cfg *Config) *sink {
	s := &sink{cfg: cfg, bw: bufio.NewWriterSize(cfg.Out, 256<<10)}
	switch {
	case cfg.SummaryOnly:
	case cfg.Format == Parquet:
		s.pq = parquet.NewGenericWriter[analyze.Record](s.bw, parquet.Compression(&parquet.Zstd))
	case cfg.Format == CSV:
		s.header = !cfg.AppendTo
	}
	return s
}

// write copies one capture's records out and flushes them, so that the
// manifest never names a capture whose records are not in the output.
func (s *sink) write(out *spill) (err error) {
	r, err := out.reader()
	if err != nil {
		return err
	}
	if s.header {
		cw := csv.NewWriter(s.bw)
		cw.Write(s.cfg.CSVHeader)
		cw.Flush()
		s.header = false
	}
	if s.pq == nil {
		if _, err := io.Copy(s.bw, r); err != nil {
			return err
		}
		// With a manifest the capture's records reach the file before the
		// manifest names it; without one, the buffer fills and goes out
		// as it will (a write per capture held the writer back).
		if s.cfg.Manifest != nil {
			return s.bw.Flush()
		}
		return nil
	}
	defer func() {
		// With a manifest, each capture's rows are written out as a row
		// group before the manifest names the capture.
		if s.cfg.Manifest != nil && err == nil {
			if err = s.pq.Flush(); err == nil {
				err = s.bw.Flush()
			}
		}
	}()
	// Parquet: decode the JSON lines back into records, a batch at a time.
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	recs := make([]analyze.Record, 0, 1024)
	flush := func() error {
		if len(recs) == 0 {
			return nil
		}
		_, err := s.pq.Write(recs)
		recs = recs[:0]
		return err
	}
	for sc.Scan() {
		var rec analyze.Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return err
		}
		if recs = append(recs, rec); len(recs) == cap(recs) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return flush()
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
