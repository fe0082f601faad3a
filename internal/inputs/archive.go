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

	"github.com/synfin/synfin/flows/capture"
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
func zipMembers(path string, budget *Budget, each MemberFunc) error {
	zr, err := zip.OpenReader(path)
	if errors.Is(err, zip.ErrFormat) {
		// No central directory: most likely a cut archive. Its local
		// headers still say where each member is.
		return zipLocalMembers(path, budget, each)
	}
	if err != nil {
		return &ArchiveError{Fault: ZipUnreadable, Err: err}
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
				return nil, nil, &ArchiveError{Fault: ZipMember, Member: f.Name, Err: err}
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
	tail := &lastBlock{r: br}
	tr := tar.NewReader(tail)
	members := 0
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) && !tail.zero() && tail.n > 0 {
			// Go's reader ends as cleanly where the bytes stop between
			// two members as at the end-of-archive marker (blocks of
			// zeros), which every tar writer puts there: the archive was
			// cut after a member.
			return &ArchiveError{Fault: TarCutBetween, N: members}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return &ArchiveError{Fault: TarCutBetween, N: members} // inside a header
		}
		if err != nil {
			return &ArchiveError{Fault: TarDamaged, Err: err}
		}
		members++
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := path + MemberSep + h.Name
		var open func() (io.Reader, func(), error)
		var skip func()
		if h.Size <= inMemoryMember {
			size := h.Size
			budget.acquire(size)
			data, rerr := io.ReadAll(io.LimitReader(tr, size))
			cut := memberCut(rerr, int64(len(data)), size)
			var once sync.Once
			free := func() { once.Do(func() { budget.release(size) }) }
			open = func() (io.Reader, func(), error) { return endsWith(bytes.NewReader(data), cut), free, nil }
			skip = free
			if cut != nil {
				// The archive ends inside this member: what it holds up to
				// there is analysed, the cut named, and no member follows.
				each(name, open, skip)
				return nil
			}
		} else {
			tmp, err := os.CreateTemp("", "synfin-member-*")
			if err != nil {
				return err
			}
			os.Remove(tmp.Name()) // gone when closed
			n, rerr := io.Copy(tmp, tr)
			var werr *os.PathError
			if errors.As(rerr, &werr) {
				tmp.Close() // the temporary file, not the archive, failed
				return &ArchiveError{Fault: MemberSpool, Member: h.Name, Err: rerr}
			}
			cut := memberCut(rerr, n, h.Size)
			open = func() (io.Reader, func(), error) {
				if _, err := tmp.Seek(0, io.SeekStart); err != nil {
					tmp.Close()
					return nil, nil, err
				}
				return endsWith(tmp, cut), func() { tmp.Close() }, nil
			}
			skip = func() { tmp.Close() }
			if cut != nil {
				each(name, open, skip)
				return nil
			}
		}
		if !each(name, open, skip) {
			return nil
		}
	}
}

// lastBlock passes a tar archive's bytes on, keeping the last 512 read:
// whether they are zeros tells an archive that ends at its marker from
// one cut between members.
type lastBlock struct {
	r    io.Reader
	last [512]byte
	n    int64 // bytes read
}

func (l *lastBlock) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if n >= len(l.last) {
		copy(l.last[:], p[n-len(l.last):n])
	} else if n > 0 {
		copy(l.last[:], l.last[n:])
		copy(l.last[len(l.last)-n:], p[:n])
	}
	l.n += int64(n)
	return n, err
}

// zero says whether the last 512 bytes read are zeros.
func (l *lastBlock) zero() bool { return l.last == [512]byte{} }

// ArchiveFault is what went wrong with an archive: a closed set.
type ArchiveFault uint8

const (
	_             ArchiveFault = iota
	ZipUnreadable              // the ZIP archive cannot be read
	ZipMember                  // a ZIP member cannot be opened
	TarDamaged                 // the tar archive is damaged after the members read so far
	TarCutBetween              // the tar archive ends between members (or in a header), without its end marker
	MemberSpool                // a large tar member could not be spooled to a temporary file
)

// ArchiveError is an archive that could not be read, or not to its end,
// by Fault, with the archive reader's (or the system's) error.
type ArchiveError struct {
	Fault  ArchiveFault
	Member string // ZipMember, MemberSpool: the member's name
	Err    error
	N      int // TarCutBetween: the members (of any type) read whole
}

func (e *ArchiveError) Error() string {
	switch e.Fault {
	case ZipUnreadable:
		return fmt.Sprintf("ZIP archive: %v", e.Err)
	case ZipMember:
		return fmt.Sprintf("ZIP member: %v", e.Err)
	case TarDamaged:
		return fmt.Sprintf("tar archive is damaged after the members read so far: %v", e.Err)
	case TarCutBetween:
		return fmt.Sprintf("the tar archive ends after %d whole members, without its end-of-archive marker: it was cut short there", e.N)
	}
	return fmt.Sprintf("reading %s: %v", e.Member, e.Err)
}

// Unwrap returns the cause.
func (e *ArchiveError) Unwrap() error { return e.Err }

// CutError ends the bytes of a tar member the archive stops inside: the
// capture reader names it at the packet where the bytes run out. It does
// not unwrap to io.ErrUnexpectedEOF, so the reader says where the archive
// ended rather than that the member's own file was cut.
type CutError struct {
	At, Size int64 // bytes of the member read, and what its header gives
	Err      error // the archive reader's error; nil when it simply ended
}

// InputError marks a CutError as the archive's, said as it is when a
// compressed member's decompressor passes it on (capture.InputError).
func (*CutError) InputError() {}

func (e *CutError) Error() string {
	if e.Err == errZipLarge {
		return fmt.Sprintf("read to byte %d of %d: %v", e.At, e.Size, e.Err)
	}
	if e.Err == nil {
		return fmt.Sprintf("cut short at byte %d of %d (the archive ends there)", e.At, e.Size)
	}
	return fmt.Sprintf("the archive is damaged at byte %d of %d of this member: %v", e.At, e.Size, e.Err)
}

// memberCut says whether reading a member stopped before its end, and
// where: nil when all size bytes were read.
func memberCut(err error, n, size int64) *CutError {
	if err == nil && n == size {
		return nil
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil
	}
	return &CutError{At: n, Size: size, Err: err}
}

// endsWith returns r, which returns cut once its bytes are read, instead
// of io.EOF.
func endsWith(r io.Reader, cut *CutError) io.Reader {
	if cut == nil {
		return r
	}
	return io.MultiReader(r, errReader{cut})
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// Members hands each regular file of the archive at path to each, in
// order; tar members read into memory take their size from budget until
// they are read or skipped.
func Members(kind ArchiveKind, path string, budget *Budget, each MemberFunc) error {
	switch kind {
	case Zip:
		return zipMembers(path, budget, each)
	case Tar:
		return tarMembers(path, budget, each)
	}
	return nil
}
