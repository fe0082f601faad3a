package table

import (
	"strconv"
	"strings"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/msg"
)

// Column is one column of a view: its machine name (CSV header, --sort
// key) and how to print it from a record.
type Column struct {
	Name  string
	Value func(r *analyze.Record) string
}

// textColumns hold free text from the input (file names): CSV neutralises
// them for spreadsheets.
var textColumns = map[string]bool{"file": true}

// valueNames gives, for the columns whose values come from a closed set,
// the catalogue topic that names them for people ("name.<topic>.<value>").
var valueNames = map[string]string{
	"handshake": "handshake", "status": "handshake", "teardown": "teardown", "kind": "teardown",
	"closer": "side", "rst_by": "side", "capture_point": "side",
	"ack_ok": "bool", "sack": "bool", "ts": "bool", "ecn": "bool", "tfo": "bool",
	"wscale": "option", "syn_layout": "option", "synack_layout": "option",
}

// Localize names a row's closed-set values in lang for a table a person
// reads; English keeps the machine words, which are also the --state and
// CSV values.
func Localize(cols []Column, row []string, lang msg.Lang) {
	if lang == msg.EN {
		return
	}
	for j, c := range cols {
		if topic, ok := valueNames[c.Name]; ok {
			row[j] = lang.Name(topic, row[j])
		}
		if c.Name == "notes" && row[j] != "-" {
			// A list of option notes, each named.
			notes := strings.Split(row[j], ",")
			for i, n := range notes {
				notes[i] = lang.Name("note", n)
			}
			row[j] = strings.Join(notes, lang.T("report.list.sep"))
		}
	}
}

// View is a named set of columns over connection records.
type View struct {
	Name    string
	Title   string
	Columns []Column
}

func str(p *string) string {
	if p == nil {
		return "-"
	}
	return *p
}

func MS(p *float64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatFloat(*p, 'f', 3, 64)
}

func iptr(p *int) string {
	if p == nil {
		return "-"
	}
	return strconv.Itoa(*p)
}

func u32(p *uint32) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatUint(uint64(*p), 10)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func bptr(p *bool) string {
	if p == nil {
		return "-"
	}
	return yes(*p)
}

// since prints t as milliseconds after the connection's first packet, the
// way a ladder diagram reads.
func since(r *analyze.Record, t *analyze.Time) string {
	if t == nil {
		return "-"
	}
	return "+" + strconv.FormatFloat(float64(int64(*t)-int64(r.FirstTS))/1e6, 'f', 3, 64)
}

func itoa(n int) string        { return strconv.Itoa(n) }
func i64(n int64) string       { return strconv.FormatInt(n, 10) }
func pair(a, b int) string     { return itoa(a) + "/" + itoa(b) }
func pair64(a, b int64) string { return i64(a) + "/" + i64(b) }

var (
	colConn   = Column{"conn", func(r *analyze.Record) string { return itoa(r.Conn) }}
	colClient = Column{"client", func(r *analyze.Record) string { return r.Client }}
	colServer = Column{"server", func(r *analyze.Record) string { return r.Server }}
)

