package ladder_test

import (
	"os"
	"strconv"
	"strings"
	"synfin/analyze"
	"synfin/analyze/ladder"
	"synfin/analyze/pipeline"
	"synfin/flows"
	"testing"
)

// TestLadderSteps: the plain client close of the lab (ground truth in its
// truth file: 11 packets, four-way close) follows the textbook: SYN with
// relative seq 0, SYN-ACK acknowledging 1, the ACK, then the close.
func TestLadderSteps(t *testing.T) {
	f, err := os.Open("../../testdata/lab/01_plain_client_close.pcap")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec := ladder.NewRecorder(0)
	if _, err := pipeline.Run("01", f, pipeline.Options{Trace: rec.Trace}, func(*analyze.Record) {}); err != nil {
		t.Fatal(err)
	}
	l := rec.Ladder(0)
	if l == nil {
		t.Fatal("no ladder for connection 0")
	}
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
