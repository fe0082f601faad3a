package inputs

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzArchive: whatever bytes a batch meets as a file, looking into it and
// reading it as an archive neither panics nor hangs, every member handed
// out is read or skipped, and the memory budget of tar members comes back
// whole. Seeds: a tar, a tar.gz and a ZIP of real lab captures.
func FuzzArchive(f *testing.F) {
	pcap, err := os.ReadFile("../../testdata/lab/06_refused.pcap")
	if err != nil {
		f.Fatal(err)
	}
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	tw.WriteHeader(&tar.Header{Name: "a.pcap", Mode: 0o644, Size: int64(len(pcap)), Typeflag: tar.TypeReg})
	tw.Write(pcap)
	tw.WriteHeader(&tar.Header{Name: "b.txt", Mode: 0o644, Size: 3, Typeflag: tar.TypeReg})
	tw.Write([]byte("hi\n"))
	tw.Close()
	f.Add(tb.Bytes())
	var gb bytes.Buffer
	gw := gzip.NewWriter(&gb)
	gw.Write(tb.Bytes())
	gw.Close()
	f.Add(gb.Bytes())
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("a.pcap")
	w.Write(pcap)
	zw.Close()
	f.Add(zb.Bytes())
	f.Add(pcap)

	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "in")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		fh, kind, err := Sniff(path, nil, nil)
		if fh != nil {
			fh.Close()
		}
		if err != nil || kind == NotArchive {
			return
		}
		member := func(name string, open func() (io.Reader, func(), error), skip func()) bool {
			if len(name)%2 == 0 { // some members read, some skipped
				skip()
				return true
			}
			r, done, err := open()
			if err != nil {
				return true
			}
			io.Copy(io.Discard, io.LimitReader(r, 1<<20))
			done()
			return true
		}
		budget := NewBudget(MemberBudget)
		Members(kind, path, budget, member)
		if free := budget.Free(); free != MemberBudget {
			t.Fatalf("%d bytes of the tar budget not given back", MemberBudget-free)
		}
	})
}
