package flows

import (
	"encoding/binary"
	"net/netip"
)

// Key identifies a TCP endpoint pair independent of direction: lo is the
// smaller endpoint, so both directions of a connection map to one key and a
// packet costs a single map lookup. It holds plain bytes, IPv4 addresses in
// their IPv4-mapped IPv6 form, and no pointer, so hashing and comparing it
// is cheap and the garbage collector never scans the table's keys.
type Key struct {
	lo, hi         [16]byte
	loPort, hiPort uint16
}

// KeyOf returns the canonical key of a packet from src to dst, and whether
// src is the key's Hi endpoint.
func KeyOf(src, dst netip.AddrPort) (Key, bool) {
	a, b := src.Addr().As16(), dst.Addr().As16()
	ap, bp := src.Port(), dst.Port()
	if less(a, ap, b, bp) {
		return Key{a, b, ap, bp}, false
	}
	return Key{b, a, bp, ap}, true
}

func less(a [16]byte, ap uint16, b [16]byte, bp uint16) bool {
	if a != b {
		for i := range a {
			if a[i] != b[i] {
				return a[i] < b[i]
			}
		}
	}
	return ap <= bp
}

// MaxShards is the most virtual shards connections are split into (Shard).
const MaxShards = 64

// Shard returns which of n virtual shards (1 to MaxShards) the connection
// belongs to: a fixed hash of the key, the same on every run and machine,
// so that what a shard holds, and so every record, never depends on how
// many workers share the shards out.
func (k Key) Shard(n int) int {
	h := uint64(k.loPort)<<16 | uint64(k.hiPort)
	for _, w := range [4]uint64{
		binary.LittleEndian.Uint64(k.lo[:8]), binary.LittleEndian.Uint64(k.lo[8:]),
		binary.LittleEndian.Uint64(k.hi[:8]), binary.LittleEndian.Uint64(k.hi[8:]),
	} {
		h = (h ^ w) * 0x9e3779b97f4a7c15
		h ^= h >> 29
	}
	return int(h % uint64(n))
}

// Lo returns the smaller endpoint.
func (k Key) Lo() netip.AddrPort { return netip.AddrPortFrom(netip.AddrFrom16(k.lo).Unmap(), k.loPort) }

// Hi returns the larger endpoint.
func (k Key) Hi() netip.AddrPort { return netip.AddrPortFrom(netip.AddrFrom16(k.hi).Unmap(), k.hiPort) }

// Dir is the direction of a packet relative to the connection's client.
type Dir uint8

// Directions. DirClient means "sent by the client".
const (
	DirClient Dir = iota
	DirServer
)

// Other returns the opposite direction.
func (d Dir) Other() Dir { return d ^ 1 }

// String names the sender.
func (d Dir) String() string {
	if d == DirClient {
		return "client"
	}
	return "server"
}
