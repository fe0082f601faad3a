package oracle

import (
	"path/filepath"
	"strings"
	"testing"
)

func baselineFor(t *testing.T, bs []Baseline, test, file string) Baseline {
	t.Helper()
	for _, b := range bs {
		if b.Test == test && b.BaselineFile == file {
			return b
		}
	}
	t.Fatalf("no mapping row for %s %s", test, file)
	return Baseline{}
}

// TestMappingRule applies the usable-baseline rule to rows of the real
// mapping.tsv (an excerpt is in testdata).
func TestMappingRule(t *testing.T) {
	bs, err := ReadMappingFile(filepath.Join("testdata", "zeek", "mapping.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 13 {
		t.Errorf("%d rows, want 13", len(bs))
	}
	tests := []struct {
		test, file string
		usable     bool
		reasons    []string // substrings, one per expected reason
		checksumsC bool
	}{
		{"core.checksums_ignore_nets", "conn-failed.log", true, nil, false},
		{"scripts.base.protocols.http.concurrent-range-requests", "conn.log", true, nil, false},
		{"scripts.base.protocols.http.http-connect-with-header", "conn.log", true, nil, true},
		// btest-diff-cut -m uid id.orig_h id.orig_p id.resp_h id.resp_p history service
		{"scripts.base.protocols.postgresql.greenhouse-app", "conn.log", true, nil, true},
		// btest-diff-cut -Cn local_orig local_resp: everything else kept.
		{"scripts.base.protocols.ldap.who-am-i", "conn.log", true, nil, false},
		{"scripts.base.frameworks.logging.field-name-map2", "conn.log", false, []string{"script redefines"}, false},
		{"core.checksums_ignore_nets", "conn-worked.log", false, []string{"role alternate", "command line redefines"}, false},
		{"scripts.base.protocols.dns.max-queries", "conn.log", false, []string{"command line redefines", "no 5-tuple"}, false},
		{"core.pcap.read-trace-with-filter", "conn.log", false, []string{"role alternate", "on the command line (-f)", "notes or test name"}, false},
		{"scripts.base.frameworks.netcontrol.packetfilter", "conn.log", false, []string{"notes or test name"}, false},
		{"core.tcp.bad-checksum-syn", "conn.log", false, []string{"no 5-tuple"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.test+"/"+tc.file, func(t *testing.T) {
			b := baselineFor(t, bs, tc.test, tc.file)
			why := b.SkipReasons()
			if b.Usable() != tc.usable || len(why) != len(tc.reasons) {
				t.Fatalf("usable %v, reasons %q", b.Usable(), why)
			}
			for i, w := range tc.reasons {
				if !strings.Contains(why[i], w) {
					t.Errorf("reason %d = %q, want it to mention %q", i, why[i], w)
				}
			}
			if b.ChecksumsIgnored() != tc.checksumsC {
				t.Errorf("ChecksumsIgnored = %v (command %q)", b.ChecksumsIgnored(), b.ZeekCommand)
			}
			if b.ChecksumNote() == "" {
				t.Error("no checksum note")
			}
		})
	}
}

// TestZeekInvocation covers command shapes the excerpt lacks.
func TestZeekInvocation(t *testing.T) {
	tests := []struct {
		cmd                        string
		assigns, filter, checksums bool
	}{
		{"zeek -b -f 'tcp port 25' -r $TRACES/smtp.pcap base/protocols/conn %INPUT >out", false, true, false},
		{"zeek --filter=port\\ 80 -r x.pcap", false, true, false},
		{"zeek -bCr $TRACES/x.pcap %INPUT", false, false, true},
		{"zeek -r $TRACES/x.pcap \"Tunnel::delay_teredo_confirmation=F\"", true, false, false},
		{"zeek -b -C -r $TRACES/x.pcap %INPUT NCP::max_frame_size=150 >out", true, false, true},
		{"zcat <$TRACES/x.pcap.gz | zeek -b -r - %INPUT", false, false, false},
		// Options of other commands in the line do not count.
		{"zeek -b -r $TRACES/x.pcap %INPUT | sort | uniq -c | sed 's/^ *//g' >>output", false, false, false},
		{"zeek -C -r $TRACES/x.pcap %INPUT >output 2>&1 && grep -f x=1 y", false, false, true},
	}
	for _, tc := range tests {
		z := zeekInvocation(tc.cmd)
		if z.assigns != tc.assigns || z.filter != tc.filter || z.checksums != tc.checksums {
			t.Errorf("%q: got %+v", tc.cmd, z)
		}
	}
}
