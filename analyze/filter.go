package analyze

import (
	"net/netip"
	"slices"
	"strings"
)

// Filter selects records by connection number, Zeek state, port and host
// (the --conn, --state, --port, --host flags); an empty list selects all.
// A record passes when it passes every list that is not empty: its Conn is
// one of Conns, its State one of States (compared case-insensitively), the
// port of its client or server one of Ports, and the address of its client
// or server one of Hosts (netip.Addr equality: an IPv4 address does not
// match its IPv4-mapped IPv6 form, and zones must agree).
type Filter struct {
	Conns  []int
	States []string
	Ports  []int
	Hosts  []netip.Addr
}

// Match reports whether r passes f. For a record made by Analyze or an
// Analyzer it parses nothing: the record keeps the addresses its Client
// and Server were written from. Any other record (decoded from JSON, say)
// has its Client and Server parsed, and one that does not parse has port
// 0 and the zero address.
func (f *Filter) Match(r *Record) bool {
	if len(f.Conns) > 0 && !slices.Contains(f.Conns, r.Conn) {
		return false
	}
	if len(f.States) > 0 && !slices.ContainsFunc(f.States, func(s string) bool { return strings.EqualFold(s, string(r.State)) }) {
		return false
	}
	if len(f.Ports) == 0 && len(f.Hosts) == 0 {
		return true
	}
	c, s, _ := r.endpoints()
	if len(f.Ports) > 0 && !slices.ContainsFunc(f.Ports, func(p int) bool { return int(c.Port()) == p || int(s.Port()) == p }) {
		return false
	}
	if len(f.Hosts) > 0 && !slices.ContainsFunc(f.Hosts, func(h netip.Addr) bool { return c.Addr() == h || s.Addr() == h }) {
		return false
	}
	return true
}

// endpoints are the record's client and server: parsed when the record
// was made, or, for one read back (JSON), from its strings.
func (r *Record) endpoints() (client, server netip.AddrPort, ok bool) {
	client, server = r.client, r.server
	if !client.IsValid() || !server.IsValid() {
		client, _ = netip.ParseAddrPort(r.Client)
		server, _ = netip.ParseAddrPort(r.Server)
	}
	return client, server, client.IsValid() && server.IsValid()
}
