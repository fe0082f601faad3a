package segments

import (
	"bufio"
	"compress/gzip"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/pipeline"
)

// TestEveryColumnAgainstTshark: on a 1 MiB upload of real kernel TCP
// (caplab scenario 15: 15 ms each way, every 100th data segment from the
// client dropped by the relay, delayed ACKs as Linux does them), captured
// at both ends, every column of the segments view that tshark also
// computes equals tshark 4.0.17's for every packet: the time from the
// connection's first packet (tcp.time_relative), the sender
// (tcp.srcport), seq, next_seq, len (relative), the scaled window
// (tcp.window_size), acks_frame and ack_rtt, the duplicate ACK number and
// each analysis flag. The RTT and EstimatedRTT, which tshark does not
// give, are checked against the relay's injected delay and the ground
// truth in TestLabDelays and TestRFC6298ByHand.
func TestEveryColumnAgainstTshark(t *testing.T) {
	f, err := os.Open("../../testdata/oracles/upload-segments.tsv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	oracle := map[string]map[int][]string{} // file: frame: tshark's fields after the file name
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		frame, _ := strconv.Atoi(p[1])
		if oracle[p[0]] == nil {
			oracle[p[0]] = map[int][]string{}
		}
		oracle[p[0]][frame] = p[1:]
	}
	if len(oracle) != 2 {
		t.Fatalf("%d captures in the oracle", len(oracle))
	}
	checked := 0
	for file, frames := range oracle {
		l, r, rows := firstConn(t, filepath.Join("../../testdata/upload", file), pipeline.InOne)
		clientPort := r.Client[strings.LastIndex(r.Client, ":")+1:]
		if len(rows) != len(frames) {
			t.Errorf("%s: %d rows, tshark %d packets", file, len(rows), len(frames))
		}
		for _, row := range rows {
			w, ok := frames[row.Frame]
			if !ok {
				t.Errorf("%s: frame %d not in tshark's", file, row.Frame)
				continue
			}
			checked++
			// w: frame stream time srcport seq nxtseq len win acks_frame
			// ack_rtt dup_ack_num, then the flags in AnalysisNames' order.
			num := func(i int) float64 { v, _ := strconv.ParseFloat(w[i], 64); return v }
			bad := func(col string, got any, want string) {
				t.Errorf("%s frame %d: %s %v, tshark %q", file, row.Frame, col, got, want)
			}
			if ms := float64(row.TS-l.FirstTS) / 1e6; math.Abs(ms-num(2)*1e3) > 1e-3 {
				bad("time_ms", ms, w[2])
			}
			if (row.From == flows.DirClient) != (w[3] == clientPort) {
				bad("from", row.From, w[3])
			}
			if float64(row.RelSeq) != num(4) {
				bad("seq", row.RelSeq, w[4])
			}
			if next := row.RelSeq + (row.Next - row.Seq); float64(next) != num(5) {
				bad("next_seq", next, w[5])
			}
			if float64(row.Len) != num(6) {
				bad("len", row.Len, w[6])
			}
			if float64(row.Win) != num(7) {
				bad("win", row.Win, w[7])
			}
			if strconv.Itoa(row.AcksFrame) != w[8] && !(row.AcksFrame == 0 && w[8] == "") {
				bad("acks_frame", row.AcksFrame, w[8])
			}
			if row.AcksFrame != 0 && math.Abs(float64(row.AckRTT)/1e9-num(9)) > 1e-9 {
				bad("ack_rtt", row.AckRTT, w[9])
			}
			if strconv.Itoa(row.DupAck) != w[10] && !(row.DupAck == 0 && w[10] == "") {
				bad("dup_ack", row.DupAck, w[10])
			}
			for i, name := range flows.AnalysisNames {
				if got := row.Analysis&(1<<i) != 0; got != (w[11+i] != "") {
					bad(name, got, w[11+i])
				}
			}
		}
	}
	t.Logf("%d packets, every column equal to tshark's", checked)
	if checked < 2000 {
		t.Errorf("only %d packets compared", checked)
	}
}

// TestSACKBlocksAgainstTshark: the SACK blocks each ACK of the upload
// carries (both capture points), relative to the sender's first sequence
// number, equal tshark's tcp.options.sack_le and sack_re
// (testdata/oracles/upload-sack.tsv.gz), and no other packet has any.
func TestSACKBlocksAgainstTshark(t *testing.T) {
	f, err := os.Open("../../testdata/oracles/upload-sack.tsv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	oracle := map[string]map[int]string{} // file: frame: "le-re le-re"
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		frame, _ := strconv.Atoi(p[1])
		les, res := strings.Split(p[2], ","), strings.Split(p[3], ",")
		var blocks []string
		for i := range les {
			blocks = append(blocks, les[i]+"-"+res[i])
		}
		if oracle[p[0]] == nil {
			oracle[p[0]] = map[int]string{}
		}
		oracle[p[0]][frame] = strings.Join(blocks, " ")
	}
	blocks := 0
	// In the caller's goroutine and in stages, where a segment is traced
	// after the reader has moved on: the blocks are the segment's own.
	for _, stages := range []pipeline.Stages{pipeline.InOne, pipeline.Staged} {
		for file, want := range oracle {
			_, _, rows := firstConn(t, filepath.Join("../../testdata/upload", file), stages)
			var base [2]uint32 // each side's first sequence number
			var seen [2]bool
			for _, row := range rows {
				if !seen[row.From] {
					base[row.From], seen[row.From] = row.Seq-row.RelSeq, true
				}
			}
			got := 0
			for _, row := range rows {
				var bs []string
				for _, b := range row.SACK {
					o := base[row.From.Other()]
					bs = append(bs, strconv.FormatUint(uint64(b[0]-o), 10)+"-"+strconv.FormatUint(uint64(b[1]-o), 10))
				}
				if s := strings.Join(bs, " "); s != want[row.Frame] {
					t.Errorf("%s frame %d: SACK %q, tshark %q", file, row.Frame, s, want[row.Frame])
				}
				if len(bs) > 0 {
					got++
					blocks += len(bs)
				}
			}
			if got != len(want) {
				t.Errorf("%s: %d packets with SACK blocks, tshark %d", file, got, len(want))
			}
		}
	}
	t.Logf("%d SACK blocks equal tshark's", blocks)
	if blocks < 1200 {
		t.Errorf("only %d SACK blocks compared", blocks) // 2 × 624
	}
}

// firstConn reads connection 0 of a capture: its ladder, record and rows.
func firstConn(t *testing.T, path string, stages pipeline.Stages) (*ladder.Ladder, *analyze.Record, []Row) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec := ladder.NewRecorder(0)
	var r analyze.Record
	pipeline.Run(path, f, pipeline.Options{Trace: rec.Trace, Stages: stages}, func(x *analyze.Record) {
		if x.Conn == 0 {
			r = x.Clone()
		}
	})
	l := rec.Ladder(0)
	if l == nil {
		t.Fatalf("%s: no connection 0", path)
	}
	return l, &r, Of(l, Shifts(&r))
}
