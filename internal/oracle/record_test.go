package oracle

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
)

// TestReadRecords: what synfin writes as JSON Lines reads back as the
// records it wrote, value for value (a lab capture with a refused
// connection's nulls among its records).
func TestReadRecords(t *testing.T) {
	var want []analyze.Record
	var jsonl []byte
	for _, name := range []string{"01_plain_client_close.pcap", "06_refused.pcap", "07_ipv6.pcap"} {
		f, err := os.Open("../../testdata/lab/" + name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := capture.Open(name, f)
		if err != nil {
			t.Fatal(err)
		}
		var z analyze.Analyzer
		table := flows.NewTable(func(conn *flows.Conn) {
			r := z.Analyze(name, conn)
			want = append(want, r.Clone())
			jsonl = append(r.AppendJSON(jsonl), '\n')
		})
		dec := flows.NewDecoder()
		var pkt capture.Packet
		var seg flows.Segment
		for c.Next(&pkt) == nil {
			if dec.Decode(&pkt, &seg) == nil {
				table.Observe(&seg)
			}
		}
		table.Flush()
		c.Close()
		f.Close()
	}
	got, err := ReadRecords(bytes.NewReader(jsonl))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) < 3 {
		t.Fatalf("%d records read, %d written", len(got), len(want))
	}
	for i := range got {
		// What the JSON holds: the record as AppendJSON writes it.
		if a, b := string(got[i].AppendJSON(nil)), string(want[i].AppendJSON(nil)); a != b {
			t.Errorf("record %d reads back as\n%s\nwritten\n%s", i, a, b)
		}
	}
	if refused := got[1]; refused.Handshake.Status != analyze.HandshakeRejected || refused.Handshake.RTTms != nil || refused.Handshake.SynackOptions != nil {
		t.Errorf("the refused connection: %+v", refused.Handshake)
	}
	if !reflect.DeepEqual(captureOf(&got[0]), "01_plain_client_close.pcap") {
		t.Errorf("capture of record 0: %q", captureOf(&got[0]))
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
