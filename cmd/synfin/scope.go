package main

import (
	"slices"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/table"
)

// Each view takes only its own flags: a flag given that the view would not
// read is a mistake on the command line (exit status 2) naming the views
// that do read it, since a flag silently ignored (--shard without batch:
// every machine writes every record) is worse than none.

// readsCaptures reports whether the view reads capture files, and so
// takes the common flags.
func readsCaptures(view string) bool {
	switch view {
	case "lab", "demo", "help", "completion":
		return false
	}
	return true
}

// takes is the set of flags view reads.
func takes(view string) map[string]bool {
	set := map[string]bool{}
	for _, f := range viewFlags[view] {
		set[f] = true
	}
	if readsCaptures(view) {
		for _, f := range commonFlags {
			set[f] = true
		}
	}
	for _, f := range notCommon[view] {
		delete(set, f)
	}
	return set
}

// notCommon are the common flags a view that reads captures does not
// read: ladder and explain draw the connections -c names, whatever their
// hosts, ports and state.
var notCommon = map[string][]string{
	"ladder":  {"host", "port", "state"},
	"explain": {"host", "port", "state"},
	"graph":   {"host", "port", "state"},
}

// takenBy lists the views that read flag, in the order synfin --help
// lists views.
func takenBy(flag string) []string {
	var vs []string
	for _, v := range viewNames {
		if takes(v)[flag] {
			vs = append(vs, v)
		}
	}
	return vs
}

// packetsRefuse are the flags of the conns view that --packets does not
// read: it lists packets in frame order, one input at a time, without
// records.
var packetsRefuse = []string{"sort", "limit", "wide", "app", "ja4t", "streams", "jobs"}

// checkScope refuses the first flag given (in the order given) that view
// does not read.
func checkScope(fs *pflag.FlagSet, view string, args []string) error {
	ok := takes(view)
	packets := fs.Changed("packets")
	for _, name := range givenFlags(fs, args) {
		switch {
		case name == "help" || name == "version" || name == "schema":
		case !ok[name]:
			return outOfPlace(fs, name, view)
		case packets && slices.Contains(packetsRefuse, name):
			return msg.E("cli.scope.packets", name)
		case name == "limit" && fs.Changed("streams"):
			// --streams writes each connection as it finishes, before the
			// rows are sorted and cut.
			return msg.E("cli.scope.streams")
		}
	}
	return nil
}

// outOfPlace says which views read a flag the view was given.
func outOfPlace(fs *pflag.FlagSet, name, view string) error {
	by := takenBy(name)
	example := "--" + name
	if f := fs.Lookup(name); f != nil && f.Value.Type() != "bool" {
		example += " " + f.Value.String()
	}
	switch len(by) {
	case 0:
		return msg.E("cli.scope.none", name, view)
	case 1:
		return msg.E("cli.scope.one", name, by[0], view, by[0], example)
	}
	return msg.E("cli.scope.many", name, view, msg.List(by))
}

// givenFlags are the long names of the flags on the command line, in the
// order given (pflag's Visit goes in name order, which would name a
// later mistake first).
func givenFlags(fs *pflag.FlagSet, args []string) []string {
	seen := map[string]bool{}
	var names []string
	add := func(f *pflag.Flag) {
		if f != nil && f.Changed && !seen[f.Name] {
			seen[f.Name] = true
			names = append(names, f.Name)
		}
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		switch {
		case strings.HasPrefix(a, "--"):
			add(fs.Lookup(strings.SplitN(a[2:], "=", 2)[0]))
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for _, c := range a[1:] { // -qc 3: each shorthand until one takes a value
				f := fs.ShorthandLookup(string(c))
				add(f)
				if f == nil || f.Value.Type() != "bool" {
					break
				}
			}
		}
	}
	// Anything pflag set that the scan missed (it cannot, but a flag set
	// must never be let through unchecked).
	var rest []string
	fs.Visit(func(f *pflag.Flag) {
		if !seen[f.Name] {
			rest = append(rest, f.Name)
		}
	})
	sort.Strings(rest)
	return append(names, rest...)
}

