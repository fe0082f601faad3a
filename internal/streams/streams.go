package streams

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
)

// A direction holds at most streamPending bytes waiting for a gap to
// fill, all directions together streamBudget, and at most
// streamOpenFiles files are open at once, so that memory and descriptors
// stay bounded whatever the capture.
const (
	streamPending   = 256 << 10
	streamBudget    = 64 << 20
	streamOpenFiles = 64
)

// Set writes the streams of one capture.
type Set struct {
	dir, prefix string
	conns       map[int]*[2]*streamFile
	held        int // bytes waiting behind gaps, all directions
	open        map[string]*os.File
	order       []string        // open files, least recently used first
	made        map[string]bool // files this run created (an older run's are replaced)
	err         error
}

type streamFile struct {
	set    *Set
	path   string
	r      flows.Reassembler
	offset int64
}

func New(dir, capture string) *Set {
	// The whole path names the capture: two inputs may share a base name.
	// Leading dots and separators go, so that no name starts hidden.
	prefix := strings.TrimLeft(safeName(filepath.Clean(capture)), "._")
	return &Set{dir: dir, prefix: prefix, conns: map[int]*[2]*streamFile{},
		open: map[string]*os.File{}, made: map[string]bool{}}
}

// safeName keeps letters, digits, dots and dashes, so that names taken
// from a capture cannot climb out of DIR or confuse a shell.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			return r
		}
		return '_'
	}, s)
}

// Trace feeds a segment's payload to its direction's reassembler.
func (s *Set) Trace(c *flows.Conn, seg *flows.Segment, d flows.Dir, _ flows.SegClass) {
	if len(seg.Payload) == 0 || s.err != nil {
		return
	}
	files := s.conns[c.Index]
	if files == nil {
		base := fmt.Sprintf("%s_%04d_%s_%s", s.prefix, c.Index, safeName(c.Client().String()), safeName(c.Server().String()))
		files = &[2]*streamFile{}
		for i, ext := range []string{".c2s", ".s2c"} {
			f := &streamFile{set: s, path: filepath.Join(s.dir, base+ext)}
			f.r = flows.Reassembler{MaxPending: streamPending, Out: f.write, Gap: f.gap}
			if isn, ok := c.FirstDataSeq(flows.Dir(i)); ok {
				f.r.Start(isn)
			}
			files[i] = f
		}
		s.conns[c.Index] = files
	}
	f := files[d]
	start := seg.Seq
	if seg.Flags&flows.FlagSYN != 0 {
		start = start.Add(1) // data on a SYN follows the SYN
	}
	before := f.r.Held()
	f.r.Add(start, seg.Payload)
	if cut := seg.PayloadLen - len(seg.Payload); cut > 0 {
		f.r.Missing(start.Add(uint32(len(seg.Payload))), uint32(cut))
	}
	s.held += f.r.Held() - before
	if s.held > streamBudget {
		// Too much waiting behind gaps: this direction gives up its gap.
		before = f.r.Held()
		f.r.Flush()
		s.held += f.r.Held() - before
	}
}

// finish writes what a finished connection still holds.
func (s *Set) finish(conn int) {
	files := s.conns[conn]
	if files == nil {
		return
	}
	for _, f := range files {
		before := f.r.Held()
		f.r.Flush()
		s.held += f.r.Held() - before
		s.closeFile(f.path)
		s.closeFile(f.path + ".gaps")
	}
	delete(s.conns, conn)
}

// Close writes and closes everything; it returns the first error.
func (s *Set) Close() error {
	for conn := range s.conns {
		s.finish(conn)
	}
	for p := range s.open {
		s.closeFile(p)
	}
	return s.err
}

func (f *streamFile) write(b []byte) {
	if fh := f.set.file(f.path); fh != nil {
		if _, err := fh.Write(b); err != nil && f.set.err == nil {
			f.set.err = err
		}
	}
	f.offset += int64(len(b))
}

func (f *streamFile) gap(n uint32) {
	if fh := f.set.file(f.path + ".gaps"); fh != nil {
		fmt.Fprintf(fh, "%d\t%d\n", f.offset, n)
	}
}

// file returns the open file at path, opening it to append (creating it
// the first time) and closing the least recently used past
// streamOpenFiles.
func (s *Set) file(path string) *os.File {
	if fh, ok := s.open[path]; ok {
		for i, p := range s.order {
			if p == path {
				s.order = append(append(s.order[:i:i], s.order[i+1:]...), path)
				break
			}
		}
		return fh
	}
	if len(s.open) >= streamOpenFiles {
		s.closeFile(s.order[0])
	}
	flags := os.O_CREATE | os.O_WRONLY | os.O_APPEND
	if !s.made[path] {
		flags |= os.O_TRUNC
		s.made[path] = true
	}
	fh, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		if s.err == nil {
			s.err = err
		}
		return nil
	}
	s.open[path] = fh
	s.order = append(s.order, path)
	return fh
}

func (s *Set) closeFile(path string) {
	fh, ok := s.open[path]
	if !ok {
		return
	}
	if err := fh.Close(); err != nil && s.err == nil {
		s.err = err
	}
	delete(s.open, path)
	for i, p := range s.order {
		if p == path {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
}

// Emit wraps emit so that a connection's streams are complete before its
// record goes out. A connection whose record want refuses (the view's
// filters: --host, --port, -c, --state) has its files removed: its payload
// is written as it arrives, before its state is known, and --streams
// writes only the connections the view shows. want nil keeps all.
func (s *Set) Emit(want func(*analyze.Record) bool, emit func(*analyze.Record)) func(*analyze.Record) {
	return func(r *analyze.Record) {
		if want != nil && !want(r) {
			s.discard(r.Conn)
			return
		}
		s.finish(r.Conn)
		emit(r)
	}
}

// discard closes and removes the files of a connection the view does not
// show.
func (s *Set) discard(conn int) {
	files := s.conns[conn]
	if files == nil {
		return
	}
	for _, f := range files {
		s.held -= f.r.Held() // dropped with the connection, never written
		for _, p := range []string{f.path, f.path + ".gaps"} {
			s.closeFile(p)
			if s.made[p] {
				os.Remove(p)
				delete(s.made, p)
			}
		}
	}
	delete(s.conns, conn)
}
