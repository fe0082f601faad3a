// Command synfin reads packet captures and tells, for every TCP connection
// in them, how it was opened and how it was closed. See README.md.
package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

func main() {
	// SYNFIN_CPUPROFILE=file writes a CPU profile, for go tool pprof.
	if path := os.Getenv("SYNFIN_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "synfin:", err)
			os.Exit(exitNothing)
		}
		if err := pprof.StartCPUProfile(f); err == nil {
			code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
