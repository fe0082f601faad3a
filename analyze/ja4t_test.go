package analyze

import (
	"testing"

	"github.com/synfin/synfin/flows"
)

func opts(window uint16, mss int, ws int, kinds ...uint8) (flows.Options, flows.SegInfo) {
	var o flows.Options
	for _, k := range kinds {
		o.Layout[o.NLayout] = k
		o.NLayout++
	}
	if mss >= 0 {
		o.MSS, o.HasMSS = uint16(mss), true
	}
	if ws >= 0 {
		o.WScale, o.HasWScale = uint8(ws), true
	}
	return o, flows.SegInfo{Window: window}
}

// TestJA4T: FoxIO's published JA4T examples (the ja4tscan README: Windows
// 10, Windows 2003 without window scaling, Amazon Linux 2), a layout padded
// with End of Option List (which JA4T stops at, unlike synfin's layout), no
// options at all, and a real Linux 6.18 SYN from the lab.
func TestJA4T(t *testing.T) {
	for _, c := range []struct {
		name string
		o    flows.Options
		seg  flows.SegInfo
		want string
	}{
		{"Windows 10", fst(opts(64240, 1460, 8, 2, 1, 3, 1, 1, 4)), snd(opts(64240, 1460, 8, 2, 1, 3, 1, 1, 4)), "64240_2-1-3-1-1-4_1460_8"},
		{"Windows 2003", fst(opts(16384, 1460, -1, 2, 1, 3, 1, 1, 8, 1, 1, 4)), snd(opts(16384, 1460, -1, 2, 1, 3, 1, 1, 8, 1, 1, 4)), "16384_2-1-3-1-1-8-1-1-4_1460_00"},
		{"Amazon Linux 2", fst(opts(62727, 8961, 7, 2, 4, 8, 1, 3)), snd(opts(62727, 8961, 7, 2, 4, 8, 1, 3)), "62727_2-4-8-1-3_8961_7"},
		{"EOL padding", fst(opts(1024, 536, -1, 2, 1, 0, 0)), snd(opts(1024, 536, -1, 2, 1, 0, 0)), "1024_2-1_536_00"},
		{"no options", fst(opts(512, -1, -1)), snd(opts(512, -1, -1)), "512_00_00_00"},
	} {
		if got := JA4T(&c.o, &c.seg); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	conns := connsOf(t, "../testdata/lab/01_plain_client_close.pcap")
	z := Analyzer{JA4T: true}
	r := z.Analyze("01", conns[0])
	if r.Handshake.JA4T == nil || *r.Handshake.JA4T != "64240_2-4-8-1-3_1460_10" || r.Handshake.JA4TS == nil || *r.Handshake.JA4TS != "65160_2-4-8-1-3_1460_10" {
		t.Errorf("lab 01: ja4t %v, ja4ts %v", str(r.Handshake.JA4T), str(r.Handshake.JA4TS))
	}
	if r := Analyze("01", conns[0]); r.Handshake.JA4T != nil {
		t.Error("JA4T computed without being asked")
	}
}

func fst(o flows.Options, _ flows.SegInfo) flows.Options { return o }
func snd(_ flows.Options, s flows.SegInfo) flows.SegInfo { return s }

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}
