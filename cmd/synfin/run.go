package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/batch"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/interrupt"
	"github.com/synfin/synfin/internal/lab"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/outfile"
	"github.com/synfin/synfin/internal/say"
	"github.com/synfin/synfin/internal/table"
	"github.com/synfin/synfin/internal/tty"
	"github.com/synfin/synfin/internal/views"
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
	"ladder", "report", "explain", "segments", "graph", "isn", "batch", "lab", "help", "completion"}

// signals is what Ctrl-C and SIGTERM end, set by main for the process;
// nil in tests, which call run without it.
var signals *interrupt.Stop

// run is the whole command: main calls it, and so do the tests.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	o := options{Options: views.Options{Version: version, Lab: views.LabOptions{Chosen: map[lab.Variant]bool{}}}}
	fs := newFlagSet(&o, stderr)
	// The language of what goes wrong, before the flags are parsed: a
	// mistake in them is told in it too.
	lang := msg.Sniff(args)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			// synfin VIEW --help: that view's help.
			if v := firstView(args); v != "" {
				viewUsage(stdout, fs, v)
			} else {
				usage(stdout, fs)
			}
			return exitOK
		}
		return usageError(stderr, lang, flagError(fs, err))
	}
	if err := o.checkValues(); err != nil {
		return usageError(stderr, lang, err)
	}
	operands := fs.Args()
	if o.showVersion || len(operands) == 1 && operands[0] == "version" {
		if _, err := os.Stat("version"); o.showVersion || err != nil {
			fmt.Fprintln(stdout, versionText())
			return exitOK
		}
	}
	if len(operands) == 1 && operands[0] == "manpage" { // make man; not a view a user types
		if _, err := os.Stat("manpage"); err != nil {
			return manPage(stdout, fs)
		}
	}
	if o.schema {
		stdout.Write(table.RecordSchema())
		return exitOK
	}
	o.View = "conns"
	if len(operands) > 0 {
		if _, err := os.Stat(operands[0]); err != nil { // a file named like a view is a file
			if slices.Contains(viewNames, operands[0]) {
				o.View, operands = operands[0], operands[1:]
			} else if near := nearView(operands[0]); near != "" {
				return usageError(stderr, lang, msg.E("cli.view.unknown", operands[0], near))
			}
		}
	}
	if err := checkScope(fs, o.View, args); err != nil {
		return usageError(stderr, lang, err)
	}
	if series, err := outfile.ParseSeries(o.Output); err != nil {
		return usageError(stderr, lang, err)
	} else if series != nil && o.View != "batch" {
		return usageError(stderr, lang, msg.E("cli.out.seriesview", o.Output))
	} else if series == nil && fs.Changed("rotate") {
		return usageError(stderr, lang, msg.E("cli.rotate.series"))
	} else if fs.Changed("shard-by") && !fs.Changed("shard") {
		return usageError(stderr, lang, msg.E("cli.shardby"))
	} else if series != nil && o.Batch.SummaryOnly {
		return usageError(stderr, lang, msg.E("cli.series.summary", o.Output))
	}
	switch o.View {
	case "help":
		return help(stdout, stderr, lang, fs, operands)
	case "completion":
		return completion(stdout, stderr, lang, fs, operands)
	}
	if _, err := msg.Parse(o.Lang); err != nil {
		return usageError(stderr, lang, err)
	}
	if err := o.chooseFormat(fs); err != nil {
		return usageError(stderr, lang, err)
	}
	if err := checkFormatFlags(fs, o.View, o.Format); err != nil {
		return usageError(stderr, lang, err)
	}
	if fs.Changed("sort") {
		if err := table.CheckSort(o.View, o.SortBy); err != nil {
			return usageError(stderr, lang, err)
		}
	}
	// The first Ctrl-C ends the input: what was read is analysed and
	// written, then the exit status is 130. The second exits at once,
	// leaving every -o file as it was.
	o.Stop = signals
	if o.Stop == nil {
		o.Stop = interrupt.New() // run called by a test: no signal ends it
	}
	defer func() {
		if o.Stop.Stopped() && code != exitNothing {
			code = exitInterrupted
		}
	}()
	switch o.View {
	case "lab":
		if len(operands) > 0 {
			return usageError(stderr, lang, msg.E("cli.lab.noinput"))
		}
		return views.Lab(&o.Options, lang, stdout, stderr)
	case "batch":
		if o.Batch.SummaryOnly && o.Batch.Resume != "" {
			// A manifest line says "its records are in that output": a
			// summary writes none.
			return usageError(stderr, lang, msg.E("cli.summaryonly"))
		}
		return runBatch(context.Background(), nil, &o, true, fs.Changed("jobs"), operands, stdout, stderr)
	}
	ins, problems, code := inputsFor(o.View, operands, lang, stdin, stderr)
	if ins == nil {
		return code
	}
	// An input named that could not be read leaves the exit status at 1
	// whatever the others gave.
	defer func() {
		if problems > 0 && code == exitOK {
			code = exitDamaged
		}
	}()
	names := make([]string, len(ins))
	for i, in := range ins {
		names[i] = in.Name
	}
	if err := outfile.Checks(o.Output, names, o.Format, o.Force); err != nil {
		return usageError(stderr, lang, err)
	}
	out := stdout
	if o.Output != "" {
		fh, err := outfile.Create(o.Output)
		if err != nil {
			sayError(stderr, lang, say.Error(lang, err))
			return exitNothing
		}
		// Complete output replaces the old file; none leaves it.
		defer func() {
			if code == exitNothing {
				fh.Abort()
				return
			}
			if err := fh.Commit(); err != nil {
				sayError(stderr, lang, say.Error(lang, err))
				code = exitNothing
			}
		}()
		out = fh
	}
	if o.Streams != "" {
		if err := os.MkdirAll(o.Streams, 0o755); err != nil {
			sayError(stderr, lang, lang.F("cli.streams", say.Error(lang, err)))
			return exitNothing
		}
	}
	switch {
	case o.Packets:
		code = views.Packets(&o.Options, lang, ins, out, stderr)
	case o.View == "ladder", o.View == "explain":
		code = views.Ladder(&o.Options, lang, ins, out, stderr)
	case o.View == "report":
		code = views.Report(&o.Options, lang, ins, out, stderr)
	case o.View == "segments":
		code = views.Segments(&o.Options, lang, ins, out, stderr)
	case o.View == "graph":
		code = views.Graph(&o.Options, lang, ins, out, stderr)
	default:
		code = views.Table(&o.Options, lang, ins, out, stderr)
	}
	return code
}

