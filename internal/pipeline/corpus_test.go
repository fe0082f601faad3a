package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/oracle"
	"github.com/synfin/synfin/internal/pipeline"
)

// TestCorpus runs synfin on every capture of the shared corpus and compares
// it with the tshark and Zeek oracles (SPEC, issue 2). It runs only when
// SYNFIN_CORPUS names the corpus (make corpus). The agreement tables are
// written to $SYNFIN_CORPUS_REPORT (default: corpus-report.txt in the
// package directory, ignored by git).
func TestCorpus(t *testing.T) {
	dir := corpusDir()
	if dir == "" {
		t.Skip("SYNFIN_CORPUS not set; run make corpus")
	}
	captures, err := filepath.Glob(filepath.Join(dir, "captures", "*"))
	if err != nil || len(captures) == 0 {
		t.Fatalf("no captures under %s", dir)
	}
	oracles := filepath.Join(dir, "oracles")
	recsByCapture := map[string][]analyze.Record{}
	var crashes, unreadable []string
	for _, path := range captures {
		name := filepath.Base(path)
		recs, err := analyzeWithDeadline(path, 60*time.Second)
		switch {
		case err == errDeadline:
			crashes = append(crashes, name+": did not finish in 60 s")
			continue
		case err != nil && strings.Contains(err.Error(), "panic"):
			crashes = append(crashes, name+": "+err.Error())
			continue
		case err != nil:
			unreadable = append(unreadable, name+": "+err.Error())
		}
		recsByCapture[name] = recs
	}

	var tsStats, zkStats oracle.FieldStats
	tsStats.Oracle, zkStats.Oracle = "tshark", "zeek"
	for name, recs := range recsByCapture {
		tf := filepath.Join(oracles, "tshark", name+".tsv")
		if _, err := os.Stat(tf); err != nil {
			continue
		}
		log, err := oracle.ReadTsharkFile(tf)
		if err != nil {
			t.Errorf("%s: %v", tf, err)
			continue
		}
		tsStats.Merge(oracle.CompareTshark(recs, log.Conns))
	}
	baselines, err := oracle.ReadMappingFile(filepath.Join(oracles, "zeek", "mapping.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	usable := 0
	for _, b := range baselines {
		if !b.Usable() {
			continue
		}
		recs, ok := recsByCapture[b.CorpusFile]
		if !ok {
			continue
		}
		log, err := oracle.ReadZeekBaseline(oracles, b)
		if err != nil || !log.Comparable() {
			continue
		}
		usable++
		zkStats.Merge(oracle.CompareZeek(recs, log.Conns))
	}

	var report bytes.Buffer
	fmt.Fprintf(&report, "synfin corpus comparison: %d captures, %d read with damage or unreadable, %d crashed or hung; %d usable Zeek baselines\n\n",
		len(captures), len(unreadable), len(crashes), usable)
	for _, c := range crashes {
		fmt.Fprintf(&report, "CRASH %s\n", c)
	}
	for _, u := range unreadable {
		fmt.Fprintf(&report, "unreadable or damaged: %s\n", u)
	}
	report.WriteString("\n")
	_ = tsStats.Write(&report)
	report.WriteString("\n")
	_ = zkStats.Write(&report)
	out := os.Getenv("SYNFIN_CORPUS_REPORT")
	if out == "" {
		out = "corpus-report.txt"
	}
	if err := os.WriteFile(out, report.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range tsStats.Fields {
		t.Logf("tshark %-16s %6d compared %6.2f%% agree", f.Field, f.Compared, f.Percent())
	}
	for _, f := range zkStats.Fields {
		t.Logf("zeek   %-16s %6d compared %6.2f%% agree", f.Field, f.Compared, f.Percent())
	}
	t.Logf("full report with every disagreement: %s", out)

	if len(crashes) > 0 {
		t.Errorf("%d captures crashed or hung: %v", len(crashes), crashes)
	}
	checkStreams(t, tsStats)
	for _, f := range tsStats.Fields {
		if f.Compared > 0 && f.Percent() < 99.5 {
			t.Errorf("tshark %s: %.2f%% agreement, want at least 99.5%%", f.Field, f.Percent())
		}
	}
	want := map[string]float64{oracle.FieldConnState: 97, oracle.FieldHistory: 90}
	for _, f := range zkStats.Fields {
		if w, ok := want[f.Field]; ok && f.Compared > 0 && f.Percent() < w {
			t.Errorf("zeek %s: %.2f%% agreement, want at least %.0f%%", f.Field, f.Percent(), w)
		}
	}
}

var errDeadline = fmt.Errorf("deadline")

// analyzeWithDeadline runs one capture, turning a panic into an error and
// giving up after d, so that one bad capture cannot stop the comparison.
func analyzeWithDeadline(path string, d time.Duration) (recs []analyze.Record, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("panic: %v", p)
			}
		}()
		f, err := os.Open(path)
		if err != nil {
			done <- err
			return
		}
		defer f.Close()
		_, err = pipeline.Run(filepath.Base(path), f, pipeline.Options{}, func(r *analyze.Record) { recs = append(recs, r.Clone()) })
		done <- err
	}()
	select {
	case err = <-done:
		return recs, err
	case <-ctx.Done():
		return nil, errDeadline
	}
}

