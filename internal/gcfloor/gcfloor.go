// Package gcfloor is the mechanism behind synfin's collector policy (the
// numbers are main's): GOGC of the live heap, but no collection below a
// floor. It imports nothing of synfin.
package gcfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// Start runs the collector at percent (GOGC) of the live heap, as
// SetGCPercent does, but lets the heap grow to floor bytes before
// collecting whatever the live heap is.
//
// Why: GOGC=50 keeps one large capture's peak low (its live heap is tens
// of megabytes), but over many small captures the live heap is a few
// megabytes and GOGC=50 collects every two or three: 24 collections over
// the corpus with --jobs 2, half again as much CPU as the analysis. A floor
// leaves large captures at GOGC=50 and spares small ones.
//
// How: after each collection (a finalizer on a sentinel object runs then)
// the live heap is read and GOGC set so that the next goal is
// max(live×(1+percent/100), floor).
func Start(percent int, floor uint64) {
	t := &gcTuner{percent: percent, floor: floor, set: -1}
	t.sample = []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/globals:bytes"}, {Name: "/gc/scan/stack:bytes"}}
	t.tune()
}

// Paused, while set, leaves GOGC to whoever set it: a batch collects by
// a memory limit instead, and the tuner, run at the first collection,
// would otherwise undo that.
var Paused atomic.Bool

type gcTuner struct {
	percent int
	floor   uint64
	set     int // the GOGC last set
	sample  []metrics.Sample
}

// gcSentinel is collected, and its finalizer run, once per collection.
// It is larger than the 16 bytes the tiny allocator packs together, whose
// finalizers may never run.
type gcSentinel struct{ _ [32]byte }

func (t *gcTuner) tune() {
	defer runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) { t.tune() })
	if Paused.Load() {
		t.set = -2 // unknown: set again when resumed
		return
	}
	metrics.Read(t.sample)
	var v [3]uint64
	for i, sm := range t.sample {
		if sm.Value.Kind() != metrics.KindUint64 {
			// A runtime without the metric: plain GOGC.
			if t.set != t.percent {
				debug.SetGCPercent(t.percent)
				t.set = t.percent
			}
			return
		}
		v[i] = sm.Value.Uint64()
	}
	p := gcPercentFor(t.percent, t.floor, v[0], v[0]+v[1]+v[2])
	if p != t.set {
		debug.SetGCPercent(p)
		t.set = p
	}
}

// gcPercentFor is the GOGC that makes the collector's next goal
// max(live + roots×percent/100, floor), where roots is what the collector
// scans (the live heap, globals and stacks) and live 0 means no collection
// yet. The goal is live + roots×GOGC/100 and at least 4 MiB×GOGC/100
// (before the first collection, just that), so GOGC is at most
// floor/4 MiB, which keeps that minimum within the floor.
func gcPercentFor(percent int, floor, live, roots uint64) int {
	most := int(100 * floor / (4 << 20))
	if live == 0 {
		return most
	}
	if live+roots*uint64(percent)/100 >= floor {
		return percent
	}
	return max(percent, min(most, int(100*(floor-live)/roots)))
}
