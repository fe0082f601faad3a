package capture

import (
	"encoding/binary"
	"errors"
	"io"
	"math/bits"

	"github.com/pierrec/lz4/v4"
)

// lz4Reader reads LZ4 frames (lz4 -c, and several one after another, with
// skippable frames between them). synfin reads the frames itself, decoding
// each whole block with the lz4 package, so that a file cut inside a block
// still gives every byte before the cut: the lz4 command's blocks are 4 MB,
// and a reader that decodes blocks only whole loses up to 4 MB of packets,
// whole archive members among them, to a cut. The block's sequences before
// the cut are decoded one by one (lz4PartialBlock).
type lz4Reader struct {
	r   io.Reader
	err error // what ends the stream, once out is read

	out  []byte // decoded, not yet read
	buf  []byte // decoded block (its capacity the frame's block size)
	in   []byte // a compressed block
	hist []byte // the last 64 KiB decoded, for blocks that refer back

	inFrame       bool
	independent   bool
	blockSum      bool
	contentSum    bool
	maxBlock      int
	sum           xxh32 // of the frame's content, when it has a checksum
	headerScratch [19]byte
}

const (
	lz4Magic          = 0x184d2204
	lz4SkippableMagic = 0x184d2a50 // the 16 values from here, masked 0xfffffff0
	lz4Window         = 64 << 10
)

// lz4Damaged is a damaged LZ4 stream: its message says what is wrong.
type lz4Damaged string

func (e lz4Damaged) Error() string { return string(e) }

func newLZ4Reader(r io.Reader) *lz4Reader { return &lz4Reader{r: r} }

func (z *lz4Reader) Read(p []byte) (int, error) {
	for len(z.out) == 0 {
		if z.err != nil {
			return 0, z.err
		}
		z.err = z.next()
	}
	n := copy(p, z.out)
	z.out = z.out[n:]
	return n, nil
}

// next decodes the next block into out, reading frame headers and ends on
// the way; it returns what ends the stream (io.EOF at a clean end,
// io.ErrUnexpectedEOF at a cut, with what came before the cut in out).
func (z *lz4Reader) next() error {
	if !z.inFrame {
		if err := z.frameHeader(); err != nil {
			return err
		}
	}
	var word [4]byte
	if n, err := io.ReadFull(z.r, word[:]); err != nil {
		return cut(n, err)
	}
	size := binary.LittleEndian.Uint32(word[:])
	if size == 0 { // the end mark
		z.inFrame = false
		if z.contentSum {
			if n, err := io.ReadFull(z.r, word[:]); err != nil {
				return cut(n, err)
			}
			if binary.LittleEndian.Uint32(word[:]) != z.sum.sum() {
				return lz4Damaged("its content checksum does not match what was decoded")
			}
		}
		return nil
	}
	stored := size&(1<<31) != 0
	size &^= 1 << 31
	if int(size) > z.maxBlock {
		return lz4Damaged("a block is larger than the frame's block size")
	}
	z.in = grow(z.in, int(size))
	n, err := io.ReadFull(z.r, z.in)
	if err != nil {
		// Cut inside the block: what its bytes before the cut decode to.
		if stored {
			z.emit(z.in[:n])
		} else {
			z.emit(lz4PartialBlock(z.in[:n], z.buf[:0], z.dict(), z.maxBlock))
		}
		return cut(1, err)
	}
	if z.blockSum {
		if n, err := io.ReadFull(z.r, word[:]); err != nil {
			z.emit(z.decode(stored)) // the block is whole; only its checksum is cut
			return cut(n+1, err)
		}
		if binary.LittleEndian.Uint32(word[:]) != xxh32Sum(z.in) {
			return lz4Damaged("a block's checksum does not match its bytes")
		}
	}
	dec := z.decode(stored)
	if dec == nil {
		return lz4Damaged("a block does not decode")
	}
	z.emit(dec)
	return nil
}

