package oracle

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func loadTshark(t *testing.T, capture string) *TsharkLog {
	t.Helper()
	l, err := ReadTsharkFile(filepath.Join("testdata", "tshark", capture+".tsv"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func findStream(t *testing.T, l *TsharkLog, stream int) TsharkConn {
	t.Helper()
	for _, c := range l.Conns {
		if c.Stream == stream {
			return c
		}
	}
	t.Fatalf("%s: no stream %d", l.Capture, stream)
	return TsharkConn{}
}

// segWant is the expected SYN or SYN-ACK; mss/wscale -1 = absent.
type segWant struct {
	mss, wscale int
	layout      string
	sack        bool
	tsval       int64 // -1 = absent
	window      int
}

func checkSeg(t *testing.T, what string, got *TsharkSegment, w *segWant) {
	t.Helper()
	if w == nil {
		if got != nil {
			t.Errorf("%s: got %+v, want none", what, got)
		}
		return
	}
	if got == nil {
		t.Errorf("%s: missing", what)
		return
	}
	intOr := func(p *int) int {
		if p == nil {
			return -1
		}
		return *p
	}
	var ts int64 = -1
	if got.TSVal != nil {
		ts = int64(*got.TSVal)
	}
	if intOr(got.MSS) != w.mss || intOr(got.WScale) != w.wscale || got.Layout == nil || *got.Layout != w.layout ||
		got.SackPerm != w.sack || ts != w.tsval || intOr(got.Window) != w.window {
		t.Errorf("%s: got mss %v wscale %v layout %v sack %v tsval %d window %v; want %+v",
			what, fmtInt(got.MSS), fmtInt(got.WScale), fmtStr(got.Layout), got.SackPerm, ts, fmtInt(got.Window), *w)
	}
}

// TestReadTshark asserts values read by hand from the copied oracle files.
func TestReadTshark(t *testing.T) {
	tests := []struct {
		name, capture       string
		streams             int // number of streams in the file
		stream              int
		client, server, by  string
		clientISN           string // "null" when absent
		serverISN           string
		syn, synack         *segWant
		synCount, synackCnt int
		irttMs              float64 // NaN = absent
		completeness        int
		refused, tunnelled  bool
		first               string // frame.time_epoch of the first row
		rows, fins, rsts    int
	}{
		{
			name: "refused (RST+ACK carries iRTT)", capture: "pcapplusplus__one_tcp_rst.pcap", streams: 1, stream: 0,
			client: "10.1.1.13:45264", server: "10.1.1.6:20000", by: "syn",
			clientISN: "3820339060", serverISN: "null",
			syn:      &segWant{mss: 1460, wscale: 10, layout: "2,4,8,1,3", sack: true, tsval: 926866234, window: 64240},
			synCount: 1, irttMs: 0.349, completeness: 37, refused: true,
			first: "1663807554.585086000", rows: 2, rsts: 1,
		},
		{
			name: "plain connection, EOL padding in layout", capture: "zeek__chksums__localhost-bad-chksum.pcap", streams: 1, stream: 0,
			client: "192.168.1.28:53246", server: "35.221.46.9:80", by: "syn",
			clientISN: "3515274262", serverISN: "3209506963",
			syn:      &segWant{mss: 1460, wscale: 6, layout: "2,1,3,1,1,8,4,0,0", sack: true, tsval: 1139816814, window: 65535},
			synack:   &segWant{mss: 1420, wscale: 7, layout: "2,1,1,4,1,3", sack: true, tsval: -1, window: 65320},
			synCount: 1, synackCnt: 1, irttMs: 28.26, completeness: 31,
			first: "1602707363.476578000", rows: 4, fins: 2,
		},
		{
			name: "three concurrent connections, stream 2", capture: "zeek__http__concurrent-range-requests.pcap", streams: 3, stream: 2,
			client: "192.168.0.107:58720", server: "88.198.248.254:80", by: "syn",
			clientISN: "3638283777", serverISN: "746798418",
			syn:      &segWant{mss: 1460, wscale: 7, layout: "2,4,8,1,3", sack: true, tsval: 1286901461, window: 64240},
			synack:   &segWant{mss: 1420, wscale: 13, layout: "2,4,8,1,3", sack: true, tsval: 2610704601, window: 65160},
			synCount: 1, synackCnt: 1, irttMs: 41.453, completeness: 31,
			first: "1657646500.197889000", rows: 4, fins: 2,
		},
		{
			name: "port reuse 1 of 4, IPv6 in GTP over IPv4", capture: "arkime__gtp-iphone.pcap", streams: 4, stream: 0,
			client: "[fd00:183:1:1:1886:9040:8605:32b8]:5060", server: "[fd01::183]:5060", by: "syn",
			clientISN: "1375424496", serverISN: "998101789",
			syn:      &segWant{mss: 1350, wscale: 5, layout: "2,1,3,1,1,8,4,0,0", sack: true, tsval: 1003291081, window: 65535},
			synack:   &segWant{mss: 1440, wscale: 10, layout: "2,4,8,1,3", sack: true, tsval: 885748274, window: 14280},
			synCount: 1, synackCnt: 1, irttMs: 31.951, completeness: 31, tunnelled: true,
			first: "1415985412.100117000", rows: 4, fins: 2,
		},
		{
			name: "port reuse 4 of 4", capture: "arkime__gtp-iphone.pcap", streams: 4, stream: 3,
			client: "[fd00:183:1:1:1886:9040:8605:32b8]:5060", server: "[fd01::183]:5060", by: "syn",
			clientISN: "1122848232", serverISN: "3305602494",
			syn:      &segWant{mss: 1350, wscale: 5, layout: "2,1,3,1,1,8,4,0,0", sack: true, tsval: 1003438526, window: 65535},
			synack:   &segWant{mss: 1440, wscale: 10, layout: "2,4,8,1,3", sack: true, tsval: 885895954, window: 14280},
			synCount: 1, synackCnt: 1, irttMs: 39.996, completeness: 31, tunnelled: true,
			first: "1415985559.780184000", rows: 4, fins: 2,
		},
		{
			name: "ERSPAN: inner IPv4 is the last value", capture: "zeek__erspan.pcap", streams: 5, stream: 0,
			client: "192.168.69.10:49162", server: "192.168.69.2:80", by: "syn",
			clientISN: "3959217293", serverISN: "2287432357",
			syn:      &segWant{mss: 1460, wscale: 2, layout: "2,1,3,1,1,4", sack: true, tsval: -1, window: 8192},
			synack:   &segWant{mss: 1460, wscale: 8, layout: "2,1,3,1,1,4", sack: true, tsval: -1, window: 8192},
			synCount: 1, synackCnt: 1, irttMs: 0.025, completeness: 15, tunnelled: true,
			first: "1442310001.450327000", rows: 2,
		},
		{
			name: "ICMPv6 error quoting the SYN is not a retransmission", capture: "arkime__ospf.pcap", streams: 17, stream: 0,
			client: "[2001:bef::a00:27ff:fe0d:5c3c]:34808", server: "[2607:f8b0:400f:801::200e]:80", by: "syn",
			clientISN: "419032480", serverISN: "null",
			syn:      &segWant{mss: 1440, wscale: 7, layout: "2,4,8,1,3", sack: true, tsval: 67241079, window: 28800},
			synCount: 1, irttMs: math.NaN(), completeness: 1,
			first: "1571662515.683969000", rows: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := loadTshark(t, tc.capture)
			if len(l.Conns) != tc.streams {
				t.Errorf("%d streams, want %d", len(l.Conns), tc.streams)
			}
			c := findStream(t, l, tc.stream)
			if c.Capture != tc.capture || c.Client.String() != tc.client || c.Server.String() != tc.server || c.ClientBy != tc.by {
				t.Errorf("endpoints %s %s -> %s (by %q)", c.Capture, c.Client, c.Server, c.ClientBy)
			}
			if fmtU32(c.ClientISN) != tc.clientISN || fmtU32(c.ServerISN) != tc.serverISN {
				t.Errorf("ISNs %s %s, want %s %s", fmtU32(c.ClientISN), fmtU32(c.ServerISN), tc.clientISN, tc.serverISN)
			}
			checkSeg(t, "SYN", c.Syn, tc.syn)
			checkSeg(t, "SYN-ACK", c.SynAck, tc.synack)
			if c.SynCount != tc.synCount || c.SynAckCount != tc.synackCnt {
				t.Errorf("counts %d/%d, want %d/%d", c.SynCount, c.SynAckCount, tc.synCount, tc.synackCnt)
			}
			switch {
			case math.IsNaN(tc.irttMs) && c.IRTTMs != nil:
				t.Errorf("iRTT %v, want none", *c.IRTTMs)
			case !math.IsNaN(tc.irttMs) && (c.IRTTMs == nil || math.Abs(*c.IRTTMs-tc.irttMs) > 1e-9):
				t.Errorf("iRTT %s, want %v", fmtMs(c.IRTTMs), tc.irttMs)
			}
			if fmtInt(c.Completeness) != fmtInt(&tc.completeness) || c.Refused != tc.refused || c.Tunnelled != tc.tunnelled {
				t.Errorf("completeness %s refused %v tunnelled %v", fmtInt(c.Completeness), c.Refused, c.Tunnelled)
			}
			first, _ := parseEpoch(tc.first)
			if !c.FirstTime.Equal(first) {
				t.Errorf("first %v, want %v", c.FirstTime, first)
			}
			if c.Rows != tc.rows || c.FINs != tc.fins || c.RSTs != tc.rsts {
				t.Errorf("rows %d fins %d rsts %d", c.Rows, c.FINs, c.RSTs)
			}
		})
	}
}

func TestReadTsharkSkipsQuotedHeaders(t *testing.T) {
	l := loadTshark(t, "arkime__ospf.pcap")
	if len(l.Skipped) != 17 {
		t.Fatalf("%d rows skipped, want 17 (every ICMPv6 error)", len(l.Skipped))
	}
	if s := l.Skipped[0]; s.Frame != "25" || s.Line != 3 || !strings.Contains(s.Reason, "ICMPv6") {
		t.Errorf("first skipped row: %+v", s)
	}
}

func TestParseEpoch(t *testing.T) {
	got, err := parseEpoch("1663807554.585086000")
	if err != nil || !got.Equal(time.Unix(1663807554, 585086000)) {
		t.Errorf("got %v, %v", got, err)
	}
	if got, _ := parseEpoch("10.5"); got.Nanosecond() != 500000000 {
		t.Errorf("short fraction: %v", got)
	}
}

// tsvHeader is the column list of the corpus oracles.
const tsvHeader = "frame.number\tframe.time_epoch\ttcp.stream\tip.src\tip.dst\tipv6.src\tipv6.dst\ttcp.srcport\ttcp.dstport\ttcp.flags\ttcp.flags.str\ttcp.seq_raw\ttcp.ack_raw\ttcp.len\ttcp.analysis.initial_rtt\ttcp.options.mss_val\ttcp.options.wscale.shift\ttcp.option_kind\ttcp.options.sack_perm\ttcp.options.timestamp.tsval\ttcp.window_size_value\ttcp.completeness\ttcp.analysis.retransmission\ttcp.analysis.flags\tvlan.id\tframe.interface_id\n"

// TestReadTsharkHandMade covers cases absent from the corpus: two TCP
// headers in a frame, a frame in two streams, a SYN-ACK-only stream, an
// IPv4-quoting ICMP error, and a missing header column.
func TestReadTsharkHandMade(t *testing.T) {
	rows := []string{
		// Two TCP headers, same stream: last values used, layout unknown.
		"1\t100.000001\t0\t10.0.0.1,10.0.0.9\t10.0.0.2,10.0.0.8\t\t\t1000,2000\t80,90\t0x0010,0x0002\t\t5,77\t0\t0\t\t1460\t\t2,4,1\t\t\t100,200\t1\t\t\t\t0\n",
		// A frame in two streams: skipped.
		"2\t100.000002\t0,1\t10.0.0.1\t10.0.0.2\t\t\t1000\t80\t0x0002\t\t5\t0\t0\t\t\t\t\t\t\t100\t1\t\t\t\t0\n",
		// SYN-ACK only: the client is its receiver.
		"3\t100.000003\t2\t10.0.0.3\t10.0.0.4\t\t\t443\t5555\t0x0012\t\t900\t6\t0\t\t\t\t\t\t\t100\t2\t\t\t\t0\n",
		// ICMP error quoting a SYN of stream 2's tuple: skipped.
		"4\t100.000004\t2\t10.0.0.254,10.0.0.4\t10.0.0.4,10.0.0.3\t\t\t5555\t443\t0x0002\t\t5\t0\t0\t\t\t\t\t\t\t100\t2\t\t\t\t0\n",
		// FIN only (mid-stream): orientation from the first row.
		"5\t100.000005\t3\t10.0.0.5\t10.0.0.6\t\t\t22\t6000\t0x0011\t\t1\t2\t0\t\t\t\t1,1,8\t\t\t100\t16\t\t\t\t0\n",
	}
	l, err := ReadTshark(strings.NewReader(tsvHeader+strings.Join(rows, "")), "hand")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Conns) != 3 || len(l.Skipped) != 2 {
		t.Fatalf("%d conns, %d skipped: %+v", len(l.Conns), len(l.Skipped), l.Skipped)
	}
	s0 := l.Conns[0]
	if s0.Syn == nil || s0.Syn.Layout != nil || *s0.Syn.MSS != 1460 || *s0.ClientISN != 77 ||
		s0.Client.String() != "10.0.0.9:2000" || *s0.Syn.Window != 200 || !s0.Tunnelled {
		t.Errorf("two TCP headers: %+v %+v", s0, s0.Syn)
	}
	s2 := l.Conns[1]
	if s2.ClientBy != "synack" || s2.Client.String() != "10.0.0.4:5555" || s2.Server.String() != "10.0.0.3:443" ||
		s2.ClientISN != nil || *s2.ServerISN != 900 || s2.SynAckCount != 1 || s2.Rows != 1 {
		t.Errorf("SYN-ACK only: %+v", s2)
	}
	if !strings.Contains(l.Skipped[1].Reason, "ICMP error") {
		t.Errorf("skipped: %+v", l.Skipped)
	}
	s3 := l.Conns[2]
	if s3.ClientBy != "" || s3.Client.String() != "10.0.0.5:22" || s3.Syn != nil || *s3.Completeness != 16 || s3.FINs != 1 {
		t.Errorf("FIN only: %+v", s3)
	}

	if _, err := ReadTshark(strings.NewReader("frame.number\ttcp.stream\n1\t0\n"), "x"); err == nil {
		t.Error("no error for a header without tcp.flags")
	}
	if _, err := ReadTshark(strings.NewReader(tsvHeader+"1\t1.0\t0\t1.2.3.4\t5.6.7.8\t\t\t1\t2\tzz\n"), "x"); err == nil {
		t.Error("no error for bad tcp.flags")
	}
}
