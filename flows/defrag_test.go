package flows

import (
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/flows/capture"
)

// fragment4 cuts the IPv4 packet pkt (20-byte header) into fragments of at
// most size payload bytes (a multiple of 8), each a synthetic packet with
// the header copied and offset, more-fragments and length set.
func fragment4(pkt []byte, size int) [][]byte {
	hdr, payload := pkt[:20], pkt[20:]
	var out [][]byte
	for off := 0; off < len(payload); off += size {
		end := min(off+size, len(payload))
		f := append(append([]byte(nil), hdr...), payload[off:end]...)
		binary.BigEndian.PutUint16(f[2:4], uint16(20+end-off))
		fl := uint16(off / 8)
		if end < len(payload) {
			fl |= 0x2000
		}
		binary.BigEndian.PutUint16(f[6:8], fl|binary.BigEndian.Uint16(hdr[6:8])&0x4000)
		out = append(out, f)
	}
	return out
}

// fragment6 cuts the IPv6 packet pkt (no extension headers) into fragments
// with a fragment header, each payload piece at most size bytes.
func fragment6(pkt []byte, size int, id uint32) [][]byte {
	hdr, payload := pkt[:40], pkt[40:]
	var out [][]byte
	for off := 0; off < len(payload); off += size {
		end := min(off+size, len(payload))
		f := append([]byte(nil), hdr...)
		f[6] = 44
		fh := make([]byte, 8)
		fh[0] = hdr[6]
		fo := uint16(off/8) << 3
		if end < len(payload) {
			fo |= 1
		}
		binary.BigEndian.PutUint16(fh[2:4], fo)
		binary.BigEndian.PutUint32(fh[4:8], id)
		f = append(append(f, fh...), payload[off:end]...)
		binary.BigEndian.PutUint16(f[4:6], uint16(8+end-off))
		out = append(out, f)
	}
	return out
}

func decodeAll(t *testing.T, d *Decoder, pkts [][]byte, link layers.LinkType) (segs []Segment) {
	t.Helper()
	for i, p := range pkts {
		var seg Segment
		if d.Decode(&capture.Packet{Data: p, Link: link, Index: i + 1, TS: int64(i) * 1e6, WireLen: len(p)}, &seg) == nil {
			segs = append(segs, seg)
		}
	}
	return segs
}

// TestReassembly: a real SYN (with its options) cut into fragments, sent in
// order and out of order, IPv4 and IPv6 (synthetic fragmentation of real
// packets), decodes to the same segment as the whole packet, marked
// reassembled and dated by the last fragment.
func TestReassembly(t *testing.T) {
	syn, syn6 := labSYN(t), labSYN6(t)
	whole := decodeAll(t, NewDecoder(), [][]byte{ether(0x0800, syn)}, layers.LinkTypeEthernet)
	whole6 := decodeAll(t, NewDecoder(), [][]byte{ether(0x86dd, syn6)}, layers.LinkTypeEthernet)
	if len(whole) != 1 || len(whole6) != 1 {
		t.Fatal("the whole SYNs did not decode")
	}
	frags := fragment4(syn, 16)
	frags6 := fragment6(syn6, 16, 0xabcd)
	rev := func(f [][]byte) [][]byte {
		r := make([][]byte, len(f))
		for i := range f {
			r[len(f)-1-i] = f[i]
		}
		return r
	}
	for _, c := range []struct {
		name  string
		frags [][]byte
		typ   uint16
		want  Segment
	}{
		{"IPv4 in order", frags, 0x0800, whole[0]},
		{"IPv4 last first", rev(frags), 0x0800, whole[0]},
		{"IPv6 in order", frags6, 0x86dd, whole6[0]},
		{"IPv6 last first", rev(frags6), 0x86dd, whole6[0]},
	} {
		if len(c.frags) < 2 {
			t.Fatalf("%s: %d fragments", c.name, len(c.frags))
		}
		var pkts [][]byte
		for _, f := range c.frags {
			pkts = append(pkts, ether(c.typ, f))
		}
		d := NewDecoder()
		segs := decodeAll(t, d, pkts, layers.LinkTypeEthernet)
		if len(segs) != 1 {
			t.Fatalf("%s: %d segments from %d fragments", c.name, len(segs), len(pkts))
		}
		got, want := segs[0], c.want
		if !got.Reassembled || got.Index != len(pkts) {
			t.Errorf("%s: reassembled %v, frame %d, want the last fragment's (%d)", c.name, got.Reassembled, got.Index, len(pkts))
		}
		if got.Src != want.Src || got.Dst != want.Dst || got.Seq != want.Seq || got.Flags != want.Flags || got.Window != want.Window ||
			got.PayloadLen != want.PayloadLen || got.Opts != want.Opts || got.TTL != want.TTL || got.IPID != want.IPID {
			t.Errorf("%s: %+v\nwant %+v", c.name, got, want)
		}
		if st := d.EndFile(); st.Reassembled != 1 || st.Incomplete+st.Evicted+st.Invalid+st.Dropped+st.Overlapping != 0 {
			t.Errorf("%s: %+v", c.name, st)
		}
	}
}

