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
	"github.com/synfin/synfin/internal/completion"
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

// run is the whole command: main calls it, and so do the tests. It reads
// the command line whole first (parse), then acts on it; files are looked
// at only once the view and its flags are known.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	o, operands, lang, code, done := parse(args, stdout, stderr)
	if done {
		return code
	}
	return o.act(operands, lang, stdin, stdout, stderr)
}

// parse reads the command line: the flags, the view (the first operand
// when it names one, whatever files there are: ./conns reads a file of
// that name), every check of flags against the view, and what answers
// without reading a capture (--version, --schema, help, completion, the
// man page). done says the command is answered, with code.
func parse(args []string, stdout, stderr io.Writer) (o *options, operands []string, lang msg.Lang, code int, done bool) {
	o = &options{Options: views.Options{Version: version, Lab: views.LabOptions{Chosen: map[lab.Variant]bool{}}}}
	fs := newFlagSet(o, stderr)
	// The language of what goes wrong, before the flags are parsed: a
	// mistake in them is told in it too.
	lang = msg.Sniff(args)
	answered := func(code int) (*options, []string, msg.Lang, int, bool) { return o, nil, lang, code, true }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			// synfin VIEW --help: that view's help.
			if v := firstView(fs, args); v != "" {
				viewUsage(stdout, fs, v)
			} else {
				usage(stdout, fs)
			}
			return answered(exitOK)
		}
		return answered(usageError(stderr, lang, flagError(fs, err)))
	}
	if err := o.checkValues(); err != nil {
		return answered(usageError(stderr, lang, err))
	}
	operands = fs.Args()
	switch {
	case o.showVersion || len(operands) == 1 && operands[0] == "version":
		fmt.Fprintln(stdout, versionText())
		return answered(exitOK)
	case len(operands) == 1 && operands[0] == "manpage": // make man; not a view a user types
		return answered(manPage(stdout, fs))
	case o.schema:
		if _, err := stdout.Write(table.RecordSchema()); err != nil {
			sayError(stderr, lang, lang.F("cli.write", say.Error(lang, err)))
			return answered(exitNothing)
		}
		return answered(exitOK)
	}
	o.View = "conns"
	if len(operands) > 0 {
		if slices.Contains(viewNames, operands[0]) {
			o.View, operands = operands[0], operands[1:]
		} else if _, err := os.Stat(operands[0]); err != nil {
			// Neither a view nor a file: a view mistyped?
			if near := nearView(operands[0]); near != "" {
				return answered(usageError(stderr, lang, msg.E("cli.view.unknown", operands[0], near)))
			}
		}
	}
	if err := o.checkFlags(fs, args); err != nil {
		return answered(usageError(stderr, lang, err))
	}
	switch o.View {
	case "help":
		return answered(help(stdout, stderr, lang, fs, operands))
	case "completion":
		return answered(completionScript(stdout, stderr, lang, fs, operands))
	}
	if err := o.checkFormat(fs); err != nil {
		return answered(usageError(stderr, lang, err))
	}
	o.jobsSet = fs.Changed("jobs")
	return o, operands, lang, exitOK, false
}

// checkFlags refuses a flag the view does not read, and flags that do not
// go together.
func (o *options) checkFlags(fs *pflag.FlagSet, args []string) error {
	if err := checkScope(fs, o.View, args); err != nil {
		return err
	}
	series, err := outfile.ParseSeries(o.Output)
	switch {
	case err != nil:
		return err
	case series != nil && o.View != "batch":
		return msg.E("cli.out.seriesview", o.Output)
	case series == nil && fs.Changed("rotate"):
		return msg.E("cli.rotate.series")
	case fs.Changed("shard-by") && !fs.Changed("shard"):
		return msg.E("cli.shardby")
	case series != nil && o.Batch.SummaryOnly:
		return msg.E("cli.series.summary", o.Output)
	case o.View == "batch" && o.Batch.SummaryOnly && o.Batch.Resume != "":
		// A manifest line says "its records are in that output": a
		// summary writes none.
		return msg.E("cli.summaryonly")
	}
	return nil
}

// checkFormat checks --lang, chooses the format and checks the flags that
// depend on it.
func (o *options) checkFormat(fs *pflag.FlagSet) error {
	if _, err := msg.Parse(o.Lang); err != nil {
		return err
	}
	if err := o.chooseFormat(fs); err != nil {
		return err
	}
	if err := checkFormatFlags(fs, o.View, o.Format); err != nil {
		return err
	}
	if fs.Changed("sort") {
		return table.CheckSort(o.View, o.SortBy)
	}
	return nil
}

// act runs the view the command line chose on its operands.
func (o *options) act(operands []string, lang msg.Lang, stdin io.Reader, stdout, stderr io.Writer) (code int) {
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
		return runBatch(context.Background(), nil, o, true, o.jobsSet, operands, stdout, stderr)
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

// firstView is the view named before any other operand of args, or "":
// the value of a flag that takes one (--lang zh conns --help) is no
// operand.
func firstView(fs *pflag.FlagSet, args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return ""
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			if !strings.Contains(a, "=") && argTakesValue(fs, a) {
				i++ // its value is the next argument
			}
			continue
		}
		if _, ok := viewHelp[a]; ok {
			return a
		}
		return ""
	}
	return ""
}

// argTakesValue says whether the flag argument a (--name, or -x, a
// shorthand last in its group) takes the next argument as its value.
func argTakesValue(fs *pflag.FlagSet, a string) bool {
	var f *pflag.Flag
	if name, ok := strings.CutPrefix(a, "--"); ok {
		f = fs.Lookup(name)
	} else {
		f = fs.ShorthandLookup(a[len(a)-1:])
	}
	return f != nil && completion.TakesValue(f)
}