// viewFormats are the formats each view writes, its default first.
var viewFormats = map[string][]table.Format{
	"conns":      {table.Text, table.Markdown, table.CSV, table.JSON, table.JSONL},
	"handshakes": {table.Text, table.Markdown, table.CSV, table.JSON, table.JSONL},
	"teardowns":  {table.Text, table.Markdown, table.CSV, table.JSON, table.JSONL},
	"options":    {table.Text, table.Markdown, table.CSV, table.JSON, table.JSONL},
	"summary":    {table.Text, table.Markdown, table.CSV, table.JSON, table.JSONL},
	"isn":        {table.Text, table.Markdown, table.CSV, table.JSON, table.JSONL},
	"demo":       {table.Text, table.Markdown, table.CSV, table.JSON, table.JSONL},
	"ladder":     {table.Text, table.Markdown, table.SVG, table.HTML},
	"explain":    {table.Text, table.Markdown},
	"report":     {table.Markdown, table.HTML},
	"segments":   {table.Text, table.Markdown, table.CSV, table.JSON, table.JSONL},
	"graph":      {table.SVG, table.CSV, table.JSONL},
	"batch":      {table.JSONL, table.CSV, table.Parquet},
	"lab":        {table.Text, table.Markdown},
}

// summaryOnlyFormats are what batch --summary-only writes: a table of the
// captures read, not records.
var summaryOnlyFormats = []table.Format{table.Text, table.Markdown, table.CSV, table.JSON, table.JSONL}

// formatsOf are the formats view writes as the flags set it.
func formatsOf(view string, fs *pflag.FlagSet) []table.Format {
	switch {
	case view == "batch" && fs.Changed("summary-only"):
		return summaryOnlyFormats
	case view == "conns" && fs.Changed("packets"):
		return viewFormats["conns"]
	}
	return viewFormats[view]
}

// formatList names formats for a message: "table, markdown or html".
func formatList(fs []table.Format) msg.Or {
	names := make(msg.Or, len(fs))
	for i, f := range fs {
		names[i] = string(f)
	}
	return names
}

// writersOf names the views that write format f, for a message.
func writersOf(f table.Format) []string {
	var vs []string
	for _, v := range viewNames {
		if slices.Contains(viewFormats[v], f) {
			vs = append(vs, v)
		}
	}
	return vs
}

// wrongFormat says that view does not write f, and which views do.
func wrongFormat(view string, f table.Format, allowed []table.Format, how string) error {
	if f == table.Parquet {
		return msg.E("cli.format.parquet", how)
	}
	wrong := msg.E("cli.format.wrong", how, view, formatList(allowed), string(f))
	if by := writersOf(f); len(by) > 0 && len(by) <= 3 && !slices.Contains(by, view) {
		return msg.E("cli.format.from", wrong, strings.ToUpper(string(f)), msg.Or(by))
	}
	return wrong
}

// recordFormats write records whole, so --app and --ja4t change them.
var recordFormats = []table.Format{table.JSON, table.JSONL, table.Parquet}

// checkFormatFlags refuses flags that the chosen format would not use.
func checkFormatFlags(fs *pflag.FlagSet, view string, f table.Format) error {
	for _, name := range []string{"app", "ja4t"} {
		if fs.Changed(name) && !slices.Contains(recordFormats, f) && !(view == "batch" && fs.Changed("summary-only")) {
			return msg.E("cli.scope.app", name, string(f))
		}
	}
	if fs.Changed("wide") && f != table.Text {
		return msg.E("cli.scope.wide", string(f))
	}
	if fs.Changed("ascii") && f != table.Text && f != table.Markdown {
		return msg.E("cli.scope.ascii", string(f))
	}
	return nil
}
