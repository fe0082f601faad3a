package segments

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/internal/pipeline"
)

// TestAgainstTshark: on every connection of the lab captures, each ACK's
// acks_frame and ack_rtt equal tshark's tcp.analysis.acks_frame and
// ack_rtt, and each window tshark's scaled tcp.window_size (tshark 4.0.17,
// testdata/oracles/lab-acks.tsv.gz).
func TestAgainstTshark(t *testing.T) {
	f, err := os.Open("../../testdata/oracles/lab-acks.tsv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		stream, acks int
		rtt          float64
		win          int
		hasAcks      bool
	}
	oracle := map[string]map[int]want{} // file: frame: tshark's
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		frame, _ := strconv.Atoi(p[1])
		var w want
		w.stream, _ = strconv.Atoi(p[2])
		if p[3] != "" {
			w.hasAcks = true
			w.acks, _ = strconv.Atoi(p[3])
			w.rtt, _ = strconv.ParseFloat(p[4], 64)
		}
		w.win, _ = strconv.Atoi(p[5])
		if oracle[p[0]] == nil {
			oracle[p[0]] = map[int]want{}
		}
		oracle[p[0]][frame] = w
	}
	checked, acks := 0, 0
	for file, frames := range oracle {
		path := filepath.Join("../../testdata/lab", file)
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		rec := ladder.NewRecorder()
		var recs []analyze.Record
		pipeline.Run(path, fh, pipeline.Options{Trace: rec.Trace}, func(r *analyze.Record) { recs = append(recs, r.Clone()) })
		fh.Close()
		for i := range recs {
			r := &recs[i]
			l := rec.Ladder(r.Conn)
			if l == nil || l.Dropped > 0 {
				continue
			}
			shift := [2]int{-1, -1}
			if n := r.Handshake.Negotiated; n != nil && n.WScaleClient != nil && n.WScaleServer != nil {
				shift = [2]int{*n.WScaleClient, *n.WScaleServer}
			}
			for _, row := range Of(l, shift) {
				w, ok := frames[row.Frame]
				if !ok {
					continue
				}
				checked++
				if w.win != row.Win {
					t.Errorf("%s frame %d: win %d, tshark %d", file, row.Frame, row.Win, w.win)
				}
				if w.hasAcks {
					acks++
					if row.AcksFrame != w.acks || math.Abs(float64(row.AckRTT)/1e9-w.rtt) > 1e-6 {
						t.Errorf("%s frame %d: acks_frame %d ack_rtt %.6f, tshark %d %.6f", file, row.Frame, row.AcksFrame, float64(row.AckRTT)/1e9, w.acks, w.rtt)
					}
				} else if row.AcksFrame != 0 {
					t.Errorf("%s frame %d: acks_frame %d, tshark none", file, row.Frame, row.AcksFrame)
				}
			}
		}
	}
	t.Logf("%d segments compared with tshark, %d of them ACKs with acks_frame", checked, acks)
	if acks < 1000 {
		t.Errorf("only %d ACKs compared", acks)
	}
}

// TestLabDelays: on every lab capture (real kernel TCP through a relay
// that delays each direction by a known amount), the smallest RTT sample
// of the side the capture sits next to (its segments cross the path and
// their ACKs come back) is the path's round trip, the sum of the injected
// delays, within 2 ms, at both capture points.
func TestLabDelays(t *testing.T) {
	truths, _ := filepath.Glob("../../testdata/lab/*.truth.json")
	upload, _ := filepath.Glob("../../testdata/upload/*.truth.json")
	truths = append(truths, upload...)
	checked := 0
	for _, truth := range truths {
		b, err := os.ReadFile(truth)
		if err != nil {
			t.Fatal(err)
		}
		var tr struct {
			Injected struct {
				RTT *float64 `json:"expected_rtt_ms"`
			} `json:"injected"`
		}
		if json.Unmarshal(b, &tr) != nil || tr.Injected.RTT == nil {
			continue
		}
		base := strings.TrimSuffix(truth, ".truth.json")
		for near, path := range []string{base + ".pcap", base + ".server.pcap"} {
			fh, err := os.Open(path)
			if err != nil {
				continue
			}
			rec := ladder.NewRecorder()
			var recs []analyze.Record
			pipeline.Run(path, fh, pipeline.Options{Trace: rec.Trace}, func(r *analyze.Record) { recs = append(recs, r.Clone()) })
			fh.Close()
			for i := range recs {
				l := rec.Ladder(recs[i].Conn)
				if l == nil || recs[i].Handshake.Status == analyze.HandshakeSimultaneous {
					// A simultaneous open names as client whoever's SYN the
					// capture saw first: at the server, the server.
					continue
				}
				least := int64(-1) // the near side's smallest sample
				for _, r := range Of(l, [2]int{-1, -1}) {
					if r.HasRTT && int(r.From) == near && (least < 0 || r.RTT < least) {
						least = r.RTT
					}
				}
				if least < 0 {
					continue
				}
				checked++
				if got := float64(least) / 1e6; math.Abs(got-*tr.Injected.RTT) > 2 {
					t.Errorf("%s conn %d: smallest RTT sample %.3f ms, the path's %g ms", filepath.Base(path), recs[i].Conn, got, *tr.Injected.RTT)
				}
			}
		}
	}
	t.Logf("%d lab connections' RTT samples checked against the injected delays", checked)
	if checked < 40 {
		t.Errorf("only %d connections checked", checked)
	}
}
