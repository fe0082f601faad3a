package capture

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"encoding/binary"
	"errors"
	"io"
	"sync"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Packet is one captured frame as read from the file. Data is only valid
// until the next call to Capture.Next: the reader reuses its buffer.
type Packet struct {
	Data    []byte
	TS      int64 // capture time, nanoseconds since the Unix epoch
	WireLen int   // length on the wire (may exceed len(Data) when cut by snaplen)
	Link    layers.LinkType
	Index   int   // 1-based frame number, as Wireshark numbers frames
	Offset  int64 // byte offset of the packet's record in the (decompressed) stream, -1 if unknown
}

// Capture reads packets from one pcap or pcapng stream, compressed or not.
type Capture struct {
	Name        string // file name used in messages
	Format      string // "pcap", "pcap-ns" or "pcapng"
	Compression string // "", "gzip", "zstd", "lz4", "xz" or "bzip2"

	pcap    *pcapgo.Reader
	ng      *pcapgo.NgReader
	guard   *recordGuard
	link    layers.LinkType // classic pcap's single link type
	next    int64           // classic pcap: offset of the next record
	index   int
	close   func()
	buffers []*bufio.Reader // pooled, returned by Close
}

// Magic numbers, read little-endian from the first four bytes.
const (
	magicPcapMicro   = 0xa1b2c3d4
	magicPcapMicroBE = 0xd4c3b2a1
	magicPcapNano    = 0xa1b23c4d
	magicPcapNanoBE  = 0x4d3cb2a1
	magicPcapng      = 0x0a0d0d0a
	magicModified    = 0xa1b2cd34 // Alexey Kuznetsov's modified pcap
	magicModifiedBE  = 0x34cdb2a1
)

// The smallest headers: classic pcap's file header, and pcapng's section
// header block without options.
const (
	pcapHeaderLen   = 24
	pcapngHeaderMin = 28
)

// readBuffer is the read-ahead between the record guard and pcapgo.
const readBuffer = 256 << 10

// decompressLimit, when positive, cuts decompressed input after that many
// bytes. Only the fuzz harness sets it: a few fuzzed bytes can be a
// legitimate stream expanding to gigabytes, which costs time, not memory.
var decompressLimit int64

// Open sniffs compression and capture format from the first bytes of r and
// prepares to read packets. name is used only in messages. The returned
// error is an *OpenError wrapping ErrNotCapture (or the decompressor's
// error) when nothing can be read.
func Open(name string, r io.Reader) (*Capture, error) {
	c := &Capture{Name: name, close: func() {}}
	br, compression, closeFn, err := Decompress(r)
	c.Compression = compression
	if err != nil {
		return nil, &OpenError{name, err}
	}
	if closeFn != nil {
		c.close = closeFn
	}
	var head []byte
	head, err = br.Peek(4)
	if len(head) < 4 {
		if c.Compression != "" && errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, &OpenError{name, &Error{Reason: StreamEndsEarly, Compression: c.Compression, BeforeFirst: true}}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, &OpenError{name, err}
		}
		return nil, &OpenError{name, c.notCapture(br)}
	}
	switch binary.LittleEndian.Uint32(head) {
	case magicPcapMicro, magicPcapMicroBE, magicPcapNano, magicPcapNanoBE:
		c.Format = "pcap"
		if m := binary.LittleEndian.Uint32(head); m == magicPcapNano || m == magicPcapNanoBE {
			c.Format = "pcap-ns"
		}
		if h, _ := br.Peek(pcapHeaderLen); len(h) < pcapHeaderLen {
			return nil, &OpenError{name, &Error{Reason: HeaderCutShort, Format: "pcap", Have: len(h), Want: pcapHeaderLen}}
		}
		c.guard = newPcapGuard(br, head)
		// pcapgo reads through a bufio.Reader; handing it one of our size
		// (it keeps a *bufio.Reader it is given) saves a layer of 4 KiB
		// copies.
		c.pcap, err = pcapgo.NewReader(c.pooled(&bigReaders, c.guard))
		if err != nil {
			return nil, &OpenError{name, &Error{Reason: HeaderDamaged, Format: "pcap", Err: plain(err)}}
		}
		c.link = c.pcap.LinkType()
		c.next = 24
	case magicPcapng:
		c.Format = "pcapng"
		if h, _ := br.Peek(pcapngHeaderMin); len(h) < pcapngHeaderMin {
			return nil, &OpenError{name, &Error{Reason: HeaderCutShort, Format: "pcapng", Have: len(h), Want: pcapngHeaderMin}}
		}
		c.guard = newPcapngGuard(br)
		// WantMixedLinkType: without it pcapgo silently drops the packets
		// of every interface whose link type differs from the first one.
		c.ng, err = pcapgo.NewNgReader(c.pooled(&bigReaders, c.guard), pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			return nil, &OpenError{name, &Error{Reason: HeaderDamaged, Format: "pcapng", Err: plain(err)}}
		}
	case magicModified, magicModifiedBE:
		return nil, &OpenError{name, &Error{Reason: Modified}}
	default:
		return nil, &OpenError{name, c.notCapture(br)}
	}
	return c, nil
}

