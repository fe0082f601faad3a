package pipeline_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/synfin/synfin/internal/corpus"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/pipeline"
)

// The lab captures are real Linux TCP made by shared/tools/caplab with
// known one-way delays and drops; each .truth.json says what the capture
// must show. These tests check synfin against that ground truth, on the
// client-side and the server-side capture of every scenario.

type labTruth struct {
	Scenario string `json:"scenario"`
	Injected struct {
		RTT float64 `json:"expected_rtt_ms"` // c2s + s2c delay
	} `json:"injected"`
	Connections []struct {
		Client   string   `json:"client"`
		Server   string   `json:"server"`
		Expected labConnT `json:"expected"`
	} `json:"connections"`
	Files struct {
		Client string `json:"client_pcap"`
		Server string `json:"server_pcap"`
	} `json:"files"`
}

type labConnT struct {
	ClientPayload        int64     `json:"client_payload_bytes"`
	ServerPayload        int64     `json:"server_payload_bytes"`
	DataSent             bool      `json:"data_sent"`
	End                  string    `json:"end"`
	EndServerSide        *string   `json:"end_server_side"`
	HandshakeRTT         *float64  `json:"handshake_rtt_ms"`
	HandshakeRTTBounds   []float64 `json:"handshake_rtt_ms_bounds"`
	ClientSynSynack      *float64  `json:"client_side_syn_to_synack_ms"`
	ClientSynackAck      *float64  `json:"client_side_synack_to_ack_ms"`
	ServerSynSynack      *float64  `json:"server_side_syn_to_synack_ms"`
	ServerSynackAck      *float64  `json:"server_side_synack_to_ack_ms"`
	SynTxClient          int       `json:"syn_transmissions_client_side"`
	SynTxServer          int       `json:"syn_transmissions_server_side"`
	SynOptions           []string  `json:"syn_options"`
	SynackOptions        []string  `json:"synack_options"`
	SynMSS               *int      `json:"syn_mss"`
	SynackMSS            *int      `json:"synack_mss"`
	SynECECWR            bool      `json:"syn_ece_cwr"`
	SynackECE            bool      `json:"synack_ece"`
	ECN                  bool      `json:"ecn_negotiated"`
	RstRTT               *float64  `json:"rst_rtt_ms"`
	ZeroWindow           *int      `json:"zero_window_advertisements"`
	KeepaliveMin         *int      `json:"keepalive_probes_min"`
	AfterFin             *int64    `json:"server_payload_after_client_fin_bytes"`
	SimultaneousOpen     bool      `json:"simultaneous_open"`
	HandshakeInCapture   *bool     `json:"handshake_in_capture"`
	ClientSegmentsServer *int      `json:"client_segments_at_server"`
}

// labTolerance is how far a measured handshake leg may be from the injected
// delay: the relay and the stacks add well under a millisecond, and the
// issue asks for 2 ms.
const labTolerance = 2.0

func labDirs() []string {
	dirs := []string{filepath.Join("..", "..", "testdata", "lab")}
	if c := corpusDir(); c != "" {
		dirs = []string{filepath.Join(c, "lab")}
	}
	return dirs
}

// readRecords is a capture's records in connection order.
func readRecords(t *testing.T, path string) []analyze.Record {
	t.Helper()
	recs, _, err := pipeline.ReadFile(path, pipeline.Options{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	slices.SortStableFunc(recs, func(a, b analyze.Record) int { return a.Conn - b.Conn })
	return recs
}

func TestLabGroundTruth(t *testing.T) {
	for _, dir := range labDirs() {
		truths, _ := filepath.Glob(filepath.Join(dir, "*.truth.json"))
		if len(truths) == 0 {
			t.Fatalf("no lab captures in %s", dir)
		}
		for _, tf := range truths {
			var truth labTruth
			b, err := os.ReadFile(tf)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &truth); err != nil {
				t.Fatalf("%s: %v", tf, err)
			}
			for _, side := range []string{"client", "server"} {
				name := truth.Files.Client
				if side == "server" {
					name = truth.Files.Server
				}
				if name == "" {
					continue
				}
				t.Run(truth.Scenario+"/"+side, func(t *testing.T) {
					checkLab(t, &truth, side, readRecords(t, filepath.Join(dir, name)))
				})
			}
		}
	}
}

func near(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: got null, want %.3f ms", what, want)
		return
	}
	if math.Abs(*got-want) > labTolerance {
		t.Errorf("%s: got %.3f ms, want %.3f ± %.0f ms", what, *got, want, labTolerance)
	}
}

