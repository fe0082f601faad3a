package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// manPage writes synfin(1) in roff (make man), from the same texts as
// --help and each view's --help, so the page cannot drift from them.
func manPage(w io.Writer, fs *pflag.FlagSet) int {
	var b bytes.Buffer
	pre := func(text string) {
		b.WriteString(".nf\n")
		for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			l = strings.ReplaceAll(l, `\`, `\e`)
			if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
				l = `\&` + l
			}
			b.WriteString(l + "\n")
		}
		b.WriteString(".fi\n")
	}
	fmt.Fprintf(&b, ".TH SYNFIN 1 \"\" \"synfin %s\" \"User Commands\"\n", version)
	b.WriteString(".SH NAME\nsynfin \\- how every TCP connection in a capture was opened and closed\n")
	b.WriteString(".SH SYNOPSIS\n.B synfin\n[VIEW] [flags] INPUT...\n")
	b.WriteString(".SH DESCRIPTION\n")
	pre(usageText)
	b.WriteString(".SH VIEWS\n")
	for _, v := range viewNames {
		if text, ok := viewHelp[v]; ok {
			fmt.Fprintf(&b, ".SS %s\n", v)
			pre(text)
		}
	}
	b.WriteString(".SH OPTIONS\n")
	var flags bytes.Buffer
	flagLines(&flags, fs, nil)
	pre(flags.String())
	b.WriteString(".SH EXIT STATUS\n0 all read; 1 analysis printed but some input was damaged or unreadable;\n2 nothing could be read, or bad usage; 130 interrupted.\n")
	b.WriteString(".SH SEE ALSO\n.BR tshark (1),\n.BR tcpdump (1),\n.BR zeek (8)\n")
	if _, err := w.Write(b.Bytes()); err != nil {
		return exitNothing
	}
	return exitOK
}