// Decompress sniffs the compression of r from its magic bytes (gzip, zstd,
// lz4, xz, bzip2, or none) and returns a buffered reader of the
// decompressed bytes, the compression's name, and a function that releases
// the decompressor (nil when there is nothing to release). Archives use it
// to look inside compressed tar files.
func Decompress(r io.Reader) (br *bufio.Reader, compression string, closeFn func(), err error) {
	var free []*bufio.Reader
	defer func() {
		// The buffers go back to their pool when the caller is done, or
		// at once when there is nothing to read.
		if err != nil {
			for _, b := range free {
				putReader(&smallReaders, b)
			}
			return
		}
		inner := closeFn
		closeFn = func() {
			if inner != nil {
				inner()
			}
			for _, b := range free {
				putReader(&smallReaders, b)
			}
		}
	}()
	br = getReader(&smallReaders, r, 64<<10)
	free = append(free, br)
	head, _ := br.Peek(6)
	var dec io.Reader
	switch compression = CompressionOf(head); compression {
	case "gzip":
		var z *gzip.Reader
		if z, err = gzip.NewReader(br); err == nil {
			dec = z
		}
	case "zstd":
		var z *zstd.Decoder
		// One goroutine and a bounded window: a hostile frame header cannot
		// make the decoder reserve more than 64 MiB, nor a bomb expand past
		// 256 MiB in memory (the output streams).
		z, err = zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxWindow(64<<20), zstd.WithDecoderMaxMemory(256<<20))
		if err == nil {
			dec = z
			closeFn = z.Close
		}
	case "lz4":
		dec = newLZ4Reader(br)
	case "xz":
		dec, err = xz.NewReader(br)
	case "bzip2":
		dec = bzip2.NewReader(br)
	}
	if err != nil {
		return nil, compression, nil, &Error{Reason: StreamUnreadable, Compression: compression, Err: err}
	}
	if dec != nil {
		if decompressLimit > 0 {
			dec = io.LimitReader(dec, decompressLimit)
		}
		br = getReader(&smallReaders, dec, 64<<10)
		free = append(free, br)
	}
	return br, compression, closeFn, nil
}

// CompressionOf names the compression whose magic bytes head starts with
// ("gzip", "zstd", "lz4", "xz", "bzip2"), or "" for none of them.
func CompressionOf(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return "gzip"
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return "zstd"
	case bytes.HasPrefix(head, []byte{0x04, 0x22, 0x4d, 0x18}):
		return "lz4"
	case bytes.HasPrefix(head, []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}):
		return "xz"
	case bytes.HasPrefix(head, []byte("BZh")):
		return "bzip2"
	}
	return ""
}