func checkLab(t *testing.T, truth *labTruth, side string, recs []analyze.Record) {
	// Match truth connections to records in order, per client endpoint
	// (port reuse puts several connections on one endpoint pair).
	used := make([]bool, len(recs))
	for i, tc := range truth.Connections {
		var r *analyze.Record
		for j := range recs {
			same := recs[j].Client == tc.Client && recs[j].Server == tc.Server
			if e := tc.Expected; e.SimultaneousOpen {
				// Both sent a SYN: the client is whoever's SYN this
				// capture point saw first.
				same = same || recs[j].Client == tc.Server && recs[j].Server == tc.Client
			}
			if !used[j] && same {
				used[j], r = true, &recs[j]
				break
			}
		}
		e := tc.Expected
		if r != nil && r.Client != tc.Client {
			// Simultaneous open seen from the server: its SYN came first
			// here, so docs/spec.md §2 makes it the client. Swap the truth's sides.
			e.ClientPayload, e.ServerPayload = e.ServerPayload, e.ClientPayload
			e.End = map[string]string{"client_fin_first": "server_fin_first", "server_fin_first": "client_fin_first"}[e.End]
		}
		label := fmt.Sprintf("conn %d (%s→%s)", i, tc.Client, tc.Server)
		if r == nil {
			if side == "server" && e.ClientSegmentsServer != nil && *e.ClientSegmentsServer == 0 {
				continue
			}
			t.Errorf("%s: no record; synfin saw %d connections", label, len(recs))
			continue
		}
		hs := &r.Handshake
		// SYN transmissions as seen at this capture point.
		wantSyn := e.SynTxClient
		if side == "server" {
			wantSyn = e.SynTxServer
		}
		if hs.SynCount != wantSyn {
			t.Errorf("%s: syn_count %d, want %d", label, hs.SynCount, wantSyn)
		}
		// Handshake legs and RTT.
		leg1, leg2 := e.ClientSynSynack, e.ClientSynackAck
		if side == "server" {
			leg1, leg2 = e.ServerSynSynack, e.ServerSynackAck
		}
		if leg1 != nil {
			near(t, label+" syn_synack_ms", hs.SynSynackMS, *leg1)
		}
		if leg2 != nil {
			near(t, label+" synack_ack_ms", hs.SynackAckMS, *leg2)
		}
		if e.HandshakeRTT != nil && hs.Status == analyze.HandshakeComplete {
			near(t, label+" rtt_ms", hs.RTTms, *e.HandshakeRTT)
		}
		if hs.Status == analyze.HandshakeComplete {
			checkRound(t, label, side, hs, truth.Injected.RTT)
		}
		if b := e.HandshakeRTTBounds; len(b) == 2 && side == "client" {
			if hs.SynSynackMS == nil || *hs.SynSynackMS < b[0]-labTolerance || *hs.SynSynackMS > b[1]+labTolerance {
				t.Errorf("%s: syn_synack_ms %v outside the truth bounds %v", label, fmtp(hs.SynSynackMS), b)
			}
		}
		if leg1 != nil && leg2 != nil {
			want := analyze.PointClient
			if side == "server" {
				want = analyze.PointServer
			}
			if hs.CapturePoint == nil || *hs.CapturePoint != want {
				t.Errorf("%s: capture_point %v, want %s", label, strp((*string)(hs.CapturePoint)), want)
			}
		}
		// Options offered.
		inCapture := e.HandshakeInCapture == nil || *e.HandshakeInCapture
		switch {
		case !inCapture:
			if hs.SynOptions != nil || hs.SynackOptions != nil {
				t.Errorf("%s: options recorded for a handshake not in the capture", label)
			}
		case hs.Status == analyze.HandshakeRejected || hs.Status == analyze.HandshakeNoReply || e.End == "refused":
			checkOptions(t, label+" SYN", hs.SynOptions, e.SynOptions, e.SynMSS)
		default:
			checkOptions(t, label+" SYN", hs.SynOptions, e.SynOptions, e.SynMSS)
			checkOptions(t, label+" SYN-ACK", hs.SynackOptions, e.SynackOptions, e.SynackMSS)
		}
		if hs.SynOptions != nil && (hs.SynOptions.ECE && hs.SynOptions.CWR) != e.SynECECWR {
			t.Errorf("%s: SYN ECE+CWR %v, want %v", label, hs.SynOptions.ECE && hs.SynOptions.CWR, e.SynECECWR)
		}
		if hs.Negotiated != nil && hs.Negotiated.ECN != e.ECN {
			t.Errorf("%s: negotiated ECN %v, want %v", label, hs.Negotiated.ECN, e.ECN)
		}
		// Payload: unique bytes (retransmissions counted once).
		if e.DataSent && inCapture {
			if got := r.Stats.ClientUnique; got != e.ClientPayload {
				t.Errorf("%s: client unique payload %d, want %d", label, got, e.ClientPayload)
			}
			if got := r.Stats.ServerUnique; got != e.ServerPayload {
				t.Errorf("%s: server unique payload %d, want %d", label, got, e.ServerPayload)
			}
			if r.Stats.ClientRetx+r.Stats.ServerRetx == 0 && r.Stats.OutOfOrder == 0 &&
				(r.Stats.ClientBytes != e.ClientPayload || r.Stats.ServerBytes != e.ServerPayload) {
				t.Errorf("%s: payload %d/%d with no retransmission, want %d/%d", label,
					r.Stats.ClientBytes, r.Stats.ServerBytes, e.ClientPayload, e.ServerPayload)
			}
		}
		checkEnd(t, label, side, r, e)
		if e.ZeroWindow != nil && r.Stats.ServerZeroWin != *e.ZeroWindow {
			t.Errorf("%s: server zero windows %d, want %d", label, r.Stats.ServerZeroWin, *e.ZeroWindow)
		}
		if e.KeepaliveMin != nil && r.Stats.KeepAlives < *e.KeepaliveMin {
			t.Errorf("%s: keepalives %d, want at least %d", label, r.Stats.KeepAlives, *e.KeepaliveMin)
		}
		if e.AfterFin != nil && r.Teardown.DataAfterFin != *e.AfterFin {
			t.Errorf("%s: data_after_fin %d, want %d", label, r.Teardown.DataAfterFin, *e.AfterFin)
		}
		if e.SimultaneousOpen && hs.Status != analyze.HandshakeSimultaneous {
			t.Errorf("%s: handshake %s, want simultaneous", label, hs.Status)
		}
		if !inCapture && hs.Status != analyze.HandshakeNotSeen {
			t.Errorf("%s: handshake %s, want not_seen", label, hs.Status)
		}
		if e.RstRTT != nil {
			near(t, label+" SYN→RST", hs.RejectMS, map[string]float64{"client": *e.RstRTT, "server": 0}[side])
		}
	}
}

