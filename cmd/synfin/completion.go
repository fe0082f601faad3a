package main

import (
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/completion"
	"github.com/synfin/synfin/internal/graph"
	"github.com/synfin/synfin/internal/manpage"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/table"
)

// defaultView is the view run shows when the first operand names none.
const defaultView = "conns"

// formatNames are --format's values.
var formatNames = []string{"table", "markdown", "csv", "json", "jsonl", "html", "svg", "parquet"}

// sortColumns are the names --sort takes after view, as table.CheckSort
// reads them; none for a view that does not take --sort.
func sortColumns(view string) []string {
	if !takes(view)["sort"] {
		return nil
	}
	return table.SortColumns(view)
}

// completionCommand is what synfin completion's scripts complete: the
// views, their summaries and --sort's columns, the closed sets the flags
// take, and the flags.
func completionCommand(fs *pflag.FlagSet) *completion.Command {
	c := &completion.Command{Views: viewNames, DefaultView: defaultView, HelpViews: helpViews(), Flags: fs,
		Summaries: map[string]string{}, SortColumns: map[string][]string{},
		Values: map[string][]string{"state": analyze.StateNames(), "format": formatNames, "lang": {"en", "zh"}}}
	for _, k := range graph.Kinds {
		c.Values["kind"] = append(c.Values["kind"], string(k))
	}
	for _, v := range manpage.UsageViews(usageText) {
		name, _, _ := strings.Cut(v[0], " ")
		c.Summaries[name] = v[1]
	}
	for _, v := range viewNames {
		if cols := sortColumns(v); cols != nil {
			c.SortColumns[v] = cols
		}
	}
	return c
}

// completionScript writes the completion script for the shell args name, or
// says which shells it knows.
func completionScript(w, stderr io.Writer, lang msg.Lang, fs *pflag.FlagSet, args []string) int {
	if len(args) != 1 || completion.Write(w, completionCommand(fs), args[0]) != nil {
		return usageError(stderr, lang, msg.E("cli.completion", strings.Join(args, " ")))
	}
	return exitOK
}
