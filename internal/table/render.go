package table

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/tty"
)

// New returns a tablewriter table in the style of format (Text or
// Markdown), with headers printed as given.
func New(w io.Writer, format Format) *tablewriter.Table {
	opts := []tablewriter.Option{
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
	}
	if format == Markdown {
		opts = append(opts, tablewriter.WithRenderer(renderer.NewMarkdown()))
	} else {
		opts = append(opts, tablewriter.WithRendition(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}))
	}
	return tablewriter.NewTable(w, opts...)
}

// ViewColumns is a view's columns, with the file name first when there
// are several inputs.
func ViewColumns(v View, multiFile bool) (cols []Column, header []string) {
	cols = v.Columns
	if multiFile {
		cols = append([]Column{{"file", func(r *analyze.Record) string { return r.File }}}, cols...)
	}
	header = make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Name
	}
	return cols, header
}

// RowOf prints one record through the columns, made safe for format
// (tables and Markdown; CSV rows come from NewEncoder).
func RowOf(cols []Column, r *analyze.Record, format Format) []string {
	row := make([]string, len(cols))
	for j, c := range cols {
		v := c.Value(r)
		switch {
		case format == Markdown:
			v = tty.MarkdownSafe(v)
		case format == Text:
			v = tty.Safe(v)
		}
		row[j] = v
	}
	return row
}

// Lines is a format written a record a line: JSON Lines (full records)
// or CSV (a view's columns, the same whatever the inputs: CSVColumns).
// It makes an encoder for each goroutine that encodes (pipeline.Encoding)
// and gives the line that heads the output.
type Lines struct {
	format Format
	cols   []Column
	text   []bool // the columns that carry text from the input (file names)
	header []byte
}

// LinesOf is format, JSONL or CSV, for the view v.
func LinesOf(format Format, v View) *Lines {
	l := &Lines{format: format}
	if format != CSV {
		return l
	}
	cols, names := CSVColumns(v)
	// Which cells carry text from the input is decided once: an encoder
	// writes a row per connection, hundreds of thousands.
	l.cols, l.text = cols, make([]bool, len(cols))
	for j, c := range cols {
		l.text[j] = textColumns[c.Name]
	}
	var b bytes.Buffer
	_ = writeCSVHeader(&b, names) // a bytes.Buffer takes every write
	l.header = b.Bytes()
	return l
}

// Header is the line before the first record: CSV's column names; none
// for JSON Lines.
func (l *Lines) Header() []byte { return l.header }

// NewEncoder returns an encoder for one goroutine.
func (l *Lines) NewEncoder() analyze.Encoder {
	if l.format != CSV {
		return jsonLine{}
	}
	e := &csvLine{lines: l, row: make([]string, len(l.cols)), out: &appender{}}
	e.cw = csv.NewWriter(e.out)
	return e
}

// jsonLine encodes a full record as a line of JSON.
type jsonLine struct{}

func (jsonLine) AppendRecord(dst []byte, r *analyze.Record) []byte {
	return append(r.AppendJSON(dst), '\n')
}

// csvLine encodes a record as a CSV row of its view's columns, reusing one
// row for every record.
type csvLine struct {
	lines *Lines
	row   []string
	out   *appender
	cw    *csv.Writer
}

func (e *csvLine) AppendRecord(dst []byte, r *analyze.Record) []byte {
	for j, c := range e.lines.cols {
		e.row[j] = c.Value(r)
		if e.lines.text[j] {
			e.row[j] = tty.CSVSafe(tty.Safe(e.row[j]))
		}
	}
	e.out.b = dst
	_ = e.cw.Write(e.row)
	e.cw.Flush()
	return e.out.b
}

// writeCSVHeader writes a CSV header line.
func writeCSVHeader(w io.Writer, names []string) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(names)
	cw.Flush()
	return cw.Error()
}

// appender is an io.Writer that appends to a byte slice.
type appender struct{ b []byte }

func (a *appender) Write(p []byte) (int, error) { a.b = append(a.b, p...); return len(p), nil }