func checkEnd(t *testing.T, label, side string, r *analyze.Record, e labConnT) {
	td := &r.Teardown
	end := e.End
	if side == "server" && e.EndServerSide != nil {
		end = *e.EndServerSide
	}
	ok := true
	switch end {
	case "client_fin_first", "server_fin_first":
		closer := strings.TrimSuffix(end, "_fin_first")
		ok = td.Closer == analyze.Closer(closer) && slices.Contains([]analyze.TeardownKind{analyze.TeardownFourWay, analyze.TeardownThreeWay}, td.Kind)
	case "simultaneous_close":
		ok = td.Kind == analyze.TeardownSimultaneous && td.Closer == analyze.CloserBoth
	case "refused":
		ok = r.Handshake.Status == analyze.HandshakeRejected && td.Kind == analyze.TeardownReset && r.State == analyze.StateREJ
	case "rst_by_client":
		ok = td.Kind == analyze.TeardownReset && td.RstBy != nil && *td.RstBy == analyze.CloserClient
		if e.End == "rst_by_client" && r.Teardown.Fin1TS != nil {
			ok = ok && td.Closer == analyze.CloserClient
		}
	case "client_fin_only":
		ok = td.Kind == analyze.TeardownHalfClosed && td.Closer == analyze.CloserClient
	case "open":
		ok = td.Kind == analyze.TeardownOpen
	default:
		t.Errorf("%s: truth end %q not understood by this test", label, end)
	}
	if !ok {
		t.Errorf("%s: end %q, but synfin says kind %s, closer %s, handshake %s, state %s", label, end, td.Kind, td.Closer, r.Handshake.Status, r.State)
	}
}

