package analyze

import (
	"reflect"
	"slices"
	"testing"

	"github.com/synfin/synfin/flows"
)

// TestOptionNotesOnRealCaptures: lab captures of Linux 6.18 asking for and
// getting ECN and TCP Fast Open, and public captures of an AccECN
// handshake, MPTCP and a TFO SYN whose data the server ignored.
func TestOptionNotesOnRealCaptures(t *testing.T) {
	for _, c := range []struct {
		path string
		conn int
		want []Note
	}{
		{"../testdata/lab/01_plain_client_close.pcap", 0, []Note{}},
		{"../testdata/lab/09_ecn.pcap", 0, []Note{NoteECNRequested, NoteECNNegotiated}},
		{"../testdata/lab/10_tfo.pcap", 0, []Note{NoteTFORequest}},
		{"../testdata/lab/10_tfo.pcap", 1, []Note{NoteTFOCookie, NoteTFODataAccepted}},
		{"../testdata/options/accecn_handshake.pcap", 0, []Note{NoteAccECNRequested, NoteAccECNNegotiated}},
		{"../testdata/options/tfo-syn-data-ignored.pcap", 0, nil}, // checked below: data ignored
		{"../testdata/options/mptcp-v0.pcap", 0, nil},             // checked below: MP_CAPABLE
	} {
		conns := connsOf(t, c.path)
		if c.conn >= len(conns) {
			t.Fatalf("%s: %d connections", c.path, len(conns))
		}
		r := Analyze(c.path, conns[c.conn])
		got := r.Handshake.OptionNotes
		switch {
		case c.want != nil && !reflect.DeepEqual(got, c.want):
			t.Errorf("%s conn %d: notes %q, want %q", c.path, c.conn, got, c.want)
		case c.want == nil && c.path == "../testdata/options/tfo-syn-data-ignored.pcap" && !slices.Contains(got, NoteTFODataIgnored):
			t.Errorf("%s: notes %q, want tfo_data_ignored", c.path, got)
		case c.want == nil && c.path == "../testdata/options/mptcp-v0.pcap" && !slices.Contains(got, NoteMPTCPCapable):
			t.Errorf("%s: notes %q, want mptcp_capable", c.path, got)
		}
	}
}

// TestOptionNoteAnomalies: the anomalies real captures rarely show, on a
// real connection altered after the fact (synthetic, for these corners).
func TestOptionNoteAnomalies(t *testing.T) {
	base := connsOf(t, "../testdata/lab/01_plain_client_close.pcap")[0]
	cases := []struct {
		name  string
		alter func(c *flows.Conn)
		want  Note
	}{
		{"window scale 15", func(c *flows.Conn) { c.HS.SYNOpts.WScale = 15 }, NoteWScaleOver14},
		{"no MSS", func(c *flows.Conn) { c.HS.SYNOpts.HasMSS = false }, NoteMSSMissing},
		{"MSS 100", func(c *flows.Conn) { c.HS.SYNACKOpts.MSS = 100 }, NoteMSSBelow536},
		{"MSS later", func(c *flows.Conn) { c.LateSYNOptions = true }, NoteSYNOptionLater},
		{"SACK unpermitted", func(c *flows.Conn) { c.SACKBlocks = true; c.HS.SYNACKOpts.SACKPerm = false }, NoteSACKUnpermitted},
		{"echo mismatch", func(c *flows.Conn) { c.HS.SYNACKOpts.TSEcr++ }, NoteTSEchoMismatch},
		{"malformed", func(c *flows.Conn) { c.HS.SYNOpts.Malformed = flows.OptTSLength }, NoteMalformed},
	}
	for _, tc := range cases {
		c := new(flows.Conn)
		base.CopyTo(c)
		tc.alter(c)
		got := Analyze("x", c).Handshake.OptionNotes
		if !slices.Contains(got, tc.want) || !tc.want.Anomaly() {
			t.Errorf("%s: notes %q, want %s as an anomaly", tc.name, got, tc.want)
		}
	}
}

