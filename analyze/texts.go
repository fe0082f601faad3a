package analyze

import (
	"net/netip"
	"unsafe"
)

// texts makes a record's strings without one allocation each. A nil
// *texts allocates as usual.
type texts struct {
	// buf is where address strings are written: strings point into it and
	// its bytes are never written again, so they stay valid and immutable
	// for as long as anything refers to them; a full buf is left to those
	// strings and a new one started.
	buf []byte
	// common holds the short strings that repeat (histories, SF counts),
	// each allocated once.
	common map[string]string
	// rtt is the reused buffer of a record's RTT samples.
	rtt []uint32
}

// rttBuffer returns an empty buffer for a record's RTT samples: reused
// with an Analyzer, fresh without.
func (t *texts) rttBuffer() []uint32 {
	if t == nil {
		return nil
	}
	return t.rtt[:0]
}

const (
	textsChunk = 64 << 10
	maxCommon  = 4096
)

func (t *texts) addrPort(ap netip.AddrPort) string {
	if t == nil {
		return ap.String()
	}
	const longest = len("[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%") + 64 + len("]:65535")
	if cap(t.buf)-len(t.buf) < longest {
		// Chunks grow from 1 KiB: a capture of a few connections (a batch
		// reads thousands) should not cost 64 KiB.
		t.buf = make([]byte, 0, min(textsChunk, max(1<<10, 2*cap(t.buf))))
	}
	start, capBefore := len(t.buf), cap(t.buf)
	t.buf = ap.AppendTo(t.buf)
	if cap(t.buf) != capBefore {
		// A zone longer than longest grew buf into a new array: give this
		// string its own copy and start afresh.
		s := string(t.buf[start:])
		t.buf = nil
		return s
	}
	return unsafe.String(&t.buf[start], len(t.buf)-start)
}

// intern returns b as a string, the same string for the same bytes.
func (t *texts) intern(b []byte) string {
	if t == nil {
		return string(b)
	}
	if s, ok := t.common[string(b)]; ok {
		return s
	}
	s := string(b)
	if t.common == nil {
		t.common = make(map[string]string)
	}
	if len(t.common) < maxCommon {
		t.common[s] = s
	}
	return s
}
