package analyze

// Dist is the count, minimum, mean and maximum of a set of values; all are
// null (nil) when the set is empty.
type Dist struct {
	N    int      `json:"n"`
	Min  *float64 `json:"min"`
	Mean *float64 `json:"mean"`
	Max  *float64 `json:"max"`
	sum  float64
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
	Connections  int            `json:"connections"`
	States       map[string]int `json:"states"`
	Handshakes   map[string]int `json:"handshakes"`
	Teardowns    map[string]int `json:"teardowns"`
	SynAndFin    int            `json:"syn_and_fin"`  // SYN and FIN both seen ("complete" in course terms)
	Reset        int            `json:"reset"`        // any RST seen
	OpenAtEnd    int            `json:"open_at_end"`  // neither FIN both ways nor RST
	BegunBefore  int            `json:"begun_before"` // no SYN seen: began before the capture
	DurationMS   Dist           `json:"duration_ms"`  // first to last packet
	HandshakeRTT Dist           `json:"handshake_rtt_ms"`
	DataRTT      Dist           `json:"data_rtt_ms"` // each connection's mean data-phase sample
	Packets      Dist           `json:"packets"`     // packets per connection, both ways
	Window       Dist           `json:"window"`      // raw advertised window, per connection max
}

// NewSummary returns an empty summary to Add records to.
func NewSummary() Summary {
	return Summary{States: map[string]int{}, Handshakes: map[string]int{}, Teardowns: map[string]int{}}
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
func (s *Summary) Add(r *Record) {
	{
		s.Connections++
		s.States[r.State]++
		s.Handshakes[r.Handshake.Status]++
		s.Teardowns[r.Teardown.Kind]++
		fins := r.Teardown.FinCountClient + r.Teardown.FinCountServer
		if r.Handshake.SynCount > 0 && fins > 0 {
			s.SynAndFin++
		}
		if r.Teardown.RstTS != nil {
			s.Reset++
		}
		if r.Teardown.RstTS == nil && (r.Teardown.Fin1TS == nil || r.Teardown.Fin2TS == nil) {
			s.OpenAtEnd++
		}
		if r.Handshake.SynCount == 0 {
			s.BegunBefore++
		}
		s.DurationMS.add(r.DurationMS)
		if r.Handshake.RTTms != nil {
			s.HandshakeRTT.add(*r.Handshake.RTTms)
		}
		if r.Stats.RTTMeanMS != nil {
			s.DataRTT.add(*r.Stats.RTTMeanMS)
		}
		s.Packets.add(float64(r.Stats.ClientPkts + r.Stats.ServerPkts))
		if r.Stats.WindowMax != nil {
			s.Window.add(float64(*r.Stats.WindowMax))
		}
	}
}
