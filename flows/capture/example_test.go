package capture_test

import (
	"fmt"
	"os"

	"github.com/synfin/synfin/flows/capture"
)

// Open sniffs the format and the compression from the first bytes, never
// the name; Next reads the packets, and an error names the packet and the
// byte offset of its record.
func ExampleOpen() {
	f, err := os.Open("../../testdata/compressed/demo.pcap.gz")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	c, err := capture.Open("demo.pcap.gz", f)
	if err != nil {
		panic(err)
	}
	defer c.Close()
	var pkt capture.Packet
	n := 0
	for c.Next(&pkt) == nil {
		n++
	}
	fmt.Printf("%s, %s compressed: %d packets\n", c.Format, c.Compression, n)
	// Output:
	// pcap, gzip compressed: 21 packets
}
