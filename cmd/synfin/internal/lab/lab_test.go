package lab

import (
	"errors"
	"os"
	"testing"

	"synfin/analyze"
)

// TestVariants runs synfin lab for real where the test runs as root
// (CI does): each variant's capture, analysed by synfin, shows exactly
// the connection asked for.
func TestVariants(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("synfin lab needs root or CAP_NET_RAW")
	}
	for _, c := range []struct {
		name string
		v    Variant
		ok   func(r *Result) bool
	}{
		{"client closes", ClientClose, func(r *Result) bool {
			return r.Record.Handshake.Status == analyze.HandshakeComplete && r.Record.Teardown.Closer == analyze.CloserClient && r.Record.State == analyze.StateSF
		}},
		{"server closes", ServerClose, func(r *Result) bool {
			return r.Record.Teardown.Closer == analyze.CloserServer && r.Record.State == analyze.StateSF
		}},
		{"reset", Reset, func(r *Result) bool {
			return r.Record.Teardown.Kind == analyze.TeardownReset && r.Record.Teardown.RstBy != nil && *r.Record.Teardown.RstBy == analyze.CloserClient
		}},
		{"half-close", HalfClose, func(r *Result) bool {
			return r.Record.Teardown.Closer == analyze.CloserClient && r.Record.Teardown.DataAfterFin > 0 && r.Record.State == analyze.StateSF
		}},
		{"refused", Refused, func(r *Result) bool {
			return r.Record.Handshake.Status == analyze.HandshakeRejected && r.Record.State == analyze.StateREJ
		}},
	} {
		res, err := Run(c.v, 0)
		if errors.Is(err, ErrNeedRoot) || errors.Is(err, ErrNoCapture) {
			t.Skip(err) // a container without CAP_NET_RAW, say
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !c.ok(res) {
			t.Errorf("%s: got %s %s %s closer %s after fin %d", c.name, res.Record.Handshake.Status, res.Record.Teardown.Kind, res.Record.State, res.Record.Teardown.Closer, res.Record.Teardown.DataAfterFin)
		}
		if len(res.Pcapng) == 0 || len(res.Calls) < 2 {
			t.Errorf("%s: %d bytes of pcapng, %d calls", c.name, len(res.Pcapng), len(res.Calls))
		}
	}
}
