package pipeline

import (
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/flows"
)

// TestNotes: packets of an encapsulation not decoded to IP are named per
// link type; ARP and UDP are not; a capture without any TCP says what it
// held of what was decoded far enough to know, most common first.
func TestNotes(t *testing.T) {
	st := Stats{Packets: 40, NotTCP: 40, Stops: map[flows.Stop]int{
		{Link: layers.LinkTypePPP, Layer: layers.LayerTypePPP, Proto: 0x0031}:   12,
		{Link: layers.LinkTypeEthernet, Layer: layers.LayerTypeIPv4, Proto: 17}: 20,
	}}
	got := strings.Join(st.Notes("x.pcap"), "\n")
	want := "x.pcap: 12 packets of link type 9 (PPP) not decoded to IP: PPP protocol 0x0031 (12)\n" +
		"x.pcap: no TCP in its 20 packets: UDP (20)" // the PPP packets may carry TCP: not said to have none
	if got != want {
		t.Errorf("notes:\n%s\nwant\n%s", got, want)
	}
	st.Segments = 5
	delete(st.Stops, flows.Stop{Link: layers.LinkTypePPP, Layer: layers.LayerTypePPP, Proto: 0x0031})
	if n := st.Notes("x.pcap"); len(n) != 0 {
		t.Errorf("UDP beside TCP gives notes %q", n)
	}
}

// TestCapsNamed: the notes about caps name the cap as it was kept, in
// each shard when there were several, and exactly when there was one
// (a --max-conns under minShardedCap).
func TestCapsNamed(t *testing.T) {
	sharded := Stats{EarlyFinish: 3, MaxConns: 100_000, Shards: flows.MaxShards}
	lines, _ := sharded.Problems("x.pcap")
	if want := "x.pcap: 3 connections finished early: more than 100000 (--max-conns) were open at once (kept as 1563 in each of 64 shards, by address hash)"; len(lines) != 1 || lines[0] != want {
		t.Errorf("sharded cap: %q, want %q", lines, want)
	}
	if got, want := sharded.LingerCap(), "more than 157 closed connections lingered at once in one of the capture's 64 shards, 10000 in all"; got != want {
		t.Errorf("sharded linger cap: %q, want %q", got, want)
	}
	one := Stats{EarlyFinish: 1, MaxConns: 2, Shards: shardsFor(2)}
	lines, _ = one.Problems("x.pcap")
	if want := "x.pcap: 1 connection finished early: more than 2 (--max-conns) were open at once"; len(lines) != 1 || lines[0] != want {
		t.Errorf("one table: %q, want %q", lines, want)
	}
	if got := one.LingerCap(); got != "more than 10000 closed connections lingered at once" {
		t.Errorf("one table's linger cap: %q", got)
	}
}
