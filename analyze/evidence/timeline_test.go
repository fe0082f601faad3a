package evidence

import (
	"strings"
	"testing"

	"github.com/synfin/synfin/flows"
)

// states lists each side's states in the order the timeline passes
// through them, repeats dropped: "CLOSED>SYN-SENT>…".
func states(tl *Timeline, d flows.Dir) string {
	var seq []string
	for _, e := range tl.Entries {
		if s := e.States[d].String(); s != "" && (len(seq) == 0 || seq[len(seq)-1] != s) {
			seq = append(seq, s)
		}
	}
	return strings.Join(seq, ">")
}

// TestStatesOfLabConnections: both sides' RFC 9293 states over real
// kernel TCP connections of the lab (testdata/lab), each a scenario with
// a known ground truth.
func TestStatesOfLabConnections(t *testing.T) {
	for _, c := range []struct {
		file           string
		client, server string
	}{
		// A three-way close: the server's FIN acknowledges the client's,
		// so it passes CLOSE-WAIT within that one packet.
		{"01_plain_client_close", "SYN-SENT>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2>TIME-WAIT", "SYN-RECEIVED>ESTABLISHED>LAST-ACK>CLOSED"},
		{"11_simultaneous_close", "SYN-SENT>ESTABLISHED>FIN-WAIT-1>CLOSING>TIME-WAIT", "SYN-RECEIVED>ESTABLISHED>FIN-WAIT-1>TIME-WAIT"},
		{"12_half_close", "SYN-SENT>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2>TIME-WAIT", "SYN-RECEIVED>ESTABLISHED>CLOSE-WAIT>LAST-ACK>CLOSED"},
		{"13_abortive_close", "SYN-SENT>ESTABLISHED>CLOSED", "SYN-RECEIVED>ESTABLISHED>CLOSED"},
		{"19_simultaneous_open", "SYN-SENT>SYN-RECEIVED>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2>TIME-WAIT", "SYN-SENT>SYN-RECEIVED>ESTABLISHED>LAST-ACK>CLOSED"},
		{"22_rst_after_fin", "SYN-SENT>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2>CLOSED", "SYN-RECEIVED>ESTABLISHED>CLOSE-WAIT>CLOSED"},
	} {
		rec, _ := read(t, "../../testdata/lab/"+c.file+".pcap")
		tl := Build(rec.Ladder(0))
		if got := states(tl, flows.DirClient); got != c.client {
			t.Errorf("%s client: %s, want %s", c.file, got, c.client)
		}
		if got := states(tl, flows.DirServer); got != c.server {
			t.Errorf("%s server: %s, want %s", c.file, got, c.server)
		}
	}
}

// TestEvidenceOfLabConnections: what particular packets prove.
func TestEvidenceOfLabConnections(t *testing.T) {
	kinds := func(file string, conn int) (*Timeline, map[Kind]int) {
		rec, _ := read(t, "../../testdata/lab/"+file+".pcap")
		tl := Build(rec.Ladder(conn))
		n := map[Kind]int{}
		for _, e := range tl.Entries {
			n[e.Kind]++
		}
		return tl, n
	}
	if _, n := kinds("24_keepalive", 0); n[KeepAlive] != 3 {
		t.Errorf("24_keepalive: %d keep-alives, want 3", n[KeepAlive])
	}
	if _, n := kinds("23_zero_window", 0); n[ZeroWindow] != 6 {
		t.Errorf("23_zero_window: %d zero windows, want 6 (tshark: 6)", n[ZeroWindow])
	}
	if _, n := kinds("04_syn_dropped", 0); n[SYNAgain] != 1 {
		t.Errorf("04_syn_dropped: %d SYNs again, want 1", n[SYNAgain])
	}
	tl, n := kinds("10_tfo", 1)
	if n[SYN] != 1 || tl.Entries[0].SYNData != 500 || !tl.Entries[1].SYNDataAcked {
		t.Errorf("10_tfo: the SYN's 500 bytes, taken by the SYN-ACK: %+v %+v", tl.Entries[0], tl.Entries[1])
	}
	tl, _ = kinds("19_simultaneous_open", 0)
	if !tl.Simultaneous {
		t.Error("19_simultaneous_open: not seen as a simultaneous open")
	}
	tl, _ = kinds("06_refused", 0)
	if e := tl.Entries[1]; e.Kind != RST || e.RST != RSTRefused {
		t.Errorf("06_refused: %+v, want a refusing RST", e)
	}
	tl, _ = kinds("22_rst_after_fin", 0)
	for _, e := range tl.Entries {
		if e.Kind == RST && e.RST != RSTDataAfterClose && e.RST != RSTUnreadData && e.RST != RSTAbort {
			t.Errorf("22_rst_after_fin: RST cause %d", e.RST)
		}
	}
	tl, _ = kinds("25_midstream", 0)
	if !tl.MidStream {
		t.Error("25_midstream: not seen as starting mid-stream")
	}
}
