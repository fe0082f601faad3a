package flows

import (
	"slices"
	"testing"
	"unsafe"
)

// The connection state is most of synfin's memory per open connection
// and of its cache misses per packet (issue 16): a field that pads or
// grows it should be a choice, made here. Issue 25 added the data phase
// (DataPhase, 176 bytes a direction; the window statistics it replaced
// were 24): every segment's RTT, windows, held time. Issue 26 added the
// count of segments from reassembled fragments (8 bytes with its padding)
// the ICMP errors about the connection (ICMPFacts, 64) and the tunnel it came through (56).
func TestConnSize(t *testing.T) {
	for _, c := range []struct {
		name      string
		size, max uintptr
	}{
		{"Conn", unsafe.Sizeof(Conn{}), 1864},
		{"Stream", unsafe.Sizeof(Stream{}), 552},
		{"Handshake", unsafe.Sizeof(Handshake{}), 264},
		{"SynOptions", unsafe.Sizeof(SynOptions{}), 48},
		{"lastSeg", unsafe.Sizeof(lastSeg{}), 32},
		{"DataPhase", unsafe.Sizeof(DataPhase{}), 176},
	} {
		if c.size > c.max {
			t.Errorf("%s is %d bytes, more than its budget of %d", c.name, c.size, c.max)
		}
	}
}

// A reused connection's cold parts keep their memory but none of the
// facts of the connection before.
func TestColdPartsReused(t *testing.T) {
	var s Stream
	for i := range 5 {
		s.addRTT(int64(i+1) * 1e6)
	}
	if got, want := s.RTTKept(), []uint32{1000, 2000, 3000, 4000, 5000}; !slices.Equal(got, want) {
		t.Fatalf("RTTKept = %v, want %v", got, want)
	}
	s.addHole(100, 200)
	s.addHole(300, 350)
	if got := s.missed(); got != 150 {
		t.Fatalf("missed = %d, want 150", got)
	}
	cold := s.cold
	cold.reset()
	s = Stream{cold: cold}
	if got := s.RTTKept(); len(got) != 0 {
		t.Errorf("after reuse RTTKept = %v, want none", got)
	}
	if got := s.missed(); got != 0 {
		t.Errorf("after reuse missed = %d, want 0", got)
	}
	s.addRTT(7e6)
	s.addRTT(8e6)
	s.addRTT(9e6)
	if got, want := s.RTTKept(), []uint32{7000, 8000, 9000}; !slices.Equal(got, want) {
		t.Errorf("after reuse RTTKept = %v, want %v", got, want)
	}
	// Two samples need no cold part at all.
	var small Stream
	small.addRTT(1e6)
	small.addRTT(2e6)
	if small.cold != nil || !slices.Equal(small.RTTKept(), []uint32{1000, 2000}) {
		t.Errorf("two samples: cold %v, kept %v", small.cold, small.RTTKept())
	}
}

// Past maxRTTKept samples the reservoir keeps exactly maxRTTKept.
func TestRTTReservoirBounded(t *testing.T) {
	var s Stream
	for i := range 3 * maxRTTKept {
		s.addRTT(int64(i) * 1000)
	}
	if n := len(s.RTTKept()); n != maxRTTKept {
		t.Errorf("kept %d samples of %d, want %d", n, s.RTTSamples, maxRTTKept)
	}
}

func TestOptionProblems(t *testing.T) {
	for _, c := range []struct {
		opts []byte
		want OptionProblem
		text string
	}{
		{[]byte{2, 4, 5, 0xb4}, OptOK, ""},
		{[]byte{2}, OptLengthMissing, "option length missing"},
		{[]byte{2, 9, 5, 0xb4}, OptLengthOutOfRange, "option length out of range"},
		{[]byte{2, 3, 5}, OptMSSLength, "MSS option length is not 4"},
		{[]byte{3, 4, 7, 0}, OptWScaleLength, "window scale option length is not 3"},
		{[]byte{4, 3, 0}, OptSACKPermLength, "SACK-permitted option length is not 2"},
		{[]byte{8, 6, 0, 0, 0, 1}, OptTSLength, "timestamp option length is not 10"},
	} {
		var o Options
		parseOptions(c.opts, &o)
		if o.Malformed != c.want || o.Malformed.String() != c.text {
			t.Errorf("% x: malformed %d %q, want %d %q", c.opts, o.Malformed, o.Malformed, c.want, c.text)
		}
	}
}

// A handshake's options come back whole from SynOptions: inline when the
// layout is short and carries no list, kept whole beside it otherwise.
func TestSynOptionsKeepEverything(t *testing.T) {
	for _, c := range []struct {
		name  string
		opts  []byte
		whole bool
	}{
		{"Linux", []byte{2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7}, false},
		{"twelve kinds", []byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 5, 0xb4}, false},
		{"thirteen kinds", []byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 5, 0xb4}, true},
		{"unknown kind", []byte{2, 4, 5, 0xb4, 99, 2}, true},
		{"TFO cookie", []byte{2, 4, 5, 0xb4, 34, 10, 1, 2, 3, 4, 5, 6, 7, 8}, true},
		{"TFO request", []byte{2, 4, 5, 0xb4, 34, 2}, false},
	} {
		var o Options
		parseOptions(c.opts, &o)
		var s SynOptions
		s.set(&o)
		if (s.whole != nil) != c.whole {
			t.Errorf("%s: kept whole %v, want %v", c.name, s.whole != nil, c.whole)
		}
		if got := s.Options(); got != o {
			t.Errorf("%s: SynOptions gives back %+v, not %+v", c.name, got, o)
		}
		// What it keeps is its own: the parse may be reused.
		o.Layout[0], o.TFOCookie[0] = 77, 77
		if got := s.Options(); got.Layout[0] == 77 || got.TFOCookie[0] == 77 {
			t.Errorf("%s: SynOptions shares the parse's lists", c.name)
		}
	}
}