// checkOptions compares the options present with the truth's list (MSS,
// SACK_PERM, TS, WS, TFO).
func checkOptions(t *testing.T, label string, o *analyze.Options, want []string, mss *int) {
	if o == nil {
		t.Errorf("%s: no options recorded", label)
		return
	}
	var got []string
	if o.MSS != nil {
		got = append(got, "MSS")
	}
	if o.SackPerm {
		got = append(got, "SACK_PERM")
	}
	if o.TSVal != nil {
		got = append(got, "TS")
	}
	if o.WScale != nil {
		got = append(got, "WS")
	}
	if o.TFO != nil {
		got = append(got, "TFO")
	}
	w := slices.Clone(want)
	slices.Sort(w)
	slices.Sort(got)
	if !slices.Equal(got, w) {
		t.Errorf("%s: options %v, want %v", label, got, w)
	}
	if mss != nil && (o.MSS == nil || *o.MSS != *mss) {
		t.Errorf("%s: MSS %s, want %d", label, intp(o.MSS), *mss)
	}
}

func fmtp(p *float64) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprintf("%.3f", *p)
}

func strp(p *string) string {
	if p == nil {
		return "null"
	}
	return *p
}

// corpusDir is the shared corpus when the run asks for it (make corpus sets
// SYNFIN_CORPUS); tests that need it skip otherwise.
func corpusDir() string { return corpus.Requested() }

func intp(p *int) string {
	if p == nil {
		return "-"
	}
	return strconv.Itoa(*p)
}

// TestRetriedSYNIsOneConnection: a SYN repeating the client's ISN after
// the RST that refused it is a retransmission, not a new connection
// (Wireshark's rule; tshark -T fields -e tcp.stream gives 0 for all four
// frames of the server-side capture). Real kernels: the client's SYN
// retransmitted after 1 s because the RST took 1.5 s to arrive.
func TestRetriedSYNIsOneConnection(t *testing.T) {
	for _, side := range []string{"refused-rst-late.server.pcap", "refused-rst-late.pcap"} {
		recs := readRecords(t, filepath.Join("../../testdata/retry", side))
		if len(recs) != 1 {
			t.Fatalf("%s: %d connections, want 1", side, len(recs))
		}
		r := recs[0]
		if r.Handshake.SynCount != 2 || r.Handshake.Status != analyze.HandshakeRejected || r.State != analyze.StateREJ || r.SFStatus != "S2F0/R" {
			t.Errorf("%s: syn_count %d, %s, %s, %s; want 2, rejected, REJ, S2F0/R", side, r.Handshake.SynCount, r.Handshake.Status, r.State, r.SFStatus)
		}
	}
}

// checkRound: a complete handshake's RTT is one round trip of the path
// (the injected delays, within labTolerance, whatever was lost), the sum
// of its two legs, seen from the side the capture was taken at; setup_ms,
// the whole wait from the first SYN, is at least that.
func checkRound(t *testing.T, label, side string, hs *analyze.Handshake, injected float64) {
	t.Helper()
	near(t, label+" rtt_ms (injected delays)", hs.RTTms, injected)
	if hs.RTTms == nil || hs.SynSynackMS == nil || hs.SynackAckMS == nil || hs.SetupMS == nil {
		t.Errorf("%s: rtt %s, legs %s and %s, setup %s", label, fmtp(hs.RTTms), fmtp(hs.SynSynackMS), fmtp(hs.SynackAckMS), fmtp(hs.SetupMS))
		return
	}
	if math.Abs(*hs.SynSynackMS+*hs.SynackAckMS-*hs.RTTms) > 0.0015 {
		t.Errorf("%s: legs %.3f + %.3f are not rtt_ms %.3f", label, *hs.SynSynackMS, *hs.SynackAckMS, *hs.RTTms)
	}
	if *hs.SetupMS < *hs.RTTms {
		t.Errorf("%s: setup_ms %.3f under rtt_ms %.3f", label, *hs.SetupMS, *hs.RTTms)
	}
	if hs.CapturePoint == nil || string(*hs.CapturePoint) != side {
		t.Errorf("%s: capture_point %v, the capture was taken at the %s", label, strp((*string)(hs.CapturePoint)), side)
	}
}

