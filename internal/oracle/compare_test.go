package oracle

import (
	"bytes"
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
)

func mustRecords(t *testing.T, jsonl string) []analyze.Record {
	t.Helper()
	recs, err := ReadRecords(strings.NewReader(jsonl))
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// diffKeys renders disagreements as "conn field synfin oracle" lines.
func diffKeys(ds []Disagreement) []string {
	var out []string
	for _, d := range ds {
		out = append(out, strings.Join([]string{fmtInt(&d.Conn), d.OracleID, d.Field, d.Synfin, d.Oracle}, " "))
	}
	return out
}

func sameList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

// byRuleKeys renders values set aside by rule as "conn field synfin oracle
// [rule]" lines.
func byRuleKeys(ds []Disagreement) []string {
	var out []string
	for _, d := range ds {
		out = append(out, strings.Join([]string{fmtInt(&d.Conn), d.OracleID, d.Field, d.Synfin, d.Oracle, "[" + d.Note + "]"}, " "))
	}
	return out
}

// Hand-written records for zeek__http__concurrent-range-requests.pcap
// (tshark's iRTTs: 31.61, 32.251, 41.453):
// conn 0 agrees everywhere, and its rtt_ms (35) differs from the iRTT by
// rule; conn 1 has a wrong SYN-ACK MSS and an irtt_ms 0.019 ms off, while
// its rtt_ms is 0.004 ms off (agrees); conn 2 has an irtt_ms 0.004 ms off
// (agrees), no rtt_ms although complete (by rule, not a refusal) and a
// wrong completeness.
const rangeJSONL = `{"file":"zeek__http__concurrent-range-requests.pcap","conn":0,"client":"192.168.0.107:58716","server":"88.198.248.254:80","state":"SF","history":"ShADadFf","completeness":31,"handshake":{"status":"complete","syn_count":1,"synack_count":1,"rtt_ms":35,"irtt_ms":31.61,"client_isn":4154547702,"server_isn":1257407042,"syn_options":{"mss":1460,"wscale":7,"sack_perm":true,"ts_val":1286901460,"layout":"2,4,8,1,3","window":64240},"synack_options":{"mss":1420,"wscale":13,"sack_perm":true,"ts_val":2610704597,"layout":"2,4,8,1,3","window":65160}}}
{"file":"zeek__http__concurrent-range-requests.pcap","conn":1,"client":"192.168.0.107:58718","server":"88.198.248.254:80","state":"SF","history":"ShADadFf","completeness":31,"handshake":{"status":"complete","syn_count":1,"synack_count":1,"rtt_ms":32.255,"irtt_ms":32.27,"client_isn":4290200327,"server_isn":965086345,"syn_options":{"mss":1460,"wscale":7,"sack_perm":true,"ts_val":1286901461,"layout":"2,4,8,1,3","window":64240},"synack_options":{"mss":1460,"wscale":13,"sack_perm":true,"ts_val":2610704598,"layout":"2,4,8,1,3","window":65160}}}
{"file":"zeek__http__concurrent-range-requests.pcap","conn":2,"client":"88.198.248.254:80","server":"192.168.0.107:58720","state":"S1","history":"ShADadFf","completeness":15,"handshake":{"status":"complete","syn_count":1,"synack_count":1,"rtt_ms":null,"irtt_ms":41.457,"client_isn":3638283777,"server_isn":746798418,"syn_options":{"mss":1460,"wscale":7,"sack_perm":true,"ts_val":1286901461,"layout":"2,4,8,1,3","window":64240},"synack_options":{"mss":1420,"wscale":13,"sack_perm":true,"ts_val":2610704601,"layout":"2,4,8,1,3","window":65160}}}
`

func TestCompareTsharkFields(t *testing.T) {
	l := loadTshark(t, "zeek__http__concurrent-range-requests.pcap")
	s := CompareTshark(mustRecords(t, rangeJSONL), l.Conns)
	if s.Matched != 3 || len(s.UnmatchedSynfin) != 0 || len(s.UnmatchedOracle) != 0 {
		t.Fatalf("matched %d, unmatched %v / %v", s.Matched, s.UnmatchedSynfin, s.UnmatchedOracle)
	}
	sameList(t, "disagreements", diffKeys(s.Disagreements), []string{
		"1 stream 1 synack.mss 1460 1420",
		"1 stream 1 irtt 32.27 32.251",
		"2 stream 2 completeness 15 31",
	})
	sameList(t, "by rule", byRuleKeys(s.ByRule), []string{
		"0 stream 0 rtt_ms~irtt 35 31.61 [" + RuleRTTNotIRTT + "]",
		"2 stream 2 rtt_ms~irtt null 41.453 [" + RuleRTTNotIRTT + "]",
	})
	for _, f := range TsharkFields {
		want := FieldCount{Field: f, Compared: 3, Agreed: 3}
		switch f {
		case FieldSynAckMSS, FieldIRTT, FieldCompleteness:
			want.Agreed = 2
		case FieldRTT:
			want = FieldCount{Field: f, Compared: 1, Agreed: 1, ByRule: 2}
		}
		if got := s.Field(f); got != want {
			t.Errorf("%s: %+v, want %+v", f, got, want)
		}
	}
}

// refusedJSONL is a record for pcapplusplus__one_tcp_rst.pcap (tshark's
// iRTT: 0.349, SYN to RST+ACK) with the handshake status, rtt_ms and
// irtt_ms left as %s placeholders.
const refusedJSONL = `{"file":"pcapplusplus__one_tcp_rst.pcap","conn":0,"client":"10.1.1.13:45264","server":"10.1.1.6:20000","completeness":37,"handshake":{"status":"%s","syn_count":1,"synack_count":null,"rtt_ms":%s,"irtt_ms":%s,"client_isn":3820339060,"server_isn":null,"syn_options":{"mss":1460,"wscale":10,"sack_perm":true,"ts_val":926866234,"layout":"2,4,8,1,3","window":64240},"synack_options":null}}`

func refusedRecord(status, rtt, irtt string) string {
	return fmt.Sprintf(refusedJSONL, status, rtt, irtt)
}

func TestCompareTsharkRefused(t *testing.T) {
	l := loadTshark(t, "pcapplusplus__one_tcp_rst.pcap")
	if len(l.Conns) != 1 || !l.Conns[0].Refused {
		t.Fatalf("oracle: %+v, want one refused stream", l.Conns)
	}
	refused := "0 stream 0 rtt_ms~irtt null 0.349 [" + RuleRefusedNoRTT + "]"
	tests := []struct {
		name, status, rtt, irtt string
		irttCount, rttCount     FieldCount
		disagreements, byRule   []string
	}{
		{
			name: "rejected, no RTT: by rule", status: "rejected", rtt: "null", irtt: "0.349",
			irttCount: FieldCount{Compared: 1, Agreed: 1},
			rttCount:  FieldCount{ByRule: 1},
			byRule:    []string{refused},
		},
		{
			name: "oracle shows the refusal: by rule", status: "no_reply", rtt: "null", irtt: "0.349",
			irttCount: FieldCount{Compared: 1, Agreed: 1},
			rttCount:  FieldCount{ByRule: 1},
			byRule:    []string{refused},
		},
		{
			name: "synfin measures SYN to RST: compared", status: "rejected", rtt: "0.349", irtt: "0.358",
			irttCount: FieldCount{Compared: 1, Agreed: 1},
			rttCount:  FieldCount{Compared: 1, Agreed: 1},
		},
		{
			name: "rtt_ms other than the iRTT: by rule", status: "rejected", rtt: "0.5", irtt: "0.349",
			irttCount: FieldCount{Compared: 1, Agreed: 1},
			rttCount:  FieldCount{ByRule: 1},
			byRule:    []string{"0 stream 0 rtt_ms~irtt 0.5 0.349 [" + RuleRTTNotIRTT + "]"},
		},
		{
			// irtt_ms follows Wireshark's rule: no refusal rule applies to it.
			name: "no irtt_ms: disagreement", status: "rejected", rtt: "null", irtt: "null",
			irttCount:     FieldCount{Compared: 1},
			rttCount:      FieldCount{ByRule: 1},
			disagreements: []string{"0 stream 0 irtt null 0.349"},
			byRule:        []string{refused},
		},
		{
			name: "irtt_ms outside the tolerance: disagreement", status: "rejected", rtt: "null", irtt: "0.36",
			irttCount:     FieldCount{Compared: 1},
			rttCount:      FieldCount{ByRule: 1},
			disagreements: []string{"0 stream 0 irtt 0.36 0.349"},
			byRule:        []string{refused},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := CompareTshark(mustRecords(t, refusedRecord(tc.status, tc.rtt, tc.irtt)), l.Conns)
			tc.irttCount.Field, tc.rttCount.Field = FieldIRTT, FieldRTT
			if got := s.Field(FieldIRTT); got != tc.irttCount {
				t.Errorf("irtt %+v, want %+v", got, tc.irttCount)
			}
			if got := s.Field(FieldRTT); got != tc.rttCount {
				t.Errorf("rtt_ms~irtt %+v, want %+v", got, tc.rttCount)
			}
			sameList(t, "disagreements", diffKeys(s.Disagreements), tc.disagreements)
			sameList(t, "by rule", byRuleKeys(s.ByRule), tc.byRule)
			// No SYN-ACK in the oracle: server-side fields are not compared.
			for _, f := range []string{FieldServerISN, FieldSynAckMSS, FieldSynAckCount} {
				if c := s.Field(f); c.Compared != 0 {
					t.Errorf("%s compared %d times", f, c.Compared)
				}
			}
			if c := s.Field(FieldSynLayout); c.Compared != 1 || c.Agreed != 1 {
				t.Errorf("syn.layout %+v", c)
			}
		})
	}
}

