package pipeline

import (
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/flows"
)

// TestNotes: packets of an encapsulation not decoded to IP are named per
// link type; ARP and UDP are not; a capture without any TCP says what it
// held, most common first.
func TestNotes(t *testing.T) {
	st := Stats{Packets: 40, NotTCP: 40, Stops: map[flows.Stop]int{
		{Link: layers.LinkTypePPP, Layer: layers.LayerTypePPP, Proto: 0x0031}:   12,
		{Link: layers.LinkTypeEthernet, Layer: layers.LayerTypeIPv4, Proto: 17}: 20,
	}}
	got := strings.Join(st.Notes("x.pcap"), "\n")
	want := "x.pcap: 12 packets of link type 9 (PPP) not decoded to IP: PPP protocol 0x0031 (12)\n" +
		"x.pcap: no TCP in its 40 packets: UDP (20), PPP protocol 0x0031 (12)"
	if got != want {
		t.Errorf("notes:\n%s\nwant\n%s", got, want)
	}
	st.Segments = 5
	delete(st.Stops, flows.Stop{Link: layers.LinkTypePPP, Layer: layers.LayerTypePPP, Proto: 0x0031})
	if n := st.Notes("x.pcap"); len(n) != 0 {
		t.Errorf("UDP beside TCP gives notes %q", n)
	}
}
