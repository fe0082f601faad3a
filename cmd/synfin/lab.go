package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"synfin/cmd/synfin/internal/draw"
	"synfin/cmd/synfin/internal/lab"
	"synfin/cmd/synfin/internal/msg"
	"synfin/cmd/synfin/internal/table"
	"synfin/cmd/synfin/internal/tty"
)

// labOptions are the flags of the lab view: which connection to make
// (--server-close, --reset, --half-close, --refused each set the variant;
// given twice is a mistake) and where to write its capture.
type labOptions struct {
	variant lab.Variant
	set     int // variant flags given
	write   string
}

// variantFlag is one of the flags that choose the lab's variant; it reads
// as a bool flag.
type variantFlag struct {
	o  *labOptions
	is lab.Variant
}

func (f variantFlag) String() string   { return "false" }
func (f variantFlag) Type() string     { return "bool" }
func (f variantFlag) IsBoolFlag() bool { return true }
func (f variantFlag) Set(s string) error {
	on, err := strconv.ParseBool(s)
	if on {
		f.o.variant, f.o.set = f.is, f.o.set+1
	}
	return err
}

// runLab is the lab view: one connection made, captured and explained.
func runLab(o *options, lang msg.Lang, out, stderr io.Writer) int {
	if o.lab.set > 1 {
		return usageError(stderr, "choose one of --server-close, --reset, --half-close, --refused")
	}
	port := 0
	if len(o.ports) > 0 {
		port = o.ports[0]
	}
	res, err := lab.Run(o.lab.variant, port)
	if errors.Is(err, lab.ErrNeedRoot) {
		tty.Say(stderr, "synfin: error: %v", err)
		return exitNothing
	}
	if err != nil {
		tty.Say(stderr, "synfin: error: lab: %v", err)
		return exitNothing
	}
	markdown := o.format == table.Markdown
	t0 := res.Calls[0].At
	if markdown {
		fmt.Fprintf(out, "### %s\n\n", lang.T("lab.calls"))
	} else {
		fmt.Fprintf(out, "%s\n", lang.T("lab.calls"))
	}
	for _, c := range res.Calls {
		line := fmt.Sprintf("%9.3f ms  %-7s %s", float64(c.At.Sub(t0).Microseconds())/1e3, draw.Who(lang, c.By), c.Call)
		if markdown {
			fmt.Fprintf(out, "    %s\n", line)
		} else {
			fmt.Fprintf(out, "  %s\n", line)
		}
	}
	fmt.Fprintln(out)
	form := draw.PlainText
	if markdown {
		form = draw.Markdown
	}
	draw.ExplainWith(out, res.Ladder, res.Record, lang, form, lab.Note(lang, res))
	if o.lab.write != "" {
		if err := os.WriteFile(o.lab.write, res.Pcapng, 0o644); err != nil {
			tty.Say(stderr, "synfin: error: %v", err)
			return exitNothing
		}
		fmt.Fprintf(out, "\n%s\n", lang.F("lab.written", o.lab.write))
	}
	return exitOK
}
