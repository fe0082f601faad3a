package main

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"synfin/analyze"
	"synfin/cmd/synfin/msg"
	"synfin/flows"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

//go:embed demo/demo.pcap
var demoCapture []byte

// Exit statuses.
const (
	exitOK      = 0
	exitDamaged = 1 // analysis printed, but some input was damaged or unreadable
	exitNothing = 2 // usage error, or nothing could be read
)

// options are the parsed command-line flags.
type options struct {
	view        string
	format      string
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

// labOptions are the flags of the lab view.
type labOptions struct {
	serverClose, reset, halfClose, refused bool
	write                                  string
}

var viewNames = []string{"conns", "handshakes", "teardowns", "options", "summary", "demo",
	"ladder", "report", "explain", "isn", "batch", "lab", "help"}

// laterViews are in the SPEC's command line but built by later issues.
var laterViews = map[string]string{}

func newFlagSet(o *options, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet("synfin", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	fs.StringVarP(&o.format, "format", "f", "table", "output format: table, markdown, csv, json, jsonl; html for report and ladder, svg for ladder")
	fs.StringVarP(&o.output, "output", "o", "", "write output to `FILE` instead of standard output")
	fs.StringSliceVar(&o.hosts, "host", nil, "only connections with this `IP` at either end (repeatable)")
	fs.IntSliceVar(&o.ports, "port", nil, "only connections with this `PORT` at either end (repeatable)")
	fs.IntSliceVarP(&o.conns, "conn", "c", nil, "only connection number `N` (repeatable)")
	fs.StringSliceVar(&o.states, "state", nil, "only connections in Zeek `STATE` (SF, S0, REJ, …; repeatable)")
	fs.StringVar(&o.sortBy, "sort", "conn", "sort tables by `COLUMN` (any column name of the view; prefix - for descending)")
	fs.IntVar(&o.limit, "limit", 0, "print at most `N` connections (0: all)")
	fs.StringVar(&o.lang, "lang", "en", "language of headers, labels and explanations: en or zh (Simplified Chinese)")
	fs.StringVar(&o.batch.resume, "resume", "", "batch: record finished captures in `MANIFEST` and skip those it names")
	fs.StringVar(&o.batch.shard, "shard", "", "batch: take share `I/N` of the inputs (by a hash of each path), for N machines")
	fs.BoolVar(&o.batch.summaryOnly, "summary-only", false, "batch: no records, a table of the captures read")
	fs.BoolVar(&o.app, "app", false, "application hints from the first payload bytes: HTTP request and status, TLS version, SNI and ALPN, SSH banners")
	fs.BoolVar(&o.lab.serverClose, "server-close", false, "lab: the server closes first")
	fs.BoolVar(&o.lab.reset, "reset", false, "lab: the client aborts with RST (SO_LINGER 0)")
	fs.BoolVar(&o.lab.halfClose, "half-close", false, "lab: the client shuts down its sending side, the server goes on sending")
	fs.BoolVar(&o.lab.refused, "refused", false, "lab: connect to a port nothing listens on")
	fs.StringVarP(&o.lab.write, "write", "w", "", "lab: write the capture to `FILE` (pcapng, opens in Wireshark)")
	fs.StringVar(&o.streams, "streams", "", "write each direction's payload, in sequence order, to a file in `DIR` (tcpflow style; gaps listed in .gaps files)")
	fs.BoolVar(&o.packets, "packets", false, "list the packets with Wireshark's tcp.analysis flags (retransmission, duplicate ACK, …) instead of connections")
	fs.BoolVar(&o.wide, "wide", false, "terminal tables and ladders whole, however wide (by default tables shorten long addresses and ladders wrap their notes to fit the terminal)")
	fs.BoolVar(&o.draw.ascii, "ascii", false, "ladder: draw with ASCII instead of Unicode box drawing")
	fs.BoolVar(&o.draw.rawSeq, "raw-seq", false, "ladder: raw sequence numbers instead of relative ones")
	fs.BoolVar(&o.draw.full, "full", false, "ladder: every packet, without folding long data phases")
	fs.IntVarP(&o.jobs, "jobs", "j", 1, "captures analysed at once (batch: all cores unless given); one capture already uses both cores of a small machine")
	fs.DurationVar(&o.idleTimeout, "idle-timeout", flows.DefaultIdleTimeout, "finish a connection silent this long in capture time")
	fs.IntVar(&o.maxConns, "max-conns", flows.DefaultMaxConns, "at most `N` connections open at once; beyond, the longest idle are finished early")
	fs.BoolVar(&o.noProgress, "no-progress", false, "never show progress on standard error")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "no notes on standard error, only errors")
	fs.BoolVar(&o.schema, "schema", false, "print the JSON Schema of the records and exit")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.BoolVar(&o.ja4t, "ja4t", false, "add FoxIO JA4T/JA4TS fingerprints of the SYN and SYN-ACK to records (FoxIO License 1.1; off by default)")
	fs.SortFlags = false
	return fs
}

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
		stdout.Write(recordSchema())
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
	if o.view == "help" {
		return help(stdout, stderr, fs, operands)
	}
	if o.view == "lab" {
		if len(operands) > 0 {
			return usageError(stderr, "lab makes its own connection and takes no input files")
		}
		lang, err := msg.Parse(o.lang)
		if err != nil {
			return usageError(stderr, err.Error())
		}
		return runLab(&o, lang, stdout, stderr)
	}
	if o.view == "batch" {
		return runBatch(&o, fs.Changed("format"), fs.Changed("jobs"), operands, stdout, stderr)
	}
	if later, ok := laterViews[o.view]; ok {
		return usageError(stderr, fmt.Sprintf("the %s view is not built yet (%s)", o.view, later))
	}
	drawing := o.view == "ladder" || o.view == "report"
	switch o.format {
	case "table", "markdown", "csv", "json", "jsonl":
	case "html", "svg":
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

	inputs, code := inputsFor(o.view, operands, stdin, stderr)
	if inputs == nil {
		return code
	}

	out := stdout
	if o.output != "" {
		fh, err := os.Create(o.output)
		if err != nil {
			say(stderr, "synfin: error: %v", err)
			return exitNothing
		}
		defer fh.Close()
		out = fh
	}
	if o.streams != "" {
		if err := os.MkdirAll(o.streams, 0o755); err != nil {
			say(stderr, "synfin: error: --streams: %v", err)
			return exitNothing
		}
	}
	if o.packets {
		return runPackets(&o, inputs, out, stderr)
	}
	switch o.view {
	case "ladder", "explain":
		return runLadder(&o, lang, inputs, out, stderr)
	case "report":
		return runReport(&o, lang, inputs, out, stderr)
	}

	// JSON Lines and CSV stream: each record is written as its connection
	// finishes, so memory follows concurrent connections even for archives
	// of millions. The order is the order connections finish, the same on
	// every run. Sorting, limits and the other views need all records; the
	// summary keeps counts, not records.
	var recs []analyze.Record
	ses := &session{o: &o, out: out, stderr: stderr, filter: newFilter(&o), multi: len(inputs) > 1,
		keep: func(r *analyze.Record) { recs = append(recs, r.Clone()) }}
	ses.streaming = (o.format == "jsonl" || o.format == "csv") && views[o.view].columns != nil && o.sortBy == "conn" && o.limit == 0
	if ses.streaming {
		ses.keep, ses.flush = newStream(out, o.format, views[o.view], ses.multi, true)
	}
	summary := analyze.NewSummary()
	if o.view == "summary" {
		ses.keep, ses.summarize = summary.Add, summary.AddItem
	}
	read, damaged, fileOrder, err := ses.analyzeAll(inputs)
	if err != nil {
		say(stderr, "synfin: error: writing output: %v", err)
		return exitNothing
	}
	if read == 0 {
		return exitNothing
	}
	sortRecords(recs, fileOrder)
	if err := sortBy(recs, o.view, o.sortBy); err != nil {
		return usageError(stderr, err.Error())
	}
	if o.limit > 0 && len(recs) > o.limit {
		recs = recs[:o.limit]
	}
	fit := 0 // terminal width to fit tables into; 0 for files, pipes and --wide
	if o.format == "table" && !o.wide {
		fit = terminalWidth(out)
	}
	var note string
	switch {
	case ses.streaming:
		err = ses.flush()
	case o.view == "summary":
		err = renderSummary(out, o.format, summary, lang)
	case o.view == "isn":
		err = renderISN(out, o.format, lang, recs)
	case o.format == "json" || o.format == "jsonl":
		err = writeRecords(out, o.format, recs)
	case o.view == "demo":
		note, err = renderDemo(out, o.format, recs, fit)
	default:
		note, err = renderView(out, o.format, views[o.view], recs, len(inputs) > 1, lang, fit)
		if err == nil && o.view == "options" && (o.format == "table" || o.format == "markdown") {
			err = renderOptionCounts(out, o.format, lang, recs)
		}
	}
	if note != "" && !o.quiet {
		say(stderr, "%s", note)
	}
	return exitStatus(stderr, err, damaged)
}

// exitStatus ends a run: an error writing the output is reported and
// fails it; otherwise damaged input gives status 1.
func exitStatus(stderr io.Writer, err error, damaged bool) int {
	if err != nil {
		say(stderr, "synfin: error: writing output: %v", err)
		return exitNothing
	}
	if damaged {
		return exitDamaged
	}
	return exitOK
}

// renderDemo prints every view of the embedded capture, one after another.
func renderDemo(w io.Writer, format string, recs []analyze.Record, fit int) (note string, err error) {
	for _, name := range []string{"conns", "handshakes", "options", "teardowns"} {
		v := views[name]
		if format == "table" {
			fmt.Fprintf(w, "%s\n", v.title)
		}
		n, err := renderView(w, format, v, recs, false, msg.EN, fit)
		if err != nil {
			return note, err
		}
		if n != "" {
			note = "synfin: note: to fit the terminal, some columns are left out or shortened; --wide shows everything"
		}
		fmt.Fprintln(w)
	}
	if format == "table" {
		fmt.Fprintf(w, "Summary\n")
	}
	return note, renderSummary(w, format, analyze.Summarize(recs), msg.EN)
}

// newFilter builds the record filter of --host, --port, --conn and --state.
func newFilter(o *options) func(*analyze.Record) bool {
	return func(r *analyze.Record) bool {
		if len(o.conns) > 0 && !slices.Contains(o.conns, r.Conn) {
			return false
		}
		if len(o.states) > 0 && !slices.ContainsFunc(o.states, func(s string) bool { return strings.EqualFold(s, r.State) }) {
			return false
		}
		c, _ := netip.ParseAddrPort(r.Client)
		s, _ := netip.ParseAddrPort(r.Server)
		if len(o.ports) > 0 && !slices.ContainsFunc(o.ports, func(p int) bool { return int(c.Port()) == p || int(s.Port()) == p }) {
			return false
		}
		if len(o.hosts) > 0 && !slices.ContainsFunc(o.hosts, func(h string) bool {
			a, _ := netip.ParseAddr(h)
			return c.Addr() == a || s.Addr() == a
		}) {
			return false
		}
		return true
	}
}

// sortBy orders records by one of the view's columns (numbers compare as
// numbers); "conn" keeps input order. A leading "-" sorts descending.
func sortBy(recs []analyze.Record, viewName, key string) error {
	desc := strings.HasPrefix(key, "-")
	key = strings.TrimPrefix(key, "-")
	if key == "conn" && !desc {
		return nil
	}
	v, ok := views[viewName]
	if !ok {
		v = views["conns"]
	}
	var col *column
	for i := range v.columns {
		if v.columns[i].name == key {
			col = &v.columns[i]
		}
	}
	if col == nil {
		names := make([]string, len(v.columns))
		for i, c := range v.columns {
			names[i] = c.name
		}
		return fmt.Errorf("--sort %s: no such column in the %s view (%s)", key, v.name, strings.Join(names, ", "))
	}
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := col.value(&recs[i]), col.value(&recs[j])
		less := compareCells(a, b) < 0
		if desc {
			return compareCells(a, b) > 0
		}
		return less
	})
	return nil
}