var Views = map[string]View{
	"conns": {"conns", "Connections", []Column{
		colConn, colClient, colServer,
		{"state", func(r *analyze.Record) string { return string(r.State) }},
		{"history", func(r *analyze.Record) string { return r.History }},
		{"handshake", func(r *analyze.Record) string { return string(r.Handshake.Status) }},
		{"rtt_ms", func(r *analyze.Record) string { return MS(r.Handshake.RTTms) }},
		{"teardown", func(r *analyze.Record) string { return string(r.Teardown.Kind) }},
		{"closer", func(r *analyze.Record) string { return string(r.Teardown.Closer) }},
		{"pkts", func(r *analyze.Record) string { return pair(r.Stats.ClientPkts, r.Stats.ServerPkts) }},
		{"bytes", func(r *analyze.Record) string { return pair64(r.Stats.ClientBytes, r.Stats.ServerBytes) }},
		{"duration_ms", func(r *analyze.Record) string { return MS(&r.DurationMS) }},
		{"sf", func(r *analyze.Record) string { return r.SFStatus }},
	}},
	"handshakes": {"handshakes", "Handshakes", []Column{
		colConn, colClient, colServer,
		{"status", func(r *analyze.Record) string { return string(r.Handshake.Status) }},
		{"syns", func(r *analyze.Record) string { return itoa(r.Handshake.SynCount) }},
		{"synacks", func(r *analyze.Record) string { return itoa(r.Handshake.SynackCount) }},
		{"syn_synack_ms", func(r *analyze.Record) string { return MS(r.Handshake.SynSynackMS) }},
		{"synack_ack_ms", func(r *analyze.Record) string { return MS(r.Handshake.SynackAckMS) }},
		{"rtt_ms", func(r *analyze.Record) string { return MS(r.Handshake.RTTms) }},
		{"setup_ms", func(r *analyze.Record) string { return MS(r.Handshake.SetupMS) }},
		{"capture_point", func(r *analyze.Record) string { return str((*string)(r.Handshake.CapturePoint)) }},
		{"client_isn", func(r *analyze.Record) string { return u32(r.Handshake.ClientISN) }},
		{"server_isn", func(r *analyze.Record) string { return u32(r.Handshake.ServerISN) }},
		{"ack_ok", func(r *analyze.Record) string { return bptr(r.Handshake.AckOK) }},
	}},
	"teardowns": {"teardowns", "Teardowns (times in ms after the connection's first packet)", []Column{
		colConn, colClient, colServer,
		{"kind", func(r *analyze.Record) string { return string(r.Teardown.Kind) }},
		{"closer", func(r *analyze.Record) string { return string(r.Teardown.Closer) }},
		{"fin1", func(r *analyze.Record) string { return since(r, r.Teardown.Fin1TS) }},
		{"fin1_ack", func(r *analyze.Record) string { return since(r, r.Teardown.Fin1AckTS) }},
		{"fin2", func(r *analyze.Record) string { return since(r, r.Teardown.Fin2TS) }},
		{"fin2_ack", func(r *analyze.Record) string { return since(r, r.Teardown.Fin2AckTS) }},
		{"rst", func(r *analyze.Record) string { return since(r, r.Teardown.RstTS) }},
		{"rst_by", func(r *analyze.Record) string { return str((*string)(r.Teardown.RstBy)) }},
		{"close_ms", func(r *analyze.Record) string { return MS(r.Teardown.DurationMS) }},
		{"fins", func(r *analyze.Record) string { return pair(r.Teardown.FinCountClient, r.Teardown.FinCountServer) }},
		{"data_after_fin", func(r *analyze.Record) string { return i64(r.Teardown.DataAfterFin) }},
	}},
	"options": {"options", "Options of the SYN and SYN-ACK, and what they negotiated", []Column{
		colConn, colClient, colServer,
		{"syn_mss", func(r *analyze.Record) string {
			return optInt(r.Handshake.SynOptions, func(o *analyze.Options) *int { return o.MSS })
		}},
		{"synack_mss", func(r *analyze.Record) string {
			return optInt(r.Handshake.SynackOptions, func(o *analyze.Options) *int { return o.MSS })
		}},
		{"syn_wscale", func(r *analyze.Record) string {
			return optInt(r.Handshake.SynOptions, func(o *analyze.Options) *int { return o.WScale })
		}},
		{"synack_wscale", func(r *analyze.Record) string {
			return optInt(r.Handshake.SynackOptions, func(o *analyze.Options) *int { return o.WScale })
		}},
		{"syn_layout", func(r *analyze.Record) string { return optStr(r.Handshake.SynOptions) }},
		{"synack_layout", func(r *analyze.Record) string { return optStr(r.Handshake.SynackOptions) }},
		{"mss", func(r *analyze.Record) string {
			return neg(r, func(n *analyze.Negotiated) string { return iptr(n.MSS) })
		}},
		{"wscale", func(r *analyze.Record) string {
			return neg(r, func(n *analyze.Negotiated) string {
				if n.WScaleClient == nil {
					return "off"
				}
				return iptr(n.WScaleClient) + "/" + iptr(n.WScaleServer)
			})
		}},
		{"sack", func(r *analyze.Record) string {
			return neg(r, func(n *analyze.Negotiated) string { return yes(n.Sack) })
		}},
		{"ts", func(r *analyze.Record) string {
			return neg(r, func(n *analyze.Negotiated) string { return yes(n.Timestamps) })
		}},
		{"ecn", func(r *analyze.Record) string {
			return neg(r, func(n *analyze.Negotiated) string { return yes(n.ECN) })
		}},
		{"tfo", func(r *analyze.Record) string {
			return neg(r, func(n *analyze.Negotiated) string { return yes(n.TFO) })
		}},
		{"notes", func(r *analyze.Record) string {
			if len(r.Handshake.OptionNotes) == 0 {
				return "-"
			}
			var b strings.Builder
			for i, n := range r.Handshake.OptionNotes {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(string(n))
			}
			return b.String()
		}},
	}},
}

func optInt(o *analyze.Options, f func(*analyze.Options) *int) string {
	if o == nil {
		return "-"
	}
	return iptr(f(o))
}

func optStr(o *analyze.Options) string {
	if o == nil {
		return "-"
	}
	if o.Layout == "" {
		return "none"
	}
	return o.Layout
}

func neg(r *analyze.Record, f func(*analyze.Negotiated) string) string {
	if r.Handshake.Negotiated == nil {
		return "-"
	}
	return f(r.Handshake.Negotiated)
}
