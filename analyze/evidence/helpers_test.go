package evidence

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/internal/pipeline"
)

// read follows every connection of a capture.
func read(t *testing.T, path string) (*ladder.Recorder, []analyze.Record) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	rec := ladder.NewRecorder()
	var recs []analyze.Record
	if _, err := pipeline.Run(path, f, pipeline.Options{Trace: rec.Trace}, func(r *analyze.Record) { recs = append(recs, r.Clone()) }); err != nil && len(recs) == 0 {
		t.Fatal(err)
	}
	return rec, recs
}

var kindNames = map[Kind]string{SYN: "SYN", SYNAgain: "SYNAgain", SYNNew: "SYNNew", SYNACK: "SYNACK", SYNACKAgain: "SYNACKAgain",
	HandshakeACK: "HandshakeACK", Data: "Data", Retransmission: "Retransmission", OutOfOrder: "OutOfOrder", KeepAlive: "KeepAlive",
	ZeroWindowProbe: "ZeroWindowProbe", ZeroWindow: "ZeroWindow", WindowUpdate: "WindowUpdate", DupAck: "DupAck", Ack: "Ack",
	FIN: "FIN", FINAgain: "FINAgain", FINAck: "FINAck", RST: "RST", Copy: "Copy"}

// dump writes a timeline one entry a line: frame, direction, kind,
// details, states.
func dump(l *ladder.Ladder, tl *Timeline) string {
	var b strings.Builder
	for _, e := range tl.Entries {
		s := l.Steps[e.Step]
		fmt.Fprintf(&b, "%d %s %s", s.Frame, s.Dir, kindNames[e.Kind])
		if e.AcksSYN {
			b.WriteString(" acksSYN")
		}
		if e.AcksFIN {
			b.WriteString(" acksFIN")
		}
		if e.AckedBytes > 0 {
			fmt.Fprintf(&b, " acked=%d", e.AckedBytes)
		}
		if e.SYNData > 0 {
			fmt.Fprintf(&b, " syndata=%d taken=%v", e.SYNData, e.SYNDataAcked)
		}
		if e.RST != 0 {
			fmt.Fprintf(&b, " rst=%d", e.RST)
		}
		if e.Retx != 0 {
			fmt.Fprintf(&b, " retx=%d", e.Retx)
		}
		if e.Copy != 0 {
			fmt.Fprintf(&b, " copy=%d", e.Copy)
		}
		if e.AfterRST {
			b.WriteString(" afterRST")
		}
		fmt.Fprintf(&b, " [%s %s]\n", e.States[0], e.States[1])
	}
	return b.String()
}

// TestDump prints the timeline of SYNFIN_DUMP=FILE:CONN (a tool for
// reading captures while writing the rules).
func TestDump(t *testing.T) {
	spec := os.Getenv("SYNFIN_DUMP")
	if spec == "" {
		t.Skip("SYNFIN_DUMP=FILE:CONN")
	}
	file, conn, _ := strings.Cut(spec, ":")
	rec, _ := read(t, file)
	var n int
	fmt.Sscan(conn, &n)
	l := rec.Ladder(n)
	if l == nil {
		t.Fatalf("no connection %d", n)
	}
	t.Log("\n" + dump(l, Build(l)))
}
