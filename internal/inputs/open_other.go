//go:build !unix

package inputs

import "os"

// OpenRead opens a file for reading.
func OpenRead(path string) (*os.File, error) { return os.Open(path) }
