package analyze_test

import (
	"encoding/json"
	"math/rand"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
)

// labRecords returns the records of every lab capture twice over: as
// Analyze makes them and as an Analyzer makes them, kept with Clone (what
// cmd/synfin filters).
func labRecords(t testing.TB) []analyze.Record {
	t.Helper()
	paths, _ := filepath.Glob("../testdata/lab/*.pcap")
	if len(paths) == 0 {
		t.Fatal("no lab captures")
	}
	var recs []analyze.Record
	var z analyze.Analyzer
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		c, err := capture.Open(p, f)
		if err != nil {
			t.Fatal(err)
		}
		tab := flows.NewTable(func(c *flows.Conn) {
			recs = append(recs, analyze.Analyze(p, c), z.Analyze(p, c).Clone())
		})
		dec := flows.NewDecoder()
		var pkt capture.Packet
		var seg flows.Segment
		for c.Next(&pkt) == nil {
			if dec.Decode(&pkt, &seg) == nil {
				tab.Observe(&seg)
			}
		}
		tab.Flush()
		f.Close()
	}
	return recs
}

// reference is Filter.Match written out plainly: it parses the record's
// Client and Server every time.
func reference(f *analyze.Filter, r *analyze.Record) bool {
	if len(f.Conns) > 0 && !slices.Contains(f.Conns, r.Conn) {
		return false
	}
	if len(f.States) > 0 {
		found := false
		for _, s := range f.States {
			if strings.EqualFold(s, string(r.State)) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	c, _ := netip.ParseAddrPort(r.Client)
	s, _ := netip.ParseAddrPort(r.Server)
	if len(f.Ports) > 0 {
		found := false
		for _, p := range f.Ports {
			if int(c.Port()) == p || int(s.Port()) == p {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	if len(f.Hosts) > 0 {
		found := false
		for _, h := range f.Hosts {
			if c.Addr() == h || s.Addr() == h {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// TestFilterMatch: Match agrees with the plain re-implementation on every
// record of the lab captures (IPv4 and IPv6), for filters on each value
// the records hold, on values they do not, and on random combinations;
// and on the same records decoded from their JSON, which carry no parsed
// addresses.
func TestFilterMatch(t *testing.T) {
	recs := labRecords(t)
	var conns, ports []int
	var states []string
	var hosts []netip.Addr
	add := func(ap netip.AddrPort) {
		if !slices.Contains(ports, int(ap.Port())) {
			ports = append(ports, int(ap.Port()))
		}
		if !slices.Contains(hosts, ap.Addr()) {
			hosts = append(hosts, ap.Addr())
		}
	}
	v6 := 0
	for i := range recs {
		r := &recs[i]
		if !slices.Contains(conns, r.Conn) {
			conns = append(conns, r.Conn)
		}
		if !slices.Contains(states, string(r.State)) {
			states = append(states, string(r.State))
		}
		c, s := netip.MustParseAddrPort(r.Client), netip.MustParseAddrPort(r.Server)
		add(c)
		add(s)
		if c.Addr().Is6() {
			v6++
		}
	}
	if v6 == 0 {
		t.Fatal("no IPv6 connection in the lab captures")
	}
	// Values no record holds, or holds in another form.
	conns = append(conns, -1, 1<<20)
	ports = append(ports, 0, 1, 65535)
	for _, h := range slices.Clone(hosts) {
		if h.Is4() {
			hosts = append(hosts, netip.AddrFrom16(h.As16())) // IPv4-mapped: not the same address
		}
	}
	hosts = append(hosts, netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1"), netip.Addr{})
	for _, s := range slices.Clone(states) {
		states = append(states, strings.ToLower(s))
	}
	states = append(states, "", "S", "NOPE")

	var filters []analyze.Filter
	filters = append(filters, analyze.Filter{})
	for _, c := range conns {
		filters = append(filters, analyze.Filter{Conns: []int{c}})
	}
	for _, s := range states {
		filters = append(filters, analyze.Filter{States: []string{s}})
	}
	for _, p := range ports {
		filters = append(filters, analyze.Filter{Ports: []int{p}})
	}
	for _, h := range hosts {
		filters = append(filters, analyze.Filter{Hosts: []netip.Addr{h}})
	}
	rng := rand.New(rand.NewSource(1))
	pick := func(n int) []int {
		var out []int
		for k := rng.Intn(3); k > 0; k-- {
			out = append(out, rng.Intn(n))
		}
		return out
	}
	for range 2000 {
		var f analyze.Filter
		for _, i := range pick(len(conns)) {
			f.Conns = append(f.Conns, conns[i])
		}
		for _, i := range pick(len(states)) {
			f.States = append(f.States, states[i])
		}
		for _, i := range pick(len(ports)) {
			f.Ports = append(f.Ports, ports[i])
		}
		for _, i := range pick(len(hosts)) {
			f.Hosts = append(f.Hosts, hosts[i])
		}
		filters = append(filters, f)
	}

	// The same records as a program reading synfin's JSON Lines has them.
	decoded := make([]analyze.Record, len(recs))
	for i := range recs {
		if err := json.Unmarshal(recs[i].AppendJSON(nil), &decoded[i]); err != nil {
			t.Fatal(err)
		}
	}

	some, v6Hits := 0, 0
	for i := range filters {
		f := &filters[i]
		n := 0
		for j := range recs {
			r := &recs[j]
			want := reference(f, r)
			if got := f.Match(r); got != want {
				t.Fatalf("%+v on %s conn %d (%s → %s): Match %v, want %v", *f, r.File, r.Conn, r.Client, r.Server, got, want)
			}
			if got := f.Match(&decoded[j]); got != want {
				t.Fatalf("%+v on %s conn %d decoded from JSON: Match %v, want %v", *f, r.File, r.Conn, got, want)
			}
			if want {
				n++
				if len(f.Hosts) > 0 && strings.HasPrefix(r.Client, "[") {
					v6Hits++
				}
			}
		}
		if n > 0 && n < len(recs) {
			some++
		}
	}
	if some < len(filters)/4 {
		t.Errorf("only %d of %d filters select some records and not others", some, len(filters))
	}
	if v6Hits == 0 {
		t.Error("no host filter selected an IPv6 connection")
	}
}

// TestFilterUnparsable: a record not made by Analyze whose addresses do
// not parse counts as port 0 and the zero address at both ends.
func TestFilterUnparsable(t *testing.T) {
	r := &analyze.Record{Conn: 4, State: analyze.StateSF, Client: "nowhere", Server: "10.0.0.2"}
	for _, c := range []struct {
		f    analyze.Filter
		want bool
	}{
		{analyze.Filter{}, true},
		{analyze.Filter{Conns: []int{4}, States: []string{"sf"}}, true},
		{analyze.Filter{Ports: []int{0}}, true},
		{analyze.Filter{Ports: []int{80}}, false},
		{analyze.Filter{Hosts: []netip.Addr{netip.MustParseAddr("10.0.0.2")}}, false},
		{analyze.Filter{Hosts: []netip.Addr{{}}}, true},
	} {
		if got := c.f.Match(r); got != c.want || got != reference(&c.f, r) {
			t.Errorf("%+v: Match %v, want %v", c.f, got, c.want)
		}
	}
}

// BenchmarkFilterMatch filters the lab records by port and host, the
// filters that need the addresses.
func BenchmarkFilterMatch(b *testing.B) {
	recs := labRecords(b)
	f := analyze.Filter{Ports: []int{5001}, Hosts: []netip.Addr{netip.MustParseAddr("10.77.0.2"), netip.MustParseAddr("fd00:ca:fe::2")}}
	b.ReportAllocs()
	for b.Loop() {
		for i := range recs {
			f.Match(&recs[i])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
}
