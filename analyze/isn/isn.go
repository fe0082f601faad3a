// Package isn judges how hosts choose their initial sequence numbers
// (ISNs) from the connections of a capture: unpredictable as RFC 6528
// asks, driven by a clock, a constant step, or reused.
//
// Each host's ISNs are taken in the order its SYNs were sent, and the
// differences between successive ones (modulo 2^32, as signed 32-bit
// numbers) are what the verdict reads. A generator in the style of RFC
// 6528 adds a keyed hash of the 4-tuple to a clock, so across different
// port pairs its ISNs look random, while on one reused 4-tuple they grow
// with time: the package judges the host, each server port, and each
// 4-tuple seen more than once.
package isn

import (
	"math"
	"sort"

	"github.com/synfin/synfin/analyze"
)

// Verdicts.
const (
	Random       = "random"        // no pattern: unpredictable
	TimeBased    = "time_based"    // grows in step with time (Rate increments/s)
	Increasing   = "increasing"    // always grows, but not in step with time
	ConstantStep = "constant_step" // each is the previous plus Step
	Reused       = "reused"        // the same ISN in several connections
	TooFew       = "too_few"       // fewer than MinSamples
)

// MinSamples is the fewest ISNs a verdict is drawn from.
const MinSamples = 5

// Sample is one ISN and when its SYN was sent.
type Sample struct {
	TS    analyze.Time `json:"ts"`
	ISN   uint32       `json:"isn"`
	File  string       `json:"file"`
	Conn  int          `json:"conn"`
	Tuple string       `json:"tuple"` // "client → server"
}

// Group is the ISNs of one generator: a host (as client or as server), a
// server port, or one 4-tuple.
type Group struct {
	Host    string   `json:"host"`
	Role    string   `json:"role"`  // client or server
	Scope   string   `json:"scope"` // host, port or tuple
	Key     string   `json:"key"`   // the host, host:port, or the tuple
	Samples []Sample `json:"samples"`
	Deltas  []int64  `json:"deltas"` // successive differences, signed 32-bit
	Verdict string   `json:"verdict"`
	Rate    float64  `json:"rate_per_s,omitempty"` // time_based: increments per second
	Step    int64    `json:"step,omitempty"`       // constant_step
	Repeats int      `json:"repeats,omitempty"`    // reused: connections sharing an ISN with an earlier one
}

// RetransmittedSYN is a SYN sent again on the same 4-tuple with a
// different ISN before any answer: the stack started over rather than
// retransmitting (docs/spec.md §2 makes it a new connection).
type RetransmittedSYN struct {
	Tuple        string       `json:"tuple"`
	File         string       `json:"file"`
	Conns        [2]int       `json:"conns"`
	ISNs         [2]uint32    `json:"isns"`
	TS           analyze.Time `json:"ts"`
	AfterSeconds float64      `json:"after_s"`
}

// Report is the ISN analysis of some records.
type Report struct {
	Groups  []Group            `json:"groups"`
	Changed []RetransmittedSYN `json:"syn_retransmissions_with_new_isn"`
}

// Analyze groups the ISNs of records and judges each group.
func Analyze(recs []analyze.Record) Report {
	type key struct{ role, scope, key, host string }
	groups := map[key][]Sample{}
	add := func(k key, s Sample) { groups[k] = append(groups[k], s) }
	byTuple := map[string][]*analyze.Record{}
	for i := range recs {
		r := &recs[i]
		tuple := r.Client + " → " + r.Server
		h := &r.Handshake
		cHost, sHost := hostOf(r.Client), hostOf(r.Server)
		if h.ClientISN != nil && h.SynTS != nil {
			s := Sample{TS: *h.SynTS, ISN: *h.ClientISN, File: r.File, Conn: r.Conn, Tuple: tuple}
			add(key{"client", "host", cHost, cHost}, s)
			add(key{"client", "tuple", tuple, cHost}, s)
			byTuple[r.File+"\x00"+tuple] = append(byTuple[r.File+"\x00"+tuple], r)
		}
		if h.ServerISN != nil && h.SynackTS != nil {
			s := Sample{TS: *h.SynackTS, ISN: *h.ServerISN, File: r.File, Conn: r.Conn, Tuple: tuple}
			add(key{"server", "host", sHost, sHost}, s)
			add(key{"server", "port", r.Server, sHost}, s)
			add(key{"server", "tuple", tuple, sHost}, s)
		}
	}
	var rep Report
	for k, samples := range groups {
		// A host's or port's group with one sample, or a tuple seen once,
		// says nothing a larger group does not.
		if k.scope == "tuple" && len(samples) < 2 || k.scope == "port" && len(samples) < 2 {
			continue
		}
		sort.SliceStable(samples, func(i, j int) bool { return samples[i].TS < samples[j].TS })
		g := Group{Host: k.host, Role: k.role, Scope: k.scope, Key: k.key, Samples: samples}
		g.Deltas = deltas(samples)
		g.Verdict, g.Rate, g.Step, g.Repeats = Judge(samples)
		rep.Groups = append(rep.Groups, g)
	}
	scopeRank := map[string]int{"host": 0, "port": 1, "tuple": 2}
	sort.Slice(rep.Groups, func(i, j int) bool {
		a, b := rep.Groups[i], rep.Groups[j]
		if a.Role != b.Role {
			return a.Role < b.Role
		}
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if a.Scope != b.Scope {
			return scopeRank[a.Scope] < scopeRank[b.Scope]
		}
		return a.Key < b.Key
	})
	rep.Changed = changedISNs(byTuple)
	return rep
}

