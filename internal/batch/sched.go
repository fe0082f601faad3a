package batch

import (
	"context"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/synfin/synfin/internal/inputs"
)

// sched hands a batch's captures to its workers and writes their
// records in input order, with no goroutine of its own: a worker takes the
// next capture under a lock, and the worker that finishes the capture the
// output waits for writes it, and every capture after it that is done.
//
// Why not a producer and a writer goroutine fed by channels: with small
// captures, waking them for each capture cost more than reading it (the
// corpus's 934 captures made 950 context switches, and --jobs 1 spent a
// third more CPU than reading the same files one after another).
type sched struct {
	ctx      context.Context
	jobs     int
	manifest *Manifest           // captures it names are passed over; nil: none
	skipped  *atomic.Int64       // counts them
	members  *inputs.Budget      // tar members held in memory
	write    func(*unit, result) // writes one capture; one writer at a time
	// sniff: the workers open each file to see whether it is an archive
	// (batch); without it, every input is a capture, opened by its Open.
	sniff bool

	mu   sync.Mutex
	cond *sync.Cond // work appeared, the writer moved on, or the batch ended

	files    []inputs.Input
	nextFile int           // the next file to hand out
	turn     int           // the files before it are settled: not archives, or read
	settled  map[int]bool  // files from turn on that are settled
	waiting  []*archiveRun // archives found, waiting for their turn to be read
	sniffing int           // files handed out, not yet known to be captures or archives
	archives []*archiveRun // archives with captures still to hand out, in input order
	inFlight int           // files and members handed out, not yet written
	window   int           // how many may be, unless it is the one the writer waits for

	slots   map[int]*slot // files finished, or found to be archives, by place
	cur     int           // the file written next
	curMem  int           // in an archive, the member written next
	writing bool          // a worker is writing
	ready   []unitResult  // reused between writes
}

// archiveRun is an archive being read: expand sends its captures, in
// order, on members, and closes it after the last.
type archiveRun struct {
	kind    inputs.ArchiveKind
	top     int
	start   chan struct{} // closed when the archives before it are read
	members chan *unit
	handed  int  // captures handed out so far
	total   int  // captures in all, once members is closed; -1 before
	closed  bool // members was found closed
}

// slot is what the writer finds at a file's place: its result, or,
// for an archive, its captures' results by member.
type slot struct {
	unitResult
	members map[int]unitResult
}

type unitResult struct {
	u *unit
	r result
}

// newSched hands out files, each a capture or (with sniff) perhaps an
// archive, to jobs workers, at most window per worker ahead of the one
// the output waits for; write gets their results in input order.
func newSched(ctx context.Context, jobs, window int, files []inputs.Input, write func(*unit, result)) *sched {
	s := &sched{ctx: ctx, jobs: jobs, write: write, files: files, skipped: new(atomic.Int64),
		window: window * jobs, slots: map[int]*slot{}, settled: map[int]bool{}}
	s.cond = sync.NewCond(&s.mu)
	// A stop wakes the workers waiting for work, so that they end.
	context.AfterFunc(ctx, s.wake)
	return s
}

// wake tells waiting workers that something changed. Taking the lock
// first means none of them is between looking and waiting.
func (s *sched) wake() {
	s.mu.Lock()
	s.cond.Broadcast()
	s.mu.Unlock()
}

// next returns the capture a worker should read next (a file, whose kind
// the worker finds out, or a member of an archive), waiting while there is
// none yet; nil when there is no more or the batch was stopped.
func (s *sched) next() *unit {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.ctx.Err() == nil {
		if u := s.take(); u != nil {
			return u
		}
		if s.nextFile == len(s.files) && s.sniffing == 0 && len(s.archives) == 0 {
			return nil
		}
		s.cond.Wait()
	}
	return nil
}

// take hands out the earliest capture ready: the next of an archive
// (earliest archives first), else the next file.
func (s *sched) take() *unit {
	for i := 0; i < len(s.archives); i++ {
		a := s.archives[i]
		if !s.mayHand(a.top, a.handed) {
			continue
		}
		select {
		case m, ok := <-a.members:
			if !ok {
				// Read to the end: the writer can pass it once its
				// captures are written.
				a.closed, a.total = true, a.handed
				s.archives = append(s.archives[:i], s.archives[i+1:]...)
				s.writeReady()
				// Writing let go of the lock: look again from the start.
				i = -1
				continue
			}
			m.top, m.member = a.top, a.handed
			a.handed++
			s.inFlight++
			return m
		default:
		}
	}
	if s.nextFile < len(s.files) && s.mayHand(s.nextFile, -1) {
		top := s.nextFile
		u := &unit{in: s.files[top], entry: entry{Input: s.files[top].Name}, top: top, member: -1,
			settle: func() { s.settleFile(top) }}
		s.nextFile++
		s.sniffing++
		s.inFlight++
		return u
	}
	return nil
}

