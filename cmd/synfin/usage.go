package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/tty"

	"github.com/spf13/pflag"
)

// viewFlags are the flags each view reads beyond the common ones (the
// filters, -o, --lang, --idle-timeout, --max-conns, -q): what its --help
// lists, and what scope.go lets it take. A flag given to a view that
// does not read it is refused, never ignored.
var viewFlags = map[string][]string{
	"conns":      {"format", "sort", "limit", "wide", "app", "ja4t", "streams", "packets", "jobs", "force"},
	"handshakes": {"format", "sort", "limit", "wide", "app", "ja4t", "jobs", "force"},
	"teardowns":  {"format", "sort", "limit", "wide", "app", "ja4t", "jobs", "force"},
	"options":    {"format", "sort", "limit", "wide", "app", "ja4t", "jobs", "force"},
	"summary":    {"format", "wide", "jobs", "force"},
	"isn":        {"format", "sort", "wide", "jobs", "force"},
	"ladder":     {"format", "ascii", "raw-seq", "full", "wide", "force"},
	"explain":    {"format", "wide", "force"},
	"report":     {"format", "ascii", "raw-seq", "full", "force"},
	"segments":   {"format", "wide", "raw-seq", "force"},
	"graph":      {"format", "kind", "force"},
	"batch":      {"format", "jobs", "resume", "shard", "shard-by", "rotate", "summary-only", "no-progress", "app", "ja4t", "force"},
	"lab":        {"format", "server-close", "reset", "half-close", "refused", "write", "port", "wide", "lang", "quiet"},
	"demo":       {"format", "output", "force", "wide", "lang", "quiet"},
	"completion": {},
	"help":       {},
}

// commonFlags are read by every view that reads captures.
var commonFlags = []string{"output", "host", "port", "conn", "state", "lang", "idle-timeout", "linger", "max-conns", "workers", "quiet"}

// viewExamples is one command line per view, for its --help.
var viewExamples = map[string]string{
	"conns":      "synfin conns --port 80 trace.pcap",
	"handshakes": "synfin handshakes --sort -rtt_ms lab.pcapng",
	"teardowns":  "synfin teardowns -f markdown lab.pcapng > teardowns.md",
	"options":    "synfin options lab.pcapng",
	"summary":    "synfin summary captures/",
	"isn":        "synfin isn lab.pcapng",
	"ladder":     "synfin ladder -c 0 lab.pcapng",
	"explain":    "synfin explain -c 0 --lang zh lab.pcapng",
	"report":     "synfin report -f html lab.pcapng > report.html",
	"segments":   "synfin segments -c 0 -f csv upload.pcap > segments.csv",
	"graph":      "synfin graph -c 0 --kind tseq upload.pcap > tseq.svg",
	"batch":      "synfin batch -o conns.parquet archive.tar.zst",
	"lab":        "sudo synfin lab --half-close -w lab.pcapng",
	"demo":       "synfin demo",
	"completion": "synfin completion bash > /etc/bash_completion.d/synfin",
}

// flagLines lists flags as GNU tools do: "-f, --format FORMAT", booleans
// without a value.
func flagLines(w io.Writer, fs *pflag.FlagSet, names []string) { viewFlagLines(w, fs, names, "") }

// viewFlagLines lists flags as view reads them: -f with the view's own
// formats and default, --jobs with batch's default ("" for the flags as
// any view reads them).
func viewFlagLines(w io.Writer, fs *pflag.FlagSet, names []string, view string) {
	type line struct{ head, usage string }
	var lines []line
	width := 0
	each := func(f *pflag.Flag) {
		name, usage := pflag.UnquoteUsage(f)
		if u, ok := flagUsageIn(view, f.Name); ok {
			usage = u
		}
		head := "      --" + f.Name
		if f.Shorthand != "" {
			head = "  -" + f.Shorthand + ", --" + f.Name
		}
		if f.Value.Type() != "bool" && name != "" {
			head += " " + strings.ToUpper(name)
		}
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "[]" && f.Value.Type() != "bool" && f.Name != "format" && !(view == "batch" && f.Name == "jobs") {
			usage += fmt.Sprintf(" (default %s)", d)
		}
		lines = append(lines, line{head, usage})
		width = max(width, len(head))
	}
	if names == nil {
		fs.VisitAll(each)
	} else {
		for _, n := range names {
			if f := fs.Lookup(n); f != nil {
				each(f)
			}
		}
	}
	// The explanations wrap in an 80-column terminal, under themselves.
	room := max(30, 80-width-2)
	for _, l := range lines {
		for i, part := range tty.Wrap(l.usage, room) {
			head := ""
			if i == 0 {
				head = l.head
			}
			fmt.Fprintf(w, "%-*s  %s\n", width, head, part)
		}
	}
}

// flagUsageIn is a flag's explanation as view reads it, where it differs
// from the one of --help: the formats the view writes, its default, and
// batch's jobs.
func flagUsageIn(view, flag string) (string, bool) {
	switch {
	case view == "" || view == "completion" || view == "help":
		return "", false
	case flag == "format":
		fs := viewFormats[view]
		u := fmt.Sprintf("output FORMAT: %s (default: from -o's extension, else %s)", formatList(fs).SayIn(msg.EN), fs[0])
		if view == "batch" {
			u += "; with --summary-only: " + formatList(summaryOnlyFormats).SayIn(msg.EN) + " (default table)"
		}
		return u, true
	case view == "lab" && flag == "port":
		return "the PORT the lab's server listens on (default: one the system picks)", true
	case view == "batch" && flag == "jobs":
		return "captures analysed at once (default: all cores)", true
	}
	return "", false
}

// viewUsage is a view's --help: what it shows, the flags it takes (its
// own, then those every view that reads captures takes) with their
// defaults in that view, and an example.
func viewUsage(w io.Writer, fs *pflag.FlagSet, view string) {
	fmt.Fprintln(w, tty.Reflow(viewHelp[view], helpWidth))
	ok := takes(view)
	var own, common []string
	for _, f := range viewFlags[view] {
		if !slices.Contains(commonFlags, f) {
			own = append(own, f)
		}
	}
	for _, f := range commonFlags {
		if ok[f] {
			common = append(common, f)
		}
	}
	if len(own) > 0 {
		fmt.Fprintf(w, "\nFlags of %s:\n", view)
		viewFlagLines(w, fs, own, view)
	}
	if len(common) > 0 {
		heading := "\nFlags of every view that reads captures:\n"
		if !readsCaptures(view) || len(common) < len(commonFlags) {
			heading = "\nAlso:\n"
		}
		fmt.Fprint(w, heading)
		viewFlagLines(w, fs, common, view)
	}
	fmt.Fprintf(w, "\nExample:\n  %s\n", viewExamples[view])
}

// helpWidth is the width help text wraps to: an 80-column terminal, as the
// flags' explanations do.
const helpWidth = 80
