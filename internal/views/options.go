package views

import (
	"fmt"
	"io"
	"net/netip"
	"runtime"
	"strings"
	"time"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/batch"
	"github.com/synfin/synfin/internal/graph"
	"github.com/synfin/synfin/internal/interrupt"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
	"github.com/synfin/synfin/internal/say"
	"github.com/synfin/synfin/internal/table"
	"github.com/synfin/synfin/internal/tty"
)

// Options are the command line, parsed: what every view reads.
type Options struct {
	View        string
	Format      table.Format
	Output      string   // -o
	Force       bool     // --force: -o may overwrite a capture
	Hosts       []string // checked to be addresses before a view runs
	Ports       []int
	Conns       []int
	States      []string
	SortBy      string
	Limit       int
	Lang        string
	Jobs        int
	IdleTimeout time.Duration
	Linger      time.Duration // --linger; 0: a record as its connection closes
	MaxConns    int
	Workers     int // --workers; 0: the cores, shared among Jobs
	NoProgress  bool
	Quiet       bool
	JA4T        bool
	Wide        bool
	Packets     bool
	App         bool
	Streams     string     // --streams DIR
	Graph       graph.Kind // --kind: which graph
	Draw        DrawOptions
	Batch       BatchOptions
	Lab         LabOptions
	Version     string // synfin's, named in reports
	// Stop, when set, ends the input early (the first Ctrl-C): what was
	// read is analysed and written.
	Stop *interrupt.Stop
}

// BatchOptions are the flags only the batch view reads.
type BatchOptions struct {
	Resume      string // --resume MANIFEST
	Shard       string // --shard I/N
	ShardBy     string // --shard-by size|path
	Rotate      string // --rotate ROWS,DURATION (-o with a number)
	SummaryOnly bool
}

// Exit statuses.
const (
	ExitOK          = 0
	ExitDamaged     = 1   // analysis printed, but some input was damaged or unreadable
	ExitNothing     = 2   // usage error, or nothing could be read
	ExitInterrupted = 130 // stopped by Ctrl-C or SIGTERM, what was read written (128 + SIGINT, as shells report it)
)

// UsageError reports a mistake on the command line, in lang, with the
// usage line under it: exit status 2.
func UsageError(stderr io.Writer, lang msg.Lang, err error) int {
	fmt.Fprintf(stderr, "synfin: %s\n%s\n", tty.Safe(lang.F("cli.error", lang.In(err))), lang.T("cli.usage"))
	return ExitNothing
}

// language is --lang's language (checked before a view runs).
func (o *Options) language() msg.Lang {
	l, _ := msg.Parse(o.Lang)
	return l
}

// sayError reports an error that is no mistake on the command line.
func sayError(stderr io.Writer, lang msg.Lang, text string) {
	tty.Say(stderr, "synfin: %s", lang.F("cli.error", text))
}

// filter is the record filter of --host, --port, --conn and --state; the
// hosts were checked before the view ran.
func (o *Options) filter() func(*analyze.Record) bool {
	f := &analyze.Filter{Conns: o.Conns, States: o.States, Ports: o.Ports}
	for _, h := range o.Hosts {
		a, _ := netip.ParseAddr(h)
		f.Hosts = append(f.Hosts, a)
	}
	return f.Match
}

// filtered reports whether a filter flag was given.
func (o *Options) filtered() bool {
	return len(o.Hosts)+len(o.Ports)+len(o.Conns)+len(o.States) > 0
}

// filterWords are the filter flags as given: "--host 10.0.0.1 --port 80".
func (o *Options) filterWords() string {
	var w []string
	for _, h := range o.Hosts {
		w = append(w, "--host "+h)
	}
	for _, p := range o.Ports {
		w = append(w, fmt.Sprintf("--port %d", p))
	}
	for _, c := range o.Conns {
		w = append(w, fmt.Sprintf("-c %d", c))
	}
	for _, s := range o.States {
		w = append(w, "--state "+s)
	}
	return strings.Join(w, " ")
}

// noMatch notes, on stderr, a filter that let no connection through: the
// empty table alone reads as an empty capture.
func (o *Options) noMatch(ses *batch.Session, read int, lang msg.Lang, stderr io.Writer) {
	if ses.Matches == nil || ses.Matches.Kept.Load() > 0 || o.Quiet {
		return
	}
	seen := int(ses.Matches.Seen.Load())
	if read == 1 {
		tty.Say(stderr, "synfin: %s", lang.F("cli.nomatch.one", o.filterWords(), seen))
		return
	}
	tty.Say(stderr, "synfin: %s", lang.F("cli.nomatch.many", o.filterWords(), seen, read))
}

// session is a run over inputs as the flags set it, keeping what filter
// lets through (nil: everything).
func (o *Options) session(stderr io.Writer, filter func(*analyze.Record) bool) *batch.Session {
	linger := o.Linger
	if linger == 0 {
		linger = -1 // pipeline's "not at all"; its 0 is the default
	}
	workers := o.Workers
	if workers == 0 {
		// One a core, but on one or two cores the stages of one table
		// are faster than workers (pipeline.Options.Workers).
		if workers = runtime.GOMAXPROCS(0) / max(1, o.Jobs); workers <= 2 {
			workers = 1
		}
	}
	var matches *batch.Matches
	if filter != nil && o.filtered() {
		matches = new(batch.Matches)
		filter = matches.Counting(filter)
	}
	return &batch.Session{Lang: o.language(), Filter: filter, Matches: matches, StreamsDir: o.Streams, Quiet: o.Quiet, Stderr: stderr, Jobs: o.Jobs, Stop: o.Stop,
		Pipeline: pipeline.Options{IdleTimeout: o.IdleTimeout, Linger: linger, MaxConns: o.MaxConns, Workers: workers, JA4T: o.JA4T, App: o.App}}
}

// exitStatus ends a run: an error writing the output is reported and
// fails it; otherwise damaged input gives status 1.
func exitStatus(stderr io.Writer, lang msg.Lang, err error, damaged bool) int {
	if err != nil {
		sayError(stderr, lang, lang.F("cli.write", say.Error(lang, err)))
		return ExitNothing
	}
	if damaged {
		return ExitDamaged
	}
	return ExitOK
}

// Defaults are the options of a command line that sets no flag: the flags'
// defaults, and what a program that runs the views without a command line
// (the browser page) starts from.
func Defaults() Options {
	return Options{View: "conns", Format: table.Text, SortBy: "conn", Lang: "en", Jobs: 1,
		IdleTimeout: flows.DefaultIdleTimeout, Linger: flows.DefaultLinger, MaxConns: flows.DefaultMaxConns}
}

// Session is a run over inputs as the options set it, their filters
// applied: for a program that wants the records themselves.
func (o *Options) Session(stderr io.Writer) *batch.Session { return o.session(stderr, o.filter()) }
