package gcfloor

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestGCPercentFor: a live heap far under the floor collects late (the goal
// is the floor), one over it collects at the given percent, and before any
// collection the goal is the floor through the collector's 4 MiB minimum.
func TestGCPercentFor(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live, roots uint64
		want        int
	}{
		{0, 0, 800},                // before the first collection: 4 MiB × 8 = 32 MiB
		{6 * mib, 11 * mib, 236},   // the corpus: 6 + 11 × 2.36 = 32 MiB
		{1 * mib, 6 * mib, 516},    // 1 + 6 × 5.16 = 32 MiB
		{100 << 10, 5 * mib, 638},  // nearly nothing live: globals dominate
		{30 * mib, 35 * mib, 50},   // a large capture: 30 + 35 × 0.5 > 32 MiB
		{200 * mib, 205 * mib, 50}, // 50,000 open connections
		{21 * mib, 22 * mib, 50},   // 21 + 11 = 32 MiB exactly: the percent
		{20 * mib, 22 * mib, 54},   // 20 + 22 × 0.54 = 32 MiB (rounded down)
	} {
		if got := gcPercentFor(50, 32*mib, c.live, c.roots); got != c.want {
			t.Errorf("live %d roots %d: GOGC %d, want %d", c.live, c.roots, got, c.want)
		}
		if got := gcPercentFor(50, 32*mib, c.live, c.roots); c.live > 0 {
			goal := c.live + c.roots*uint64(got)/100
			if goal > 32*mib+mib && got > 50 {
				t.Errorf("live %d roots %d: goal %d MiB is over the floor", c.live/mib, c.roots/mib, goal/mib)
			}
		}
	}
}

// TestGCTunerPaused: after a collection the tuner sets GOGC, unless a batch
// has paused it to collect by a memory limit with GOGC off.
func TestGCTunerPaused(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	Start(50, 32<<20)
	// collected runs collections until the tuner has had its turn (its
	// finalizer runs after a collection, in its own goroutine).
	collected := func() int {
		for range 20 {
			runtime.GC()
			time.Sleep(5 * time.Millisecond)
		}
		p := debug.SetGCPercent(-1)
		return p
	}
	Paused.Store(true)
	debug.SetGCPercent(-1)
	if p := collected(); p != -1 {
		t.Errorf("paused, the tuner set GOGC %d over the batch's -1", p)
	}
	Paused.Store(false)
	debug.SetGCPercent(-1)
	if p := collected(); p == -1 {
		t.Error("resumed, the tuner did not set GOGC after a collection")
	}
}
