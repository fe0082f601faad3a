// Command synfin reads packet captures and tells, for every TCP connection
// in them, how it was opened and how it was closed. See README.md.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