// TestCompareTsharkFTPData: a completeness that is tshark's plus the SYN
// bit is by rule only in a capture with an FTP control connection (a
// record with server port 21).
func TestCompareTsharkFTPData(t *testing.T) {
	ctl := `{"file":"%s","conn":0,"client":"10.0.0.1:40000","server":"10.0.0.2:21","completeness":31}` + "\n"
	data := `{"file":"data.pcap","conn":1,"client":"10.0.0.2:20","server":"10.0.0.1:40001","completeness":%d}` + "\n"
	stream := func(capture string, n int, client, server string, completeness int) TsharkConn {
		return TsharkConn{Capture: capture, Stream: n, Client: netip.MustParseAddrPort(client),
			Server: netip.MustParseAddrPort(server), Completeness: &completeness}
	}
	ctlStream := func(capture string) TsharkConn { return stream(capture, 0, "10.0.0.1:40000", "10.0.0.2:21", 31) }
	dataStream := stream("data.pcap", 1, "10.0.0.2:20", "10.0.0.1:40001", 30)
	tests := []struct {
		name                  string
		jsonl                 string
		oracle                []TsharkConn
		completeness          FieldCount
		disagreements, byRule []string
	}{
		{
			name:         "port 21 in the capture: by rule",
			jsonl:        fmt.Sprintf(ctl, "data.pcap") + fmt.Sprintf(data, 31),
			oracle:       []TsharkConn{ctlStream("data.pcap"), dataStream},
			completeness: FieldCount{Compared: 1, Agreed: 1, ByRule: 1},
			byRule:       []string{"1 stream 1 completeness 31 30 [" + RuleFTPData + "]"},
		},
		{
			name:          "no port 21: disagreement",
			jsonl:         fmt.Sprintf(data, 31),
			oracle:        []TsharkConn{dataStream},
			completeness:  FieldCount{Compared: 1},
			disagreements: []string{"1 stream 1 completeness 31 30"},
		},
		{
			name:          "port 21 in another capture: disagreement",
			jsonl:         fmt.Sprintf(ctl, "ctl.pcap") + fmt.Sprintf(data, 31),
			oracle:        []TsharkConn{ctlStream("ctl.pcap"), dataStream},
			completeness:  FieldCount{Compared: 2, Agreed: 1},
			disagreements: []string{"1 stream 1 completeness 31 30"},
		},
		{
			name:          "more than the SYN bit: disagreement",
			jsonl:         fmt.Sprintf(ctl, "data.pcap") + fmt.Sprintf(data, 15),
			oracle:        []TsharkConn{ctlStream("data.pcap"), dataStream},
			completeness:  FieldCount{Compared: 2, Agreed: 1},
			disagreements: []string{"1 stream 1 completeness 15 30"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := CompareTshark(mustRecords(t, tc.jsonl), tc.oracle)
			if len(s.UnmatchedSynfin)+len(s.UnmatchedOracle) > 0 {
				t.Fatalf("unmatched %v / %v", s.UnmatchedSynfin, s.UnmatchedOracle)
			}
			tc.completeness.Field = FieldCompleteness
			if got := s.Field(FieldCompleteness); got != tc.completeness {
				t.Errorf("completeness %+v, want %+v", got, tc.completeness)
			}
			sameList(t, "disagreements", diffKeys(s.Disagreements), tc.disagreements)
			sameList(t, "by rule", byRuleKeys(s.ByRule), tc.byRule)
		})
	}
}

