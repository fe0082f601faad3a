package flows

import "net/netip"

// Key identifies a TCP endpoint pair independent of direction: Lo is the
// smaller endpoint, so both directions of a connection map to one key and a
// packet costs a single map lookup. netip.AddrPort is comparable and holds no
// heap pointers for IPv4 and IPv6 addresses without a zone.
type Key struct {
	Lo, Hi netip.AddrPort
}

// KeyOf returns the canonical key of a packet from src to dst.
func KeyOf(src, dst netip.AddrPort) Key {
	if src.Compare(dst) <= 0 {
		return Key{src, dst}
	}
	return Key{dst, src}
}

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
