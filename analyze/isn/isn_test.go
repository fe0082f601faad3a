package isn

import (
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
)

// gen makes n samples a second apart (plus jitter) from an ISN generator
// (synthetic sequences with known generators).
func gen(n int, next func(i int, ts int64, prev uint32) uint32) []Sample {
	rng := rand.New(rand.NewSource(1))
	var s []Sample
	ts, isn := int64(1e18), uint32(0)
	for i := range n {
		ts += 1e9 + rng.Int63n(5e8)
		isn = next(i, ts, isn)
		s = append(s, Sample{TS: analyze.Time(ts), ISN: isn})
	}
	return s
}

func TestJudgeKnownGenerators(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	cases := []struct {
		name    string
		samples []Sample
		want    string
	}{
		{"RFC 6528 hash per tuple: random", gen(50, func(int, int64, uint32) uint32 { return rng.Uint32() }), Random},
		{"RFC 793 4 µs clock", gen(50, func(_ int, ts int64, _ uint32) uint32 { return uint32(ts / 4000) }), TimeBased},
		{"Linux ns/64 clock, wrapping", gen(400, func(_ int, ts int64, _ uint32) uint32 { return uint32(ts/64) + 0xfff00000 }), TimeBased},
		{"constant step of 64000", gen(20, func(_ int, _ int64, p uint32) uint32 { return p + 64000 }), ConstantStep},
		{"counter plus random increments", gen(30, func(_ int, _ int64, p uint32) uint32 { return p + 1 + uint32(rng.Intn(1<<20)) }), Increasing},
		{"a fixed ISN", gen(8, func(int, int64, uint32) uint32 { return 12345 }), Reused},
		{"four samples", gen(4, func(int, int64, uint32) uint32 { return rng.Uint32() }), TooFew},
	}
	for _, c := range cases {
		got, rate, step, _ := Judge(c.samples)
		if got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
		switch c.want {
		case TimeBased:
			if c.name == "RFC 793 4 µs clock" && (rate < 240000 || rate > 260000) {
				t.Errorf("%s: rate %.0f, want about 250000/s", c.name, rate)
			}
			if c.name == "Linux ns/64 clock, wrapping" && (rate < 15.5e6 || rate > 15.7e6) {
				t.Errorf("%s: rate %.0f, want about 15,625,000/s", c.name, rate)
			}
		case ConstantStep:
			if step != 64000 {
				t.Errorf("%s: step %d", c.name, step)
			}
		}
	}
}

func labRecords(t *testing.T, name string) []analyze.Record {
	t.Helper()
	path := filepath.Join("../../testdata/lab", name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := capture.Open(path, f)
	if err != nil {
		t.Fatal(err)
	}
	var recs []analyze.Record
	tab := flows.NewTable(func(x *flows.Conn) { recs = append(recs, analyze.Analyze(path, x)) })
	dec := flows.NewDecoder()
	var p capture.Packet
	var s flows.Segment
	for c.Next(&p) == nil {
		if dec.Decode(&p, &s) == nil {
			tab.Observe(&s)
		}
	}
	tab.Flush()
	return recs
}

func find(t *testing.T, r Report, role, scope string) Group {
	t.Helper()
	for _, g := range r.Groups {
		if g.Role == role && g.Scope == scope {
			return g
		}
	}
	t.Fatalf("no %s %s group in %+v", role, scope, r.Groups)
	return Group{}
}

// TestLabISNs: real Linux 6.18 stacks. Two hundred connections from one
// client to one server port use 200 source ports, so the keyed hash of
// RFC 6528 makes both sides' ISNs random; five connections reusing one
// 4-tuple show the clock under the hash on the client (ns/64, 15.6 M/s),
// and on the server the TIME-WAIT rule that starts the new connection a
// fixed distance past the old one's last sequence number.
func TestLabISNs(t *testing.T) {
	load := Analyze(labRecords(t, "14_load_200.pcap"))
	for _, role := range []string{"client", "server"} {
		if g := find(t, load, role, "host"); g.Verdict != Random || len(g.Samples) != 200 {
			t.Errorf("load, %s: %s from %d samples, want random from 200", role, g.Verdict, len(g.Samples))
		}
	}
	reuse := Analyze(labRecords(t, "03_port_reuse.pcap"))
	if g := find(t, reuse, "client", "tuple"); g.Verdict != TimeBased || g.Rate < 14e6 || g.Rate > 17e6 {
		t.Errorf("port reuse, client: %s at %.0f/s, want time_based near 15.6 M/s", g.Verdict, g.Rate)
	}
	if g := find(t, reuse, "server", "tuple"); g.Verdict != ConstantStep {
		t.Errorf("port reuse, server: %s (deltas %v), want constant_step", g.Verdict, g.Deltas)
	}
}
