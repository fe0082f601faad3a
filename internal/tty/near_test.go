package tty

import "testing"

// TestNearest: the name meant by a mistyped one.
func TestNearest(t *testing.T) {
	flags := []string{"format", "output", "force", "host", "port", "sort", "limit", "lang"}
	columns := []string{"conn", "client", "server", "rtt_ms", "setup_ms", "syn_synack_ms"}
	for _, c := range []struct {
		key   string
		names []string
		want  string
	}{
		{"formt", flags, "format"}, // one edit
		{"hosts", flags, "host"},   // one edit
		{"form", flags, "format"},  // the only name holding it
		{"rtt", columns, "rtt_ms"}, // the only name holding it
		{"synack", columns, "syn_synack_ms"},
		{"zzzzzz", flags, ""}, // nothing near
		{"ms", columns, ""},   // held by three: no guess
	} {
		if got := Nearest(c.key, c.names); got != c.want {
			t.Errorf("Nearest(%q) = %q, want %q", c.key, got, c.want)
		}
	}
}
