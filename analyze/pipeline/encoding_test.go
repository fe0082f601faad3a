package pipeline

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/synfin/synfin/analyze"
)

// TestEncodingWorkersSameBytes: analysed and encoded by 1, 2, 4 or 8
// workers, in stages, every capture of testdata gives byte for byte the
// JSON Lines that one goroutine emitting each record gives; a filter
// applied in the encoders leaves out the same records. The captures of
// hundreds of connections (the scan, the lab's 200) fill several batches.
func TestEncodingWorkersSameBytes(t *testing.T) {
	var paths []string
	filepath.WalkDir("../../testdata", func(path string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			paths = append(paths, path)
		}
		return nil
	})
	newEncoder := func(keep func(*analyze.Record) bool) func() func([]byte, *analyze.Record) []byte {
		return func() func([]byte, *analyze.Record) []byte {
			return func(dst []byte, r *analyze.Record) []byte {
				if keep != nil && !keep(r) {
					return dst
				}
				return append(r.AppendJSON(dst), '\n')
			}
		}
	}
	odd := func(r *analyze.Record) bool { return r.Conn%2 == 1 }
	runs, records := 0, 0
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if _, err := Run(path, bytes.NewReader(b), Options{Stages: InOne}, func(r *analyze.Record) {
			want.Write(append(r.AppendJSON(nil), '\n'))
			records++
		}); err != nil && want.Len() == 0 {
			continue // not a capture, or nothing read
		}
		for _, keep := range []func(*analyze.Record) bool{nil, odd} {
			var wantKept bytes.Buffer
			Run(path, bytes.NewReader(b), Options{Stages: InOne, Encoding: &Encoding{NewEncoder: newEncoder(keep),
				Write: func(p []byte) error { wantKept.Write(p); return nil }}}, nil)
			if keep == nil && !bytes.Equal(wantKept.Bytes(), want.Bytes()) {
				t.Fatalf("%s: the one-goroutine encoder differs from emit", path)
			}
			for _, workers := range []int{1, 2, 4, 8} {
				var got bytes.Buffer
				Run(path, bytes.NewReader(b), Options{Stages: Staged, Encoding: &Encoding{NewEncoder: newEncoder(keep),
					Write: func(p []byte) error { got.Write(p); return nil }, Workers: workers}}, nil)
				if !bytes.Equal(got.Bytes(), wantKept.Bytes()) {
					t.Errorf("%s, %d workers, filter %v: %d bytes, one goroutine %d", path, workers, keep != nil, got.Len(), wantKept.Len())
				}
				runs++
			}
		}
	}
	if runs < 400 || records < 500 {
		t.Fatalf("only %d runs over %d records", runs, records)
	}
	t.Logf("%d runs over %d captures' %d records", runs, len(paths), records)
}
