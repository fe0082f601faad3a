package pipeline_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
)

// TestICMPLab: real Linux TCP answered by ICMP and ICMPv6
// (testdata/icmp, made by make-icmp-lab.sh in network namespaces: a
// router's REJECT, a server's REJECT, an unreachable route, a smaller MTU
// on the path), each capture's connection against its truth file: the
// handshake's status, the error's kind, type, code, sender and MTU, and
// Zeek's state (S0 for a SYN answered only by ICMP, as Zeek says).
func TestICMPLab(t *testing.T) {
	truths, _ := filepath.Glob("../../testdata/icmp/*.truth.json")
	if len(truths) < 8 {
		t.Fatalf("%d truth files", len(truths))
	}
	for _, tf := range truths {
		name := strings.TrimSuffix(filepath.Base(tf), ".truth.json")
		b, err := os.ReadFile(tf)
		if err != nil {
			t.Fatal(err)
		}
		var want struct {
			Status analyze.HandshakeStatus
			Kind   analyze.ICMPKind
			Type   int
			Code   int
			From   string
			MTU    int
			State  analyze.State
		}
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("%s: %v", tf, err)
		}
		recs := readRecords(t, strings.TrimSuffix(tf, ".truth.json")+".pcap")
		if len(recs) != 1 {
			t.Fatalf("%s: %d connections, want 1 (an ICMP error's quoted header is no connection)", name, len(recs))
		}
		r := recs[0]
		i := r.ICMP
		if i == nil {
			t.Errorf("%s: no ICMP error tied to the connection", name)
			continue
		}
		mtu := 0
		if i.MTU != nil {
			mtu = *i.MTU
		}
		if r.Handshake.Status != want.Status || i.Kind != want.Kind || i.Type != want.Type || i.Code != want.Code || i.From != want.From || mtu != want.MTU {
			t.Errorf("%s: %s, %s %d/%d from %s, mtu %d; want %s, %s %d/%d from %s, mtu %d", name,
				r.Handshake.Status, i.Kind, i.Type, i.Code, i.From, mtu, want.Status, want.Kind, want.Type, want.Code, want.From, want.MTU)
		}
		if want.State != "" && r.State != want.State {
			t.Errorf("%s: state %s, want %s", name, r.State, want.State)
		}
		if want.Status == analyze.HandshakeUnreachable && (i.AfterSYNMS == nil || *i.AfterSYNMS <= 0 || *i.AfterSYNMS > 50) {
			t.Errorf("%s: after_syn_ms %v, want the router's or host's answer within milliseconds", name, i.AfterSYNMS)
		}
	}
}