// changedISNs finds SYNs sent again on a 4-tuple with a new ISN while the
// earlier SYN was still unanswered, within the time a stack keeps
// retrying a SYN (Linux gives up after about 127 s).
func changedISNs(byTuple map[string][]*analyze.Record) []RetransmittedSYN {
	var out []RetransmittedSYN
	for _, rs := range byTuple {
		sort.Slice(rs, func(i, j int) bool { return *rs[i].Handshake.SynTS < *rs[j].Handshake.SynTS })
		for i := 1; i < len(rs); i++ {
			a, b := rs[i-1], rs[i]
			after := float64(*b.Handshake.SynTS-*a.Handshake.SynTS) / 1e9
			if a.Handshake.Status != analyze.HandshakeNoReply || after > 130 || *a.Handshake.ClientISN == *b.Handshake.ClientISN {
				continue
			}
			out = append(out, RetransmittedSYN{Tuple: b.Client + " → " + b.Server, File: b.File,
				Conns: [2]int{a.Conn, b.Conn}, ISNs: [2]uint32{*a.Handshake.ClientISN, *b.Handshake.ClientISN},
				TS: *b.Handshake.SynTS, AfterSeconds: after})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Conns[1] < out[j].Conns[1]
	})
	return out
}

func hostOf(addrPort string) string {
	for i := len(addrPort) - 1; i >= 0; i-- {
		if addrPort[i] == ':' {
			h := addrPort[:i]
			if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
				h = h[1 : len(h)-1]
			}
			return h
		}
	}
	return addrPort
}

func deltas(s []Sample) []int64 {
	d := make([]int64, 0, max(0, len(s)-1))
	for i := 1; i < len(s); i++ {
		d = append(d, int64(int32(s[i].ISN-s[i-1].ISN)))
	}
	return d
}

// Judge says how the ISNs of samples (in time order) were chosen:
//   - reused: ISNs repeat more than chance explains (Repeats counts them);
//   - constant_step: every difference is the same non-zero Step;
//   - time_based: every difference is positive, and the rate (difference
//     over elapsed time) varies by less than a factor of two around its
//     median for at least 80% of them (Rate is that median);
//   - increasing: every difference is positive, the rate varies more;
//   - random: anything else, such as differences of either sign, which
//     is what ISNs unrelated to each other give half the time;
//   - too_few: fewer than MinSamples.
func Judge(samples []Sample) (verdict string, rate float64, step int64, repeats int) {
	if len(samples) < MinSamples {
		return TooFew, 0, 0, 0
	}
	seen := map[uint32]bool{}
	for _, s := range samples {
		if seen[s.ISN] {
			repeats++
		}
		seen[s.ISN] = true
	}
	// Random 32-bit ISNs collide by chance too: n of them share about
	// n²/2³³ values. Only more repeats than three times that (and at
	// least one) say the generator reuses.
	if n := float64(len(samples)); repeats > 0 && float64(repeats) > 3*n*n/(1<<33) {
		return Reused, 0, 0, repeats
	}
	d := deltas(samples)
	constant := true
	for _, x := range d {
		if x != d[0] {
			constant = false
		}
	}
	if constant {
		return ConstantStep, 0, d[0], 0
	}
	var rates []float64
	for i, x := range d {
		if x <= 0 {
			return Random, 0, 0, 0
		}
		if dt := float64(samples[i+1].TS-samples[i].TS) / 1e9; dt > 0 {
			rates = append(rates, float64(x)/dt)
		}
	}
	if len(rates) < MinSamples-1 {
		return Increasing, 0, 0, 0
	}
	sorted := append([]float64(nil), rates...)
	sort.Float64s(sorted)
	med := sorted[len(sorted)/2]
	near := 0
	for _, r := range rates {
		if r >= med/2 && r <= med*2 {
			near++
		}
	}
	if float64(near) >= 0.8*float64(len(rates)) {
		return TimeBased, math.Round(med), 0, 0
	}
	return Increasing, 0, 0, 0
}
