//go:build js

package batch

import (
	"errors"
	"io"
	"os"

	"github.com/synfin/synfin/analyze"
)

// The browser's build writes no Parquet (parquet.go): a batch asked for
// it gets this error at its first record.
var errNoParquet = errors.New("Parquet is not written in the browser")

type parquetWriter struct{}

func (*parquetWriter) Write([]analyze.Record) (int, error) { return 0, errNoParquet }
func (*parquetWriter) Flush() error                        { return errNoParquet }
func (*parquetWriter) Close() error                        { return errNoParquet }

func newParquetOutput(io.Writer) *parquetWriter   { return &parquetWriter{} }
func newParquetFragment(io.Writer) *parquetWriter { return &parquetWriter{} }

func copyParquetFile(*parquetWriter, *os.File, int64) error { return errNoParquet }
