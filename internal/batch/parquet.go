//go:build !js

package batch

import (
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"

	"github.com/synfin/synfin/analyze"
)

// The Parquet library, in one file: the browser's build (parquet_js.go)
// leaves it out (9.5 of the module's 22.5 MB), since the page writes no
// Parquet.

// parquetWriter writes records as Parquet rows.
type parquetWriter = parquet.GenericWriter[analyze.Record]

// newParquetOutput is the batch's output: zstd-compressed row groups of
// outputRows.
func newParquetOutput(w io.Writer) *parquetWriter {
	return parquet.NewGenericWriter[analyze.Record](w, parquet.Compression(&parquet.Zstd), parquet.MaxRowsPerRowGroup(outputRows))
}

// newParquetFragment is a held capture's fragment file: uncompressed row
// groups of fragmentRows.
func newParquetFragment(w io.Writer) *parquetWriter {
	return parquet.NewGenericWriter[analyze.Record](w, parquet.Compression(&parquet.Uncompressed), parquet.MaxRowsPerRowGroup(fragmentRows))
}

// copyParquetFile copies the rows of the Parquet file f, size bytes, to w.
func copyParquetFile(w *parquetWriter, f *os.File, size int64) error {
	pf, err := parquet.OpenFile(f, size)
	if err != nil {
		return fmt.Errorf("reading a capture's held rows: %w", err)
	}
	for _, rg := range pf.RowGroups() {
		rr := rg.Rows()
		_, err := parquet.CopyRows(w, rr)
		if cerr := rr.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}
