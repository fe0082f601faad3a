package inputs

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"synfin/flows/capture"
)

// A batch reads archives as streams, never unpacking them to disk: a tar
// (plain, or compressed in any way capture.Decompress knows) is read member
// by member in order, and each member handed to a worker; a ZIP file is
// read through its central directory, member by member. Each member may
// itself be a compressed capture. Records name a member "ARCHIVE!/MEMBER".

// MemberSep joins an archive's path and a member's path in record names.
const MemberSep = "!/"

// inMemoryMember is the largest tar member read into memory to be handed to
// a worker; a larger one is spooled to an unlinked temporary file. The
// members held in memory at once, read but not yet analysed, total at most
// MemberBudget (a Budget the caller makes, one for all its archives).
const (
	inMemoryMember = 64 << 20
	MemberBudget   = 256 << 20
)

// Budget lets holders of memory wait for their share.
type Budget struct {
	mu   sync.Mutex
	cond *sync.Cond
	free int64
}

func NewBudget(n int64) *Budget {
	b := &Budget{free: n}
	b.cond = sync.NewCond(&b.mu)
	return b
}

func (b *Budget) acquire(n int64) {
	b.mu.Lock()
	for b.free < n {
		b.cond.Wait()
	}
	b.free -= n
	b.mu.Unlock()
}

func (b *Budget) release(n int64) {
	b.mu.Lock()
	b.free += n
	b.mu.Unlock()
	b.cond.Broadcast()
}

// Free is the budget not taken.
func (b *Budget) Free() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.free
}

// ArchiveKind says whether a file is an archive, and which.
type ArchiveKind uint8

const (
	NotArchive ArchiveKind = iota
	Zip
	Tar // plain or compressed
)

// Sniff opens a file of a batch and looks at its first bytes: a
// capture comes back open at its start, an archive as its kind, closed.
// Only regular files are looked into: a pipe cannot be read twice. With
// id set, the file's Identity for --resume is read from the same handle
// first (so that it names the bytes analysed), and done, when it says
// the manifest has the file, leaves it closed and unread.
func Sniff(path string, id *Identity, done func(Identity) bool) (*os.File, ArchiveKind, error) {
	f, err := OpenRead(path)
	if err != nil {
		return nil, NotArchive, err
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return f, NotArchive, nil
	}
	if id != nil {
		if *id, err = Identify(f); err != nil || done(*id) {
			f.Close()
			return nil, NotArchive, err
		}
	}
	kind, err := archiveKind(f)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil || kind != NotArchive {
		f.Close()
		return nil, kind, err
	}
	return f, NotArchive, nil
}

// archiveKind says whether f holds a ZIP or a tar archive (compressed or
// not), or neither.
func archiveKind(f io.ReadSeeker) (ArchiveKind, error) {
	var head [262]byte
	n, _ := io.ReadFull(f, head[:])
	switch {
	case n >= 4 && string(head[:4]) == "PK\x03\x04":
		return Zip, nil
	case n == len(head) && string(head[257:262]) == "ustar":
		return Tar, nil
	case capture.CompressionOf(head[:n]) == "":
		// Most inputs are captures, and their first bytes say so; only a
		// compressed file needs opening to see whether a tar is inside.
		return NotArchive, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return NotArchive, err
	}
	br, _, closeFn, err := capture.Decompress(f)
	if err != nil {
		return NotArchive, nil // a damaged compressed file: flows.Open will say what
	}
	if closeFn != nil {
		defer closeFn()
	}
	if b, _ := br.Peek(262); len(b) == 262 && string(b[257:262]) == "ustar" {
		return Tar, nil
	}
	return NotArchive, nil
}

// refCount closes a shared resource when the last of its users is done.
type refCount struct {
	n     atomic.Int64
	close func()
}

func (r *refCount) done() {
	if r.n.Add(-1) == 0 {
		r.close()
	}
}

// MemberFunc receives one member: open reads it (its close function frees
// what it holds), skip frees it unread (a member resumed past, or a batch
// stopped). Exactly one of the two is called. It returns false to stop.
type MemberFunc func(name string, open func() (io.Reader, func(), error), skip func()) bool

// zipMembers lists a ZIP archive's regular files as units; the archive is
// closed when the last of them has been read or skipped.
func zipMembers(path string, each MemberFunc) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("ZIP archive: %w", err)
	}
	var files []*zip.File
	for _, f := range zr.File {
		if f.Mode().IsRegular() {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		zr.Close()
		return nil
	}
	rc := &refCount{close: func() { zr.Close() }}
	rc.n.Store(int64(len(files)))
	for i, f := range files {
		ok := each(path+MemberSep+f.Name, func() (io.Reader, func(), error) {
			r, err := f.Open()
			if err != nil {
				rc.done()
				return nil, nil, fmt.Errorf("ZIP member: %w", err)
			}
			return r, func() { r.Close(); rc.done() }, nil
		}, rc.done)
		if !ok {
			// Stopped: the members not handed out release their share.
			for range files[i+1:] {
				rc.done()
			}
			return nil
		}
	}
	return nil
}

// tarMembers reads a tar archive in order and hands each regular file to
// each as bytes in memory or, past inMemoryMember, in an unlinked
// temporary file.
func tarMembers(path string, budget *Budget, each MemberFunc) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br, _, closeFn, err := capture.Decompress(f)
	if err != nil {
		return err
	}
	if closeFn != nil {
		defer closeFn()
	}
	tr := tar.NewReader(br)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("tar archive is damaged after the members read so far: %w", err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := path + MemberSep + h.Name
		var open func() (io.Reader, func(), error)
		var skip func()
		if h.Size <= inMemoryMember {
			size := h.Size
			budget.acquire(size)
			data, err := io.ReadAll(io.LimitReader(tr, size))
			if err != nil {
				budget.release(size)
				return fmt.Errorf("reading %s: %w", h.Name, err)
			}
			var once sync.Once
			free := func() { once.Do(func() { budget.release(size) }) }
			open = func() (io.Reader, func(), error) { return bytes.NewReader(data), free, nil }
			skip = free
		} else {
			tmp, err := os.CreateTemp("", "synfin-member-*")
			if err != nil {
				return err
			}
			os.Remove(tmp.Name()) // gone when closed
			if _, err := io.Copy(tmp, tr); err != nil {
				tmp.Close()
				return fmt.Errorf("reading %s: %w", h.Name, err)
			}
			open = func() (io.Reader, func(), error) {
				if _, err := tmp.Seek(0, io.SeekStart); err != nil {
					tmp.Close()
					return nil, nil, err
				}
				return tmp, func() { tmp.Close() }, nil
			}
			skip = func() { tmp.Close() }
		}
		if !each(name, open, skip) {
			return nil
		}
	}
}

// Members hands each regular file of the archive at path to each, in
// order; tar members read into memory take their size from budget until
// they are read or skipped.
func Members(kind ArchiveKind, path string, budget *Budget, each MemberFunc) error {
	switch kind {
	case Zip:
		return zipMembers(path, each)
	case Tar:
		return tarMembers(path, budget, each)
	}
	return nil
}
