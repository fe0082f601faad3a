package oracle

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Write prints the comparison: a summary line, a per-field agreement table
// (field, compared, agreed, percent, by rule), then every disagreement,
// every value set aside by rule, and the unmatched connections of both sides.
func (s FieldStats) Write(w io.Writer) error {
	name := s.Oracle
	if name == "" {
		name = "oracle"
	}
	ew := &errWriter{w: w}
	ew.printf("%s: %d matched, %d synfin records unmatched, %d %s connections unmatched\n",
		name, s.Matched, len(s.UnmatchedSynfin), len(s.UnmatchedOracle), name)
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "field\tcompared\tagreed\tpercent\tby rule\t\n")
	for _, f := range s.Fields {
		pct := "-"
		if f.Compared > 0 {
			pct = fmt.Sprintf("%.1f%%", f.Percent())
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%d\t\n", f.Field, f.Compared, f.Agreed, pct, f.ByRule)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	writeDiffs := func(title string, ds []Disagreement) {
		ew.printf("%s (%d):\n", title, len(ds))
		for _, d := range ds {
			ew.printf("  %s conn %d (%s) %s: synfin %s, %s %s", d.Capture, d.Conn, d.OracleID, d.Field, d.Synfin, name, d.Oracle)
			if d.Note != "" {
				ew.printf(" [%s]", d.Note)
			}
			ew.printf("\n")
		}
	}
	writeDiffs("disagreements", s.Disagreements)
	writeDiffs("differs by rule", s.ByRule)
	writeUnmatched := func(title string, us []Unmatched) {
		ew.printf("%s (%d):\n", title, len(us))
		for _, u := range us {
			ew.printf("  %s %s", u.Capture, u.ID)
			if u.Client != "" || u.Server != "" {
				ew.printf(" %s -> %s", u.Client, u.Server)
			}
			ew.printf(": %s\n", u.Reason)
		}
	}
	writeUnmatched("unmatched synfin records", s.UnmatchedSynfin)
	writeUnmatched("unmatched "+name+" connections", s.UnmatchedOracle)
	return ew.err
}

// errWriter keeps the first write error so Write can report it once.
type errWriter struct {
	w   io.Writer
	err error
}

// Write writes p unless an earlier write failed.
func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// printf formats into the writer.
func (e *errWriter) printf(format string, a ...any) {
	fmt.Fprintf(e, format, a...)
}
