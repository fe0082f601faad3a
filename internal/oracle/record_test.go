package oracle

import (
	"strings"
	"testing"
)

// Two hand-written records: one in the shape of docs/spec.md §7's example, one with
// the nulls a refused connection has.
const sampleJSONL = `{"schema": 1, "file": "captures/lab.pcapng", "conn": 0, "client": "10.0.0.1:40944", "server": "10.0.0.2:80", "client_by": "syn", "state": "SF", "history": "ShADadFf", "completeness": 31, "handshake": {"status": "complete", "syn_ts": "2026-11-23T10:00:00.000001000Z", "syn_count": 1, "synack_count": 1, "rtt_ms": 40.31, "client_isn": 3048051104, "server_isn": 1822211, "syn_options": {"mss": 1460, "wscale": 7, "sack_perm": true, "ts_val": 1, "ts_ecr": 0, "tfo": null, "layout": "2,4,8,1,3", "window": 64240, "ttl": 64, "df": true}, "synack_options": {"mss": 1400, "wscale": null, "sack_perm": false, "layout": "2", "window": 29200}}, "teardown": {"kind": "four_way", "closer": "client"}, "stats": {"client_pkts": 6, "server_pkts": 5}, "app": null}

{"schema": 1, "file": "refused.pcap", "conn": 1, "client": "[2001:db8::1]:5000", "server": "[2001:db8::2]:443", "client_by": "syn", "state": "REJ", "history": "Sr", "completeness": null, "handshake": {"status": "rejected", "syn_ts": null, "rtt_ms": null, "client_isn": 7, "server_isn": null, "syn_options": null, "synack_options": null}, "teardown": {"kind": "reset", "closer": null}, "stats": {"client_pkts": 1, "server_pkts": 1}}
`

func TestReadRecords(t *testing.T) {
	recs, err := ReadRecords(strings.NewReader(sampleJSONL))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records, want 2", len(recs))
	}
	a, b := recs[0], recs[1]

	if a.Capture() != "lab.pcapng" || a.Conn != 0 || a.ClientBy != "syn" || *a.State != "SF" || *a.History != "ShADadFf" {
		t.Errorf("record 0 header: %+v", a)
	}
	h := a.Handshake
	switch {
	case h.Status != "complete", *h.RTTMs != 40.31, *h.ClientISN != 3048051104, *h.ServerISN != 1822211,
		*h.SynCount != 1, *h.SynAckCount != 1, *a.Completeness != 31:
		t.Errorf("record 0 handshake: %+v", h)
	}
	o := h.SynOptions
	if *o.MSS != 1460 || *o.WScale != 7 || !*o.SackPerm || *o.TSVal != 1 || *o.Layout != "2,4,8,1,3" || *o.Window != 64240 || *o.TTL != 64 || !*o.DF {
		t.Errorf("syn options: %+v", o)
	}
	if h.SynAckOptions.WScale != nil || *h.SynAckOptions.SackPerm {
		t.Errorf("synack options: %+v", h.SynAckOptions)
	}
	if ts, ok := a.SynTime(); !ok || ts.Nanosecond() != 1000 {
		t.Errorf("SynTime = %v, %v", ts, ok)
	}
	if a.Teardown.Kind != "four_way" || *a.Teardown.Closer != "client" || a.Stats.ClientPkts != 6 || a.Stats.ServerPkts != 5 {
		t.Errorf("teardown/stats: %+v %+v", a.Teardown, a.Stats)
	}

	// Nulls decode to nil pointers.
	hb := b.Handshake
	if b.Completeness != nil || hb.SynTS != nil || hb.RTTMs != nil || hb.ServerISN != nil ||
		hb.SynOptions != nil || hb.SynAckOptions != nil || b.Teardown.Closer != nil {
		t.Errorf("record 1: nulls did not decode to nil: %+v", b)
	}
	if _, ok := b.SynTime(); ok {
		t.Error("SynTime of a null syn_ts is ok")
	}
	c, err := b.ClientAddr()
	if err != nil || c.String() != "[2001:db8::1]:5000" {
		t.Errorf("ClientAddr = %v, %v", c, err)
	}
	s, err := b.ServerAddr()
	if err != nil || s.Port() != 443 {
		t.Errorf("ServerAddr = %v, %v", s, err)
	}
}

func TestReadRecordsError(t *testing.T) {
	_, err := ReadRecords(strings.NewReader("{\"conn\": 0}\n{\"conn\": \"x\"}\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error = %v, want one naming line 2", err)
	}
	recs, err := ReadRecords(strings.NewReader(`{"conn": 3, "client": "1.2.3.4:5"}`)) // no final newline
	if err != nil || len(recs) != 1 || recs[0].Conn != 3 {
		t.Errorf("got %v, %v", recs, err)
	}
}
