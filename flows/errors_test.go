package flows

import (
	"errors"
	"testing"
)

// TestInWords: gopacket's texts for the damage the corpus holds come out
// in synfin's words, with their numbers; a text it does not know is kept.
func TestInWords(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Invalid (too small) IP header length (2 < 5)", "IPv4 header length field 2 (8 bytes), below the minimum of 5 (20 bytes)"},
		{"Invalid (too small) IP length (12 < 20)", "IPv4 total length 12, shorter than the 20 bytes of its own header"},
		{"Invalid IP header length > IP length (15 > 40)", "IPv4 header of 60 bytes, longer than the packet's total length 40"},
		{"Not all IP header bytes available", "IPv4 header cut short: the capture ends inside it"},
		{"Invalid ip6 header. Length 12 less than 40", "IPv6 header cut short: 12 of its 40 bytes"},
		{"IPv6 length 0, but next header is NoNextHeader, not HopByHop", "IPv6 payload length 0 (a jumbogram) without the hop-by-hop header that must give its length"},
		{"IP option length exceeds remaining IP header size, option type 195 length 159", "IPv4 option 195 claims 159 bytes, more than its header has left"},
		{"Linux SLL invalid address length 22", "Linux cooked-capture (SLL) header with an address length of 22, more than 8"},
		{"GTP packet too small: 36 bytes", "GTP-U header cut short: 36 bytes"},
		{"something gopacket says", "something gopacket says"},
	} {
		got := InWords(errors.New(c.in))
		if got.Error() != c.want {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
		if c.in != c.want && !IsDamage(got) {
			t.Errorf("%q: worded, it no longer counts as damage", c.in)
		}
	}
}
