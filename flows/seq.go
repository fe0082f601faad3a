package flows

// Seq is a TCP sequence number. Comparisons are modulo 2^32 (RFC 9293 §3.4):
// a is before b when the signed 32-bit difference a-b is negative, so
// numbers keep their order across the wrap from 2^32-1 to 0.
type Seq uint32

// LessThan reports whether s comes before w in sequence space.
func (s Seq) LessThan(w Seq) bool { return int32(s-w) < 0 }

// LessThanEq reports whether s is w or comes before it.
func (s Seq) LessThanEq(w Seq) bool { return s == w || s.LessThan(w) }

// Add returns s advanced by n octets.
func (s Seq) Add(n uint32) Seq { return s + Seq(n) }

// Size returns the number of octets from s to w (w - s), which is
// meaningful only when s is not after w.
func (s Seq) Size(w Seq) uint32 { return uint32(w - s) }
