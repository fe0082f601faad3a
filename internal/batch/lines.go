package batch

import (
	"bufio"
	"io"
	"sync"

	"github.com/synfin/synfin/analyze"
)

// recordWriter encodes records in a line format through a buffer: the
// records of the input whose turn it is, straight to the output, or an
// input's held ahead of its turn, to its spill.
type recordWriter struct {
	bw    *bufio.Writer
	lines Lines
	enc   analyze.Encoder
	line  []byte
	err   error
}

// recordWriters are pooled: a batch over thousands of small captures makes
// no 64 KiB buffer per capture.
var recordWriters = sync.Pool{New: func() any { return &recordWriter{bw: bufio.NewWriterSize(nil, 64<<10)} }}

// newRecordWriter writes to w in the format f, its header first when
// header is set: written out at once, so that a CSV output has its header
// even when nothing could be read. release gives it back.
func newRecordWriter(w io.Writer, f Lines, header bool) *recordWriter {
	rw := recordWriters.Get().(*recordWriter)
	rw.bw.Reset(w)
	rw.lines, rw.enc, rw.err = f, f.NewEncoder(), nil
	if header && len(f.Header()) > 0 {
		// An error sticks in rw.err: the next Flush returns it.
		_, _ = rw.Write(f.Header())
		_ = rw.Flush()
	}
	return rw
}

// Record encodes and writes one record.
func (rw *recordWriter) Record(r *analyze.Record) {
	rw.line = rw.enc.AppendRecord(rw.line[:0], r)
	_, _ = rw.Write(rw.line) // an error sticks in rw.err, for Flush
}

// Write writes records already encoded (by the pipeline's workers). It
// returns the first error, and writes nothing after it.
func (rw *recordWriter) Write(p []byte) (int, error) {
	if rw.err != nil {
		return 0, rw.err
	}
	n, err := rw.bw.Write(p)
	rw.err = err
	return n, err
}

// Flush empties the buffer and returns the first error.
func (rw *recordWriter) Flush() error {
	if err := rw.bw.Flush(); rw.err == nil {
		rw.err = err
	}
	return rw.err
}

func (rw *recordWriter) release() {
	rw.bw.Reset(nil)
	rw.lines, rw.enc = nil, nil
	recordWriters.Put(rw)
}

// filtered is a line format whose encoders leave out the records keep
// refuses (nil: none): the pipeline's workers encode and filter at once.
type filtered struct {
	Lines
	keep func(*analyze.Record) bool
}

func (f filtered) NewEncoder() analyze.Encoder {
	if f.keep == nil {
		return f.Lines.NewEncoder()
	}
	return keepEncoder{f.Lines.NewEncoder(), f.keep}
}

type keepEncoder struct {
	analyze.Encoder
	keep func(*analyze.Record) bool
}

func (k keepEncoder) AppendRecord(dst []byte, r *analyze.Record) []byte {
	if !k.keep(r) {
		return dst
	}
	return k.Encoder.AppendRecord(dst, r)
}
