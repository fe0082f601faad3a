package flows

import (
	"fmt"
	"net/netip"
	"reflect"
	"testing"

	"github.com/synfin/synfin/flows/capture"
)

// closeOnce is the packets of one connection's handshake and four-way
// close between cli and srv starting at ts (synthetic, for the table's
// bookkeeping only).
func closeOnce(cli, srv netip.AddrPort, isn, srvISN Seq, ts int64) []Segment {
	seg := func(dt int64, fromCli bool, f Flags, seq, ack Seq) Segment {
		s := Segment{TS: ts + dt*1e6, Src: cli, Dst: srv, Flags: f, Seq: seq, Ack: ack, Window: 1000}
		if !fromCli {
			s.Src, s.Dst = srv, cli
		}
		return s
	}
	return []Segment{
		seg(0, true, FlagSYN, isn, 0),
		seg(1, false, FlagSYN|FlagACK, srvISN, isn+1),
		seg(2, true, FlagACK, isn+1, srvISN+1),
		seg(3, true, FlagFIN|FlagACK, isn+1, srvISN+1),
		seg(4, false, FlagFIN|FlagACK, srvISN+1, isn+2),
		seg(5, true, FlagACK, isn+2, srvISN+2),
	}
}

// TestTombstones: with one closed connection allowed to linger, closing a
// second finishes the first early; a straggler of the first (its last ACK
// again, its SYN again with the same ISN) is then absorbed by its
// tombstone, not made a connection of its own, while a SYN with a new ISN
// on the same ports starts a new connection.
func TestTombstones(t *testing.T) {
	var finished []int
	tab := NewTable(func(c *Conn) { finished = append(finished, c.Index) })
	tab.MaxLinger = 1
	a := netip.MustParseAddrPort("10.0.0.1:40000")
	b := netip.MustParseAddrPort("10.0.0.1:40001")
	srv := netip.MustParseAddrPort("10.0.0.2:80")
	segs := closeOnce(a, srv, 1000, 5000, 0)
	segs = append(segs, closeOnce(b, srv, 2000, 6000, 10e6)...)
	straggler := segs[5]
	straggler.TS = 20e6
	// The first SYN again, same ISN: a retransmission (Wireshark's rule),
	// absorbed by the tombstone too.
	retried := segs[0]
	retried.TS = 25e6
	segs = append(segs, straggler, retried)
	segs = append(segs, closeOnce(a, srv, 9000, 7000, 30e6)...)
	for i := range segs {
		segs[i].Index = i + 1
		tab.Observe(&segs[i])
	}
	tab.Flush()
	if tab.Stats().Late != 2 {
		t.Errorf("%d late segments, want 2 (the straggler and the retried SYN)", tab.Stats().Late)
	}
	if len(finished) != 3 || tab.nextIndex != 3 {
		t.Errorf("finished %v, %d made; want 3 connections", finished, tab.nextIndex)
	}
	// Without tombstones the straggler would have made a fourth.
}

var (
	cli1228 = netip.MustParseAddrPort("10.0.0.1:1228")
	srv80   = netip.MustParseAddrPort("10.0.0.2:80")
)

// refusedSYNs makes SYNs from cli to srv and the RST|ACK that refuses
// each (synthetic).
func refusedSYNs(cli, srv netip.AddrPort) (syn, rst func(ts int64, isn Seq) Segment) {
	syn = func(ts int64, isn Seq) Segment {
		return Segment{TS: ts, Src: cli, Dst: srv, Flags: FlagSYN, Seq: isn, Window: 8192}
	}
	rst = func(ts int64, isn Seq) Segment {
		return Segment{TS: ts, Src: srv, Dst: cli, Flags: FlagRST | FlagACK, Ack: isn + 1}
	}
	return syn, rst
}

