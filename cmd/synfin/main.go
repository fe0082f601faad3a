// Command synfin reads packet captures and tells, for every TCP connection
// in them, how it was opened and how it was closed. See README.md.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"

	"github.com/synfin/synfin/internal/gcfloor"
	"github.com/synfin/synfin/internal/interrupt"
	"github.com/synfin/synfin/internal/outfile"
)

func main() {
	if os.Getenv("GOGC") == "" { // the policy: gc.go
		gcfloor.Start(gcPercent, gcFloorBytes)
	}
	// SYNFIN_CPUPROFILE=file writes a CPU profile, for go tool pprof;
	// SYNFIN_TRACE=file an execution trace, for go tool trace: it shows
	// which goroutines waited on what, where a profile only shows where
	// the CPU went.
	stopProfile := record("SYNFIN_CPUPROFILE", pprof.StartCPUProfile, pprof.StopCPUProfile)
	stopTrace := record("SYNFIN_TRACE", trace.Start, trace.Stop)
	// The first Ctrl-C ends the input: what was read is analysed and
	// written, then the exit status is 130. The second exits at once,
	// leaving every -o file as it was.
	signals = interrupt.New()
	interrupt.Watch(signals, exitInterrupted, outfile.RemoveAll)
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stopTrace()
	stopProfile()
	os.Exit(code)
}

// record starts writing what start records to the file the environment
// variable env names, if it names one, and returns what stops it.
func record(env string, start func(io.Writer) error, stop func()) func() {
	path := os.Getenv(env)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "synfin:", err)
		os.Exit(exitNothing)
	}
	if err := start(f); err != nil {
		_ = f.Close() // nothing was written
		return func() {}
	}
	return func() {
		stop()
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "synfin:", err)
		}
	}
}
