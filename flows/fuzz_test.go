package flows

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/flows/capture"
)

// FuzzDecode feeds arbitrary frames of every supported link type to the
// decoder and the table.
func FuzzDecode(f *testing.F) {
	for _, p := range readPackets(f, "../testdata/lab/10_tfo.pcap") {
		f.Add(uint16(1), p)
	}
	for _, p := range readPackets(f, "../testdata/lab/17a_any_sll2.pcap") {
		f.Add(uint16(276), p)
	}
	f.Fuzz(func(t *testing.T, link uint16, b []byte) {
		dec := NewDecoder()
		tab := NewTable(func(*Conn) {})
		var seg Segment
		for _, lt := range []uint16{link, 0, 1, 101, 113, 276, 239, 9, 10, 127} {
			p := capture.Packet{Data: b, Link: layers.LinkType(lt), Index: 1}
			if dec.Decode(&p, &seg) == nil {
				tab.Observe(&seg)
			}
		}
		tab.Flush()
	})
}

// FuzzTracker feeds the connection table arbitrary sequences of segments
// between a few endpoints. Invariants: no panic; every connection is
// emitted exactly once; counts are never negative; the records' packets add
// up to the segments observed.
func FuzzTracker(f *testing.F) {
	f.Add([]byte{0x02, 0, 0, 0, 0, 0x12, 0, 0, 0, 0, 0x10, 1, 0, 0, 0, 0x11, 0, 0, 0, 0})
	f.Add(bytes.Repeat([]byte{0x04, 0x01, 0x02, 0x03, 0x04}, 20))
	f.Fuzz(func(t *testing.T, b []byte) {
		ends := []netip.AddrPort{
			netip.MustParseAddrPort("10.0.0.1:40000"), netip.MustParseAddrPort("10.0.0.2:80"),
			netip.MustParseAddrPort("10.0.0.3:80"), netip.MustParseAddrPort("[fd00::1]:443"),
		}
		emitted, pkts := 0, 0
		tab := NewTable(func(c *Conn) {
			emitted++
			for _, d := range c.Dir {
				pkts += int(d.Pkts)
				if d.Pkts < 0 || d.Bytes < 0 || d.RetxPkts < 0 || d.UniqueBytes() < 0 || d.missed() < 0 {
					t.Fatalf("negative count in %+v", d)
				}
			}
			// The table gives every new connection a fresh index, so an
			// index still marked here means the same one came out twice.
			if c.Index == -1 {
				t.Fatal("connection emitted twice")
			}
			c.Index = -1
		})
		tab.MaxConns = 3
		tab.MaxLinger = 1
		tab.Linger = 5e9
		var seg Segment
		ts := int64(0)
		for i := 0; i+5 <= len(b); i += 5 {
			r := b[i : i+5]
			src := ends[r[1]&3]
			dst := ends[(r[1]>>2)&3]
			if src == dst {
				continue
			}
			ts += int64(r[2]) * 1e6
			seg = Segment{TS: ts, Index: i/5 + 1, Src: src, Dst: dst, Flags: Flags(r[0]),
				Seq: Seq(uint32(r[3]) << 24 * uint32(r[4]&1)), Ack: Seq(uint32(r[4]) << 20),
				Window: uint16(r[3]), PayloadLen: int(r[4] & 0x7f)}
			if seg.Flags&FlagSYN != 0 {
				parseOptions(r, &seg.Opts)
			}
			tab.Observe(&seg)
		}
		n := tab.Stats().Segments
		tab.Flush()
		if tab.Len() != 0 {
			t.Fatalf("%d connections left after Flush", tab.Len())
		}
		if pkts+tab.Stats().Late != n {
			t.Fatalf("records hold %d packets and %d were late, %d observed", pkts, tab.Stats().Late, n)
		}
		if emitted != tab.nextIndex {
			t.Fatalf("%d connections made, %d emitted", tab.nextIndex, emitted)
		}
	})
}

// FuzzOptions parses arbitrary TCP option bytes: never a panic, the layout
// never longer than the bytes, and a well-formed prefix always recorded.
func FuzzOptions(f *testing.F) {
	f.Add([]byte{2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7})
	f.Add([]byte{34, 2, 1, 1, 254, 4, 0xf9, 0x89, 30, 4, 0x10, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var o Options
		parseOptions(b, &o)
		if int(o.NLayout) > len(b) || int(o.NLayout) > len(o.Layout) {
			t.Fatalf("layout of %d kinds from %d bytes", o.NLayout, len(b))
		}
		if len(b) > 0 && o.NLayout == 0 {
			t.Fatalf("no kind recorded from %d bytes", len(b))
		}
		_, _, _, _ = scanOptions(b)
	})
}

// FuzzReassembly cuts the input into packets (a length byte, then that many
// bytes) decoded one after another by one decoder, so that fragments meet:
// no panic, reassembly stays within its bounds, and every datagram is
// accounted for at the end.
func FuzzReassembly(f *testing.F) {
	f.Add([]byte{28, 0x45, 0, 0, 28, 0, 1, 0x20, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0, 1, 0, 2, 0, 0, 0, 0,
		28, 0x45, 0, 0, 28, 0, 1, 0, 1, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0, 0, 0, 0, 0x50, 2, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		d := NewDecoder()
		var seg Segment
		for i := 0; len(b) > 0; i++ {
			n := min(int(b[0]), len(b)-1)
			p := capture.Packet{Data: b[1 : 1+n], Link: layers.LinkTypeRaw, Index: i + 1, TS: int64(i) * 1e6}
			d.Decode(&p, &seg)
			b = b[1+n:]
			if d.frag.Pending() > MaxFragDatagrams || d.frag.bytes > MaxFragBytes || d.frag.bytes < 0 {
				t.Fatalf("%d datagrams, %d bytes held", d.frag.Pending(), d.frag.bytes)
			}
		}
		d.EndFile()
		if d.frag.Pending() != 0 || d.frag.bytes != 0 {
			t.Fatalf("after EndFile: %d datagrams, %d bytes", d.frag.Pending(), d.frag.bytes)
		}
	})
}