// TestDataRTTFromTimestamps: with timestamps, every new data segment's
// TSval is timed to the ACK of new data that echoes it (RFC 7323 §4), so a
// bulk transfer gives many samples where one-segment-at-a-time timing gave
// one; across a loss the sample is dropped (Karn), so the lab's lossy
// transfer, 20 ms each way, never reports the recovery as a round trip.
func TestDataRTTFromTimestamps(t *testing.T) {
	zw := Analyze("23", connsOf(t, "../testdata/lab/23_zero_window.pcap")[0]).Stats
	if zw.RTTSamples < 20 || *zw.RTTMinMS < 40 || *zw.RTTMinMS > 41 {
		t.Errorf("zero-window transfer: %d samples, min %.3f ms; want many, min near 40", zw.RTTSamples, *zw.RTTMinMS)
	}
	// The median and p95 come from the samples themselves (nearest rank):
	// within the extremes, ordered, and the median near the 40 ms path
	// while queueing pushes the tail up.
	if zw.RTTMedianMS == nil || zw.RTTP95MS == nil || *zw.RTTMedianMS < *zw.RTTMinMS || *zw.RTTP95MS < *zw.RTTMedianMS || *zw.RTTMaxMS < *zw.RTTP95MS {
		t.Errorf("zero-window transfer: min %v median %v p95 %v max %v", zw.RTTMinMS, zw.RTTMedianMS, zw.RTTP95MS, zw.RTTMaxMS)
	}
	one := Analyze("01", connsOf(t, "../testdata/lab/01_plain_client_close.pcap")[0]).Stats
	if one.RTTSamples != 1 || *one.RTTMedianMS != *one.RTTP95MS || *one.RTTMedianMS < 40 || *one.RTTMedianMS > 41 {
		t.Errorf("one sample: median %v p95 %v", *one.RTTMedianMS, *one.RTTP95MS)
	}
	loss := Analyze("27", connsOf(t, "../testdata/lab/27_bidir_loss.pcap")[0]).Stats
	if loss.RTTSamples == 0 || *loss.RTTMinMS < 40 || *loss.RTTMaxMS > 41 {
		t.Errorf("lossy transfer: %d samples, %.3f..%.3f ms; want all near 40", loss.RTTSamples, *loss.RTTMinMS, *loss.RTTMaxMS)
	}
}

// TestSummaryPoolsRTT: the summary's data-phase RTT is over all samples of
// all connections: n counts samples, the mean weighs each sample once, and
// the median and p95 are those of the pooled samples (nearest rank).
func TestSummaryPoolsRTT(t *testing.T) {
	var recs []Record
	var all []uint32
	var sum float64
	for _, p := range []string{"../testdata/lab/14_load_200.pcap", "../testdata/lab/23_zero_window.pcap"} {
		for _, c := range connsOf(t, p) {
			r := Analyze(p, c)
			recs = append(recs, r)
			all = append(all, r.Stats.RTTSamplesUs...)
			if r.Stats.RTTMeanMS != nil {
				sum += *r.Stats.RTTMeanMS * float64(r.Stats.RTTSamples)
			}
		}
	}
	s := Summarize(recs)
	s.Finish()
	slices.Sort(all)
	d := s.DataRTT
	if d.N != len(all) || d.N != 242 {
		t.Fatalf("n %d, samples %d, want 242", d.N, len(all))
	}
	if want := sum / float64(d.N); *d.Mean < want-1e-9 || *d.Mean > want+1e-9 {
		t.Errorf("mean %v, pooled %v", *d.Mean, want)
	}
	if *d.Median != float64(Quantile(all, 0.5))/1e3 || *d.P95 != float64(Quantile(all, 0.95))/1e3 {
		t.Errorf("median %v p95 %v", *d.Median, *d.P95)
	}
}
