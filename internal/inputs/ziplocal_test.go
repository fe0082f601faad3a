package inputs

import (
	"archive/zip"
	"bytes"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCutZipSalvage: a ZIP archive cut short (head -c) has lost its
// central directory; every member whole before the cut is read from its
// local header, byte for byte, and the one the cut falls in is named with
// where it ends. Archives of real lab captures written two ways: as Go's
// zip.Writer streams them (deflate, sizes in a data descriptor after each
// member) and stored with the sizes in each local header.
func TestCutZipSalvage(t *testing.T) {
	paths, _ := filepath.Glob("../../testdata/lab/0*.pcap")
	if len(paths) < 10 {
		t.Fatalf("%d lab captures", len(paths))
	}
	var members [][]byte
	for _, p := range paths[:10] {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, b)
	}
	for _, stored := range []bool{false, true} {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i, m := range members {
			name := filepath.Base(paths[i])
			if stored {
				w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(m),
					CompressedSize64: uint64(len(m)), UncompressedSize64: uint64(len(m))})
				if err != nil {
					t.Fatal(err)
				}
				w.Write(m)
			} else {
				w, _ := zw.Create(name)
				w.Write(m)
			}
		}
		zw.Close()
		whole := buf.Bytes()
		// Where each member's bytes end in the archive, by its central
		// directory (zip.Writer writes a member's data when the next
		// begins, so the buffer's length along the way would not say).
		zr, err := zip.NewReader(bytes.NewReader(whole), int64(len(whole)))
		if err != nil {
			t.Fatal(err)
		}
		var ends []int
		for _, f := range zr.File {
			off, _ := f.DataOffset()
			ends = append(ends, int(off)+int(f.CompressedSize64))
		}
		for _, at := range []int{ends[3] + 100, ends[6] - 20, ends[7] + 20, len(whole) - 30} {
			dir := t.TempDir()
			cut := filepath.Join(dir, "cut.zip")
			os.WriteFile(cut, whole[:at], 0o644)
			var got []string
			var last *CutError
			err := Members(Zip, cut, NewBudget(MemberBudget), func(name string, open func() (io.Reader, func(), error), skip func()) bool {
				r, done, err := open()
				if err != nil {
					t.Fatal(err)
				}
				b, rerr := io.ReadAll(r)
				done()
				i := len(got)
				got = append(got, name)
				var ce *CutError
				switch {
				case errors.As(rerr, &ce):
					last = ce
					if !bytes.HasPrefix(members[i], b) {
						t.Errorf("stored %v, cut at %d: %s's bytes before the cut differ from the member's", stored, at, name)
					}
				case rerr != nil:
					t.Errorf("%s: %v", name, rerr)
				case !bytes.Equal(b, members[i]):
					t.Errorf("stored %v, cut at %d: %s differs from the member (%d bytes, want %d)", stored, at, name, len(b), len(members[i]))
				}
				return true
			})
			wantWhole := 0
			for _, e := range ends {
				if e <= at {
					wantWhole++
				}
			}
			if at == ends[7]+20 {
				// Inside the next member's local header, before its name
				// ends: the archive is named, after the whole members.
				var ae *ArchiveError
				if !errors.As(err, &ae) || len(got) != 8 || last != nil {
					t.Errorf("stored %v, cut in a local header: %d members, cut %v, %v", stored, len(got), last, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("stored %v, cut at %d: %v", stored, at, err)
			}
			switch {
			case at == len(whole)-30 && (len(got) != len(members) || last != nil):
				// Cut inside the central directory: every member whole.
				t.Errorf("stored %v, cut in the central directory: %d members, cut %v", stored, len(got), last)
			case at < len(whole)-30 && (len(got) != wantWhole+1 || last == nil || !strings.HasSuffix(got[len(got)-1], filepath.Base(paths[wantWhole]))):
				t.Errorf("stored %v, cut at %d: members %d (the last cut: %v), want %d whole and %s cut", stored, at, len(got), last, wantWhole, filepath.Base(paths[wantWhole]))
			}
		}
	}
}
