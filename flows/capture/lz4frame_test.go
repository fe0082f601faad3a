package capture

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/pierrec/lz4/v4"
)

// lz4Input is real capture bytes, several MB: testdata's uncompressed
// captures one after another (and what the lz4 command cannot compress:
// the gzip-compressed ones, stored as they are).
func lz4Input(t testing.TB) []byte {
	var all []byte
	filepath.Walk("../../testdata", func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() && (filepath.Ext(p) == ".pcap" || filepath.Ext(p) == ".pcapng" || filepath.Ext(p) == ".gz") {
			b, _ := os.ReadFile(p)
			all = append(all, b...)
		}
		return nil
	})
	if len(all) < 1<<20 {
		t.Fatalf("testdata gives %d bytes", len(all))
	}
	return all
}

func lz4Command(t *testing.T, in []byte, flags ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("lz4"); err != nil {
		t.Skip("the lz4 command is not installed")
	}
	cmd := exec.Command("lz4", append(flags, "-c")...)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("lz4 %v: %v", flags, err)
	}
	return out
}

// TestLZ4Frames reads what the lz4 command writes with each kind of frame
// (4 MB and 64 KB blocks, independent and linked, block and content
// checksums or none, two frames one after the other) back to the bytes
// compressed; cut anywhere, it gives a prefix of them and says the stream
// ends early, and never less than decoding whole blocks only gives.
func TestLZ4Frames(t *testing.T) {
	in := lz4Input(t)
	for _, flags := range [][]string{{}, {"-BD"}, {"-B4", "-BX"}, {"-B4", "-BD", "--no-frame-crc"}, {"-9", "-B5"}} {
		comp := lz4Command(t, in, flags...)
		if len(flags) == 0 {
			comp = append(comp, lz4Command(t, in[:100000], "-B4")...) // a second frame
		}
		want := in
		if len(flags) == 0 {
			want = append(append([]byte{}, in...), in[:100000]...)
		}
		got, err := io.ReadAll(newLZ4Reader(bytes.NewReader(comp)))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("lz4 %v: %d of %d bytes back, %v", flags, len(got), len(want), err)
		}
		more, total := 0, 0
		for k := 1; k < 40; k++ {
			at := len(comp) * k / 40
			got, err := io.ReadAll(newLZ4Reader(bytes.NewReader(comp[:at])))
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("lz4 %v cut at %d: %v, want the stream to end early", flags, at, err)
			}
			if !bytes.HasPrefix(want, got) {
				t.Fatalf("lz4 %v cut at %d: %d bytes, not what was compressed", flags, at, len(got))
			}
			whole, _ := io.ReadAll(lz4.NewReader(bytes.NewReader(comp[:at])))
			if len(got) < len(whole) {
				t.Errorf("lz4 %v cut at %d: %d bytes, whole blocks give %d", flags, at, len(got), len(whole))
			}
			if len(got) > len(whole) {
				more++
			}
			total += len(got) - len(whole)
		}
		t.Logf("lz4 %v: %d bytes in %d; of 39 cuts, %d give more than whole blocks do (%d bytes more in all)", flags, len(want), len(comp), more, total)
	}
}

// TestLZ4Damage: a flipped byte is a damaged stream, never a panic or a
// wrong byte passed on silently where a checksum covers it.
func TestLZ4Damage(t *testing.T) {
	in := lz4Input(t)[:1<<20]
	comp := lz4Command(t, in, "-B4", "-BX")
	for _, at := range []int{4, 5, 6, 100, len(comp) / 2, len(comp) - 5} {
		bad := append([]byte{}, comp...)
		bad[at] ^= 0x40
		got, err := io.ReadAll(newLZ4Reader(bytes.NewReader(bad)))
		if err == nil {
			t.Errorf("byte %d flipped: read %d bytes, no error", at, len(got))
		}
	}
	// A skippable frame between two frames (synthetic: the lz4 command
	// writes none) is passed over.
	skip := []byte{0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'a', 'b', 'c'}
	two := append(append(append([]byte{}, comp...), skip...), comp...)
	got, err := io.ReadAll(newLZ4Reader(bytes.NewReader(two)))
	if err != nil || !bytes.Equal(got, append(append([]byte{}, in...), in...)) {
		t.Errorf("a skippable frame between two: %d bytes, %v", len(got), err)
	}
}

// TestXXH32: the known values of xxHash32 (seed 0).
func TestXXH32(t *testing.T) {
	for _, c := range []struct {
		in   string
		want uint32
	}{{"", 0x02cc5d05}, {"a", 0x550d7456}, {"abc", 0x32d153ff}, {"Nobody inspects the spammish repetition", 0xe2293b2f}} {
		if got := xxh32Sum([]byte(c.in)); got != c.want {
			t.Errorf("xxh32(%q) = %#x, want %#x", c.in, got, c.want)
		}
	}
}

func FuzzLZ4Reader(f *testing.F) {
	f.Add([]byte{0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7, 0x05, 0x00, 0x00, 0x80, 'h', 'e', 'l', 'l', 'o'})
	f.Fuzz(func(t *testing.T, b []byte) {
		io.Copy(io.Discard, io.LimitReader(newLZ4Reader(bytes.NewReader(b)), 64<<20))
		lz4PartialBlock(b, nil, b, 1<<20)
	})
}

func BenchmarkLZ4(b *testing.B) {
	in := lz4Input(b)
	var comp bytes.Buffer
	w := lz4.NewWriter(&comp)
	w.Write(in)
	w.Close()
	for _, c := range []struct {
		name string
		open func(io.Reader) io.Reader
	}{{"synfin", func(r io.Reader) io.Reader { return newLZ4Reader(r) }}, {"pierrec", func(r io.Reader) io.Reader { return lz4.NewReader(r) }}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for range b.N {
				io.Copy(io.Discard, c.open(bytes.NewReader(comp.Bytes())))
			}
		})
	}
}
