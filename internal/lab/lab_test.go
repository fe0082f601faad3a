package lab

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/draw"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/tty"
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
		checkCausal(t, c.name, res)
	}
}

// checkCausal: the call log and the packets are on one clock and in
// causal order: a sending call comes before the packet it caused, a
// peer's read after the write it returns, and each packet's tag names a
// call made before it.
func checkCausal(t *testing.T, name string, res *Result) {
	t.Helper()
	at := func(by flows.Dir, call string) int {
		for i, c := range res.Calls {
			if c.By == by && strings.HasPrefix(c.Words(msg.EN), call) {
				return i
			}
		}
		return -1
	}
	for _, p := range [][2]struct {
		by   flows.Dir
		call string
	}{
		{{flows.DirClient, "write()"}, {flows.DirServer, "read() gets"}},
		{{flows.DirServer, "write()"}, {flows.DirClient, "read() gets"}},
		{{flows.DirClient, "shutdown"}, {flows.DirServer, "read() returns 0"}},
		{{flows.DirClient, "connect()"}, {flows.DirServer, "accept() returns"}},
	} {
		a, b := at(p[0].by, p[0].call), at(p[1].by, p[1].call)
		if a >= 0 && b >= 0 && a > b {
			t.Errorf("%s: %q logged after %q", name, p[0].call, p[1].call)
		}
	}
	note := Note(msg.EN, res)
	for _, s := range res.Ladder.Steps {
		call := note(&s)
		if call == "" || strings.HasPrefix(call, "kernel") {
			continue // the kernel's own doing
		}
		before := false
		for _, c := range res.Calls {
			before = before || c.Words(msg.EN) == call && c.By == s.Dir && c.At.UnixNano() <= s.TS
		}
		if !before {
			t.Errorf("%s: packet %d at %d tagged %q, but no such call was made before it", name, s.Frame, s.TS, call)
		}
	}
}

// TestWalkthroughWraps: the lab's walkthrough, given the width
// tty.WrapWidth takes from a terminal, wraps within it as explain's does;
// the socket calls fit through tty.Hang.
func TestWalkthroughWraps(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("synfin lab needs root or CAP_NET_RAW")
	}
	res, err := Run(ClientClose, 0)
	if errors.Is(err, ErrNoCapture) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	for _, lang := range []msg.Lang{msg.EN, msg.ZH} {
		for _, width := range []int{60, 80} {
			buf.Reset()
			for _, c := range res.Calls {
				buf.WriteString(tty.Hang("      0.123 ms  "+draw.Who(lang, c.By)+"  ", c.Words(lang), width) + "\n")
			}
			draw.Explain(&buf, res.Ladder, res.Record, lang, draw.PlainText, draw.Context{Note: Note(lang, res), Width: width})
			for _, l := range strings.Split(buf.String(), "\n") {
				if tty.Cells(l) > width {
					t.Errorf("%s at %d: a line %d wide: %s", lang.Code(), width, tty.Cells(l), l)
				}
			}
		}
	}
}
