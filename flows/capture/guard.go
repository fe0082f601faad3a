package capture

import (
	"bytes"
	"encoding/binary"
	"io"
	"sync"
	"unicode/utf8"
)

// Bounds on what one record of a capture may claim. A record that claims
// more stops the reading with a *lengthError before pcapgo sees it, so a
// hostile length never becomes an allocation.
const (
	// MaxPacket is the largest packet record accepted when the file's
	// snaplen is not larger; tcpdump's default snaplen is 262144.
	MaxPacket = 256 << 10
	// maxPacketCeiling bounds a file's own snaplen claim.
	maxPacketCeiling = 1 << 20
	// maxBlock bounds pcapng blocks other than packets (name resolution,
	// statistics, custom blocks).
	maxBlock = 16 << 20
)

// recordGuard sits between the byte stream and pcapgo's readers and follows
// the record (pcap) or block (pcapng) boundaries as the bytes pass. It
// refuses records that claim absurd lengths, and for pcapng it queues the
// byte offset of each packet block so that every packet the NgReader
// returns can be given its offset. pcapgo buffers ahead, so the guard may
// be several records ahead of the reader.
type recordGuard struct {
	guardState
	queue [1024]int64 // offsets of packet blocks seen, not yet returned
}

// guardState is a recordGuard but for its queue, so that a reused guard
// is set afresh without clearing the queue (see getGuard).
type guardState struct {
	r      io.Reader
	pcapng bool
	order  binary.ByteOrder
	limit  uint64 // largest packet data (pcap) or packet block (pcapng)
	pos    int64  // bytes passed so far
	start  int64  // offset of the record being read
	skip   int64  // bytes left in the current record after its header
	hdr    [16]byte
	hdrLen int
	nhdr   int
	err    error // a refused record: returned once the bytes before it are read
	lost   bool  // stopped following (pcapng byte order unknown)
	qhead  int   // the queue's oldest entry; only qlen entries from it mean anything
	qlen   int
}

// guards are reused from one capture to the next (Capture.Close returns
// them): a guard's queue is 8 KiB, which a batch of thousands of small
// captures would otherwise take fresh from the system for each.
var guards = sync.Pool{New: func() any { return new(recordGuard) }}

// getGuard returns a guard set to st, its queue left as it was.
func getGuard(st guardState) *recordGuard {
	g := guards.Get().(*recordGuard)
	g.guardState = st
	return g
}

// putGuard returns a guard no longer read from.
func putGuard(g *recordGuard) {
	g.guardState = guardState{}
	guards.Put(g)
}

func newPcapGuard(r io.Reader, magic []byte) *recordGuard {
	g := getGuard(guardState{r: r, hdrLen: 16, order: binary.LittleEndian, skip: 24})
	if m := binary.LittleEndian.Uint32(magic); m == magicPcapMicroBE || m == magicPcapNanoBE {
		g.order = binary.BigEndian
	}
	// The snaplen sits at bytes 16..20 of the file header; it is read as
	// the header passes (see feed).
	g.limit = MaxPacket
	return g
}

func newPcapngGuard(r io.Reader) *recordGuard {
	return getGuard(guardState{r: r, pcapng: true, hdrLen: 12, limit: MaxPacket + 64<<10})
}

func (g *recordGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	if k := g.feed(p[:n]); k < n {
		return k, nil // the rest belongs to a refused record
	}
	return n, err
}

// feed follows boundaries through b and returns how many of its bytes may
// be passed on: all of them, unless a refused record begins inside b.
func (g *recordGuard) feed(b []byte) int {
	done := 0
	for len(b) > 0 && !g.lost {
		if g.skip > 0 {
			k := int64(len(b))
			if k > g.skip {
				k = g.skip
			}
			if !g.pcapng && g.pos < 24 { // classic file header: note the snaplen
				g.snaplenFrom(b[:k])
			}
			g.skip -= k
			g.pos += k
			b = b[k:]
			done += int(k)
			continue
		}
		if g.nhdr == 0 {
			g.start = g.pos
		}
		k := copy(g.hdr[g.nhdr:g.hdrLen], b)
		g.nhdr += k
		g.pos += int64(k)
		b = b[k:]
		done += k
		if g.nhdr < g.hdrLen {
			return done
		}
		g.nhdr = 0
		if err := g.header(); err != nil {
			g.err = err
			return max(0, done-int(g.pos-g.start)) // stop before the refused header
		}
	}
	return done + len(b)
}