// Render prints records through a view's columns. Tables a person
// reads get their headers in lang; CSV keeps the machine names, which are
// also the --sort keys.
// A terminal table wider than fit cells is fitted (fitTable; fit 0: no
// limit): it then always fits, in a compact or the record layout; note
// says, in lang, what that did, or is empty.
func Render(w io.Writer, format Format, v View, recs []analyze.Record, multiFile bool, lang msg.Lang, fit int) (note string, err error) {
	if format == Text && fit > 0 && multiFile && !fitsWhole(v, recs, lang, fit) {
		return renderByFile(w, v, recs, lang, fit)
	}
	if format == CSV {
		// The same rows a stream writes: one CSV encoding.
		l := LinesOf(CSV, v)
		bw := bufio.NewWriterSize(w, 64<<10)
		bw.Write(l.Header())
		enc := l.NewEncoder()
		var line []byte
		for i := range recs {
			line = enc.AppendRecord(line[:0], &recs[i])
			bw.Write(line)
		}
		return "", bw.Flush()
	}
	cols, names := ViewColumns(v, multiFile)
	header := TranslateHeaders(lang, names)
	rows := make([][]string, len(recs))
	for i := range recs {
		rows[i] = RowOf(cols, &recs[i], format)
		Localize(cols, rows[i], lang)
	}
	if format == Text && fit > 0 {
		f := fitTable(v.Name, names, header, rows, fit)
		note = fitNote(lang, f)
		if f.layout != boxed {
			return note, writeFitted(w, f, names, header, rows, fit)
		}
	}
	if format == Markdown {
		fmt.Fprintf(w, "### %s\n\n", v.Title)
	}
	t := New(w, format)
	t.Header(header)
	if err := t.Bulk(rows); err != nil {
		return note, err
	}
	return note, t.Render()
}

// fitsWhole says whether a table of several files' records, its file
// column first, fits fit cells without leaving anything out.
func fitsWhole(v View, recs []analyze.Record, lang msg.Lang, fit int) bool {
	cols, names := ViewColumns(v, true)
	rows := make([][]string, len(recs))
	for i := range recs {
		rows[i] = RowOf(cols, &recs[i], Text)
		Localize(cols, rows[i], lang)
	}
	return boxedWidth(TranslateHeaders(lang, names), rows) <= fit
}

// renderByFile prints several files' records on a terminal too narrow for
// a file column: a table per file under its name, in the order the files
// first appear, each file's records in the order given.
func renderByFile(w io.Writer, v View, recs []analyze.Record, lang msg.Lang, fit int) (note string, err error) {
	var order []string
	byFile := map[string][]analyze.Record{}
	for _, r := range recs {
		if _, ok := byFile[r.File]; !ok {
			order = append(order, r.File)
		}
		byFile[r.File] = append(byFile[r.File], r)
	}
	for i, f := range order {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s\n", tty.CutMiddle(tty.Safe(f), fit))
		n, err := Render(w, Text, v, byFile[f], false, lang, fit)
		if err != nil {
			return note, err
		}
		if n != "" {
			note = n
		}
	}
	return note, nil
}