// TestCompareTsharkPortReuse: four streams on one tuple (arkime__gtp-iphone).
func TestCompareTsharkPortReuse(t *testing.T) {
	l := loadTshark(t, "arkime__gtp-iphone.pcap")
	rec := func(conn int, clientISN, serverISN string) string {
		return `{"file":"arkime__gtp-iphone.pcap","conn":` + fmtInt(&conn) + `,"client":"[fd00:183:1:1:1886:9040:8605:32b8]:5060","server":"[fd01::183]:5060","completeness":31,"handshake":{"client_isn":` + clientISN + `,"server_isn":` + serverISN + `}}` + "\n"
	}
	tests := []struct {
		name                 string
		jsonl                string
		matched              int
		clientISN, serverISN FieldCount
		unmatched            []string // synfin then oracle IDs
	}{
		{
			// Conns 1 and 2 have no client ISN: matched by order to streams 1
			// and 2, which their server ISNs confirm. Listed out of order.
			name: "ISN first, then order",
			jsonl: rec(3, "1122848232", "3305602494") + rec(1, "null", "1511910933") +
				rec(0, "1375424496", "998101789") + rec(2, "null", "2135605037"),
			matched:   4,
			clientISN: FieldCount{Field: FieldClientISN, Compared: 4, Agreed: 2},
			serverISN: FieldCount{Field: FieldServerISN, Compared: 4, Agreed: 4},
		},
		{
			// ISNs matching streams 2 and 0; conn 1's ISN matches no stream, so
			// it is not paired by order with stream 1 or 3.
			name:      "different ISNs never pair",
			jsonl:     rec(0, "2889678409", "2135605037") + rec(1, "12345", "null") + rec(2, "1375424496", "998101789"),
			matched:   2,
			clientISN: FieldCount{Field: FieldClientISN, Compared: 2, Agreed: 2},
			serverISN: FieldCount{Field: FieldServerISN, Compared: 2, Agreed: 2},
			unmatched: []string{"conn 1", "stream 1", "stream 3"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := CompareTshark(mustRecords(t, tc.jsonl), l.Conns)
			var un []string
			for _, u := range append(s.UnmatchedSynfin, s.UnmatchedOracle...) {
				un = append(un, u.ID)
			}
			// The records carry ISNs only; the server ISNs show which stream
			// each was paired with.
			if s.Matched != tc.matched || s.Field(FieldClientISN) != tc.clientISN || s.Field(FieldServerISN) != tc.serverISN {
				t.Errorf("matched %d, %+v, %+v", s.Matched, s.Field(FieldClientISN), s.Field(FieldServerISN))
			}
			sameList(t, "unmatched", un, tc.unmatched)
		})
	}
}

