package analyze

import "github.com/synfin/synfin/flows"

// TeardownKind is how a connection closed (docs/spec.md §4): one of the Teardown
// constants, written as its value (teardown.kind).
type TeardownKind string

// Teardown kinds (docs/spec.md §4).
const (
	TeardownFourWay      TeardownKind = "four_way"     // FIN, an ACK of it, the other FIN, an ACK of that
	TeardownThreeWay     TeardownKind = "three_way"    // the second FIN itself carries the first ACK of the first FIN
	TeardownSimultaneous TeardownKind = "simultaneous" // neither FIN acknowledges the other
	TeardownHalfClosed   TeardownKind = "half_closed"  // one FIN only
	TeardownReset        TeardownKind = "reset"        // an RST came before the close completed
	TeardownOpen         TeardownKind = "open"         // neither FIN nor RST
)

// Closer is who sent the first FIN or, without FINs, the first RST
// (teardown.closer), and who sent the first RST (teardown.rst_by, only
// ever CloserClient or CloserServer): one of the Closer constants, written
// as its value.
type Closer string

// Closers.
const (
	CloserClient Closer = "client"
	CloserServer Closer = "server"
	CloserBoth   Closer = "both" // a simultaneous close
	CloserNone   Closer = "none" // no FIN, no RST
)

// closerOf names the side that sends in direction d.
func closerOf(d flows.Dir) Closer {
	if d == flows.DirClient {
		return CloserClient
	}
	return CloserServer
}

func teardown(c *flows.Conn, a *arena) Teardown {
	cl, sv := &c.Dir[flows.DirClient], &c.Dir[flows.DirServer]
	t := Teardown{
		Kind: TeardownOpen, Closer: CloserNone,
		FinCountClient: int(cl.FinCount), FinCountServer: int(sv.FinCount),
		DataAfterFin: c.DataAfterFin,
	}
	fins := 0
	if cl.FinSeen {
		fins++
	}
	if sv.FinSeen {
		fins++
	}
	rst := cl.RstSeen || sv.RstSeen
	switch {
	case rst && c.RstBeforeClose:
		t.Kind = TeardownReset
	case fins == 2 && c.SimultaneousClose:
		t.Kind = TeardownSimultaneous
	case fins == 2 && c.FinAckedBySecond:
		t.Kind = TeardownThreeWay
	case fins == 2:
		t.Kind = TeardownFourWay
	case fins == 1:
		t.Kind = TeardownHalfClosed
	}
	last := int64(0)
	note := func(ts int64) *Time {
		last = max(last, ts)
		return a.time(Time(ts))
	}
	if fins > 0 {
		f1, f2 := &c.Dir[c.FirstFin], &c.Dir[c.FirstFin.Other()]
		t.Closer = closerOf(c.FirstFin)
		if c.SimultaneousClose {
			t.Closer = CloserBoth
		}
		t.Fin1TS = note(f1.FinTS)
		if f1.FinAcked {
			t.Fin1AckTS = note(f1.FinAckTS)
		}
		if f2.FinSeen {
			t.Fin2TS = note(f2.FinTS)
			if f2.FinAcked {
				t.Fin2AckTS = note(f2.FinAckTS)
			}
		}
	} else if rst {
		t.Closer = closerOf(c.FirstRst)
	}
	if rst {
		r := &c.Dir[c.FirstRst]
		t.RstTS = note(r.RstTS)
		t.RstBy = a.closer(closerOf(c.FirstRst))
	}
	if fins > 0 {
		t.DurationMS = a.float(ms(last - c.Dir[c.FirstFin].FinTS))
	}
	return t
}