// snaplenFrom reads the classic header's snaplen as its bytes pass.
//
// pcapgo clears a packet buffer of min(snaplen, 256 KiB) for each capture
// it opens, which for a batch of thousands of small captures was a tenth
// of the work. So when the snaplen is at most that, pcapgo is handed a
// small one instead: its buffer then starts small and grows to the largest
// packet read, and it still accepts packets up to 256 KiB, as before. The
// guard keeps enforcing the file's own snaplen.
func (g *recordGuard) snaplenFrom(b []byte) {
	for i, c := range b {
		off := g.pos + int64(i)
		if off >= 16 && off < 20 {
			g.hdr[off-16] = c
			if off == 19 {
				snap := uint64(g.order.Uint32(g.hdr[:4]))
				g.limit = max(MaxPacket, min(snap, maxPacketCeiling))
				if snap <= pcapgoEager && snap > smallSnaplen && i >= 3 {
					g.order.PutUint32(b[i-3:i+1], smallSnaplen)
				}
			}
		}
	}
}

// pcapgoEager is the largest packet pcapgo accepts whatever the snaplen
// (its eagerReadMax); smallSnaplen is what it is told when the file's
// snaplen is not larger (see snaplenFrom).
const (
	pcapgoEager  = 256 << 10
	smallSnaplen = 2048
)

// header checks one record header and sets how much follows it.
func (g *recordGuard) header() error {
	if !g.pcapng {
		caplen := uint64(g.order.Uint32(g.hdr[8:12]))
		if caplen > g.limit {
			return &Error{Reason: RecordTooLarge, Format: "pcap", Claim: caplen, Limit: g.limit}
		}
		g.skip = int64(caplen)
		return nil
	}
	typ := binary.LittleEndian.Uint32(g.hdr[0:4])
	if typ == magicPcapng {
		g.order = binary.LittleEndian
		if binary.LittleEndian.Uint32(g.hdr[8:12]) != 0x1a2b3c4d {
			g.order = binary.BigEndian
		}
	}
	if g.order == nil {
		g.lost = true
		return nil
	}
	typ = g.order.Uint32(g.hdr[0:4])
	length := uint64(g.order.Uint32(g.hdr[4:8]))
	limit := uint64(maxBlock)
	packet := typ == 6 || typ == 3 || typ == 2
	if packet {
		limit = g.limit
	}
	if length > limit {
		return &Error{Reason: RecordTooLarge, Format: "pcapng", Block: typ, Claim: length, Limit: limit}
	}
	if length < 12 || length%4 != 0 {
		return &Error{Reason: BadBlockLength, Format: "pcapng", Block: typ, Claim: length}
	}
	g.skip = int64(length) - 12
	if packet && g.qlen < len(g.queue) {
		g.queue[(g.qhead+g.qlen)%len(g.queue)] = g.start
		g.qlen++
	}
	return nil
}

// midRecord reports whether the bytes passed so far end inside a record:
// pcapgo reads a record header with no data after it as a clean end.
func (g *recordGuard) midRecord() bool {
	return g.nhdr > 0 || g.skip > 0
}

// pop returns the offset of the oldest packet block not yet returned.
func (g *recordGuard) pop() int64 {
	if g.qlen == 0 {
		return -1
	}
	off := g.queue[g.qhead]
	g.qhead = (g.qhead + 1) % len(g.queue)
	g.qlen--
	return off
}

// failOffset is the best offset for a read error: the next packet block
// if one was seen, else the record being read when reading stopped.
func (g *recordGuard) failOffset() int64 {
	if g.qlen > 0 {
		return g.queue[g.qhead]
	}
	return g.start
}

// describe says what a file that is not a capture looks like, from its
// first bytes, so that the message tells the user what they gave; for
// LookBinary it returns those first bytes (at most 8).
func describe(b []byte) (Look, []byte) {
	has := func(p string) bool { return bytes.HasPrefix(b, []byte(p)) }
	switch {
	case len(b) == 0:
		return LookEmpty, nil
	case has("PK\x03\x04"):
		return LookZip, nil
	case len(b) >= 262 && string(b[257:262]) == "ustar":
		return LookTar, nil
	case has("Rar!"), has("7z\xbc\xaf\x27\x1c"):
		return LookRar7z, nil
	case has("\x7fELF"), has("MZ"):
		return LookProgram, nil
	case has("%PDF"):
		return LookPDF, nil
	case has("\x0a\x0d\x0d\x0a"):
		return LookDamagedPcapng, nil
	}
	text := bytes.TrimLeft(b, " \t\r\n\ufeff")
	if utf8.Valid(b) || utf8.Valid(b[:max(0, len(b)-3)]) {
		lower := bytes.ToLower(text)
		switch {
		case bytes.HasPrefix(lower, []byte("<!doctype html")), bytes.HasPrefix(lower, []byte("<html")):
			return LookHTML, nil
		case bytes.HasPrefix(text, []byte("{")), bytes.HasPrefix(text, []byte("[")):
			return LookJSON, nil
		case printable(b):
			return LookText, nil
		}
	}
	return LookBinary, bytes.Clone(b[:min(len(b), 8)])
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
}