// TestReassemblyOverlaps: an IPv4 fragment over bytes already received
// keeps the first (counted); overlapping IPv6 fragments drop the datagram
// (RFC 5722); a datagram missing a fragment is counted at the end of the
// file, one missing for 31 s of capture time when the next comes.
func TestReassemblyOverlaps(t *testing.T) {
	syn, syn6 := labSYN(t), labSYN6(t)
	frags := fragment4(syn, 16)
	bad := append([]byte(nil), frags[0]...)
	for i := 20; i < len(bad); i++ {
		bad[i] ^= 0xff // the same bytes, changed: the first arrived must win
	}
	d := NewDecoder()
	pkts := [][]byte{ether(0x0800, frags[0]), ether(0x0800, bad)}
	for _, f := range frags[1:] {
		pkts = append(pkts, ether(0x0800, f))
	}
	segs := decodeAll(t, d, pkts, layers.LinkTypeEthernet)
	if st := d.EndFile(); len(segs) != 1 || segs[0].Flags != FlagSYN || st.Overlapping != 1 || st.Reassembled != 1 {
		t.Errorf("IPv4 overlap: %d segments, %+v", len(segs), st)
	}

	f6 := fragment6(syn6, 16, 7)
	pkts = [][]byte{ether(0x86dd, f6[0]), ether(0x86dd, f6[0])}
	for _, f := range f6[1:] {
		pkts = append(pkts, ether(0x86dd, f))
	}
	d = NewDecoder()
	segs = decodeAll(t, d, pkts, layers.LinkTypeEthernet)
	if st := d.EndFile(); len(segs) != 0 || st.Dropped != 1 {
		t.Errorf("IPv6 overlap: %d segments, %+v", len(segs), st)
	}

	d = NewDecoder()
	decodeAll(t, d, [][]byte{ether(0x0800, frags[0])}, layers.LinkTypeEthernet)
	if st := d.EndFile(); st.Incomplete != 1 {
		t.Errorf("missing fragment at the end: %+v", st)
	}
	d = NewDecoder()
	var seg Segment
	d.Decode(&capture.Packet{Data: ether(0x0800, frags[0]), Link: layers.LinkTypeEthernet, TS: 0}, &seg)
	d.Decode(&capture.Packet{Data: ether(0x0800, frags[1]), Link: layers.LinkTypeEthernet, TS: 31e9}, &seg)
	if st := d.EndFile(); st.Incomplete != 2 {
		t.Errorf("timed out: %+v, want the first datagram timed out and the second open at the end", st)
	}
}

// TestReassemblyBounded: a capture made only of first fragments, each of
// a datagram of its own, holds at most MaxFragDatagrams datagrams and
// MaxFragBytes bytes, and its queue stays a few times the first.
func TestReassemblyBounded(t *testing.T) {
	syn := labSYN(t)
	first := ether(0x0800, fragment4(append(syn, make([]byte, 1400)...), 1400)[0])
	d := NewDecoder()
	var seg Segment
	const n = 50_000
	for i := range n {
		binary.BigEndian.PutUint16(first[14+4:], uint16(i))      // IP ID
		binary.BigEndian.PutUint16(first[14+12:], uint16(i>>16)) // source address
		d.Decode(&capture.Packet{Data: first, Link: layers.LinkTypeEthernet, TS: int64(i)}, &seg)
		if d.frag.Pending() > MaxFragDatagrams || d.frag.bytes > MaxFragBytes || len(d.frag.order)-d.frag.head > 5*MaxFragDatagrams {
			t.Fatalf("after %d fragments: %d datagrams, %d bytes, queue %d", i+1, d.frag.Pending(), d.frag.bytes, len(d.frag.order)-d.frag.head)
		}
	}
	st := d.EndFile()
	if st.Evicted+st.Incomplete != n || st.Evicted == 0 {
		t.Errorf("%+v, want all %d given up, most evicted", st, n)
	}
}