// TestCompareTsharkCaptures: records of several captures against the
// oracles of several captures.
func TestCompareTsharkCaptures(t *testing.T) {
	a := loadTshark(t, "pcapplusplus__one_tcp_rst.pcap")
	b := loadTshark(t, "zeek__chksums__localhost-bad-chksum.pcap")
	jsonl := `{"file":"/data/pcapplusplus__one_tcp_rst.pcap","conn":0,"client":"10.1.1.13:45264","server":"10.1.1.6:20000","handshake":{"client_isn":3820339060}}
{"file":"zeek__chksums__localhost-bad-chksum.pcap","conn":0,"client":"35.221.46.9:80","server":"192.168.1.28:53246","handshake":{"client_isn":3515274262}}
{"file":"zeek__chksums__localhost-bad-chksum.pcap","conn":1,"client":"10.9.9.9:1","server":"10.9.9.8:2"}
{"file":"other.pcap","conn":0,"client":"10.1.1.13:45264","server":"10.1.1.6:20000"}
`
	s := CompareTshark(mustRecords(t, jsonl), append(a.Conns, b.Conns...))
	if s.Matched != 2 || s.Field(FieldClientISN) != (FieldCount{Field: FieldClientISN, Compared: 2, Agreed: 2}) {
		t.Errorf("matched %d, client_isn %+v", s.Matched, s.Field(FieldClientISN))
	}
	var un []string
	for _, u := range s.UnmatchedSynfin {
		un = append(un, u.Capture+" "+u.ID+": "+u.Reason)
	}
	sameList(t, "unmatched synfin", un, []string{
		"other.pcap conn 0: no tshark streams for this capture",
		"zeek__chksums__localhost-bad-chksum.pcap conn 1: no tshark stream",
	})
	if len(s.UnmatchedOracle) != 0 {
		t.Errorf("unmatched oracle %v", s.UnmatchedOracle)
	}
}

