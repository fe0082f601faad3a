package analyze

import (
	"slices"
	"strings"

	"github.com/synfin/synfin/flows"
)

// Dist is the count, minimum, mean and maximum of a set of values; all are
// null (nil) when the set is empty.
type Dist struct {
	N    int      `json:"n"`
	Min  *float64 `json:"min"`
	Mean *float64 `json:"mean"`
	Max  *float64 `json:"max"`
	// Median and P95 (nearest rank) are given for the data-phase RTT,
	// over a uniform sample of at most maxPooled of all samples.
	Median *float64 `json:"median,omitempty"`
	P95    *float64 `json:"p95,omitempty"`
	sum    float64
	pool   []uint32 // µs
	seen   int
}

// maxPooled bounds the samples a summary keeps for its quantiles.
const maxPooled = 1 << 16

// pooled adds samples (µs) to the reservoir behind Median and P95.
func (d *Dist) pooled(samples []uint32) {
	for _, v := range samples {
		d.seen++
		if len(d.pool) < maxPooled {
			d.pool = append(d.pool, v)
		} else if j := flows.ReservoirSlot(uint64(d.seen)); j < maxPooled {
			d.pool[j] = v
		}
	}
}

// finish computes Median and P95 from the reservoir.
func (d *Dist) finish() {
	if len(d.pool) == 0 {
		return
	}
	s := slices.Clone(d.pool)
	slices.Sort(s)
	d.Median, d.P95 = ptr(float64(Quantile(s, 0.5))/1e3), ptr(float64(Quantile(s, 0.95))/1e3)
}

// Finish computes what needs every record first (the data-phase RTT's
// median and p95); call it before printing.
func (s *Summary) Finish() {
	s.DataRTT.finish()
	s.Scanners = s.scanners()
}

// addPooled adds n samples with mean, min and max: the mean stays the
// mean of all samples, however they are split among connections.
func (d *Dist) addPooled(n int, mean, lo, hi float64) {
	if n <= 0 {
		return
	}
	if d.N == 0 {
		d.Min, d.Max, d.Mean = ptr(lo), ptr(hi), ptr(0.0)
	}
	*d.Min, *d.Max = min(*d.Min, lo), max(*d.Max, hi)
	d.N += n
	d.sum += mean * float64(n)
	*d.Mean = d.sum / float64(d.N)
}

func (d *Dist) add(v float64) {
	if d.N == 0 {
		d.Min, d.Max, d.Mean = ptr(v), ptr(v), ptr(0.0)
	}
	*d.Min, *d.Max = min(*d.Min, v), max(*d.Max, v)
	d.N++
	d.sum += v
	*d.Mean = d.sum / float64(d.N)
}

// Summary is counts and distributions over many records (the summary view).
type Summary struct {
	Connections int            `json:"connections"`
	States      map[string]int `json:"states"`
	Handshakes  map[string]int `json:"handshakes"`
	Teardowns   map[string]int `json:"teardowns"`
	SynAndFin   int            `json:"syn_and_fin"` // SYN and FIN both seen ("complete" in course terms)
	Reset       int            `json:"reset"`       // any RST seen
	OpenAtEnd   int            `json:"open_at_end"` // answered, and then neither FIN both ways nor RST
	Unanswered  int            `json:"unanswered"`  // a SYN and nothing back (S0): not open connections
	// Scanners are the hosts whose attempts look like a port scan
	// (IsScanner), most attempts first.
	Scanners     []Scanner `json:"scanners"`
	BegunBefore  int       `json:"begun_before"` // no SYN seen: began before the capture
	DurationMS   Dist      `json:"duration_ms"`  // first to last packet
	HandshakeRTT Dist      `json:"handshake_rtt_ms"`
	DataRTT      Dist      `json:"data_rtt_ms"` // every data-phase sample of every connection, pooled: n counts samples
	Packets      Dist      `json:"packets"`     // packets per connection, both ways
	Window       Dist      `json:"window"`      // advertised window, scaled, per connection the larger side's max (handshake seen)

	hosts map[string]*hostAttempts // per client host, for Scanners
	// Packets of the inputs without TCP, and those of them whose
	// encapsulation could not be decoded to IP, by what they were; set by
	// whoever read the inputs (records do not know them).
	NotTCP     int            `json:"packets_without_tcp"`
	NotDecoded map[string]int `json:"packets_not_decoded"`
}

