package oracle

import (
	"path/filepath"
	"strings"
	"testing"
)

func loadZeek(t *testing.T, capture string) *ZeekLog {
	t.Helper()
	l, err := ReadZeekFile(filepath.Join("testdata", "zeek", capture+".conn.log"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestReadZeek asserts rows read by hand from the copied baselines.
func TestReadZeek(t *testing.T) {
	type row struct {
		uid, orig, resp, state, history string // "" orig = no tuple; "-" = no value
	}
	tests := []struct {
		name, capture                  string
		hasTuple, hasState, hasHistory bool
		comparable                     bool
		nonTCP                         int
		rows                           []row
	}{
		{
			name: "renamed id columns (src_ip, src_port, dst_ip, dst_port)", capture: "zeek__auth_change_session_keys.pcap",
			hasTuple: true, hasState: true, hasHistory: true, comparable: true,
			rows: []row{{"CHhAvVGS1DHFjwGM9", "192.168.1.2:49159", "192.168.1.1:20000", "S0", "SAD"}},
		},
		{
			name: "same tuple split in two, second flipped (bad checksums)", capture: "zeek__chksums__localhost-bad-chksum.pcap",
			hasTuple: true, hasState: true, hasHistory: true, comparable: true,
			rows: []row{
				{"CHhAvVGS1DHFjwGM9", "192.168.1.28:53246", "35.221.46.9:80", "OTH", "C"},
				{"ClEkJM2Vm5giqnMf4h", "35.221.46.9:80", "192.168.1.28:53246", "SH", "HcADF"},
			},
		},
		{
			name: "full log", capture: "zeek__http__concurrent-range-requests.pcap",
			hasTuple: true, hasState: true, hasHistory: true, comparable: true,
			rows: []row{
				{"CHhAvVGS1DHFjwGM9", "192.168.0.107:58716", "88.198.248.254:80", "SF", "ShADadFf"},
				{"ClEkJM2Vm5giqnMf4h", "192.168.0.107:58718", "88.198.248.254:80", "SF", "ShADadtFf"},
				{"C4J4Th3PJpwUYZZ6gc", "192.168.0.107:58720", "88.198.248.254:80", "SF", "ShADadFf"},
			},
		},
		{
			name: "cut by btest-diff-cut: no tuple", capture: "zeek__tcp__syn-bad.pcap",
			hasTuple: false, hasState: true, hasHistory: true, comparable: false,
			rows: []row{{"CHhAvVGS1DHFjwGM9", "", "", "OTH", "C"}},
		},
		{
			name: "cut by btest-diff-cut: tuple and history kept", capture: "zeek__postgresql__greenhouse-app.pcap",
			hasTuple: true, hasState: false, hasHistory: true, comparable: true,
			rows: []row{
				{"CHhAvVGS1DHFjwGM9", "172.21.0.8:59060", "172.21.0.6:5432", "-", "ShADad"},
				{"ClEkJM2Vm5giqnMf4h", "172.21.0.9:52960", "172.21.0.6:5432", "-", "ShADad"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := loadZeek(t, tc.capture)
			if l.HasTuple != tc.hasTuple || l.HasState != tc.hasState || l.HasHistory != tc.hasHistory || l.Comparable() != tc.comparable {
				t.Errorf("columns %v: tuple %v state %v history %v comparable %v", l.Columns, l.HasTuple, l.HasState, l.HasHistory, l.Comparable())
			}
			if l.NonTCP != tc.nonTCP || len(l.Conns) != len(tc.rows) {
				t.Fatalf("%d rows (%d non-TCP), want %d", len(l.Conns), l.NonTCP, len(tc.rows))
			}
			for i, w := range tc.rows {
				c := l.Conns[i]
				orig, resp := "", ""
				if c.HasTuple {
					orig, resp = c.Orig.String(), c.Resp.String()
				}
				state, hist := "-", "-"
				if c.HasState {
					state = c.ConnState
				}
				if c.HasHistory {
					hist = c.History
				}
				if c.ID() != w.uid || orig != w.orig || resp != w.resp || state != w.state || hist != w.history || c.Capture != tc.capture {
					t.Errorf("row %d: %s %s->%s %s %s (%s), want %+v", i, c.ID(), orig, resp, state, hist, c.Capture, w)
				}
			}
		})
	}
}

// TestReadZeekHandMade: proto filter, unset and empty values, IPv6.
func TestReadZeekHandMade(t *testing.T) {
	log := "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n" +
		"#fields\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state\thistory\n" +
		"#types\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring\n" +
		"U1\t10.0.0.1\t53\t10.0.0.2\t53\tudp\tS0\tD\n" +
		"T1\t2001:db8::1\t40000\t2001:db8::2\t443\ttcp\tS0\t-\n" +
		"T2\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\tOTH\t(empty)\n" +
		"#close\tXXXX\n"
	l, err := ReadZeek(strings.NewReader(log), "hand")
	if err != nil {
		t.Fatal(err)
	}
	if l.NonTCP != 1 || len(l.Conns) != 2 {
		t.Fatalf("%d TCP rows, %d non-TCP", len(l.Conns), l.NonTCP)
	}
	a, b := l.Conns[0], l.Conns[1]
	if a.Orig.String() != "[2001:db8::1]:40000" || a.HasHistory || !a.HasState || a.Line != 8 {
		t.Errorf("row T1: %+v", a)
	}
	if !b.HasHistory || b.History != "" {
		t.Errorf("row T2: (empty) history should be a present empty value: %+v", b)
	}
	if _, err := ReadZeek(strings.NewReader("### banner only\n"), "x"); err == nil {
		t.Error("no error for a log without a header")
	}
}

func TestReadZeekBaselineNote(t *testing.T) {
	bs, err := ReadMappingFile(filepath.Join("testdata", "zeek", "mapping.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	b := baselineFor(t, bs, "core.checksums_ignore_nets", "conn-failed.log")
	l, err := ReadZeekBaseline("testdata", b)
	if err != nil {
		t.Fatal(err)
	}
	want := "no -C: packets with bad checksums are dropped by zeek"
	if l.Capture != "zeek__chksums__localhost-bad-chksum.pcap" || l.Note != want || l.Conns[1].Note != want {
		t.Errorf("capture %q note %q", l.Capture, l.Note)
	}
}