// decode decodes the whole block in z.in; nil when it does not decode.
func (z *lz4Reader) decode(stored bool) []byte {
	if stored {
		return z.in
	}
	buf := z.buf[:z.maxBlock]
	var n int
	var err error
	if dict := z.dict(); len(dict) > 0 {
		n, err = lz4.UncompressBlockWithDict(z.in, buf, dict)
	} else {
		n, err = lz4.UncompressBlock(z.in, buf)
	}
	if err != nil {
		return nil
	}
	return buf[:n]
}

// dict is what a block may refer back to: nothing in a frame of
// independent blocks.
func (z *lz4Reader) dict() []byte {
	if z.independent {
		return nil
	}
	return z.hist
}

// emit makes decoded bytes the next to read, and remembers the last 64 KiB
// for the next block. The bytes are copied to hist before buf is reused.
func (z *lz4Reader) emit(b []byte) {
	if z.contentSum {
		z.sum.write(b)
	}
	if !z.independent {
		if len(b) >= lz4Window {
			z.hist = append(z.hist[:0], b[len(b)-lz4Window:]...)
		} else {
			keep := max(0, len(z.hist)+len(b)-lz4Window)
			z.hist = append(z.hist[:copy(z.hist, z.hist[keep:])], b...)
		}
	}
	z.out = b
}

// frameHeader reads frames' headers, passing over skippable frames, up to
// the next frame of blocks.
func (z *lz4Reader) frameHeader() error {
	h := z.headerScratch[:]
	for {
		n, err := io.ReadFull(z.r, h[:4])
		if n == 0 && err == io.EOF {
			return io.EOF // a clean end, between frames
		}
		if err != nil {
			return cut(n, err)
		}
		magic := binary.LittleEndian.Uint32(h[:4])
		if magic&0xfffffff0 == lz4SkippableMagic {
			if n, err := io.ReadFull(z.r, h[:4]); err != nil {
				return cut(n, err)
			}
			if _, err := io.CopyN(io.Discard, z.r, int64(binary.LittleEndian.Uint32(h[:4]))); err != nil {
				return cut(1, err)
			}
			continue
		}
		if magic != lz4Magic {
			return lz4Damaged("what follows a frame is not another LZ4 frame")
		}
		if n, err := io.ReadFull(z.r, h[4:6]); err != nil {
			return cut(n, err)
		}
		flg, bd := h[4], h[5]
		if flg>>6 != 1 {
			return lz4Damaged("a frame header of an LZ4 version other than 1")
		}
		size := 6
		if flg&0x08 != 0 {
			size += 8 // content size
		}
		if flg&0x01 != 0 {
			size += 4 // dictionary id
		}
		if n, err := io.ReadFull(z.r, h[6:size+1]); err != nil {
			return cut(n, err)
		}
		if byte(xxh32Sum(h[4:size])>>8) != h[size] {
			return lz4Damaged("a frame header's checksum does not match")
		}
		if flg&0x01 != 0 {
			return lz4Damaged("a frame compressed with a dictionary, which synfin does not have")
		}
		switch (bd >> 4) & 7 {
		case 4:
			z.maxBlock = 64 << 10
		case 5:
			z.maxBlock = 256 << 10
		case 6:
			z.maxBlock = 1 << 20
		case 7:
			z.maxBlock = 4 << 20
		default:
			return lz4Damaged("a frame header with no block size")
		}
		z.independent, z.blockSum, z.contentSum = flg&0x20 != 0, flg&0x10 != 0, flg&0x04 != 0
		z.buf = grow(z.buf, z.maxBlock)
		z.hist, z.sum = z.hist[:0], xxh32{}
		z.inFrame = true
		return nil
	}
}

// cut is the error of a read that ended early, n bytes into what it read.
func cut(n int, err error) error {
	if err == io.EOF || (n > 0 && errors.Is(err, io.ErrUnexpectedEOF)) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}