// NewSummary returns an empty summary to Add records to.
func NewSummary() Summary {
	return Summary{States: map[string]int{}, Handshakes: map[string]int{}, Teardowns: map[string]int{}, hosts: map[string]*hostAttempts{}}
}

// Scanner is a host that tried many ports and got nowhere: SYNs left
// unanswered, refused, or reset before any data, as a port scan looks.
type Scanner struct {
	Host     string `json:"host"`
	Attempts int    `json:"attempts"` // connections that were only a probe
	Conns    int    `json:"connections"`
	Ports    int    `json:"ports"`   // distinct server ports probed (counted up to scanPortsKept)
	Targets  int    `json:"targets"` // distinct server hosts probed (up to scanPortsKept)
}

// A host is a scanner when it made at least scanMin probes to at least
// scanMin distinct ports, and probes are at least 80% of its connections.
// A probe is a connection that carried no payload either way and whose
// handshake went unanswered, was refused or never got its ACK, or that an
// RST ended.
const (
	scanMin       = 20
	scanPortsKept = 4096
)

// hostAttempts is what a summary keeps per client host for IsScanner.
type hostAttempts struct {
	conns, probes int
	ports         map[uint16]struct{}
	targets       map[string]struct{}
}

func (h *hostAttempts) scanner() bool {
	return h.probes >= scanMin && len(h.ports) >= scanMin && h.probes*5 >= h.conns*4
}

// Summarize counts over records.
func Summarize(recs []Record) Summary {
	s := NewSummary()
	for i := range recs {
		s.Add(&recs[i])
	}
	return s
}

// Add counts one record, so that a summary of millions of connections
// needs none of them kept.
func (s *Summary) Add(r *Record) { s.AddItem(ItemOf(r)) }

// SummaryItem is what a summary takes from one record: a few dozen bytes
// to hold where the record is a kilobyte and more, for summaries whose
// records arrive out of order (several files at once) and must be added
// in order so that sums come out bit for bit the same.
type SummaryItem struct {
	State, Handshake, Teardown                       string
	SynAndFin, Reset, OpenAtEnd, BegunBefore         bool
	Unanswered, Probe                                bool
	ClientHost, ServerHost                           string
	ServerPort                                       uint16
	HasHandshakeRTT, HasDataRTT, HasWindow           bool
	Duration, HandshakeRTT, DataRTT, Packets, Window float64
	DataRTTMin, DataRTTMax                           float64
	DataRTTSamples                                   int
	DataRTTKept                                      []uint32 // µs
}

// ItemOf takes from r what a summary counts.
func ItemOf(r *Record) SummaryItem {
	it := SummaryItem{
		State: string(r.State), Handshake: string(r.Handshake.Status), Teardown: string(r.Teardown.Kind),
		SynAndFin: r.Handshake.SynCount > 0 && r.Teardown.FinCountClient+r.Teardown.FinCountServer > 0,
		Reset:     r.Teardown.RstTS != nil,
		OpenAtEnd: r.Teardown.RstTS == nil && (r.Teardown.Fin1TS == nil || r.Teardown.Fin2TS == nil) &&
			r.Handshake.Status != HandshakeNoReply,
		Unanswered:  r.Handshake.Status == HandshakeNoReply,
		BegunBefore: r.Handshake.SynCount == 0,
		Duration:    r.DurationMS,
		Packets:     float64(r.Stats.ClientPkts + r.Stats.ServerPkts),
	}
	if p := r.Handshake.RTTms; p != nil {
		it.HandshakeRTT, it.HasHandshakeRTT = *p, true
	}
	if c, sv, ok := r.endpoints(); ok {
		it.ClientHost, it.ServerHost, it.ServerPort = c.Addr().String(), sv.Addr().String(), sv.Port()
		switch r.Handshake.Status {
		case HandshakeNoReply, HandshakeRejected, HandshakeNoAck:
			it.Probe = true
		default:
			it.Probe = r.Teardown.Kind == TeardownReset
		}
		it.Probe = it.Probe && r.Stats.ClientBytes == 0 && r.Stats.ServerBytes == 0
	}
	if p := r.Stats.RTTMeanMS; p != nil && r.Stats.RTTMinMS != nil && r.Stats.RTTMaxMS != nil {
		it.DataRTT, it.HasDataRTT = *p, true
		it.DataRTTMin, it.DataRTTMax, it.DataRTTSamples = *r.Stats.RTTMinMS, *r.Stats.RTTMaxMS, r.Stats.RTTSamples
		it.DataRTTKept = spread(r.Stats.RTTSamplesUs, maxItemSamples)
	}
	for _, p := range []*int64{r.Stats.Client.WindowMax, r.Stats.Server.WindowMax} {
		if p != nil && (!it.HasWindow || float64(*p) > it.Window) {
			it.Window, it.HasWindow = float64(*p), true
		}
	}
	return it
}

