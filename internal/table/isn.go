package table

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/isn"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/tty"
)

// RenderISN prints the isn view: one row per ISN generator judged (each
// host as client and as server, each server port, each reused 4-tuple),
// then the SYNs sent again with a new ISN. A terminal narrower than the
// table (fit; 0: no limit) gets each meaning under its row (MeaningBelow).
func RenderISN(w io.Writer, format Format, lang msg.Lang, recs []analyze.Record, sortBy string, fit int) error {
	rep := isn.Analyze(recs)
	if err := sortISN(rep.Groups, sortBy); err != nil {
		return err
	}
	if format == CSV {
		lang = msg.EN // programs read CSV: its words stay English
	}
	switch format {
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case JSONL:
		enc := json.NewEncoder(w)
		for _, g := range rep.Groups {
			if err := enc.Encode(g); err != nil {
				return err
			}
		}
		return nil
	}
	names := []string{"role", "scope", "key", "samples", "verdict", "meaning"}
	rows := make([][]string, 0, len(rep.Groups))
	for _, g := range rep.Groups {
		rows = append(rows, []string{lang.Name("side", g.Role), lang.T("isn.scope." + g.Scope), g.Key, itoa(len(g.Samples)), lang.Name("verdict", g.Verdict), isnMeaning(lang, g)})
	}
	switch format {
	case CSV:
		cw := csv.NewWriter(w)
		_ = cw.Write(names)
		for _, r := range rows {
			r[2] = tty.CSVSafe(r[2])
			_ = cw.Write(r)
		}
		cw.Flush()
		return cw.Error()
	case Markdown:
		fmt.Fprintf(w, "### ISN\n\n")
		MarkdownTable(w, TranslateHeaders(lang, names), rows)
	case Text:
		if header := TranslateHeaders(lang, names); fit > 0 && boxedWidth(header, rows) > fit {
			if err := MeaningBelow(w, header, rows, fit); err != nil {
				return err
			}
			break
		}
		fallthrough
	default:
		t := New(w, format)
		t.Header(TranslateHeaders(lang, names))
		if err := t.Bulk(rows); err != nil {
			return err
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	for _, c := range rep.Changed {
		fmt.Fprintln(w, lang.F("isn.changed", c.Tuple, c.AfterSeconds, c.ISNs[0], c.ISNs[1], c.Conns[0], c.Conns[1]))
	}
	return nil
}

// ISNColumns are the isn view's columns: what --sort takes for it.
// The table heads "key" as "of" (the host, port or 4-tuple judged), so
// --sort takes it by the name a reader sees.
var ISNColumns = []string{"role", "scope", "of", "samples", "verdict"}

// sortISN orders the isn view's rows by one of its columns ("" or "conn":
// as judged, host by host); a leading "-" sorts descending.
func sortISN(groups []isn.Group, key string) error {
	desc := strings.HasPrefix(key, "-")
	key = strings.TrimPrefix(key, "-")
	if key == "" || key == "conn" && !desc {
		return nil
	}
	value := map[string]func(g *isn.Group) string{
		"role":    func(g *isn.Group) string { return g.Role },
		"scope":   func(g *isn.Group) string { return g.Scope },
		"of":      func(g *isn.Group) string { return g.Key },
		"samples": func(g *isn.Group) string { return strconv.Itoa(len(g.Samples)) },
		"verdict": func(g *isn.Group) string { return g.Verdict },
	}[key]
	if value == nil {
		return noSuchColumn(key, "isn", ISNColumns)
	}
	sort.SliceStable(groups, func(i, j int) bool {
		c := compareCells(value(&groups[i]), value(&groups[j]))
		if desc {
			return c > 0
		}
		return c < 0
	})
	return nil
}

// isnMeaning explains a verdict in one sentence.
func isnMeaning(lang msg.Lang, g isn.Group) string {
	// One 4-tuple reused (its own group, or a host's or port's whose
	// samples all come from it): its ISNs follow the kernel's rule for
	// reuse, not a weakness of the host's generator.
	tuple := len(g.Samples) > 0
	for _, sm := range g.Samples {
		tuple = tuple && sm.Tuple == g.Samples[0].Tuple
	}
	switch {
	case g.Verdict == isn.TimeBased && tuple:
		return lang.F("isn.time_based.tuple", groupDigits(int64(g.Rate)))
	case g.Verdict == isn.ConstantStep && tuple:
		return lang.F("isn.constant_step.tuple", groupDigits(g.Step))
	}
	switch g.Verdict {
	case isn.TimeBased:
		return lang.F("isn.time_based", groupDigits(int64(g.Rate)))
	case isn.ConstantStep:
		return lang.F("isn.constant_step", groupDigits(g.Step))
	case isn.Reused:
		return lang.F("isn.reused", strconv.Itoa(g.Repeats))
	}
	return lang.T("isn." + g.Verdict)
}

// groupDigits writes n with thousands separators: 15,625,000.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// RenderOptionCounts prints, under the options view, how often each
// signature and each option note occurs in the capture; a terminal table
// wider than fit cells (0: no limit) gets each meaning under its row.
func RenderOptionCounts(w io.Writer, format Format, lang msg.Lang, recs []analyze.Record, fit int) error {
	sigs := map[[2]string]int{}
	notes := map[string]int{}
	for i := range recs {
		h := &recs[i].Handshake
		if h.SynSignature != nil {
			sigs[[2]string{"syn", *h.SynSignature}]++
		}
		if h.SynackSignature != nil {
			sigs[[2]string{"synack", *h.SynackSignature}]++
		}
		for _, n := range h.OptionNotes {
			notes[string(n)]++
		}
	}
	var sigRows [][]string
	for k, n := range sigs {
		sigRows = append(sigRows, []string{k[0], k[1], itoa(n)})
	}
	// SYN signatures first, then SYN-ACK; the most common first.
	sort.Slice(sigRows, func(i, j int) bool {
		a, b := sigRows[i], sigRows[j]
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		if na, nb := sigs[[2]string{a[0], a[1]}], sigs[[2]string{b[0], b[1]}]; na != nb {
			return na > nb
		}
		return a[1] < b[1]
	})
	if format != CSV {
		// People read the packet's name; CSV keeps the machine word.
		for _, r := range sigRows {
			r[0] = map[string]string{"syn": "SYN", "synack": "SYN-ACK"}[r[0]]
		}
	}
	noteRows := CountRows(lang, "note.", notes)
	for _, r := range noteRows {
		anomaly := analyze.Note(r[0]).Anomaly()
		r[0] = lang.Name("note", r[0])
		if anomaly {
			r[0] += " (!)"
		}
	}
	for _, t := range []struct {
		title   string
		header  []string
		rows    [][]string
		meaning bool // the last column is a sentence, which may go under its row
	}{
		{lang.T("report.signatures"), []string{lang.T("col.side"), lang.T("col.signature"), lang.T("report.count")}, sigRows, false},
		{lang.T("report.notes"), []string{lang.T("col.note"), lang.T("report.count"), lang.T("col.meaning")}, noteRows, true},
	} {
		if len(t.rows) == 0 {
			continue
		}
		if format == Markdown {
			fmt.Fprintf(w, "\n### %s\n\n", t.title)
			MarkdownTable(w, t.header, t.rows)
			continue
		}
		fmt.Fprintf(w, "\n%s\n", t.title)
		if t.meaning && fit > 0 && boxedWidth(t.header, t.rows) > fit {
			if err := MeaningBelow(w, t.header, t.rows, fit); err != nil {
				return err
			}
			continue
		}
		tb := New(w, Text)
		tb.Header(t.header)
		if err := tb.Bulk(t.rows); err != nil {
			return err
		}
		if err := tb.Render(); err != nil {
			return err
		}
	}
	return nil
}
