package views

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/synfin/synfin/internal/draw"
	"github.com/synfin/synfin/internal/lab"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/outfile"
	"github.com/synfin/synfin/internal/say"
	"github.com/synfin/synfin/internal/table"
	"github.com/synfin/synfin/internal/tty"
)

// LabOptions are the flags of the lab view: which connection to make
// (--server-close, --reset, --half-close, --refused each choose a variant;
// two chosen is a mistake) and where to write its capture (-w).
type LabOptions struct {
	Chosen map[lab.Variant]bool
	Write  string
}

// variant is the one variant chosen (the client closing first when none
// is), or false when several are.
func (l *LabOptions) variant() (lab.Variant, bool) {
	v, n := lab.ClientClose, 0
	for is, on := range l.Chosen {
		if on {
			v, n = is, n+1
		}
	}
	return v, n <= 1
}

// Lab is the lab view: one connection made, captured and explained.
func Lab(o *Options, lang msg.Lang, out, stderr io.Writer) int {
	variant, ok := o.Lab.variant()
	if !ok {
		return UsageError(stderr, lang, msg.E("cli.variant"))
	}
	port := 0
	if len(o.Ports) > 0 {
		port = o.Ports[0]
	}
	res, err := lab.Run(variant, port)
	if errors.Is(err, lab.ErrNeedRoot) {
		sayError(stderr, lang, lang.T("cli.lab.needroot"))
		return ExitNothing
	}
	if err != nil {
		sayError(stderr, lang, lang.F("cli.lab.failed", say.Error(lang, err)))
		return ExitNothing
	}
	// The capture is written before the explanation, so that a reader
	// who stops reading early (synfin lab -w x.pcapng | head) keeps it.
	if o.Lab.Write != "" {
		if err := writeFile(o.Lab.Write, res.Pcapng); err != nil {
			sayError(stderr, lang, lang.F("cli.write.w", say.Error(lang, err)))
			return ExitNothing
		}
	}
	markdown := o.Format == table.Markdown
	width := tty.WrapWidth(out, !markdown && !o.Wide)
	writeCalls(out, lang, res, markdown, width)
	form := draw.PlainText
	if markdown {
		form = draw.Markdown
	}
	draw.Explain(out, res.Ladder, res.Record, lang, form, draw.Context{Note: lab.Note(lang, res), Width: width})
	if o.Lab.Write != "" {
		fmt.Fprintf(out, "\n%s\n", lang.F("lab.written", o.Lab.Write))
	}
	return ExitOK
}

// writeCalls prints the socket calls of a lab run under their heading,
// each at its time from the connection's first packet (the walkthrough's
// clock), then an empty line. Plain text within width cells (0: no limit)
// wraps, a call's further lines under its first; Markdown prints them as
// a code block.
func writeCalls(out io.Writer, lang msg.Lang, res *lab.Result, markdown bool, width int) {
	t0 := time.Unix(0, res.Ladder.FirstTS)
	if markdown {
		fmt.Fprintf(out, "### %s\n\n", lang.T("lab.calls"))
	} else {
		fmt.Fprintln(out, tty.Hang("", lang.T("lab.calls"), width))
	}
	for _, c := range res.Calls {
		head := fmt.Sprintf("%9.3f ms  %-7s ", float64(c.At.Sub(t0).Nanoseconds())/1e6, draw.Who(lang, c.By))
		if markdown {
			fmt.Fprintf(out, "    %s%s\n", head, c.Words(lang))
			continue
		}
		fmt.Fprintln(out, tty.Hang("  "+head, c.Words(lang), width))
	}
	fmt.Fprintln(out)
}

// writeFile writes b to path whole or not at all (a temporary file
// renamed into place).
func writeFile(path string, b []byte) error {
	f, err := outfile.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}
