//go:build !unix

package outfile

import "os"

// umask is the usual mask where the system has none to read.
func umask() os.FileMode { return 0o022 }
