package table

import (
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
)

// TestSortNumbers: pairs sort by their sum, numbers as numbers, and values
// not seen last in either direction.
func TestSortNumbers(t *testing.T) {
	recs := demoRecords(t) // conn 0 and 2 complete (RTT), 1 refused (no RTT)
	for _, c := range []struct {
		key, want string
	}{
		{"-rtt_ms", "0 2 1"}, {"rtt_ms", "2 0 1"}, {"-pkts", "0 2 1"}, {"pkts", "1 2 0"}, {"-bytes", "0 2 1"},
	} {
		rs := append([]analyze.Record(nil), recs...)
		if err := SortBy(rs, "conns", c.key); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rs {
			got = append(got, itoa(r.Conn))
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("--sort %s: %v, want %s", c.key, got, c.want)
		}
	}
	for _, c := range []struct {
		a, b string
		want int
	}{{"9/11", "82/157", -1}, {"998/6783", "407/222173", -1}, {"+23837.369", "+9.1", 1}, {"10", "9", 1}} {
		if got := compareCells(c.a, c.b); got != c.want {
			t.Errorf("compareCells(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
