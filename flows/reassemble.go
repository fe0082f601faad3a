package flows

import "sort"

// Reassembler puts one direction's payload back in sequence order, for
// writing streams to files. Segments that arrive ahead of a gap wait, up
// to MaxPending bytes; past that, or at the end, the gap is given up and
// reported, and what waited behind it follows. Retransmitted bytes are
// written once.
type Reassembler struct {
	// Out receives the bytes in order; Gap is told of n bytes never seen,
	// before the bytes that follow them.
	Out func(b []byte)
	Gap func(n uint32)
	// MaxPending bounds the bytes held waiting for a gap to fill.
	MaxPending int

	started bool
	next    Seq
	pending []chunk
	held    int
}

type chunk struct {
	seq  Seq
	data []byte
}

// DefaultMaxPending is the bytes a direction may hold behind a gap.
const DefaultMaxPending = 1 << 20

// Start sets the sequence number the stream begins at (its ISN plus one),
// so that a first segment arriving out of order is not taken for the
// beginning.
func (r *Reassembler) Start(seq Seq) {
	if !r.started {
		r.started, r.next = true, seq
	}
}

// Add gives the reassembler a segment's payload starting at seq; data is
// copied if it must wait.
func (r *Reassembler) Add(seq Seq, data []byte) {
	if len(data) == 0 {
		return
	}
	if !r.started {
		r.started, r.next = true, seq
	}
	end := seq.Add(uint32(len(data)))
	switch {
	case end.LessThanEq(r.next):
		return // all seen before
	case seq.LessThanEq(r.next):
		r.Out(data[seq.Size(r.next):])
		r.next = end
		r.drain()
		return
	}
	// Ahead of a gap: wait, in sequence order.
	i := sort.Search(len(r.pending), func(i int) bool { return seq.LessThan(r.pending[i].seq) })
	r.pending = append(r.pending, chunk{})
	copy(r.pending[i+1:], r.pending[i:])
	r.pending[i] = chunk{seq, append([]byte(nil), data...)}
	r.held += len(data)
	max := r.MaxPending
	if max <= 0 {
		max = DefaultMaxPending
	}
	for r.held > max && len(r.pending) > 0 {
		r.skip()
	}
}

// Flush gives up every gap still open and writes what waited.
func (r *Reassembler) Flush() {
	for len(r.pending) > 0 {
		r.skip()
	}
}

// skip declares the gap before the first waiting chunk lost.
func (r *Reassembler) skip() {
	first := r.pending[0]
	if r.next.LessThan(first.seq) {
		r.Gap(r.next.Size(first.seq))
		r.next = first.seq
	}
	r.drain()
}

// drain writes the waiting chunks that now continue the stream.
func (r *Reassembler) drain() {
	for len(r.pending) > 0 {
		c := r.pending[0]
		if r.next.LessThan(c.seq) {
			return
		}
		r.pending = r.pending[1:]
		r.held -= len(c.data)
		if end := c.seq.Add(uint32(len(c.data))); r.next.LessThan(end) {
			r.Out(c.data[c.seq.Size(r.next):])
			r.next = end
		}
	}
}

// Held returns the bytes waiting behind a gap.
func (r *Reassembler) Held() int { return r.held }

// Missing tells the reassembler that n bytes at seq were sent but not
// captured (a snaplen cut the segment): when they are next in order they
// become a gap at once instead of holding back what follows.
func (r *Reassembler) Missing(seq Seq, n uint32) {
	if n == 0 || !r.started || seq != r.next {
		return
	}
	r.Gap(n)
	r.next = seq.Add(n)
	r.drain()
}