// TestCaptureDuplicates: packets the capture recorded twice are counted as
// duplicates, not retransmissions: a mirror-port capture gives, beside its
// copy with the duplicates removed by editcap -d, the same connections
// with the copies counted apart (syn_count and Wireshark's flags still
// count them, as tshark does), and a capture taken on both sides of a
// router (TTL one lower on the copy) is told the same way.
func TestCaptureDuplicates(t *testing.T) {
	dup := readRecords(t, "../../testdata/dup/rdp-mirror.pcap")
	clean := readRecords(t, "../../testdata/dup/rdp-mirror.dedup.pcap")
	if len(dup) != 1 || len(clean) != 1 {
		t.Fatalf("%d and %d connections, want 1 each", len(dup), len(clean))
	}
	d, c := dup[0].Stats, clean[0].Stats
	if d.ClientDup+d.ServerDup != 10 || c.ClientDup+c.ServerDup != 0 {
		t.Errorf("duplicates %d+%d with copies, %d+%d without; want 10 and 0", d.ClientDup, d.ServerDup, c.ClientDup, c.ServerDup)
	}
	if d.ClientRetx != c.ClientRetx || d.ServerRetx != c.ServerRetx {
		t.Errorf("retransmissions %d/%d with copies, %d/%d without: copies are not retransmissions", d.ClientRetx, d.ServerRetx, c.ClientRetx, c.ServerRetx)
	}
	hd, hc := dup[0].Handshake, clean[0].Handshake
	if hd.RTTms == nil || hc.RTTms == nil || *hd.RTTms != *hc.RTTms || hd.RTTAmbiguous {
		t.Errorf("rtt %s (ambiguous %v) with copies, %s without: copies time nothing", fmtp(hd.RTTms), hd.RTTAmbiguous, fmtp(hc.RTTms))
	}
	if hd.SynCount != 2 || hc.SynCount != 1 {
		t.Errorf("syn_count %d with the copy, %d without; tshark counts the copy (2, 1)", hd.SynCount, hc.SynCount)
	}
	routed := readRecords(t, "../../testdata/dup/http-post-routed.pcap")
	var dups, retx int
	for _, r := range routed {
		dups += r.Stats.ClientDup + r.Stats.ServerDup
		retx += r.Stats.ClientRetx + r.Stats.ServerRetx
	}
	if dups != 15 || retx != 2 {
		t.Errorf("routed copies: %d duplicates and %d retransmissions, want 15 and 2", dups, retx)
	}
}

// TestScan: a real SYN scan (nmap -sS, 200 ports, two open) reads as a
// scan: its host is named a likely scanner, nothing is "still open", and
// the two open ports' probes are SYN, SYN-ACK, RST from the client.
func TestScan(t *testing.T) {
	recs := readRecords(t, "../../testdata/scan/nmap-syn.pcap")
	s := analyze.Summarize(recs)
	s.Finish()
	if len(s.Scanners) != 1 || s.Scanners[0].Host != "10.88.0.1" || s.Scanners[0].Ports != 200 || s.Scanners[0].Attempts != 200 {
		t.Errorf("scanners %+v, want 10.88.0.1 with 200 probes to 200 ports", s.Scanners)
	}
	if s.OpenAtEnd != 0 || s.Handshakes[string(analyze.HandshakeRejected)] != 198 || s.Handshakes[string(analyze.HandshakeNoAck)] != 2 {
		t.Errorf("open at end %d, handshakes %v", s.OpenAtEnd, s.Handshakes)
	}
	// The lab's connect() scan of 20 closed and 2 open ports is one too;
	// its plain client-close connection is not.
	lab := analyze.Summarize(readRecords(t, "../../testdata/lab/26_port_scan.pcap"))
	lab.Finish()
	plain := analyze.Summarize(readRecords(t, "../../testdata/lab/14_load_200.pcap"))
	plain.Finish()
	if len(lab.Scanners) != 1 || len(plain.Scanners) != 0 {
		t.Errorf("scanners: port scan %+v, 200 ordinary connections %+v", lab.Scanners, plain.Scanners)
	}
}
