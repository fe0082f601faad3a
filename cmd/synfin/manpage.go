package main

import (
	"io"

	"github.com/spf13/pflag"

	"github.com/synfin/synfin/internal/completion"
	"github.com/synfin/synfin/internal/manpage"
)

// manPage writes synfin(1) (make man) from the texts --help and each
// view's --help print, the flag set synfin parses and which views take
// each flag, all read when the page is written.
func manPage(w io.Writer, fs *pflag.FlagSet) int {
	err := manpage.Write(w, &manpage.Command{
		Version: version, Usage: usageText, DefaultView: defaultView,
		Views: helpViews(), ViewHelp: viewHelp, ViewExamples: viewExamples, ViewFlags: viewFlags,
		TakenBy: takenBy, Shells: completion.Shells, Flags: fs,
		Exits: []manpage.Exit{
			{Code: exitOK, What: "Every input was read and the output written."},
			{Code: exitDamaged, What: "The analysis was written, but some input was damaged or could not be read."},
			{Code: exitNothing, What: "Nothing could be read, or the command line was wrong (bad usage: an unknown flag or view, a flag the view does not take, a value the flag does not take)."},
			{Code: exitInterrupted, What: "Interrupted by SIGINT (Ctrl-C) or SIGTERM: what was read before the signal was analysed and written; for synfin batch, every capture finished before it, and --resume continues the sweep."},
		},
	})
	if err != nil {
		return exitNothing
	}
	return exitOK
}
