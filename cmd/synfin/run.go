package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"time"

	"github.com/spf13/pflag"

	"synfin/analyze"
	"synfin/analyze/pipeline"
	"synfin/cmd/synfin/internal/batch"
	"synfin/cmd/synfin/internal/inputs"
	"synfin/cmd/synfin/internal/msg"
	"synfin/cmd/synfin/internal/table"
	"synfin/cmd/synfin/internal/tty"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

//go:embed demo/demo.pcap
var demoCapture []byte

// Exit statuses.
const (
	exitOK          = 0
	exitDamaged     = 1   // analysis printed, but some input was damaged or unreadable
	exitNothing     = 2   // usage error, or nothing could be read
	exitInterrupted = 130 // a batch stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)
)

// options are the parsed command-line flags.
type options struct {
	view        string
	format      table.Format
	output      string
	hosts       []string
	ports       []int
	conns       []int
	states      []string
	sortBy      string
	limit       int
	lang        string
	jobs        int
	idleTimeout time.Duration
	maxConns    int
	noProgress  bool
	quiet       bool
	schema      bool
	version     bool
	ja4t        bool
	draw        drawOptions
	wide        bool
	batch       batchOptions
	packets     bool
	app         bool
	streams     string
	lab         labOptions
}

var viewNames = []string{"conns", "handshakes", "teardowns", "options", "summary", "demo",
	"ladder", "report", "explain", "isn", "batch", "lab", "help"}

// run is the whole command: main calls it, and so do the tests.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var o options
	fs := newFlagSet(&o, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			usage(stdout, fs)
			return exitOK
		}
		return usageError(stderr, err.Error())
	}
	if o.version {
		fmt.Fprintf(stdout, "synfin %s (record schema %d)\n", version, analyze.SchemaVersion)
		return exitOK
	}
	if o.schema {
		stdout.Write(table.RecordSchema())
		return exitOK
	}
	operands := fs.Args()
	o.view = "conns"
	if len(operands) > 0 && slices.Contains(viewNames, operands[0]) {
		if _, err := os.Stat(operands[0]); err != nil { // a file named like a view is a file
			o.view, operands = operands[0], operands[1:]
		}
	}
	if o.maxConns < 1 {
		return usageError(stderr, "--max-conns must be at least 1")
	}
	switch o.view {
	case "help":
		return help(stdout, stderr, fs, operands)
	case "lab":
		if len(operands) > 0 {
			return usageError(stderr, "lab makes its own connection and takes no input files")
		}
		lang, err := msg.Parse(o.lang)
		if err != nil {
			return usageError(stderr, err.Error())
		}
		return runLab(&o, lang, stdout, stderr)
	case "batch":
		return runBatch(context.Background(), nil, &o, fs.Changed("format"), fs.Changed("jobs"), operands, stdout, stderr)
	}
	drawing := o.view == "ladder" || o.view == "report"
	switch o.format {
	case table.Text, table.Markdown, table.CSV, table.JSON, table.JSONL:
	case table.HTML, table.SVG:
		if !drawing {
			return usageError(stderr, fmt.Sprintf("--format %s is for the report and ladder views", o.format))
		}
	default:
		return usageError(stderr, fmt.Sprintf("unknown format %q (table, markdown, csv, json, jsonl; html, svg)", o.format))
	}
	lang, err := msg.Parse(o.lang)
	if err != nil {
		return usageError(stderr, err.Error())
	}
	for _, h := range o.hosts {
		if _, err := netip.ParseAddr(h); err != nil {
			return usageError(stderr, fmt.Sprintf("--host %q is not an IP address", h))
		}
	}
	ins, code := inputsFor(o.view, operands, stdin, stderr)
	if ins == nil {
		return code
	}
	out := stdout
	if o.output != "" {
		fh, err := os.Create(o.output)
		if err != nil {
			tty.Say(stderr, "synfin: error: %v", err)
			return exitNothing
		}
		defer fh.Close()
		out = fh
	}
	if o.streams != "" {
		if err := os.MkdirAll(o.streams, 0o755); err != nil {
			tty.Say(stderr, "synfin: error: --streams: %v", err)
			return exitNothing
		}
	}
	switch {
	case o.packets:
		return runPackets(&o, ins, out, stderr)
	case o.view == "ladder", o.view == "explain":
		return runLadder(&o, lang, ins, out, stderr)
	case o.view == "report":
		return runReport(&o, lang, ins, out, stderr)
	}
	return runTable(&o, lang, ins, out, stderr)
}

// inputsFor turns a view's operands into inputs: the embedded capture for
// demo, else files, globs, directories and "-". It returns nil and the exit
// status when there is nothing to read.
func inputsFor(view string, operands []string, stdin io.Reader, stderr io.Writer) ([]inputs.Input, int) {
	if view == "demo" {
		if len(operands) > 0 {
			return nil, usageError(stderr, "demo takes no input files")
		}
		return []inputs.Input{inputs.Bytes("demo.pcap", demoCapture)}, exitOK
	}
	if len(operands) == 0 {
		return nil, usageError(stderr, "no input: name capture files, directories, or - for standard input")
	}
	files, problems := inputs.Expand(operands)
	for _, p := range problems {
		tty.Say(stderr, "synfin: %s", p)
	}
	if len(files) == 0 {
		return nil, exitNothing
	}
	return inputs.Of(files, stdin), exitOK
}

// filter is the record filter of --host, --port, --conn and --state; the
// hosts are checked by run.
func (o *options) filter() func(*analyze.Record) bool {
	f := &analyze.Filter{Conns: o.conns, States: o.states, Ports: o.ports}
	for _, h := range o.hosts {
		a, _ := netip.ParseAddr(h)
		f.Hosts = append(f.Hosts, a)
	}
	return f.Match
}

// session is a run over inputs as the flags set it, keeping what filter
// lets through (nil: everything).
func (o *options) session(stderr io.Writer, filter func(*analyze.Record) bool) *batch.Session {
	return &batch.Session{Filter: filter, StreamsDir: o.streams, Quiet: o.quiet, Stderr: stderr, Jobs: o.jobs,
		Pipeline: pipeline.Options{IdleTimeout: o.idleTimeout, MaxConns: o.maxConns, JA4T: o.ja4t, App: o.app}}
}

// exitStatus ends a run: an error writing the output is reported and
// fails it; otherwise damaged input gives status 1.
func exitStatus(stderr io.Writer, err error, damaged bool) int {
	if err != nil {
		tty.Say(stderr, "synfin: error: writing output: %v", err)
		return exitNothing
	}
	if damaged {
		return exitDamaged
	}
	return exitOK
}