// TestRetriedSYNAfterClose: a SYN repeating the client's ISN after the
// RST that refused it joins the connection (syn_count 2, one connection);
// one with a new ISN is port reuse. Synthetic segments.
func TestRetriedSYNAfterClose(t *testing.T) {
	syn, rst := refusedSYNs(cli1228, srv80)
	var got []int
	tab := NewTable(func(c *Conn) { got = append(got, int(c.HS.SYNN)) })
	for _, s := range []Segment{syn(0, 77), rst(1e6, 77), syn(500e6, 77), rst(501e6, 77), syn(1500e6, 77), rst(1501e6, 77), syn(3e9, 99), rst(3.001e9, 99)} {
		tab.Observe(&s)
	}
	tab.Flush()
	if fmt.Sprint(got) != "[3 1]" {
		t.Errorf("connections with SYN counts %v, want [3 1]: three tries with one ISN, then a new ISN", got)
	}
}

// TestTombstonePairs: a tombstone's pair of slots holds two keys at once,
// and a third gives way to the one expiring sooner.
func TestTombstonePairs(t *testing.T) {
	tab := NewTable(nil)
	tab.tombs = make([]tombstone, DefaultTombSlots)
	var keys []Key
	for i := uint32(1); len(keys) < 3; i++ { // about 65,536 tries per match
		addr := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		k, _ := KeyOf(netip.AddrPortFrom(addr, 40000), netip.MustParseAddrPort("10.0.0.2:80"))
		if len(keys) > 0 {
			h0, _ := tab.tombPair(tab.tombHash(keys[0]))
			h, _ := tab.tombPair(tab.tombHash(k))
			if h != h0 {
				continue
			}
		}
		keys = append(keys, k)
	}
	tab.now = 0
	for i, k := range keys {
		c := &Conn{Key: k, ClosedTS: int64(i+1) * 1e9}
		tab.bury(c)
	}
	ack := Segment{Flags: FlagACK}
	got := []bool{tab.late(keys[0], &ack), tab.late(keys[1], &ack), tab.late(keys[2], &ack)}
	if got[0] || !got[1] || !got[2] {
		t.Errorf("late = %v; want the soonest-expiring (first) to have given way", got)
	}
}

// TestCollectApp: the first payload bytes of a direction are kept in
// sequence order: a retransmission adds nothing, an overlap adds its new
// part, and a gap ends the collection rather than guess (synthetic).
func TestCollectApp(t *testing.T) {
	var got *AppBytes
	tab := NewTable(func(c *Conn) { got = c.App })
	tab.CollectApp = true
	cli := netip.MustParseAddrPort("10.0.0.1:40000")
	srv := netip.MustParseAddrPort("10.0.0.2:80")
	seg := func(ts int64, seq Seq, f Flags, payload string) *Segment {
		return &Segment{TS: ts, Src: cli, Dst: srv, Seq: seq, Flags: f, Payload: []byte(payload), PayloadLen: len(payload)}
	}
	for _, s := range []*Segment{
		seg(1, 100, FlagSYN, ""),
		seg(2, 101, FlagACK|FlagPSH, "GET / "),
		seg(3, 101, FlagACK|FlagPSH, "GET / "),      // retransmission
		seg(4, 104, FlagACK|FlagPSH, " / HTTP/1.1"), // overlap: "HTTP/1.1" is new
		seg(5, 200, FlagACK|FlagPSH, "later"),       // a gap
		seg(6, 115, FlagACK|FlagPSH, "\r\n"),        // after the gap: not kept
	} {
		tab.Observe(s)
	}
	tab.Flush()
	if got == nil || string(got.Data[DirClient]) != "GET / HTTP/1.1" {
		t.Fatalf("kept %q", got.Data[DirClient])
	}
}

// TestReassembler: bytes come out in order once, whatever the order they
// arrive in; a gap that never fills is reported where it was, once the
// bytes held behind it pass the bound (synthetic).
func TestReassembler(t *testing.T) {
	var out []byte
	var gaps []uint32
	r := Reassembler{MaxPending: 8, Out: func(b []byte) { out = append(out, b...) }, Gap: func(n uint32) { gaps = append(gaps, n) }}
	r.Add(1000, []byte("abc"))
	r.Add(1006, []byte("ghi"))   // ahead: waits
	r.Add(1003, []byte("def"))   // fills the gap: both come out
	r.Add(1001, []byte("bcd"))   // retransmission: nothing new
	r.Add(1007, []byte("hijk"))  // overlap: "jk" is new
	r.Add(1020, []byte("uvwxy")) // a gap of 9...
	r.Add(1025, []byte("z1234")) // ...held bytes pass 8: the gap is given up
	r.Flush()
	if string(out) != "abcdefghijkuvwxyz1234" || len(gaps) != 1 || gaps[0] != 9 {
		t.Errorf("out %q, gaps %v", out, gaps)
	}
}

