//go:build unix

package outfile

import (
	"os"
	"syscall"
)

// umask is the process's file mode creation mask. Reading it means
// setting it, so it is set back at once; synfin creates no file while
// the command line is being set up.
func umask() os.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return os.FileMode(m)
}
