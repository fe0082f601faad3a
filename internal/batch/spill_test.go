package batch

import (
	"bytes"
	"io"
	"testing"
)

// TestSpill: what is written comes back whole through reader (Read and
// WriteTo both), across chunk boundaries and past spillAt into the
// temporary file, and the memory held is given back on close.
func TestSpill(t *testing.T) {
	all := new(holding)
	before := all.n.Load()
	for _, size := range []int{0, 1, spillChunk - 1, spillChunk, spillChunk + 1, 3*spillChunk + 17, spillAt + spillChunk} {
		want := make([]byte, size)
		for i := range want {
			want[i] = byte(i * 7)
		}
		for _, viaCopy := range []bool{false, true} {
			s := newSpill(all)
			// Writes of odd lengths, as bufio and CSV make them.
			for p := want; len(p) > 0; {
				k := min(len(p), 1000+len(p)%3331)
				if n, err := s.Write(p[:k]); n != k || err != nil {
					t.Fatalf("size %d: Write %d gave %d, %v", size, k, n, err)
				}
				p = p[k:]
			}
			if size > spillAt && s.file == nil {
				t.Errorf("size %d: held in memory past spillAt", size)
			}
			r, err := s.reader()
			if err != nil {
				t.Fatal(err)
			}
			var got []byte
			if viaCopy {
				var b bytes.Buffer
				_, err = io.Copy(&b, r)
				got = b.Bytes()
			} else {
				got, err = io.ReadAll(struct{ io.Reader }{r}) // Read only
			}
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("size %d (copy %v): read back %d bytes, want %d (%v)", size, viaCopy, len(got), len(want), err)
			}
			s.close()
			if h := all.n.Load(); h != before {
				t.Errorf("size %d: %d bytes still counted as held after close", size, h-before)
			}
		}
	}
}