// chooseFormat sets the format the view writes: -f's, else the one -o's
// extension names, else the view's default. A format the view does not
// write is refused, naming the views that write it.
func (o *options) chooseFormat(fs *pflag.FlagSet) error {
	allowed := formatsOf(o.View, fs)
	if allowed == nil {
		return nil
	}
	if fs.Changed("format") {
		if !slices.Contains(allowed, o.Format) {
			if len(writersOf(o.Format)) == 0 && o.Format != table.Parquet {
				return msg.E("cli.format.unknown", string(o.Format), o.View, formatList(allowed))
			}
			return wrongFormat(o.View, o.Format, allowed, "--format "+string(o.Format))
		}
		return nil
	}
	o.Format = allowed[0]
	if o.Output == "" {
		return nil
	}
	f, ok, _ := outfile.ExtensionFormat(o.Output)
	switch {
	case ok && slices.Contains(allowed, f):
		o.Format = f
	case ok:
		return wrongFormat(o.View, f, allowed, "-o "+o.Output)
	}
	return nil // a foreign extension is refused by outfile.Checks, naming the format
}

// inputsFor turns a view's operands into inputs: the embedded capture for
// demo, else files, globs, directories and "-", with how many operands
// could not be read (each reported). It returns nil and the exit status
// when there is nothing to read.
func inputsFor(view string, operands []string, lang msg.Lang, stdin io.Reader, stderr io.Writer) ([]inputs.Input, int, int) {
	switch {
	case view == "demo" && len(operands) > 0:
		return nil, 0, usageError(stderr, lang, msg.E("cli.demo.noinput"))
	case view == "demo":
		return []inputs.Input{inputs.Bytes("demo.pcap", demoCapture)}, 0, exitOK
	case len(operands) == 0:
		return nil, 0, usageError(stderr, lang, msg.E("cli.noinput"))
	}
	if i := slices.Index(operands, "-"); i >= 0 && slices.Contains(operands[i+1:], "-") {
		return nil, 0, usageError(stderr, lang, msg.E("cli.stdin.twice"))
	}
	files, problems := inputs.Expand(operands)
	for _, p := range problems {
		tty.Say(stderr, "synfin: %s", say.Error(lang, p))
	}
	if len(files) == 0 {
		return nil, len(problems), exitNothing
	}
	return inputs.Of(files, stdin), len(problems), exitOK
}

// runBatch is the batch view under the batch's collector policy; ctx and
// tune are views.Batch's (a test's stop and hooks).
func runBatch(ctx context.Context, tune func(*batch.Config), o *options, formatSet, jobsSet bool, operands []string, stdout, stderr io.Writer) int {
	defer collectByLimit()()
	return views.Batch(ctx, tune, &o.Options, formatSet, jobsSet, operands, stdout, stderr)
}

// nearView is the view a mistyped name most likely meant ("handshake",
// "teardwons"), or "".
// Only a bare word is taken for a view: a name with a dot or a slash is a
// file that is not there.
func nearView(s string) string {
	if strings.ContainsAny(s, "./\\") || len(s) < 3 {
		return ""
	}
	return tty.Nearest(strings.ToLower(s), viewNames)
}

// versionText is what --version says: synfin's version, the module's and
// the revision it was built from (when the build recorded them), and the
// record schema.
func versionText() string {
	v := "synfin " + version
	if bi, ok := debug.ReadBuildInfo(); ok {
		if mv := bi.Main.Version; mv != "" && mv != "(devel)" {
			v += " (module " + mv + ")"
		}
		var rev, dirty string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = ", modified"
				}
			}
		}
		if rev != "" {
			v += " revision " + rev[:min(12, len(rev))] + dirty
		}
		v += ", " + bi.GoVersion
	}
	return fmt.Sprintf("%s; record schema %d", v, analyze.SchemaVersion)
}

// firstView is the view named before any other operand of args, or "".
func firstView(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			if _, ok := viewHelp[a]; ok {
				return a
			}
			return ""
		}
	}
	return ""
}
