package flows

import (
	"math"
	"testing"
)

// TestRFC6298ByHand: five samples through the estimator against the
// RFC 6298 arithmetic done by hand (α = 1/8, β = 1/4, K = 4, RTO ≥ 1 s).
func TestRFC6298ByHand(t *testing.T) {
	const msec = 1e6
	var e RTTEstimator
	for _, c := range []struct {
		r                 float64 // ms
		srtt, rttvar, rto float64 // ms, by hand
	}{
		{100, 100, 50, 1000},                                   // first: SRTT = R, RTTVAR = R/2; 100+200 < 1 s
		{120, 102.5, 42.5, 1000},                               // RTTVAR = .75*50+.25*|100-120|; SRTT = .875*100+.125*120
		{80, 99.6875, 37.5, 1000},                              // .75*42.5+.25*22.5; .875*102.5+.125*80
		{400, 137.2265625, 103.203125, 1000},                   // .75*37.5+.25*300.3125; .875*99.6875+.125*400
		{1000, 245.0732421875, 293.095703125, 1417.4560546875}, // .75*103.203125+.25*862.7734375; .875*137.2265625+125; SRTT+4*RTTVAR
	} {
		srtt, rttvar, rto := e.Sample(int64(c.r * msec))
		for _, x := range []struct {
			name      string
			got, want float64
		}{{"SRTT", float64(srtt) / msec, c.srtt}, {"RTTVAR", float64(rttvar) / msec, c.rttvar}, {"RTO", float64(rto) / msec, c.rto}} {
			if math.Abs(x.got-x.want) > 0.001 {
				t.Errorf("sample %g ms: %s %.6f, by hand %.6f", c.r, x.name, x.got, x.want)
			}
		}
	}
}
