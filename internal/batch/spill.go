package batch

import (
	"bufio"
	"io"
	"os"
	"sync"
	"sync/atomic"
)

// spill holds a capture's encoded records until their turn to be written:
// in memory, in chunks, and in an unlinked temporary file past spillAt, so
// that many large captures in flight do not fill memory.
//
// Chunks rather than one growing buffer: a buffer doubling to the size of
// a capture's records took fresh pages from the system at each step, and
// those page faults were the largest part of the batch's system time.
// Chunks go back to a pool once written, to hold the next captures'.
type spill struct {
	all    *holding  // what all spills of the run hold
	chunks []*[]byte // filled in order; each spillChunk long at most
	held   int64     // bytes in chunks
	file   *os.File
	noFile bool // a temporary file could not be made or written: stay in memory
}

// spillAt is the most one capture's records are held in memory, and
// spillBudget the most all captures in flight hold together: past either,
// records go to an unlinked temporary file. The budget, not the number of
// captures in flight, is what bounds memory, so the writer may let many
// small captures run ahead of a slow one.
const (
	spillAt     = 16 << 20
	spillBudget = 64 << 20
	spillChunk  = 32 << 10
)

// holding is the bytes all spills of a run hold in memory.
type holding struct{ n atomic.Int64 }

var spillChunks = sync.Pool{New: func() any { b := make([]byte, 0, spillChunk); return &b }}

func newSpill(all *holding) *spill { return &spill{all: all} }

func (s *spill) Write(p []byte) (int, error) {
	if s.file == nil && !s.noFile && (s.held+int64(len(p)) > spillAt || s.all.n.Load()+int64(len(p)) > spillBudget) {
		s.noFile = true // unless this works
		if f, err := os.CreateTemp("", "synfin-batch-*"); err == nil {
			os.Remove(f.Name())
			if _, err = s.writeTo(f); err == nil {
				s.release()
				s.file, s.noFile = f, false
			} else {
				f.Close()
			}
		}
	}
	if s.file != nil {
		return s.file.Write(p)
	}
	n := len(p)
	s.all.n.Add(int64(n))
	s.held += int64(n)
	for len(p) > 0 {
		if len(s.chunks) == 0 || len(*s.chunks[len(s.chunks)-1]) == spillChunk {
			c := spillChunks.Get().(*[]byte)
			*c = (*c)[:0]
			s.chunks = append(s.chunks, c)
		}
		c := s.chunks[len(s.chunks)-1]
		k := min(len(p), spillChunk-len(*c))
		*c = append(*c, p[:k]...)
		p = p[k:]
	}
	return n, nil
}

// writeTo writes the bytes held in memory to w.
func (s *spill) writeTo(w io.Writer) (int64, error) {
	return (&chunkReader{chunks: s.chunks}).WriteTo(w)
}

// reader returns the bytes written.
func (s *spill) reader() (io.Reader, error) {
	if s.file == nil {
		return &chunkReader{chunks: s.chunks}, nil
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return bufio.NewReaderSize(s.file, 256<<10), nil
}

// release gives the chunks back to the pool.
func (s *spill) release() {
	s.all.n.Add(-s.held)
	for _, c := range s.chunks {
		spillChunks.Put(c)
	}
	s.chunks, s.held = nil, 0
}

func (s *spill) close() {
	if s.file != nil {
		s.file.Close()
		s.file = nil
	}
	s.release()
}

// chunkReader reads a spill's chunks in order; io.Copy uses its WriteTo.
type chunkReader struct {
	chunks []*[]byte
	off    int // in chunks[0]
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.chunks) > 0 && r.off == len(*r.chunks[0]) {
		r.chunks, r.off = r.chunks[1:], 0
	}
	if len(r.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, (*r.chunks[0])[r.off:])
	r.off += n
	return n, nil
}

func (r *chunkReader) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for len(r.chunks) > 0 {
		k, err := w.Write((*r.chunks[0])[r.off:])
		n += int64(k)
		if err != nil {
			return n, err
		}
		r.chunks, r.off = r.chunks[1:], 0
	}
	return n, nil
}
