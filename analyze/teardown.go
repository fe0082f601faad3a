package analyze

import "synfin/flows"

// Teardown kinds (SPEC §4).
const (
	KindFourWay      = "four_way"
	KindThreeWay     = "three_way"
	KindSimultaneous = "simultaneous"
	KindHalfClosed   = "half_closed"
	KindReset        = "reset"
	KindOpen         = "open"
)

func teardown(c *flows.Conn, a *arena) Teardown {
	cl, sv := &c.Dir[flows.DirClient], &c.Dir[flows.DirServer]
	t := Teardown{
		Kind: KindOpen, Closer: "none",
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
		t.Kind = KindReset
	case fins == 2 && c.SimultaneousClose:
		t.Kind = KindSimultaneous
	case fins == 2 && c.FinAckedBySecond:
		t.Kind = KindThreeWay
	case fins == 2:
		t.Kind = KindFourWay
	case fins == 1:
		t.Kind = KindHalfClosed
	}
	last := int64(0)
	note := func(ts int64) *Time {
		last = max(last, ts)
		return a.time(Time(ts))
	}
	if fins > 0 {
		f1, f2 := &c.Dir[c.FirstFin], &c.Dir[c.FirstFin.Other()]
		t.Closer = c.FirstFin.String()
		if c.SimultaneousClose {
			t.Closer = "both"
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
		t.Closer = c.FirstRst.String()
	}
	if rst {
		r := &c.Dir[c.FirstRst]
		t.RstTS = note(r.RstTS)
		t.RstBy = a.str(c.FirstRst.String())
	}
	if fins > 0 {
		t.DurationMS = a.float(ms(last - c.Dir[c.FirstFin].FinTS))
	}
	return t
}
