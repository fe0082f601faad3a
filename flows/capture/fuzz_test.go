package capture_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
)

// FuzzCapture feeds arbitrary bytes to the capture reader, decoder and
// connection table: whatever the input, reading must end in io.EOF or an
// error, never a panic or a hang. Crashers found are kept in
// testdata/fuzz/FuzzCapture as regression cases.
func FuzzCapture(f *testing.F) {
	for _, glob := range []string{"../../testdata/bad/*", "../../testdata/compressed/*", "../../testdata/lab/06_refused.pcap", "../../testdata/lab/18_nano_pcapng.pcapng", "../../testdata/lab/17a_any_sll2.pcap"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
	capture.SetDecompressLimit(16 << 20)
	f.Fuzz(func(t *testing.T, b []byte) {
		// Never a hang: the fuzzer records an input that takes too long as
		// a failure, with the input kept.
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				panic("FuzzCapture: one input took more than 10 s")
			}
		}()
		c, err := capture.Open("fuzz", bytes.NewReader(b))
		if err != nil {
			return
		}
		defer c.Close()
		dec := flows.NewDecoder()
		tab := flows.NewTable(func(*flows.Conn) {})
		var p capture.Packet
		var seg flows.Segment
		// A small compressed input can expand to gigabytes of legitimate
		// records; reading them takes time in proportion, so the harness
		// stops after 4 MiB of packet data to keep executions short.
		for i, total := 0, 0; i < 10000 && total < 4<<20; i++ {
			if c.Next(&p) != nil {
				break
			}
			total += len(p.Data)
			if dec.Decode(&p, &seg) == nil {
				tab.Observe(&seg)
			}
		}
		tab.Flush()
	})
}