// WriteRecords prints full records as JSON Lines or one JSON array.
func WriteRecords(w io.Writer, format Format, recs []analyze.Record) error {
	if format == JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if recs == nil {
			recs = []analyze.Record{}
		}
		return enc.Encode(recs)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var line []byte
	for i := range recs {
		line = append(recs[i].AppendJSON(line[:0]), '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// RenderSummary prints the summary view; each state, handshake status and
// teardown kind comes with its one-sentence meaning in lang.
// A terminal narrower than its table (fit, 0: no limit) gets each
// meaning on lines of its own under its row (MeaningBelow).
func RenderSummary(w io.Writer, format Format, s analyze.Summary, lang msg.Lang, fit int) error {
	s.Finish()
	if format == JSON || format == JSONL {
		enc := json.NewEncoder(w)
		if format == JSON {
			enc.SetIndent("", "  ")
		}
		return enc.Encode(s)
	}
	if format == CSV {
		lang = msg.EN // programs read CSV: its words stay English
	}
	rows := summaryRows(s, format, lang)
	if format == CSV {
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"metric", "value", "meaning"})
		_ = cw.WriteAll(rows)
		return cw.Error()
	}
	if format == Markdown {
		fmt.Fprintf(w, "### Summary\n\n")
	}
	header := []string{"metric", "value", "meaning"}
	if format != CSV {
		header = TranslateHeaders(lang, header)
	}
	if format == Text && fit > 0 && boxedWidth(header, rows) > fit {
		return MeaningBelow(w, header, rows, fit)
	}
	t := New(w, format)
	t.Header(header)
	if err := t.Bulk(rows); err != nil {
		return err
	}
	return t.Render()
}

func hosts(lang msg.Lang, n int) string {
	if n == 1 {
		return lang.T("sum.host")
	}
	return lang.F("sum.hosts", n)
}

// SummaryRows are the summary view's rows in lang, as its table shows
// them: metric, value, meaning.
func SummaryRows(s analyze.Summary, lang msg.Lang) [][]string {
	s.Finish()
	return summaryRows(s, Text, lang)
}

// summaryRows are the summary's rows for format: CSV gives each
// statistic of a distribution a row of its own.
func summaryRows(s analyze.Summary, format Format, lang msg.Lang) [][]string {
	label := func(key string) string { return lang.T("sum." + key) }
	rows := [][]string{{label("connections"), itoa(s.Connections), ""}}
	counts := func(prefix, topic string, m map[string]int) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			rows = append(rows, []string{label(prefix) + " " + lang.Name(topic, k), itoa(m[k]), lang.T(topic + "." + k)})
		}
	}
	counts("state", "state", s.States)
	counts("handshake", "handshake", s.Handshakes)
	counts("teardown", "teardown", s.Teardowns)
	for _, c := range []struct {
		key string
		n   int
	}{{"synfin", s.SynAndFin}, {"reset", s.Reset}, {"open", s.OpenAtEnd}, {"unanswered", s.Unanswered},
		{"begun", s.BegunBefore}, {"nottcp", s.NotTCP}} {
		rows = append(rows, []string{label(c.key), itoa(c.n), lang.T("sum." + c.key + ".meaning")})
	}
	for _, sc := range s.Scanners {
		rows = append(rows, []string{label("scanner") + " " + tty.Safe(sc.Host), itoa(sc.Attempts),
			lang.F("sum.scanner.meaning", sc.Attempts, sc.Conns, sc.Ports, hosts(lang, sc.Targets))})
	}
	if len(s.NotDecoded) > 0 {
		kinds := make([]string, 0, len(s.NotDecoded))
		n := 0
		for k, c := range s.NotDecoded {
			kinds = append(kinds, k+" ("+itoa(c)+")")
			n += c
		}
		sort.Strings(kinds)
		rows = append(rows, []string{label("notdecoded"), itoa(n), strings.Join(kinds, ", ")})
	}
	// count says the values are counts (packets, window sizes): their
	// minimum, maximum and quantiles are whole numbers and print so, and
	// their mean keeps one decimal.
	dist := func(name string, d analyze.Dist, count bool) {
		if format == CSV {
			// One figure a cell: a row for each statistic, empty when
			// there are no values; the same rows for every capture.
			rows = append(rows, []string{name + " n", itoa(d.N), ""})
			stats := []struct {
				name string
				v    *float64
			}{{"min", d.Min}, {"median", d.Median}, {"p95", d.P95}, {"mean", d.Mean}, {"max", d.Max}}
			for _, st := range stats {
				if (st.name == "median" || st.name == "p95") && name != label("datartt") {
					continue // quantiles are kept for the data RTT only (analyze.Dist)
				}
				rows = append(rows, []string{name + " " + st.name, csvNumber(st.v), ""})
			}
			return
		}
		num, mean := MS, MS
		if count {
			num, mean = whole, tenths
		}
		v := fmt.Sprintf("n=%d min=%s mean=%s max=%s", d.N, num(d.Min), mean(d.Mean), num(d.Max))
		if d.Median != nil {
			v = fmt.Sprintf("n=%d min=%s median=%s p95=%s mean=%s max=%s", d.N, num(d.Min), num(d.Median), num(d.P95), mean(d.Mean), num(d.Max))
		}
		rows = append(rows, []string{name, v, ""})
	}
	dist(label("duration"), s.DurationMS, false)
	dist(label("hsrtt"), s.HandshakeRTT, false)
	dist(label("datartt"), s.DataRTT, false)
	dist(label("packets"), s.Packets, true)
	dist(label("window"), s.Window, true)
	return rows
}

// whole prints a count: a whole number.
func whole(p *float64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatFloat(math.Round(*p), 'f', 0, 64)
}

// tenths prints a mean of counts to one decimal, without a ".0": 7.5, 12.
func tenths(p *float64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatFloat(math.Round(*p*10)/10, 'f', -1, 64)
}
