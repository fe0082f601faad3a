package flows

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCapture feeds arbitrary bytes to the capture reader, decoder and
// connection table: whatever the input, reading must end in io.EOF or an
// error, never a panic or a hang. Crashers found are kept in
// testdata/fuzz/FuzzCapture as regression cases.
func FuzzCapture(f *testing.F) {
	for _, glob := range []string{"../testdata/bad/*", "../testdata/compressed/*", "../testdata/lab/06_refused.pcap", "../testdata/lab/18_nano_pcapng.pcapng", "../testdata/lab/17a_any_sll2.pcap"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Open("fuzz", bytes.NewReader(b))
		if err != nil {
			return
		}
		defer c.Close()
		dec := NewDecoder()
		tab := NewTable(func(*Conn) {})
		var p Packet
		var seg Segment
		for i := 0; i < 10000; i++ {
			if c.Next(&p) != nil {
				break
			}
			if dec.Decode(&p, &seg) == nil {
				tab.Observe(&seg)
			}
		}
		tab.Flush()
	})
}

// FuzzDecode feeds arbitrary frames of every supported link type to the
// decoder and the table.
func FuzzDecode(f *testing.F) {
	for _, p := range readPackets(f, "../testdata/lab/10_tfo.pcap") {
		f.Add(uint16(1), p)
	}
	for _, p := range readPackets(f, "../testdata/lab/17a_any_sll2.pcap") {
		f.Add(uint16(276), p)
	}
	f.Fuzz(func(t *testing.T, link uint16, b []byte) {
		dec := NewDecoder()
		tab := NewTable(func(*Conn) {})
		var seg Segment
		for _, lt := range []uint16{link, 0, 1, 101, 113, 276, 239, 9, 10, 127} {
			p := Packet{Data: b, Link: linkType(lt), Index: 1}
			if dec.Decode(&p, &seg) == nil {
				tab.Observe(&seg)
			}
		}
		tab.Flush()
	})
}
