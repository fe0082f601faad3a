package batch

import (
	"io"
	"sync"
	"time"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/inputs"
)

// Window is how many captures, per worker, may be in flight ahead of the
// one the output waits for.
const Window = 128

// unit is one capture: a file, or a member of an archive. In a batch
// (sched.sniff), a file is looked into by the worker that opens it, and
// may turn out to be an archive, whose captures then follow it in the
// output.
type unit struct {
	in    inputs.Input
	skip  func() // frees what the unit holds when it is never read (nil: nothing)
	entry entry  // what the manifest records when it is done

	top    int // the file's place among the files
	member int // the member's place in its archive; -1 for a file

	// settle, for a file, tells the scheduler it is not an archive (or
	// will not be read), so that archives after it may be read.
	settle func()
}

// result is what analysing a unit gave, held until its turn to be written.
type result struct {
	res     fileResult
	conns   int
	packets int
	out     *spill                // its records, encoded
	rows    *rows                 // or held for Parquet
	recs    []analyze.Record      // or the records themselves (a sorted view)
	items   []analyze.SummaryItem // or what the summary counts of them
	elapsed time.Duration
	skipped bool        // stopped before it ran
	done    bool        // passed over: the manifest names it as done
	archive *archiveRun // the unit is an archive, read by expand
}

// release frees what a result holds that was never written.
func (r *result) release() {
	if r.out != nil {
		r.out.close()
	}
	if r.rows != nil {
		r.rows.close()
	}
}

// failed is a unit standing for an input that could not be read.
func failed(name string, err error) *unit {
	return &unit{in: inputs.Input{Name: name, Open: func() (io.Reader, func(), error) { return nil, nil, err }},
		entry: entry{Input: name}}
}

// passOn tells the scheduler that u, a file, will not be read as an
// archive.
func passOn(u *unit) {
	if u.settle != nil {
		u.settle()
	}
}

// runSched runs s's workers, taking units from it and analysing them with
// work until there are none, then frees what a stopped run left.
func runSched(s *sched, work func(*unit) result) {
	var wg sync.WaitGroup
	for range s.jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				u := s.next()
				if u == nil {
					return
				}
				s.finish(u, work(u))
			}
		}()
	}
	wg.Wait()
	s.end()
}
