package main

import (
	"os"
	"runtime/debug"

	"github.com/synfin/synfin/internal/gcfloor"
)

// The collector policy. Memory follows concurrent connections; Go's
// default GOGC=100 lets the heap grow to twice what is live. 50 keeps peak
// memory a third lower (63 MiB instead of 83 MiB on the 450 MB perfcap
// capture) for about 8% more time. Below a 32 MiB heap nothing is
// collected (gcfloor), which spares runs over many small captures. GOGC in
// the environment still decides.
const (
	gcPercent    = 50
	gcFloorBytes = 32 << 20
)

// batchHeap is the heap a batch grows to before the collector runs.
const batchHeap = 512 << 20

// collectByLimit sets the collector policy of a batch and returns what
// restores the command's. A batch over thousands of small captures makes a
// little garbage per capture and keeps almost nothing: collecting by a
// memory limit rather than by heap growth spares it a collection every few
// captures, which is most of what kept --jobs 2 from doubling the pace. The
// heap may then grow to batchHeap before the first collection. GOGC or
// GOMEMLIMIT in the environment still decide.
func collectByLimit() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	gcfloor.Paused.Store(true) // the floor would undo this at the first collection
	old := debug.SetGCPercent(-1)
	oldLimit := debug.SetMemoryLimit(batchHeap)
	return func() {
		debug.SetGCPercent(old)
		debug.SetMemoryLimit(oldLimit)
		gcfloor.Paused.Store(false)
	}
}
