package report

import (
	"os"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
)

// followed reads connection 0 of a lab capture, its record and ladder.
func followed(t *testing.T, name string) (*ladder.Ladder, *analyze.Record) {
	t.Helper()
	path := "../../testdata/lab/" + name
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec := ladder.NewRecorder(0)
	var r analyze.Record
	pipeline.Run(path, f, pipeline.Options{Trace: rec.Trace}, func(x *analyze.Record) {
		if x.Conn == 0 {
			r = x.Clone()
		}
	})
	return rec.Ladder(0), &r
}

// TestDataPhaseAnswersTheLab: on the upload with loss (captured by the
// client), the report's data phase lists the client's first six data
// segments with tshark's frame numbers and times (frames 4 to 9, sent
// 40.658 ms on, RTT 40.245 ms for the first: `tshark -r
// 27_bidir_loss.pcap -Y 'frame.number<=12'`), tcptrace's unique bytes,
// retransmissions and window, and says the RTTs are the path's round trip
// because the capture sits by the sender. On the download seen from the
// client, it says the server's RTTs are the client's own ACK delay.
func TestDataPhaseAnswersTheLab(t *testing.T) {
	l, r := followed(t, "27_bidir_loss.pcap")
	dp := dataPhaseOf(l, r, msg.EN)
	if dp == nil || len(dp.Rows) != firstSegments {
		t.Fatalf("data phase %+v", dp)
	}
	if got := strings.Join(dp.Rows[0], " "); got != "4 1 1448 40.658 80.903 40.245 40.315" {
		t.Errorf("first row %q", got)
	}
	if dp.Rows[5][0] != "9" || dp.Rows[5][1] != "7241" {
		t.Errorf("sixth row %q", dp.Rows[5])
	}
	all := strings.Join(dp.Lines, "\n")
	for _, want := range []string{
		"The client sent 1510 data segments carrying 2138532 bytes, 2097152 of them distinct; 38 segments repeated",
		"smallest above zero 68608 bytes, largest 2000896 bytes; zero windows: 0",
		"so these RTTs are the path's round trip from there",
		"27416.8 kbit/s", // tcptrace: 3427105 B/s
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in\n%s", want, all)
		}
	}
	l, r = followed(t, "02_plain_server_close.pcap")
	dp = dataPhaseOf(l, r, msg.EN)
	if dp == nil || !strings.Contains(strings.Join(dp.Lines, "\n"), "mostly the client's own time to acknowledge") {
		t.Errorf("download seen from the client: %+v", dp)
	}
	l, r = followed(t, "06_refused.pcap")
	if dp := dataPhaseOf(l, r, msg.EN); dp != nil {
		t.Errorf("refused connection has a data phase: %+v", dp)
	}
}

// TestShellWord: the report's command line names a capture so that a
// shell reads it back whole.
func TestShellWord(t *testing.T) {
	for in, want := range map[string]string{
		"testdata/lab/01.pcap": "testdata/lab/01.pcap",
		"my capture.pcap":      "'my capture.pcap'",
		"it's.pcap":            `'it'\''s.pcap'`,
		"$HOME/x.pcap":         "'$HOME/x.pcap'",
		"实验.pcap":              "'实验.pcap'",
	} {
		if got := shellWord(in); got != want {
			t.Errorf("shellWord(%q) = %s, want %s", in, got, want)
		}
	}
}
