// Package web is what synfin's browser page (cmd/synfin-web, built for
// WebAssembly) runs: the command line's views over the captures the page
// was given, as values and bytes for the page to show or save. It reads
// captures only through inputs.Input, so it runs and is tested like any
// other package; the page's glue hands it readers over the browser's
// files.
//
// Every view goes through package views exactly as the command line's
// does (views.Defaults, then what a flag would set), so what the page
// shows and saves is what synfin writes for the same capture.
package web

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/batch"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/table"
	"github.com/synfin/synfin/internal/views"
)

// Row is one connection as the page's table shows it: the conns view's
// columns, and the handshake's ISNs.
type Row struct {
	File        int      `json:"file"` // index into Analysis.Files
	Conn        int      `json:"conn"`
	Client      string   `json:"client"`
	Server      string   `json:"server"`
	State       string   `json:"state"`
	History     string   `json:"history"`
	Handshake   string   `json:"handshake"`
	RTTms       *float64 `json:"rtt_ms"`
	ClientISN   *uint32  `json:"client_isn"`
	ServerISN   *uint32  `json:"server_isn"`
	Teardown    string   `json:"teardown"`
	Closer      string   `json:"closer"`
	ClientPkts  int      `json:"client_pkts"`
	ServerPkts  int      `json:"server_pkts"`
	ClientBytes int64    `json:"client_bytes"`
	ServerBytes int64    `json:"server_bytes"`
	DurationMS  float64  `json:"duration_ms"`
}

// Analysis is what one reading of the page's captures gives.
type Analysis struct {
	Files   []string   `json:"files"`
	Rows    []Row      `json:"rows"`
	Summary [][]string `json:"summary"` // the summary view's rows: metric, value, meaning
	Packets int        `json:"packets"` // TCP segments read
	// Messages is what the command line would print on standard error
	// (damaged captures, notes), and Code its exit status.
	Messages string `json:"messages"`
	Code     int    `json:"code"`
}

// Analyze reads every input once: the table's rows and the summary.
func Analyze(ins []inputs.Input, lang msg.Lang, version string) Analysis {
	a := Analysis{Rows: []Row{}} // [] for the page's script, not null, when no connection is found
	index := map[string]int{}
	for i, in := range ins {
		a.Files = append(a.Files, in.Name)
		index[in.Name] = i
	}
	o := options(lang, version)
	var stderr bytes.Buffer
	ses := o.Session(&stderr)
	summary := analyze.NewSummary()
	res, err := ses.Collect(ins, batch.RecordFunc(func(r *analyze.Record) {
		summary.Add(r)
		a.Rows = append(a.Rows, rowOf(r, index[r.File]))
	}))
	read, damaged := res.Read, res.Damaged
	summary.NotTCP, summary.NotDecoded = ses.NotTCP, ses.NotDecoded
	a.Packets = ses.Segments
	switch {
	case err != nil || read == 0:
		a.Code = views.ExitNothing
	case damaged:
		a.Code = views.ExitDamaged
	}
	sortRows(a.Rows)
	a.Summary = table.SummaryRows(summary, lang)
	a.Messages = stderr.String()
	return a
}

func rowOf(r *analyze.Record, file int) Row {
	row := Row{File: file, Conn: r.Conn, Client: r.Client, Server: r.Server, State: string(r.State), History: r.History,
		Handshake: string(r.Handshake.Status), RTTms: r.Handshake.RTTms, ClientISN: r.Handshake.ClientISN,
		ServerISN: r.Handshake.ServerISN, Teardown: string(r.Teardown.Kind), ClientPkts: r.Stats.ClientPkts,
		ServerPkts: r.Stats.ServerPkts, ClientBytes: r.Stats.ClientBytes, ServerBytes: r.Stats.ServerBytes,
		DurationMS: r.DurationMS, Closer: string(r.Teardown.Closer)}
	// The record's pointers are reused for the next record: copy them.
	if row.RTTms != nil {
		v := *row.RTTms
		row.RTTms = &v
	}
	if row.ClientISN != nil {
		v := *row.ClientISN
		row.ClientISN = &v
	}
	if row.ServerISN != nil {
		v := *row.ServerISN
		row.ServerISN = &v
	}
	return row
}

// options are the command line's defaults in lang: what `synfin` with no
// flag but --lang does.
func options(lang msg.Lang, version string) views.Options {
	o := views.Defaults()
	o.Version, o.NoProgress = version, true
	if lang == msg.ZH {
		o.Lang = "zh"
	}
	return o
}

// Kind is a download the page offers.
type Kind uint8

const (
	CSV        Kind = iota // synfin -f csv
	JSONLines              // synfin -f jsonl
	ReportHTML             // synfin report -f html
	ReportMD               // synfin report -f markdown
	LadderSVG              // synfin ladder -f svg -c N (one capture)
	numKinds
)

// ParseKind names a kind as the page's script does.
func ParseKind(s string) (Kind, bool) {
	for k := range numKinds {
		if k.String() == s {
			return k, true
		}
	}
	return 0, false
}

func (k Kind) String() string {
	return [...]string{"csv", "jsonl", "report-html", "report-md", "ladder-svg"}[k]
}

// Output is what a view wrote, and what it said on standard error.
type Output struct {
	Bytes    []byte
	Messages string
	Code     int
}

// View runs one view over ins as the command line would: for LadderSVG,
// ins is one capture and conn the connection drawn.
func View(k Kind, ins []inputs.Input, conn int, lang msg.Lang, version string) Output {
	o := options(lang, version)
	var out, stderr bytes.Buffer
	var code int
	switch k {
	case CSV, JSONLines:
		o.Format = table.CSV
		if k == JSONLines {
			o.Format = table.JSONL
		}
		code = views.Table(&o, lang, ins, &out, &stderr)
	case ReportHTML, ReportMD:
		o.View, o.Format = "report", table.HTML
		if k == ReportMD {
			o.Format = table.Markdown
		}
		code = views.Report(&o, lang, ins, &out, &stderr)
	case LadderSVG:
		o.View, o.Format, o.Conns = "ladder", table.SVG, []int{conn}
		code = views.Ladder(&o, lang, ins, &out, &stderr)
	}
	return Output{out.Bytes(), stderr.String(), code}
}

// Detail is what the page shows of one connection, from one reading of
// its capture: its ladder, walkthrough and record, as synfin ladder -f svg
// -c N, synfin explain -c N and synfin -f jsonl -c N write them, and its
// data phase's time-sequence and RTT graphs as synfin graph -c N draws
// them (none without data).
type Detail struct {
	SVG, Explain, Record, Graphs []byte
	Messages                     string
	Code                         int
}

// DetailOf reads one capture once for connection conn.
func DetailOf(in inputs.Input, conn int, lang msg.Lang, version string) Detail {
	o := options(lang, version)
	var svg, explain, record, graphs, stderr bytes.Buffer
	code := views.Detail(&o, lang, in, conn, &svg, &explain, &record, &graphs, &stderr)
	return Detail{svg.Bytes(), explain.Bytes(), record.Bytes(), graphs.Bytes(), stderr.String(), code}
}

// sortRows puts rows in the order of the command line's tables: by
// capture, then by connection number.
func sortRows(rows []Row) {
	slices.SortStableFunc(rows, func(a, b Row) int { return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Conn, b.Conn)) })
}
