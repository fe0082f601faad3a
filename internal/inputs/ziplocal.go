package inputs

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"sync"
)

// A ZIP archive names its members twice: in a local header before each
// member's bytes, and in the central directory at the end. A cut archive
// has lost the central directory, which archive/zip needs; its local
// headers are still there. zipLocalMembers walks them, as a salvaging
// unzip does, so that every whole member is read and the cut one up to the
// cut.

const (
	zipLocalSig      = 0x04034b50
	zipDescriptorSig = 0x08074b50
	zipDescriptor    = 0x0008 // general-purpose flag: the sizes follow the data
	zipStored        = 0
	zipDeflated      = 8
)

var errZipLarge = errors.New("a member over 64 MiB in a ZIP archive without its central directory is read only that far")

var errZipWalk = errors.New("a member whose size comes after its bytes and that is not deflated, or one compressed otherwise than by deflate, cannot be found without the central directory")

// zipLocalMembers hands each member its local header names to each, read
// into memory (up to inMemoryMember bytes of it) and counted in budget
// until it is read or skipped. It stops at the first thing that is not a
// local header (the central directory, or damage), and after the member
// the archive ends in.
func zipLocalMembers(path string, budget *Budget, each MemberFunc) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	// A bufio.Reader is an io.ByteReader: flate then reads no further than
	// the end of a member's stream, where its data descriptor starts.
	in := bufio.NewReaderSize(f, 64<<10)
	// The archive ends inside a member's header: that member is named when
	// its name is there, the archive otherwise.
	cutHeader := func(name string, size int64) error {
		if name == "" {
			return &ArchiveError{Fault: ZipUnreadable, Err: errors.New("the archive ends inside a member's local header")}
		}
		cut := &CutError{At: 0, Size: size}
		each(path+MemberSep+name, func() (io.Reader, func(), error) { return endsWith(bytes.NewReader(nil), cut), func() {}, nil }, func() {})
		return nil
	}
	for {
		var h [30]byte
		n, err := io.ReadFull(in, h[:])
		switch {
		case n == 0 && err == io.EOF:
			return nil
		case n >= 4 && binary.LittleEndian.Uint32(h[0:4]) != zipLocalSig:
			return nil // the central directory, or what follows the members
		case err != nil:
			return cutHeader("", 0)
		}
		flags := binary.LittleEndian.Uint16(h[6:8])
		method := binary.LittleEndian.Uint16(h[8:10])
		csize := int64(binary.LittleEndian.Uint32(h[18:22]))
		usize := int64(binary.LittleEndian.Uint32(h[22:26]))
		nameb := make([]byte, binary.LittleEndian.Uint16(h[26:28]))
		if _, err := io.ReadFull(in, nameb); err != nil {
			return cutHeader("", 0)
		}
		name := string(nameb)
		if _, err := in.Discard(int(binary.LittleEndian.Uint16(h[28:30]))); err != nil {
			return cutHeader(name, usize)
		}
		descriptor := flags&zipDescriptor != 0
		sized := !descriptor || csize > 0
		var src io.Reader
		var rest error // what reading the compressed bytes met: nil, or the cut
		switch {
		case sized:
			// What is there, not what the header claims: a damaged header
			// must not make a large allocation.
			comp, err := io.ReadAll(io.LimitReader(in, min(csize, inMemoryMember)))
			if err == nil && int64(len(comp)) < min(csize, inMemoryMember) {
				err = io.ErrUnexpectedEOF
			}
			rest = err
			if method == zipDeflated {
				src = flate.NewReader(bytes.NewReader(comp))
			} else if method == zipStored {
				src = bytes.NewReader(comp)
			} else {
				return &ArchiveError{Fault: ZipUnreadable, Member: name, Err: errZipWalk}
			}
		case method == zipDeflated:
			src = flate.NewReader(in)
		default:
			return &ArchiveError{Fault: ZipUnreadable, Member: name, Err: errZipWalk}
		}
		if len(name) > 0 && name[len(name)-1] == '/' { // a directory
			// Passed over to the next local header; a directory's bytes
			// (none, normally) hold no capture, and a damaged stream shows
			// at the next header.
			_, _ = io.Copy(io.Discard, src)
		} else {
			// Read, then counted in the budget: a member's size may be
			// unknown until its data descriptor. One larger than
			// inMemoryMember is read that far and said to be cut there:
			// without the central directory, what follows it cannot be
			// found without reading it all.
			data, rerr := io.ReadAll(io.LimitReader(src, inMemoryMember+1))
			if int64(len(data)) > inMemoryMember || csize > inMemoryMember {
				data, rerr = data[:min(int64(len(data)), inMemoryMember)], errZipLarge
			}
			size := int64(len(data))
			budget.acquire(size)
			var once sync.Once
			free := func() { once.Do(func() { budget.release(size) }) }
			if rerr == nil {
				rerr = rest
			}
			var cut *CutError
			if rerr != nil {
				// The archive ends (or is damaged) inside this member: what
				// it holds up to there is read, and no member follows.
				cut = memberCut(rerr, size, max(usize, size))
			}
			open := func() (io.Reader, func(), error) { return endsWith(bytes.NewReader(data), cut), free, nil }
			if cut != nil {
				each(path+MemberSep+name, open, free)
				return nil
			}
			if !each(path+MemberSep+name, open, free) {
				return nil
			}
		}
		if descriptor {
			// An optional signature, the CRC and both sizes.
			sig, err := in.Peek(4)
			if err != nil {
				return nil
			}
			n := 12
			if binary.LittleEndian.Uint32(sig) == zipDescriptorSig {
				n = 16
			}
			if _, err := in.Discard(n); err != nil {
				return nil
			}
		}
	}
}
