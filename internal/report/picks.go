package report

import (
	"sort"

	"github.com/synfin/synfin/analyze"
)

// pick is a connection chosen for a ladder in a report, and why.
type Pick struct {
	Rec    *analyze.Record
	Reason string // message key
}

// normalClose: a complete handshake and a close by FIN both ways.
func normalClose(r *analyze.Record) bool {
	return r.Handshake.Status == analyze.HandshakeComplete && (r.Teardown.Kind == analyze.TeardownFourWay || r.Teardown.Kind == analyze.TeardownThreeWay || r.Teardown.Kind == analyze.TeardownSimultaneous)
}

// pickRules are the kinds of connection a report draws, in order, each
// with the reason it gives; the reason must be true of the first
// connection, by conn, of which it holds.
var pickRules = []struct {
	key string
	is  func(r *analyze.Record) bool
}{
	{"report.pick.textbook", func(r *analyze.Record) bool {
		return normalClose(r) && r.Handshake.SynCount == 1 && r.Teardown.DataAfterFin == 0
	}},
	{"report.pick.refused", func(r *analyze.Record) bool { return r.Handshake.Status == analyze.HandshakeRejected }},
	{"report.pick.synretx", func(r *analyze.Record) bool { return r.Handshake.SynCount > 1 }},
	{"report.pick.reset", func(r *analyze.Record) bool {
		return r.Teardown.Kind == analyze.TeardownReset && r.Handshake.Status != analyze.HandshakeRejected
	}},
	{"report.pick.halfclose", func(r *analyze.Record) bool {
		return r.Teardown.Kind == analyze.TeardownHalfClosed || r.Teardown.DataAfterFin > 0 && r.Teardown.Kind != analyze.TeardownReset
	}},
	// Failing a textbook one, any normal close not drawn already.
	{"report.pick.complete", normalClose},
}

// Representatives chooses the connections a report draws: the first
// textbook one (complete handshake at the first try, normal close), then
// the first of each abnormal kind a student is asked to explain. A
// connection is drawn once, under the first reason it fits; a kind whose
// only example is already drawn adds nothing.
func Representatives(recs []analyze.Record) []Pick {
	var picks []Pick
	taken := map[*analyze.Record]bool{}
	done := map[string]bool{}
	for _, rule := range pickRules {
		if done[rule.key] {
			continue
		}
		// The first connection of the kind, so that the reason is true of
		// it; drawn already under another reason, the kind adds nothing.
		for i := range recs {
			if r := &recs[i]; rule.is(r) {
				if !taken[r] {
					taken[r], done[rule.key] = true, true
					picks = append(picks, Pick{r, rule.key})
				}
				break
			}
		}
	}
	if len(picks) == 0 && len(recs) > 0 {
		picks = append(picks, Pick{&recs[0], "report.pick.first"})
	}
	// The normal connection first, as a textbook shows it before the
	// exceptions.
	sort.SliceStable(picks, func(i, j int) bool {
		normal := func(k string) bool { return k == "report.pick.textbook" || k == "report.pick.complete" }
		return normal(picks[i].Reason) && !normal(picks[j].Reason)
	})
	return picks
}
