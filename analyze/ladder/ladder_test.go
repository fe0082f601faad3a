package ladder_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/pipeline"
)

// TestLadderSteps: the plain client close of the lab (ground truth in its
// truth file: 11 packets, four-way close) follows the textbook: SYN with
// relative seq 0, SYN-ACK acknowledging 1, the ACK, then the close.
func TestLadderSteps(t *testing.T) {
	l := ladderOf(t, "../../testdata/lab/01_plain_client_close.pcap")
	var flags, phases []string
	for _, s := range l.Steps {
		flags = append(flags, ladder.FlagNames(s.Flags))
		phases = append(phases, strconv.Itoa(int(s.Phase)))
	}
	if got := strings.Join(flags[:3], " | "); got != "SYN | SYN, ACK | ACK" {
		t.Errorf("handshake flags %q", got)
	}
	s0, s1 := l.Steps[0], l.Steps[1]
	if s0.Dir != flows.DirClient || s1.Dir != flows.DirServer || s0.RelSeq != 0 || s1.RelSeq != 0 || s1.RelAck != 1 || s1.Ack != s0.Seq+1 {
		t.Errorf("SYN %+v, SYN-ACK %+v", s0, s1)
	}
	if got := s0.Options.String(); len(s0.Options) == 0 || s0.Options[0].Kind != ladder.OfferMSS || !strings.HasPrefix(got, "mss=") {
		t.Errorf("SYN options %q", got)
	}
	if phases[0] != "0" || phases[2] != "0" || phases[len(phases)-1] != strconv.Itoa(int(ladder.Teardown)) {
		t.Errorf("phases %v", phases)
	}
	fins := 0
	for _, s := range l.Steps {
		if s.Flags&flows.FlagFIN != 0 {
			fins++
			if s.Phase != ladder.Teardown {
				t.Errorf("FIN in phase %d", s.Phase)
			}
		}
	}
	if fins != 2 {
		t.Errorf("%d FINs, want 2", fins)
	}
}

// ladderOf is connection 0's ladder in a capture.
func ladderOf(t *testing.T, path string) *ladder.Ladder {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec := ladder.NewRecorder(0)
	if _, err := pipeline.Run(path, f, pipeline.Options{Trace: rec.Trace}, func(*analyze.Record) {}); err != nil {
		t.Fatal(err)
	}
	l := rec.Ladder(0)
	if l == nil {
		t.Fatalf("%s: no ladder for connection 0", path)
	}
	return l
}

// TestLadderPhaseRules: an RST after a FIN is drawn as the reset it is
// (the lab's client closes, then aborts: FIN, ACK, ACK, RST), and a
// capture that begins mid-stream with a bare client ACK has no handshake
// to draw: its first packet is data transfer.
func TestLadderPhaseRules(t *testing.T) {
	steps := ladderOf(t, "../../testdata/lab/22_rst_after_fin.pcap").Steps
	last := steps[len(steps)-1]
	if last.Flags&flows.FlagRST == 0 || last.Phase != ladder.Reset {
		t.Errorf("RST after FIN: last step flags %s phase %d, want an RST in the reset phase", ladder.FlagNames(last.Flags), last.Phase)
	}
	for _, s := range steps {
		if s.Flags&flows.FlagFIN != 0 && s.Phase != ladder.Teardown {
			t.Errorf("the FIN before the RST is in phase %d, want teardown", s.Phase)
		}
	}
	steps = ladderOf(t, "../../testdata/midstream/from-bare-ack.pcap").Steps
	if s := steps[0]; s.Flags != flows.FlagACK || s.Len != 0 || s.Phase != ladder.Data {
		t.Errorf("mid-stream first packet %s len %d in phase %d, want a bare ACK in data transfer", ladder.FlagNames(s.Flags), s.Len, s.Phase)
	}
}