// lz4PartialBlock decodes the sequences of a block cut short (src ends
// where the file does), appending to dst: every literal byte before the
// cut, and every match whose offset is whole. dict is what precedes the
// block. A sequence that refers outside what is decoded, or that would
// make the block more than limit bytes, ends it.
func lz4PartialBlock(src, dst, dict []byte, limit int) []byte {
	base := len(dst)
	for i := 0; i < len(src); {
		token := src[i]
		i++
		lit := int(token >> 4)
		if lit == 15 {
			for i < len(src) {
				b := src[i]
				i++
				lit += int(b)
				if b != 255 {
					break
				}
			}
		}
		take := min(lit, len(src)-i, limit-(len(dst)-base))
		dst = append(dst, src[i:i+take]...)
		i += take
		if take < lit || i+2 > len(src) {
			return dst
		}
		offset := int(binary.LittleEndian.Uint16(src[i:]))
		i += 2
		match := int(token&15) + 4
		if token&15 == 15 {
			whole := false
			for i < len(src) {
				b := src[i]
				i++
				match += int(b)
				if b != 255 {
					whole = true
					break
				}
			}
			if !whole {
				return dst
			}
		}
		have := len(dst) - base
		if offset == 0 || offset > have+len(dict) || have+match > limit {
			return dst
		}
		for k := 0; k < match; k++ {
			at := len(dst) - offset
			if at >= base {
				dst = append(dst, dst[at])
			} else {
				dst = append(dst, dict[len(dict)-(base-at)])
			}
		}
	}
	return dst
}

// xxh32 is the 32-bit xxHash (seed 0) LZ4 frames check themselves with,
// computed as the bytes pass.
type xxh32 struct {
	v      [4]uint32
	buf    [16]byte
	n      int // bytes in buf
	total  uint64
	primed bool
}

const (
	xxP1 uint32 = 2654435761
	xxP2 uint32 = 2246822519
	xxP3 uint32 = 3266489917
	xxP4 uint32 = 668265263
	xxP5 uint32 = 374761393
)

func xxRound(v, lane uint32) uint32 { return bits.RotateLeft32(v+lane*xxP2, 13) * xxP1 }

func (x *xxh32) write(b []byte) {
	if !x.primed {
		p1, p2 := xxP1, xxP2 // wrapping, as the algorithm's arithmetic does
		x.v = [4]uint32{p1 + p2, p2, 0, -p1}
		x.primed = true
	}
	x.total += uint64(len(b))
	if x.n > 0 {
		k := copy(x.buf[x.n:], b)
		x.n += k
		b = b[k:]
		if x.n < 16 {
			return
		}
		x.stripe(x.buf[:])
		x.n = 0
	}
	v1, v2, v3, v4 := x.v[0], x.v[1], x.v[2], x.v[3]
	for ; len(b) >= 16; b = b[16:] {
		v1 = xxRound(v1, binary.LittleEndian.Uint32(b[0:]))
		v2 = xxRound(v2, binary.LittleEndian.Uint32(b[4:]))
		v3 = xxRound(v3, binary.LittleEndian.Uint32(b[8:]))
		v4 = xxRound(v4, binary.LittleEndian.Uint32(b[12:]))
	}
	x.v = [4]uint32{v1, v2, v3, v4}
	x.n = copy(x.buf[:], b)
}

func (x *xxh32) stripe(b []byte) {
	for i := range x.v {
		x.v[i] = xxRound(x.v[i], binary.LittleEndian.Uint32(b[4*i:]))
	}
}

func (x *xxh32) sum() uint32 {
	var h uint32
	if x.total >= 16 {
		h = bits.RotateLeft32(x.v[0], 1) + bits.RotateLeft32(x.v[1], 7) + bits.RotateLeft32(x.v[2], 12) + bits.RotateLeft32(x.v[3], 18)
	} else {
		h = xxP5
	}
	h += uint32(x.total)
	b := x.buf[:x.n]
	for ; len(b) >= 4; b = b[4:] {
		h = bits.RotateLeft32(h+binary.LittleEndian.Uint32(b)*xxP3, 17) * xxP4
	}
	for _, c := range b {
		h = bits.RotateLeft32(h+uint32(c)*xxP5, 11) * xxP1
	}
	h ^= h >> 15
	h *= xxP2
	h ^= h >> 13
	h *= xxP3
	h ^= h >> 16
	return h
}

// xxh32Sum is the xxHash of b.
func xxh32Sum(b []byte) uint32 {
	var x xxh32
	x.write(b)
	return x.sum()
}
