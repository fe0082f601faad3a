package capture

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// TestCaptureReadDoesNotAllocate checks the reader side of the hot path for
// classic pcap and pcapng.
func TestCaptureReadDoesNotAllocate(t *testing.T) {
	for _, path := range []string{"../../testdata/lab/27_bidir_loss.pcap", "../../testdata/lab/18_nano_pcapng.pcapng"} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Open(path, bytes.NewReader(bytes.Repeat(b, 1)))
		if err != nil {
			t.Fatal(err)
		}
		var p Packet
		_ = c.Next(&p)
		allocs := testing.AllocsPerRun(10, func() {
			if err := c.Next(&p); err != nil && err != io.EOF {
				t.Fatal(err)
			}
		})
		if allocs > 0 {
			t.Errorf("%s: %.1f allocations per packet read, want 0", path, allocs)
		}
	}
}