// streamExceptions are the corpus captures where synfin's conn cannot be
// tshark's tcp.stream, and why; in each, only the connections after the
// difference shift.
var streamExceptions = map[string]string{
	"arkime__socks-http-example.pcap":     "Wireshark's SOCKS dissector makes a conversation of each proxied connection, which takes a tcp.stream number without a packet of its own",
	"arkime__socks-https-example.pcap":    "Wireshark's SOCKS dissector makes a conversation of each proxied connection, which takes a tcp.stream number without a packet of its own",
	"pcapplusplus__pcapng-example.pcapng": "one SYN-ACK is stamped 46 years after its SYN: past the idle timeout synfin ends the connection there, Wireshark has no timeout",
}

// checkStreams: for at least 99.9% of the streams with a SYN, synfin's
// conn is tshark's tcp.stream (the README promises it), leaving out the
// named exceptions, each of which must still differ (else it is taken off
// the list).
func checkStreams(t *testing.T, s oracle.FieldStats) {
	t.Helper()
	f := s.Field(oracle.FieldStream)
	differs := map[string]bool{}
	excepted := 0
	for _, d := range s.Disagreements {
		if d.Field != oracle.FieldStream {
			continue
		}
		if _, ok := streamExceptions[d.Capture]; !ok {
			t.Errorf("%s conn %d is %s: not tshark's tcp.stream", d.Capture, d.Conn, d.OracleID)
			continue
		}
		excepted++
		differs[d.Capture] = true
	}
	for name, why := range streamExceptions {
		if !differs[name] {
			t.Errorf("%s is excepted (%s) but its connections are tshark's streams: take it off the list", name, why)
		}
	}
	if f.Compared == 0 {
		t.Fatal("no stream compared")
	}
	pct := 100 * float64(f.Agreed) / float64(f.Compared-excepted)
	t.Logf("conn = tcp.stream: %d of %d streams with a SYN (%.2f%%); %d in the %d named exceptions", f.Agreed, f.Compared, pct, excepted, len(streamExceptions))
	if pct < 99.9 {
		t.Errorf("conn = tcp.stream for %.2f%% of the streams with a SYN outside the exceptions, want at least 99.9%%", pct)
	}
}

// TestCorpusWorkersSameBytes: every capture of the shared corpus gives
// byte for byte the same JSON Lines whether one goroutine owns every
// shard or three workers share them (make corpus); the workers'
// order is the one goroutine's.
func TestCorpusWorkersSameBytes(t *testing.T) {
	dir := corpusDir()
	if dir == "" {
		t.Skip("SYNFIN_CORPUS not set; run make corpus")
	}
	captures, _ := filepath.Glob(filepath.Join(dir, "captures", "*"))
	jsonl := func(path string, opt pipeline.Options) []byte {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var b bytes.Buffer
		pipeline.Run(filepath.Base(path), f, opt, func(r *analyze.Record) { b.Write(append(r.AppendJSON(nil), '\n')) })
		return b.Bytes()
	}
	records := 0
	for _, path := range captures {
		want := jsonl(path, pipeline.Options{Stages: pipeline.InOne})
		got := jsonl(path, pipeline.Options{Stages: pipeline.Staged, Workers: 3})
		if !bytes.Equal(got, want) {
			t.Errorf("%s: three workers give %d bytes, one goroutine %d", filepath.Base(path), len(got), len(want))
		}
		records += bytes.Count(want, []byte("\n"))
	}
	if records < 3000 {
		t.Fatalf("only %d records over %d captures", records, len(captures))
	}
	t.Logf("%d captures, %d records", len(captures), records)
}
