package batch

import (
	"bytes"
	"io"
	"time"
)

// sink writes the captures' encoded records to the output in the batch's
// format: to Config.Out, or to the numbered files of Config.Series.
type sink struct {
	cfg    *Config
	bw     *lineWriter
	pq     *parquetWriter
	header bool // a CSV header is still due

	part       Part      // the series' file being written; nil: none open
	partRows   int       // records in it
	partOpened time.Time // when it was opened, for Rotation.Every
	// waiting are finished captures whose records are in a file not yet
	// whole: a Parquet file before its footer, a series' file before it
	// is put in place. The manifest names them when it is.
	waiting []entry
}

// outputRows is the most rows of the output's row group: the writer holds
// a row group in memory until it is full, so without a limit a capture of
// millions of connections would be held whole.
const outputRows = 1 << 13

func newSink(cfg *Config) *sink {
	s := &sink{cfg: cfg, bw: &lineWriter{w: cfg.Out, size: 256 << 10, lines: cfg.Format != Parquet}}
	switch {
	case cfg.SummaryOnly || cfg.Series != nil: // a series' file opens with its first record
	case cfg.Format == Parquet:
		s.pq = newParquetOutput(s.bw)
	case cfg.Format == CSV:
		s.header = !cfg.AppendTo
	}
	return s
}

// write copies one capture's records out, n of them. With a manifest
// and one file appended to, they are flushed, so that the manifest never
// names a capture whose records are not in the output.
func (s *sink) write(out *spill, held *rows, n int) error {
	if s.cfg.Series != nil {
		if n == 0 {
			return nil
		}
		if s.part == nil {
			if err := s.openPart(); err != nil {
				return err
			}
		}
		s.partRows += n
	}
	if s.pq != nil {
		return s.writeRows(held)
	}
	if s.header {
		_, _ = s.bw.Write(s.cfg.Lines.Header()) // an error sticks in s.bw, for its Flush
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
	if s.cfg.Manifest != nil && s.cfg.Series == nil {
		return s.bw.Flush()
	}
	return nil
}

// writeRows writes one capture's rows to the Parquet output.
func (s *sink) writeRows(held *rows) error {
	if held == nil { // a capture whose rows could not be held
		return nil
	}
	return held.writeTo(s.pq)
}

// finished says a capture's records are written: the manifest names it
// now, or, when the file holding them is not whole yet, once it is. A
// series' file full by Config.Rotate is closed and put in place here,
// between captures.
func (s *sink) finished(e entry) error {
	if s.cfg.Manifest == nil && s.cfg.Series == nil {
		return nil
	}
	if s.cfg.Series == nil && s.pq == nil {
		return s.cfg.Manifest.add(e)
	}
	if s.cfg.Manifest != nil {
		s.waiting = append(s.waiting, e)
	}
	if s.part == nil {
		if s.cfg.Series != nil {
			return s.named("") // a capture of no records: no file waits for it
		}
		return nil
	}
	rot := s.cfg.Rotate
	if (rot.Rows > 0 && s.partRows >= rot.Rows) || (rot.Every > 0 && time.Since(s.partOpened) >= rot.Every) {
		return s.closePart()
	}
	return nil
}

// named adds the captures waiting to the manifest, as held in the file
// output ("" for Config.Out).
func (s *sink) named(output string) error {
	for _, e := range s.waiting {
		e.Output = output
		if err := s.cfg.Manifest.add(e); err != nil {
			return err
		}
	}
	s.waiting = s.waiting[:0]
	if output != "" && s.cfg.Manifest != nil {
		return s.cfg.Manifest.sync()
	}
	return nil
}

// openPart starts the series' next file.
func (s *sink) openPart() error {
	p, err := s.cfg.Series.Next()
	if err != nil {
		return err
	}
	s.part, s.partRows, s.partOpened = p, 0, time.Now()
	s.bw.reset(p)
	switch s.cfg.Format {
	case Parquet:
		s.pq = newParquetOutput(s.bw)
	case CSV:
		s.header = true
	}
	return nil
}

// closePart finishes the series' open file, names its captures in the
// manifest, and puts it in place. In that order a run stopped at any
// moment neither loses a capture nor writes one twice: before the rename
// the manifest's entries name a file not there, which --resume reads as
// not done (OpenManifest).
func (s *sink) closePart() error {
	err := s.finish()
	if err == nil {
		err = s.part.Sync()
	}
	if err == nil {
		err = s.named(s.part.Path())
	}
	if err != nil {
		s.part.Abort()
		s.part = nil
		return err
	}
	err = s.part.Commit()
	s.part, s.pq = nil, nil
	return err
}

// finish writes what is buffered: a Parquet file gets its footer.
func (s *sink) finish() error {
	if s.pq != nil {
		if err := s.pq.Close(); err != nil {
			return err
		}
	}
	return s.bw.Flush()
}

// close finishes the output, so that even an interrupted batch leaves
// whole files, and names in the manifest the captures they hold. After a
// write error (failed) a series' open file is removed, its captures left
// for --resume.
func (s *sink) close(failed bool) error {
	if s.cfg.Series == nil {
		if err := s.finish(); err != nil || failed {
			return err
		}
		return s.named("")
	}
	if s.part == nil {
		return nil
	}
	if failed {
		s.part.Abort()
		s.part = nil
		return nil
	}
	return s.closePart()
}

// lineWriter buffers an output and, for JSON Lines and CSV, writes it out
// in whole lines only: a reader following the file (tail -f) or the pipe
// never meets half a record, even when one capture's records fill the
// buffer many times over.
type lineWriter struct {
	w     io.Writer
	buf   []byte
	size  int  // written out when it holds this much
	lines bool // and then only up to its last newline
	err   error
}

func (l *lineWriter) Write(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	l.buf = append(l.buf, p...)
	if len(l.buf) >= l.size {
		n := len(l.buf)
		if l.lines {
			n = bytes.LastIndexByte(l.buf, '\n') + 1 // 0: no whole line yet
		}
		l.writeOut(n)
	}
	return len(p), l.err
}

func (l *lineWriter) writeOut(n int) {
	if n == 0 || l.err != nil {
		return
	}
	_, l.err = l.w.Write(l.buf[:n])
	l.buf = l.buf[:copy(l.buf, l.buf[n:])]
}

// Flush writes out everything buffered: call it where a record ends.
func (l *lineWriter) Flush() error {
	l.writeOut(len(l.buf))
	return l.err
}

func (l *lineWriter) reset(w io.Writer) { l.w, l.buf, l.err = w, l.buf[:0], nil }
