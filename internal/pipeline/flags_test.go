package pipeline_test

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/pipeline"
)

// flagOracle reads testdata/oracles/analysis-flags.tsv.gz: per capture
// tshark read, the frames it flagged and with what.
func flagOracle(t *testing.T, path string) map[string]map[int]flows.Analysis {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	bit := map[string]flows.Analysis{}
	for i, n := range flows.AnalysisNames {
		bit[n] = 1 << i
	}
	out := map[string]map[int]flows.Analysis{}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			t.Fatalf("oracle line %q", line)
		}
		switch {
		case parts[1] == "-":
			out[parts[0]] = map[int]flows.Analysis{}
			continue
		case parts[1] == "0": // tshark could not read it
			continue
		}
		frame, err := strconv.Atoi(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		var a flows.Analysis
		for _, n := range strings.Split(parts[2], ",") {
			a |= bit[n]
		}
		out[parts[0]][frame] = a
	}
	return out
}

// synfinFlags analyses a capture and returns the frames synfin flags, and
// whether it found damaged packets.
func synfinFlags(path string) (map[int]flows.Analysis, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	got := map[int]flows.Analysis{}
	st, err := pipeline.Run(path, f, pipeline.Options{Trace: func(c *flows.Conn, seg *flows.Segment, _ flows.Dir, _ flows.SegClass) {
		if c.Last != 0 {
			got[seg.Index] |= c.Last
		}
	}}, func(*analyze.Record) {})
	return got, st.Damaged > 0, err
}

// flagRules name the corpus captures where synfin and tshark see
// different packets, so their flags cannot agree; captures with damaged
// packets (which each tool decodes its own way) are found by synfin.
var flagRules = map[string]string{
	"zeek__cisco-fabric-path.pcap":                     "every packet twice, once inside FabricPath: tshark keeps the copies apart, synfin joins them and calls the second copies retransmissions",
	"zeek__tunnels__gtp__gtp2_different_udp_port.pcap": "GTP on a port tshark does not decode as GTP",
}

// TestLabAnalysisFlags compares synfin's per-packet flags with tshark's on
// the lab captures of real Linux TCP (loss, reordering, zero windows,
// keep-alives; both capture points), with tshark's flags committed in
// testdata/oracles/lab-analysis-flags.tsv.gz: every flagged frame, both
// ways, must agree.
func TestLabAnalysisFlags(t *testing.T) {
	want := flagOracle(t, "../../testdata/oracles/lab-analysis-flags.tsv.gz")
	if len(want) < 50 {
		t.Fatalf("oracle covers %d lab captures", len(want))
	}
	counts := map[string]int{}
	for name, frames := range want {
		got, _, err := synfinFlags(filepath.Join("../../testdata/lab", name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for fr, w := range frames {
			for _, n := range w.Names() {
				counts[n]++
			}
			if got[fr] != w {
				t.Errorf("%s frame %d: synfin %v, tshark %v", name, fr, got[fr].Names(), w.Names())
			}
		}
		for fr, g := range got {
			if _, ok := frames[fr]; !ok {
				t.Errorf("%s frame %d: synfin %v, tshark none", name, fr, g.Names())
			}
		}
	}
	t.Logf("flags compared: %v", counts)
}

// TestCorpusAnalysisFlags compares synfin's per-packet analysis flags with
// tshark's (-2) on every corpus capture tshark read (issue 7): for each
// flag, the frames both set, only tshark set, only synfin set, and the
// agreement |both| / |either|.
func TestCorpusAnalysisFlags(t *testing.T) {
	dir := corpusDir()
	if dir == "" {
		t.Skip("SYNFIN_CORPUS not set; run make corpus")
	}
	want := flagOracle(t, "../../testdata/oracles/analysis-flags.tsv.gz")
	type tally struct{ both, onlyTshark, onlySynfin int }
	per := make([]tally, flows.NumAnalysis)
	ruled := make([]tally, flows.NumAnalysis) // with the captures of flagRules and damaged ones left out
	var left []string
	examples := make([][]string, flows.NumAnalysis)
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		got, damaged, _ := synfinFlags(filepath.Join(dir, "captures", name))
		rule, byRule := flagRules[name]
		if damaged && !byRule {
			rule, byRule = "damaged packets", true
		}
		if byRule {
			left = append(left, name+": "+rule)
		}
		frames := map[int]bool{}
		for fr := range got {
			frames[fr] = true
		}
		for fr := range want[name] {
			frames[fr] = true
		}
		for fr := range frames {
			for i := range flows.NumAnalysis {
				b := flows.Analysis(1) << i
				g, w := got[fr]&b != 0, want[name][fr]&b != 0
				if !byRule {
					switch {
					case g && w:
						ruled[i].both++
					case w:
						ruled[i].onlyTshark++
					case g:
						ruled[i].onlySynfin++
					}
				}
				switch {
				case g && w:
					per[i].both++
				case w:
					per[i].onlyTshark++
					if len(examples[i]) < 10 {
						examples[i] = append(examples[i], fmt.Sprintf("%s#%d tshark only", name, fr))
					}
				case g:
					per[i].onlySynfin++
					if len(examples[i]) < 10 {
						examples[i] = append(examples[i], fmt.Sprintf("%s#%d synfin only", name, fr))
					}
				}
			}
		}
	}
	agreement := func(p tally) float64 {
		if either := p.both + p.onlyTshark + p.onlySynfin; either > 0 {
			return 100 * float64(p.both) / float64(either)
		}
		return 100
	}
	t.Logf("agreement |both| / |either| over %d captures tshark read:", len(names))
	for i, n := range flows.AnalysisNames {
		p := per[i]
		t.Logf("%-24s both %6d  tshark only %5d  synfin only %5d  agreement %6.2f%%   by rule %6.2f%%", n, p.both, p.onlyTshark, p.onlySynfin, agreement(p), agreement(ruled[i]))
		if testing.Verbose() {
			for _, e := range examples[i] {
				t.Logf("    %s", e)
			}
		}
		// Every flag agrees at least 95% once the captures where the two
		// tools see different packets are left out.
		floor := 95.0
		if a := agreement(ruled[i]); a < floor {
			t.Errorf("%s: %.2f%% agreement by rule, want at least %.0f%%", n, a, floor)
		}
	}
	sort.Strings(left)
	t.Logf("left out by rule (%d):", len(left))
	for _, l := range left {
		t.Logf("    %s", l)
	}
}