// maxItemSamples bounds the RTT samples a summary takes from one
// connection (evenly spaced over its sorted samples), so that a summary
// item stays small; the capture-wide median and p95 are over these.
const maxItemSamples = 64

// spread returns up to n of the sorted values v, evenly spaced.
func spread(v []uint32, n int) []uint32 {
	if len(v) <= n {
		return slices.Clone(v)
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = v[i*len(v)/n]
	}
	return out
}

// AddItem counts one record's item.
func (s *Summary) AddItem(it SummaryItem) {
	s.Connections++
	s.States[it.State]++
	s.Handshakes[it.Handshake]++
	s.Teardowns[it.Teardown]++
	for _, c := range []struct {
		on bool
		n  *int
	}{{it.SynAndFin, &s.SynAndFin}, {it.Reset, &s.Reset}, {it.OpenAtEnd, &s.OpenAtEnd}, {it.BegunBefore, &s.BegunBefore}, {it.Unanswered, &s.Unanswered}} {
		if c.on {
			*c.n++
		}
	}
	s.DurationMS.add(it.Duration)
	if it.HasHandshakeRTT {
		s.HandshakeRTT.add(it.HandshakeRTT)
	}
	if it.HasDataRTT {
		s.DataRTT.addPooled(it.DataRTTSamples, it.DataRTT, it.DataRTTMin, it.DataRTTMax)
		s.DataRTT.pooled(it.DataRTTKept)
	}
	s.Packets.add(it.Packets)
	if it.HasWindow {
		s.Window.add(it.Window)
	}
	s.addAttempt(&it)
}

// addAttempt counts a connection of its client host, for IsScanner.
func (s *Summary) addAttempt(it *SummaryItem) {
	if it.ClientHost == "" {
		return
	}
	if s.hosts == nil {
		s.hosts = map[string]*hostAttempts{}
	}
	h := s.hosts[it.ClientHost]
	if h == nil {
		h = &hostAttempts{}
		s.hosts[it.ClientHost] = h
	}
	h.conns++
	if !it.Probe {
		return
	}
	h.probes++
	if h.ports == nil {
		h.ports, h.targets = map[uint16]struct{}{}, map[string]struct{}{}
	}
	if len(h.ports) < scanPortsKept {
		h.ports[it.ServerPort] = struct{}{}
	}
	if len(h.targets) < scanPortsKept {
		h.targets[it.ServerHost] = struct{}{}
	}
}

// scanners lists the hosts that look like port scanners, most probes
// first.
func (s *Summary) scanners() []Scanner {
	var out []Scanner
	for host, h := range s.hosts {
		if h.scanner() {
			out = append(out, Scanner{Host: host, Attempts: h.probes, Conns: h.conns, Ports: len(h.ports), Targets: len(h.targets)})
		}
	}
	slices.SortFunc(out, func(a, b Scanner) int {
		if a.Attempts != b.Attempts {
			return b.Attempts - a.Attempts
		}
		return strings.Compare(a.Host, b.Host)
	})
	return out
}