// mayHand says whether a capture may be handed out: while fewer than the
// window are in flight, and always when it is the one the writer waits
// for, so that the output never waits on a capture held back.
func (s *sched) mayHand(top, member int) bool {
	if s.inFlight < s.window || top != s.cur {
		return s.inFlight < s.window
	}
	return member < 0 || member == s.curMem
}

// finish takes a worker's result and writes what can be written.
func (s *sched) finish(u *unit, r result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.member < 0 {
		s.sniffing--
		sl := &slot{unitResult: unitResult{u, r}}
		if a := r.archive; a != nil {
			a.top, a.total = u.top, -1
			sl.members = map[int]unitResult{}
			// In input order among the archives being read.
			i := len(s.archives)
			for i > 0 && s.archives[i-1].top > a.top {
				i--
			}
			s.archives = append(s.archives, nil)
			copy(s.archives[i+1:], s.archives[i:])
			s.archives[i] = a
			a.start = make(chan struct{})
			go s.expand(u, a)
			s.waiting = append(s.waiting, a)
			s.startTurn()
		}
		s.slots[u.top] = sl
	} else {
		s.slots[u.top].members[u.member] = unitResult{u, r}
	}
	s.writeReady()
	s.cond.Broadcast()
}

// writeReady writes, in order, every capture whose turn has come, unless
// another worker is writing (it will find them). It is called with the
// lock held and lets go of it while writing.
func (s *sched) writeReady() {
	if s.writing {
		return
	}
	s.writing = true
	for {
		var passed int
		s.ready, passed = s.takeReady(s.ready[:0])
		if passed == 0 {
			break
		}
		s.mu.Unlock()
		for _, d := range s.ready {
			s.write(d.u, d.r)
		}
		s.mu.Lock()
		s.inFlight -= passed
		s.cond.Broadcast()
	}
	clear(s.ready) // written: nothing here should keep them
	s.writing = false
}

// takeReady collects the results whose turn has come and moves the writer
// past them; passed counts them and the archives passed whole.
func (s *sched) takeReady(ready []unitResult) (_ []unitResult, passed int) {
	for {
		sl := s.slots[s.cur]
		if sl == nil {
			return ready, passed
		}
		if sl.members == nil {
			ready = append(ready, sl.unitResult)
		} else if d, ok := sl.members[s.curMem]; ok {
			ready = append(ready, d)
			delete(sl.members, s.curMem)
			s.curMem++
			passed++
			continue
		} else if a := sl.r.archive; !a.closed || s.curMem < a.total {
			return ready, passed
		}
		delete(s.slots, s.cur)
		s.cur++
		s.curMem = 0
		passed++
	}
}

// settleFile records that file top is not an archive, or has been read,
// and starts the archive whose turn that makes it.
func (s *sched) settleFile(top int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settled[top] = true
	for s.settled[s.turn] {
		delete(s.settled, s.turn)
		s.turn++
	}
	s.startTurn()
	s.cond.Broadcast()
}

// startTurn lets the archive at the turn be read. Called with the lock.
func (s *sched) startTurn() {
	for i, a := range s.waiting {
		if a.top == s.turn {
			close(a.start)
			s.waiting = append(s.waiting[:i], s.waiting[i+1:]...)
			return
		}
	}
}

// end frees what a stopped batch leaves, once the workers are done: the
// captures of archives stopped midway, and the records held for captures
// that were analysed but not written.
func (s *sched) end() {
	for _, a := range s.archives {
		for m := range a.members {
			if m.skip != nil {
				m.skip()
			}
		}
	}
	for top, sl := range s.slots {
		sl.r.release()
		for _, d := range sl.members {
			d.r.release()
		}
		delete(s.slots, top)
	}
}

// expand reads an archive, sending its captures in order on a.members,
// after the archives before it: one archive is read at a time, as its
// members wait in memory (s.members) until they are analysed.
func (s *sched) expand(u *unit, a *archiveRun) {
	defer func() {
		close(a.members)
		s.settleFile(a.top)
	}()
	<-a.start
	if s.ctx.Err() != nil {
		return
	}
	name := u.in.Name
	offer := func(m *unit) bool {
		if s.manifest.has(m.entry) {
			s.skipped.Add(1)
			if m.skip != nil {
				m.skip()
			}
			return true
		}
		select {
		case a.members <- m:
			s.wake()
			return true
		case <-s.ctx.Done():
			if m.skip != nil {
				m.skip()
			}
			return false
		}
	}
	member := func(m string, open func() (io.Reader, func(), error), skip func()) bool {
		return offer(&unit{in: inputs.Input{Name: m, Open: open}, skip: skip,
			entry: entry{Input: name, Member: strings.TrimPrefix(m, name+inputs.MemberSep), Identity: u.entry.Identity}})
	}
	if err := inputs.Members(a.kind, name, s.members, member); err != nil {
		// The archive is unreadable, or damaged after some members:
		// reported in its place, and the batch goes on.
		offer(failed(name, err))
	}
}
