//go:build !js

package batch

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/pipeline"
)

// TestRowsFragment: a capture's Parquet rows held in memory and the same
// rows moved to a fragment file (as when the memory budget is spent) give
// the same records back, and what was held is given back on close.
func TestRowsFragment(t *testing.T) {
	var want []analyze.Record
	out := map[bool][]analyze.Record{}
	for _, full := range []bool{false, true} {
		all := new(holding)
		if full {
			all.n.Store(spillBudget) // the budget spent: straight to a file
		}
		start := all.n.Load()
		h := &rows{all: all}
		f, err := os.Open("../../testdata/lab/14_load_200.pcap")
		if err != nil {
			t.Fatal(err)
		}
		_, err = pipeline.Run("14", f, pipeline.Options{}, func(r *analyze.Record) {
			if !full {
				want = append(want, r.Clone())
			}
			h.add(r)
		})
		f.Close()
		if err != nil || h.finish() != nil {
			t.Fatal(err, h.err)
		}
		if full != (h.file != nil) {
			t.Fatalf("budget spent %v: fragment file %v", full, h.file != nil)
		}
		var buf bytes.Buffer
		w := parquet.NewGenericWriter[analyze.Record](&buf)
		if err := h.writeTo(w); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		h.close()
		if got := all.n.Load(); got != start {
			t.Errorf("budget spent %v: %d bytes still counted after close", full, got-start)
		}
		r := parquet.NewGenericReader[analyze.Record](bytes.NewReader(buf.Bytes()))
		recs := make([]analyze.Record, r.NumRows())
		if n, err := r.Read(recs); n != len(recs) || (err != nil && err != io.EOF) {
			t.Fatalf("read %d of %d: %v", n, len(recs), err)
		}
		out[full] = recs
	}
	if len(want) < 200 || len(out[false]) != len(want) || len(out[true]) != len(want) {
		t.Fatalf("%d records; in memory %d, in a file %d", len(want), len(out[false]), len(out[true]))
	}
	for i := range want {
		w := string(want[i].AppendJSON(nil))
		for _, full := range []bool{false, true} {
			if got := string(out[full][i].AppendJSON(nil)); got != w {
				t.Fatalf("record %d (file %v):\n got %s\nwant %s", i, full, got, w)
			}
		}
	}
}

// TestRowsMoveToFile: rows held in memory until the budget is spent
// partway through a capture move to a fragment file and come back whole,
// in order; where no file can be made they stay in memory, and the file is
// tried once.
func TestRowsMoveToFile(t *testing.T) {
	f, err := os.Open("../../testdata/lab/14_load_200.pcap")
	if err != nil {
		t.Fatal(err)
	}
	var recs []analyze.Record
	if _, err := pipeline.Run("14", f, pipeline.Options{}, func(r *analyze.Record) { recs = append(recs, r.Clone()) }); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, tmp := range []string{t.TempDir(), "/nonexistent-synfin-dir"} {
		t.Setenv("TMPDIR", tmp)
		all := new(holding)
		all.n.Store(spillBudget - 50*recordCost) // room for 50 records
		h := &rows{all: all}
		for i := range recs {
			h.add(&recs[i])
		}
		if h.finish() != nil {
			t.Fatal(h.err)
		}
		inFile := h.file != nil
		if want := tmp != "/nonexistent-synfin-dir"; inFile != want || h.noFile == want {
			t.Errorf("TMPDIR %s: in a file %v, given up on files %v", tmp, inFile, h.noFile)
		}
		var buf bytes.Buffer
		w := parquet.NewGenericWriter[analyze.Record](&buf)
		if err := h.writeTo(w); err != nil || w.Close() != nil {
			t.Fatal(err)
		}
		h.close()
		r := parquet.NewGenericReader[analyze.Record](bytes.NewReader(buf.Bytes()))
		got := make([]analyze.Record, r.NumRows())
		if n, _ := r.Read(got); n != len(recs) {
			t.Fatalf("TMPDIR %s: %d rows of %d", tmp, n, len(recs))
		}
		for i := range recs {
			if string(got[i].AppendJSON(nil)) != string(recs[i].AppendJSON(nil)) {
				t.Fatalf("TMPDIR %s: row %d differs", tmp, i)
			}
		}
		if all.n.Load() != spillBudget-50*recordCost {
			t.Errorf("TMPDIR %s: %d bytes still counted", tmp, all.n.Load()-(spillBudget-50*recordCost))
		}
	}
}