// Close releases decompressor resources. It does not close the underlying reader.
func (c *Capture) Close() {
	c.close()
	for _, b := range c.buffers {
		putReader(&bigReaders, b)
	}
	c.buffers = nil
	if c.guard != nil {
		putGuard(c.guard)
		c.guard = nil
	}
}

// Read buffers are pooled: a batch opens thousands of captures, and
// allocating (and clearing, and collecting) 400 KiB of buffers for each
// cost more than reading a small one.
var smallReaders, bigReaders sync.Pool

func getReader(p *sync.Pool, r io.Reader, size int) *bufio.Reader {
	if b, ok := p.Get().(*bufio.Reader); ok {
		b.Reset(r)
		return b
	}
	return bufio.NewReaderSize(r, size)
}

func putReader(p *sync.Pool, b *bufio.Reader) {
	b.Reset(nil)
	p.Put(b)
}

// pooled returns a readBuffer-sized reader of r, returned to its pool by
// Close.
func (c *Capture) pooled(p *sync.Pool, r io.Reader) *bufio.Reader {
	b := getReader(p, r, readBuffer)
	c.buffers = append(c.buffers, b)
	return b
}

// Next reads the next packet into p. It returns io.EOF at a clean end of
// input and a *PacketError when the file is damaged or cut short; in both
// cases no further packets can be read.
func (c *Capture) Next(p *Packet) error {
	c.index++
	if c.pcap != nil {
		data, ci, err := c.pcap.ZeroCopyReadPacketData()
		if err != nil {
			return c.fail(err, c.next)
		}
		p.Data, p.TS, p.WireLen, p.Link = data, ci.Timestamp.UnixNano(), ci.Length, c.link
		p.Index, p.Offset = c.index, c.next
		c.next += 16 + int64(ci.CaptureLength)
		return nil
	}
	data, ci, err := c.ng.ZeroCopyReadPacketData()
	if err != nil {
		return c.fail(err, c.guard.failOffset())
	}
	p.Data, p.TS, p.WireLen = data, ci.Timestamp.UnixNano(), ci.Length
	p.Index, p.Offset = c.index, c.guard.pop()
	p.Link = layers.LinkTypeNull
	if iface, ierr := c.ng.Interface(ci.InterfaceIndex); ierr == nil {
		p.Link = iface.LinkType
	}
	return nil
}

// fail turns a reader error into io.EOF or a *PacketError.
func (c *Capture) fail(err error, off int64) error {
	if err == io.EOF && !c.guard.midRecord() {
		return io.EOF
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
		off = c.guard.start
	}
	var ce *Error
	var input InputError
	worded, known := inWords(err)
	switch {
	case known:
		err = worded
	case errors.As(err, &input):
		err = input
	case errors.As(err, &ce) && ce.Reason == RecordTooLarge:
		err = ce
	case c.Compression != "" && errors.Is(err, io.ErrUnexpectedEOF):
		err = &Error{Reason: StreamEndsEarly, Compression: c.Compression}
	case errors.Is(err, io.ErrUnexpectedEOF):
		err = &Error{Reason: RecordCutShort}
	case c.Compression != "":
		err = &Error{Reason: StreamDamaged, Compression: c.Compression, Err: err}
	}
	return &PacketError{File: c.Name, Index: c.index, Offset: off, Err: err}
}

// notCapture says what the input looks like instead of a capture.
func (c *Capture) notCapture(br *bufio.Reader) error {
	head, err := br.Peek(512)
	if len(head) == 0 && err != nil && !errors.Is(err, io.EOF) {
		if c.Compression != "" {
			return &Error{Reason: StreamDamaged, Compression: c.Compression, Err: err}
		}
		return err
	}
	look, first := describe(head)
	return &Error{Reason: NotCapture, Compression: c.Compression, Look: look, Head: first}
}