// TestReassemblerStart: with the start known (ISN plus one), a first
// segment that arrives after the second is not taken for the beginning.
func TestReassemblerStart(t *testing.T) {
	var out []byte
	r := Reassembler{Out: func(b []byte) { out = append(out, b...) }, Gap: func(uint32) { t.Error("gap") }}
	r.Start(1000)
	r.Add(1003, []byte("def"))
	r.Add(1000, []byte("abc"))
	r.Flush()
	if string(out) != "abcdef" {
		t.Errorf("out %q", out)
	}
}

// TestTableReset: one table Reset between captures finishes the same
// connections, with the same handshakes, flags and counts, as a new table
// for each capture, though it reuses the connections of the captures
// before (real lab captures, in an order that mixes states).
func TestTableReset(t *testing.T) {
	names := []string{"27_bidir_loss", "01_plain_client_close", "03_port_reuse", "06_refused", "11_simultaneous_close", "04_syn_dropped", "27_bidir_loss"}
	summary := func(out *[]string) func(*Conn) {
		return func(c *Conn) {
			*out = append(*out, fmt.Sprintf("%v #%d %d-%d %+v %v fin=%v/%v wc=%d missed=%d/%d",
				c.Key, c.Index, c.FirstTS, c.LastTS, c.HS, c.Flagged, c.FirstFin, c.SimultaneousClose,
				c.WiresharkCompleteness(), c.MissedBytes(0), c.MissedBytes(1)))
		}
	}
	feed := func(tab *Table, pkts [][]byte) {
		dec := NewDecoder()
		var seg Segment
		for i, d := range pkts {
			pkt := capture.Packet{Link: 1, Data: d, Index: i + 1, TS: int64(i) * 1000}
			if dec.Decode(&pkt, &seg) == nil {
				tab.Observe(&seg)
			}
		}
		tab.Flush()
	}
	reused := NewTable(nil)
	for _, n := range names {
		pkts := readPackets(t, "../testdata/lab/"+n+".pcap")
		var fresh, again []string
		feed(NewTable(summary(&fresh)), pkts)
		reused.Reset(summary(&again))
		feed(reused, pkts)
		if len(fresh) == 0 || !reflect.DeepEqual(fresh, again) {
			t.Errorf("%s: a reused table finished\n%q\nwant\n%q", n, again, fresh)
		}
	}
}

// TestSameISNAnyTimeLater: Wireshark keeps a SYN in its connection whenever
// its sequence number is that connection's ISN, however long after the
// close (tcp.stream), so connection numbers stay Wireshark's: a same-ISN
// SYN 20 s and 200 s after the RST that refused it, and a late copy of the
// original SYN 300 s after the FINs, make no connection of their own; a
// new ISN on the same ports is port reuse. Synthetic segments.
func TestSameISNAnyTimeLater(t *testing.T) {
	syn, rst := refusedSYNs(cli1228, srv80)
	var got []string
	tab := NewTable(func(c *Conn) { got = append(got, fmt.Sprintf("%d:%d", c.Index, c.HS.ISN)) })
	segs := []Segment{syn(0, 77), rst(1e6, 77), syn(20e9, 77), rst(20.001e9, 77), syn(220e9, 77), rst(220.001e9, 77)}
	segs = append(segs, closeOnce(cli1228, srv80, 500, 900, 230e9)...)
	late := segs[len(segs)-6] // the SYN of ISN 500
	late.TS = 600e9
	segs = append(segs, late, syn(700e9, 1234))
	for i := range segs {
		tab.Observe(&segs[i])
	}
	tab.Flush()
	if fmt.Sprint(got) != "[0:77 1:500 2:1234]" {
		t.Errorf("connections %v, want [0:77 1:500 2:1234]: ISN 77 tried three times, 500 and its late SYN, then 1234", got)
	}
	if tab.Stats().Late != 3 {
		t.Errorf("%d late segments, want 3 (the two same-ISN SYNs and their RST after the linger, or the late SYN)", tab.Stats().Late)
	}
}
