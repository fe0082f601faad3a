package main

import (
	"errors"
	"os"
	"testing"
)

// TestLabVariants runs synfin lab for real where the test runs as root
// (CI does): each variant's capture, analysed by synfin, shows exactly
// the connection asked for.
func TestLabVariants(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("synfin lab needs root or CAP_NET_RAW")
	}
	for _, c := range []struct {
		name string
		v    labVariant
		ok   func(r *labResult) bool
	}{
		{"client closes", labClientClose, func(r *labResult) bool {
			return r.record.Handshake.Status == "complete" && r.record.Teardown.Closer == "client" && r.record.State == "SF"
		}},
		{"server closes", labServerClose, func(r *labResult) bool {
			return r.record.Teardown.Closer == "server" && r.record.State == "SF"
		}},
		{"reset", labReset, func(r *labResult) bool {
			return r.record.Teardown.Kind == "reset" && r.record.Teardown.RstBy != nil && *r.record.Teardown.RstBy == "client"
		}},
		{"half-close", labHalfClose, func(r *labResult) bool {
			return r.record.Teardown.Closer == "client" && r.record.Teardown.DataAfterFin > 0 && r.record.State == "SF"
		}},
		{"refused", labRefused, func(r *labResult) bool {
			return r.record.Handshake.Status == "rejected" && r.record.State == "REJ"
		}},
	} {
		res, err := runLabOnce(c.v, 0)
		if errors.Is(err, errNeedRoot) || errors.Is(err, errNoCapture) {
			t.Skip(err) // a container without CAP_NET_RAW, say
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !c.ok(res) {
			t.Errorf("%s: got %s %s %s closer %s after fin %d", c.name, res.record.Handshake.Status, res.record.Teardown.Kind, res.record.State, res.record.Teardown.Closer, res.record.Teardown.DataAfterFin)
		}
		if len(res.pcapng) == 0 || len(res.calls) < 2 {
			t.Errorf("%s: %d bytes of pcapng, %d calls", c.name, len(res.pcapng), len(res.calls))
		}
	}
}