func TestCompareZeek(t *testing.T) {
	bs, err := ReadMappingFile(filepath.Join("testdata", "zeek", "mapping.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	chk, err := ReadZeekBaseline("testdata", baselineFor(t, bs, "core.checksums_ignore_nets", "conn-failed.log"))
	if err != nil {
		t.Fatal(err)
	}
	const chkNote = "no -C: packets with bad checksums are dropped by zeek"

	tests := []struct {
		name          string
		jsonl         string
		zeek          []ZeekConn
		matched       int
		state, hist   FieldCount
		disagreements []string
		notes         []string
		unmatched     []string // synfin then oracle: "ID reason"
	}{
		{
			// conn 1 misses the t; conn 2 is seen from the other side, so it
			// matches flipped, and its S1 disagrees.
			name: "oriented and flipped", jsonl: rangeJSONL, zeek: loadZeek(t, "zeek__http__concurrent-range-requests.pcap").Conns,
			matched: 3,
			state:   FieldCount{Field: FieldConnState, Compared: 3, Agreed: 2},
			hist:    FieldCount{Field: FieldHistory, Compared: 3, Agreed: 2},
			disagreements: []string{
				"1 ClEkJM2Vm5giqnMf4h history ShADadFf ShADadtFf",
				"2 C4J4Th3PJpwUYZZ6gc conn_state S1 SF",
			},
			notes: []string{"", "zeek flipped the orientation"},
		},
		{
			// Zeek split the connection in two because it dropped the
			// bad-checksum packets: the first row matches, with the note.
			name:  "bad checksums",
			jsonl: `{"file":"zeek__chksums__localhost-bad-chksum.pcap","conn":0,"client":"192.168.1.28:53246","server":"35.221.46.9:80","state":"SF","history":"ShADadFf"}`,
			zeek:  chk.Conns, matched: 1,
			state:         FieldCount{Field: FieldConnState, Compared: 1},
			hist:          FieldCount{Field: FieldHistory, Compared: 1},
			disagreements: []string{"0 CHhAvVGS1DHFjwGM9 conn_state SF OTH", "0 CHhAvVGS1DHFjwGM9 history ShADadFf C"},
			notes:         []string{chkNote, chkNote},
			unmatched:     []string{"ClEkJM2Vm5giqnMf4h no synfin record"},
		},
		{
			name: "history only (conn_state cut)",
			jsonl: `{"file":"zeek__postgresql__greenhouse-app.pcap","conn":0,"client":"172.21.0.8:59060","server":"172.21.0.6:5432","state":"S1","history":"ShADad"}
{"file":"zeek__postgresql__greenhouse-app.pcap","conn":1,"client":"172.21.0.9:52960","server":"172.21.0.6:5432","state":"OTH","history":""}`,
			zeek: loadZeek(t, "zeek__postgresql__greenhouse-app.pcap").Conns, matched: 2,
			state:         FieldCount{Field: FieldConnState},
			hist:          FieldCount{Field: FieldHistory, Compared: 2, Agreed: 1},
			disagreements: []string{"1 ClEkJM2Vm5giqnMf4h history  ShADad"},
			notes:         []string{""},
		},
		{
			name:  "no 5-tuple in the log",
			jsonl: `{"file":"zeek__tcp__syn-bad.pcap","conn":0,"client":"10.0.0.1:1","server":"10.0.0.2:2","state":"OTH","history":"C"}`,
			zeek:  loadZeek(t, "zeek__tcp__syn-bad.pcap").Conns,
			state: FieldCount{Field: FieldConnState}, hist: FieldCount{Field: FieldHistory},
			unmatched: []string{"conn 0 no Zeek row", "CHhAvVGS1DHFjwGM9 log has no 5-tuple (columns cut)"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := CompareZeek(mustRecords(t, tc.jsonl), tc.zeek)
			if s.Matched != tc.matched || s.Field(FieldConnState) != tc.state || s.Field(FieldHistory) != tc.hist {
				t.Errorf("matched %d, %+v, %+v", s.Matched, s.Field(FieldConnState), s.Field(FieldHistory))
			}
			sameList(t, "disagreements", diffKeys(s.Disagreements), tc.disagreements)
			var notes, un []string
			for _, d := range s.Disagreements {
				notes = append(notes, d.Note)
			}
			sameList(t, "notes", notes, tc.notes)
			for _, u := range append(s.UnmatchedSynfin, s.UnmatchedOracle...) {
				un = append(un, u.ID+" "+u.Reason)
			}
			sameList(t, "unmatched", un, tc.unmatched)
		})
	}
}

func TestFieldStatsWriteAndMerge(t *testing.T) {
	l := loadTshark(t, "zeek__http__concurrent-range-requests.pcap")
	r := loadTshark(t, "pcapplusplus__one_tcp_rst.pcap")
	s := CompareTshark(mustRecords(t, rangeJSONL), l.Conns)
	s.Merge(CompareTshark(mustRecords(t, refusedRecord("rejected", "null", "0.349")), r.Conns))
	if s.Matched != 4 || s.Field(FieldClientISN).Compared != 4 || s.Field(FieldIRTT) != (FieldCount{Field: FieldIRTT, Compared: 4, Agreed: 3}) ||
		s.Field(FieldRTT) != (FieldCount{Field: FieldRTT, Compared: 1, Agreed: 1, ByRule: 3}) {
		t.Fatalf("merged: matched %d, %+v %+v %+v", s.Matched, s.Field(FieldClientISN), s.Field(FieldIRTT), s.Field(FieldRTT))
	}
	var buf bytes.Buffer
	if err := s.Write(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"tshark: 4 matched, 0 synfin records unmatched, 0 tshark connections unmatched\n",
		"disagreements (3):\n  zeek__http__concurrent-range-requests.pcap conn 1 (stream 1) synack.mss: synfin 1460, tshark 1420\n",
		"  zeek__http__concurrent-range-requests.pcap conn 1 (stream 1) irtt: synfin 32.27, tshark 32.251\n",
		"differs by rule (3):\n  zeek__http__concurrent-range-requests.pcap conn 0 (stream 0) rtt_ms~irtt: synfin 35, tshark 31.61 [" + RuleRTTNotIRTT + "]\n",
		"  zeek__http__concurrent-range-requests.pcap conn 2 (stream 2) rtt_ms~irtt: synfin null, tshark 41.453 [" + RuleRTTNotIRTT + "]\n" +
			"  pcapplusplus__one_tcp_rst.pcap conn 0 (stream 0) rtt_ms~irtt: synfin null, tshark 0.349 [refused has no RTT]\n",
		"unmatched synfin records (0):\nunmatched tshark connections (0):\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	rows := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			rows[f[0]] = strings.Join(f[1:], " ")
		}
	}
	for field, want := range map[string]string{
		"field":        "compared agreed percent by rule",
		"client_isn":   "4 4 100.0% 0",
		"server_isn":   "3 3 100.0% 0",
		"synack.mss":   "3 2 66.7% 0",
		"irtt":         "4 3 75.0% 0",
		"rtt_ms~irtt":  "1 1 100.0% 3",
		"completeness": "4 3 75.0% 0",
	} {
		if rows[field] != want {
			t.Errorf("table row %s = %q, want %q", field, rows[field], want)
		}
	}
	// A field with nothing compared prints "-".
	var empty bytes.Buffer
	_ = CompareZeek(nil, nil).Write(&empty)
	if !strings.Contains(empty.String(), "conn_state  0         0       -        0") {
		t.Errorf("empty table:\n%s", empty.String())
	}
}

// TestCompareZeekOrder: with as many rows as records on a tuple, order of
// appearance decides, even when Zeek flipped the first row.
func TestCompareZeekOrder(t *testing.T) {
	ap := func(s string) ZeekConn {
		o, r, _ := strings.Cut(s, " ")
		oa, _ := parseEndpoint(o)
		ra, _ := parseEndpoint(r)
		return ZeekConn{Orig: oa, Resp: ra, HasTuple: true, HasState: true}
	}
	z0, z1 := ap("10.0.0.2:80 10.0.0.1:1000"), ap("10.0.0.1:1000 10.0.0.2:80")
	z0.UID, z0.ConnState = "Z0", "SH"
	z1.UID, z1.ConnState = "Z1", "SF"
	recs := mustRecords(t, `{"file":"x.pcap","conn":0,"client":"10.0.0.1:1000","server":"10.0.0.2:80","state":"SF"}
{"file":"x.pcap","conn":1,"client":"10.0.0.1:1000","server":"10.0.0.2:80","state":"SF"}`)
	s := CompareZeek(recs, []ZeekConn{z0, z1})
	sameList(t, "disagreements", diffKeys(s.Disagreements), []string{"0 Z0 conn_state SF SH"})
	if s.Matched != 2 || s.Disagreements[0].Note != "zeek flipped the orientation" {
		t.Errorf("matched %d, %+v", s.Matched, s.Disagreements)
	}
}
