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

	"github.com/spf13/pflag"

	"synfin/analyze"
	"synfin/cmd/synfin/internal/batch"
	"synfin/cmd/synfin/internal/inputs"
	"synfin/cmd/synfin/internal/lab"
	"synfin/cmd/synfin/internal/msg"
	"synfin/cmd/synfin/internal/table"
	"synfin/cmd/synfin/internal/tty"
	"synfin/cmd/synfin/internal/views"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

//go:embed demo/demo.pcap
var demoCapture []byte

// Exit statuses, as the views say them.
const (
	exitOK          = views.ExitOK
	exitDamaged     = views.ExitDamaged
	exitNothing     = views.ExitNothing
	exitInterrupted = views.ExitInterrupted
)

var viewNames = []string{"conns", "handshakes", "teardowns", "options", "summary", "demo",
	"ladder", "report", "explain", "isn", "batch", "lab", "help"}

// run is the whole command: main calls it, and so do the tests.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o := options{Options: views.Options{Version: version, Lab: views.LabOptions{Chosen: map[lab.Variant]bool{}}}}
	fs := newFlagSet(&o, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			usage(stdout, fs)
			return exitOK
		}
		return usageError(stderr, err.Error())
	}
	if o.showVersion {
		fmt.Fprintf(stdout, "synfin %s (record schema %d)\n", version, analyze.SchemaVersion)
		return exitOK
	}
	if o.schema {
		stdout.Write(table.RecordSchema())
		return exitOK
	}
	operands := fs.Args()
	o.View = "conns"
	if len(operands) > 0 && slices.Contains(viewNames, operands[0]) {
		if _, err := os.Stat(operands[0]); err != nil { // a file named like a view is a file
			o.View, operands = operands[0], operands[1:]
		}
	}
	if o.MaxConns < 1 {
		return usageError(stderr, "--max-conns must be at least 1")
	}
	switch o.View {
	case "help":
		return help(stdout, stderr, fs, operands)
	case "lab":
		if len(operands) > 0 {
			return usageError(stderr, "lab makes its own connection and takes no input files")
		}
		lang, err := msg.Parse(o.Lang)
		if err != nil {
			return usageError(stderr, err.Error())
		}
		return views.Lab(&o.Options, lang, stdout, stderr)
	case "batch":
		return runBatch(context.Background(), nil, &o, fs.Changed("format"), fs.Changed("jobs"), operands, stdout, stderr)
	}
	drawing := o.View == "ladder" || o.View == "report"
	switch o.Format {
	case table.Text, table.Markdown, table.CSV, table.JSON, table.JSONL:
	case table.HTML, table.SVG:
		if !drawing {
			return usageError(stderr, fmt.Sprintf("--format %s is for the report and ladder views", o.Format))
		}
	default:
		return usageError(stderr, fmt.Sprintf("unknown format %q (table, markdown, csv, json, jsonl; html, svg)", o.Format))
	}
	lang, err := msg.Parse(o.Lang)
	if err != nil {
		return usageError(stderr, err.Error())
	}
	for _, h := range o.Hosts {
		if _, err := netip.ParseAddr(h); err != nil {
			return usageError(stderr, fmt.Sprintf("--host %q is not an IP address", h))
		}
	}
	ins, code := inputsFor(o.View, operands, stdin, stderr)
	if ins == nil {
		return code
	}
	out := stdout
	if o.Output != "" {
		fh, err := os.Create(o.Output)
		if err != nil {
			tty.Say(stderr, "synfin: error: %v", err)
			return exitNothing
		}
		defer fh.Close()
		out = fh
	}
	if o.Streams != "" {
		if err := os.MkdirAll(o.Streams, 0o755); err != nil {
			tty.Say(stderr, "synfin: error: --streams: %v", err)
			return exitNothing
		}
	}
	switch {
	case o.Packets:
		return views.Packets(&o.Options, ins, out, stderr)
	case o.View == "ladder", o.View == "explain":
		return views.Ladder(&o.Options, lang, ins, out, stderr)
	case o.View == "report":
		return views.Report(&o.Options, lang, ins, out, stderr)
	}
	return views.Table(&o.Options, lang, ins, out, stderr)
}

// inputsFor turns a view's operands into inputs: the embedded capture for
// demo, else files, globs, directories and "-". It returns nil and the exit
// status when there is nothing to read.
func inputsFor(view string, operands []string, stdin io.Reader, stderr io.Writer) ([]inputs.Input, int) {
	switch {
	case view == "demo" && len(operands) > 0:
		return nil, usageError(stderr, "demo takes no input files")
	case view == "demo":
		return []inputs.Input{inputs.Bytes("demo.pcap", demoCapture)}, exitOK
	case len(operands) == 0:
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

// runBatch is the batch view under the batch's collector policy; ctx and
// tune are views.Batch's (a test's stop and hooks).
func runBatch(ctx context.Context, tune func(*batch.Config), o *options, formatSet, jobsSet bool, operands []string, stdout, stderr io.Writer) int {
	defer collectByLimit()()
	return views.Batch(ctx, tune, &o.Options, formatSet, jobsSet, operands, stdout, stderr)
}
