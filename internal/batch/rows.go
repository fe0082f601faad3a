package batch

import (
	"os"

	"github.com/synfin/synfin/analyze"
)

// rows holds a capture's records for a Parquet batch until their turn, as
// records: in memory while the capture's and all captures' estimates stay
// under spillAt and spillBudget (the bounds the encoded output of JSON
// Lines and CSV keeps), and past them as a Parquet fragment in an unlinked
// temporary file, written from the records, whose rows the sink copies.
// Small captures, nearly all, so never pay for a Parquet file of their own.
type rows struct {
	all    *holding
	recs   []analyze.Record
	held   int64 // the estimate for recs
	file   *os.File
	frag   *parquetWriter
	noFile bool // no fragment file could be made or written: stay in memory
	err    error
}

// fragmentRows is the most rows a fragment buffers before it writes them
// out as a row group: its memory, not the capture's size, is the bound.
const fragmentRows = 8192

// recordCost estimates what a held record takes: the struct and its
// strings and options.
const recordCost = 2 << 10

func (h *rows) add(r *analyze.Record) {
	if h.err != nil {
		return
	}
	if h.frag == nil && !h.noFile && (h.held+recordCost > spillAt || h.all.n.Load()+recordCost > spillBudget) {
		h.toFile()
	}
	if h.frag != nil {
		one := [1]analyze.Record{*r}
		_, h.err = h.frag.Write(one[:])
		return
	}
	h.recs = append(h.recs, r.Clone())
	h.held += recordCost
	h.all.n.Add(recordCost)
}

// toFile moves the records held so far into a fragment file, written out
// at once so that a full disk shows now; if no file can be made or
// written, the records stay in memory (as a spill does) and no file is
// tried again.
func (h *rows) toFile() {
	h.noFile = true // unless this works
	f, err := os.CreateTemp("", "synfin-batch-*.parquet")
	if err != nil {
		return
	}
	os.Remove(f.Name())
	frag := newParquetFragment(f)
	_, err = frag.Write(h.recs)
	if err == nil {
		err = frag.Flush()
	}
	if err != nil {
		f.Close()
		return
	}
	h.file, h.frag, h.noFile = f, frag, false
	h.free()
}

// finish ends the fragment, if there is one.
func (h *rows) finish() error {
	if h.frag != nil && h.err == nil {
		h.err = h.frag.Close()
	}
	return h.err
}

// writeTo writes the rows to w in batches, as they came.
func (h *rows) writeTo(w *parquetWriter) error {
	for recs := h.recs; len(recs) > 0; {
		n := min(len(recs), 1024)
		if _, err := w.Write(recs[:n]); err != nil {
			return err
		}
		recs = recs[n:]
	}
	if h.file == nil {
		return nil
	}
	fi, err := h.file.Stat()
	if err != nil {
		return err
	}
	return copyParquetFile(w, h.file, fi.Size())
}

func (h *rows) free() {
	h.all.n.Add(-h.held)
	h.recs, h.held = nil, 0
}

// close frees what the rows hold, written or not.
func (h *rows) close() {
	h.free()
	if h.file != nil {
		h.file.Close()
		h.file = nil
	}
}
