package analyze_test

import (
	"fmt"
	"os"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
)

// Open a capture, follow its TCP connections, and get each one's record:
// the three layers a program uses. capture reads the file (pcap or pcapng,
// compressed or not), flows tracks connections, analyze makes records.
// (The command's pipeline does the same on every core.)
func Example() {
	f, err := os.Open("../testdata/lab/01_plain_client_close.pcap")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	c, err := capture.Open("01_plain_client_close.pcap", f)
	if err != nil {
		panic(err)
	}
	defer c.Close()

	var z analyze.Analyzer
	table := flows.NewTable(func(conn *flows.Conn) {
		r := z.Analyze("01_plain_client_close.pcap", conn) // reused for the next: Clone to keep
		fmt.Printf("conn %d %s → %s: %s, handshake %s in %.3f ms, teardown %s by the %s\n",
			r.Conn, r.Client, r.Server, r.State, r.Handshake.Status, *r.Handshake.RTTms, r.Teardown.Kind, r.Teardown.Closer)
	})
	dec := flows.NewDecoder()
	var pkt capture.Packet
	var seg flows.Segment
	for c.Next(&pkt) == nil {
		if dec.Decode(&pkt, &seg) == nil {
			table.Observe(&seg)
		}
	}
	table.Flush() // the connections still open at the end
	// Output:
	// conn 0 10.77.0.1:52822 → 10.77.0.2:5001: SF, handshake complete in 40.442 ms, teardown three_way by the client
}
