package views

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/analyze/segments"
	"github.com/synfin/synfin/internal/batch"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
	"github.com/synfin/synfin/internal/table"
	"github.com/synfin/synfin/internal/tty"
)

// segmentColumns are the segments view's columns, in order.
var segmentColumns = []string{"conn", "frame", "time_ms", "from", "flags", "seq", "next_seq", "len", "win",
	"ack_frame", "ack_time_ms", "rtt_ms", "srtt_ms", "rttvar_ms", "rto_ms",
	"acked_bytes", "acks_frame", "ack_rtt_ms", "dup_ack", "analysis"}

// segmentRecord is one segment as JSON writes it; a value the segment
// does not have is null.
type segmentRecord struct {
	File       string   `json:"file"`
	Conn       int      `json:"conn"`
	Frame      int      `json:"frame"`
	TimeMS     float64  `json:"time_ms"`
	From       string   `json:"from"`
	Flags      string   `json:"flags"`
	Seq        uint32   `json:"seq"`
	NextSeq    uint32   `json:"next_seq"`
	Len        int      `json:"len"`
	Win        int      `json:"win"`
	AckFrame   *int     `json:"ack_frame"`
	AckTimeMS  *float64 `json:"ack_time_ms"`
	RTTms      *float64 `json:"rtt_ms"`
	SRTTms     *float64 `json:"srtt_ms"`
	RTTVarms   *float64 `json:"rttvar_ms"`
	RTOms      *float64 `json:"rto_ms"`
	AckedBytes *uint32  `json:"acked_bytes"`
	AcksFrame  *int     `json:"acks_frame"`
	AckRTTms   *float64 `json:"ack_rtt_ms"`
	DupAck     *int     `json:"dup_ack"`
	Analysis   []string `json:"analysis"`
}

// ms is a duration in ns as milliseconds to the microsecond.
func ms(ns int64) float64 { return float64(ns/1e3) / 1e3 }

// segmentOf is a row as JSON and the tables write it.
func segmentOf(file string, conn int, l *ladder.Ladder, r *segments.Row, raw bool) segmentRecord {
	seq, next := r.RelSeq, r.RelSeq+(r.Next-r.Seq)
	if raw {
		seq, next = r.Seq, r.Next
	}
	rec := segmentRecord{File: file, Conn: conn, Frame: r.Frame, TimeMS: ms(r.TS - l.FirstTS), From: r.From.String(),
		Flags: ladder.FlagNames(r.Flags), Seq: seq, NextSeq: next, Len: r.Len, Win: r.Win, Analysis: r.Analysis.Names()}
	if rec.Analysis == nil {
		rec.Analysis = []string{}
	}
	if r.AckFrame != 0 {
		f, t := r.AckFrame, ms(r.AckTS-l.FirstTS)
		rec.AckFrame, rec.AckTimeMS = &f, &t
	}
	if r.HasRTT {
		rtt, srtt, v, rto := ms(r.RTT), ms(r.SRTT), ms(r.RTTVar), ms(r.RTO)
		rec.RTTms, rec.SRTTms, rec.RTTVarms, rec.RTOms = &rtt, &srtt, &v, &rto
	}
	if r.AckedBytes > 0 {
		b := r.AckedBytes
		rec.AckedBytes = &b
	}
	if r.AcksFrame != 0 {
		f, t := r.AcksFrame, ms(r.AckRTT)
		rec.AcksFrame, rec.AckRTTms = &f, &t
	}
	if r.DupAck > 0 {
		n := r.DupAck
		rec.DupAck = &n
	}
	return rec
}

// cells are a record's table cells, in segmentColumns' order ("-" for none).
func (s *segmentRecord) cells() []string {
	f := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return strconv.FormatFloat(*p, 'f', 3, 64)
	}
	i := func(p *int) string {
		if p == nil {
			return "-"
		}
		return strconv.Itoa(*p)
	}
	u := "-"
	if s.AckedBytes != nil {
		u = strconv.FormatUint(uint64(*s.AckedBytes), 10)
	}
	an := strings.Join(s.Analysis, " ")
	if an == "" {
		an = "-"
	}
	return []string{strconv.Itoa(s.Conn), strconv.Itoa(s.Frame), strconv.FormatFloat(s.TimeMS, 'f', 3, 64), s.From, s.Flags,
		strconv.FormatUint(uint64(s.Seq), 10), strconv.FormatUint(uint64(s.NextSeq), 10), strconv.Itoa(s.Len), strconv.Itoa(s.Win),
		i(s.AckFrame), f(s.AckTimeMS), f(s.RTTms), f(s.SRTTms), f(s.RTTVarms), f(s.RTOms),
		u, i(s.AcksFrame), f(s.AckRTTms), i(s.DupAck), an}
}

// csvField quotes a CSV field that needs it (RFC 4180).
func csvField(v string) string {
	if !strings.ContainsAny(v, ",\"\r\n") {
		return v
	}
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}

// appendSegmentCSV appends one segment's CSV line, in segmentColumns'
// order (after the file, when several are read): an empty field where the
// segment has no value.
func appendSegmentCSV(b []byte, file string, conn int, l *ladder.Ladder, r *segments.Row, raw bool) []byte {
	msf := func(b []byte, ns int64) []byte { return strconv.AppendFloat(b, ms(ns), 'f', 3, 64) }
	if file != "" {
		b = append(append(b, file...), ',')
	}
	seq, next := r.RelSeq, r.RelSeq+(r.Next-r.Seq)
	if raw {
		seq, next = r.Seq, r.Next
	}
	b = strconv.AppendInt(b, int64(conn), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Frame), 10)
	b = append(b, ',')
	b = msf(b, r.TS-l.FirstTS)
	b = append(append(b, ','), r.From.String()...)
	b = append(b, ',')
	if fl := ladder.FlagNames(r.Flags); strings.Contains(fl, ",") {
		b = append(append(append(b, '"'), fl...), '"')
	} else {
		b = append(b, fl...)
	}
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(seq), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(next), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Len), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Win), 10)
	b = append(b, ',')
	if r.AckFrame != 0 {
		b = strconv.AppendInt(b, int64(r.AckFrame), 10)
		b = append(b, ',')
		b = msf(b, r.AckTS-l.FirstTS)
	} else {
		b = append(b, ',')
	}
	b = append(b, ',')
	if r.HasRTT {
		b = msf(b, r.RTT)
		b = append(b, ',')
		b = msf(b, r.SRTT)
		b = append(b, ',')
		b = msf(b, r.RTTVar)
		b = append(b, ',')
		b = msf(b, r.RTO)
	} else {
		b = append(b, ",,,"...)
	}
	b = append(b, ',')
	if r.AckedBytes > 0 {
		b = strconv.AppendUint(b, uint64(r.AckedBytes), 10)
	}
	b = append(b, ',')
	if r.AcksFrame != 0 {
		b = strconv.AppendInt(b, int64(r.AcksFrame), 10)
		b = append(b, ',')
		b = msf(b, r.AckRTT)
	} else {
		b = append(b, ',')
	}
	b = append(b, ',')
	if r.DupAck > 0 {
		b = strconv.AppendInt(b, int64(r.DupAck), 10)
	}
	b = append(b, ',')
	for i, n := range r.Analysis.Names() {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, n...)
	}
	return append(b, '\n')
}

// Segments is the segments view: every segment of the connections the
// filters let through (-c N for one), both directions in capture order,
// with each data segment's RTT and the sender's RFC 6298 estimates after
// it, and each ACK's acknowledged bytes and the segment it acknowledges.
// A connection's rows are made as it finishes and its packets then
// forgotten, so memory follows the connections open.
func Segments(o *Options, lang msg.Lang, ins []inputs.Input, out, stderr io.Writer) int {
	multi := len(ins) > 1
	ses := o.session(stderr, o.filter())
	var rec *ladder.Recorder
	var file, csvFile string
	trace := batch.TracerFunc(func(name string) pipeline.TraceFunc {
		rec, file = ladder.NewRecorder(o.Conns...), name
		if multi {
			csvFile = csvField(tty.CSVSafe(tty.Safe(name)))
		}
		return rec.Trace
	})
	var all [][]string
	var enc *json.Encoder
	var cw *csv.Writer
	var bw *bufio.Writer
	var lister segments.Lister
	var rows []segments.Row
	var line []byte
	var jsonRecs []segmentRecord
	switch o.Format {
	case table.JSONL:
		enc = json.NewEncoder(out)
	case table.CSV:
		// CSV and JSON Lines stream: each connection's rows as it
		// finishes. CSV is written field by field (numbers appended, no
		// strings made), as it is the form for millions of segments.
		bw = bufio.NewWriterSize(out, 64<<10)
		cw = csv.NewWriter(bw)
	}
	var werr error
	header := segmentColumns
	if multi {
		header = append([]string{"file"}, segmentColumns...)
	}
	if cw != nil {
		cw.Write(header)
		cw.Flush()
	}
	keep := func(r *analyze.Record) {
		l := rec.Ladder(r.Conn)
		if l == nil {
			return
		}
		rows = lister.Of(l, segments.Shifts(r), rows)
		if cw != nil {
			for i := range rows {
				line = appendSegmentCSV(line[:0], csvFile, r.Conn, l, &rows[i], o.Draw.RawSeq)
				if _, err := bw.Write(line); err != nil && werr == nil {
					werr = err
				}
			}
			rec.Forget(r.Conn)
			return
		}
		for i := range rows {
			s := segmentOf(file, r.Conn, l, &rows[i], o.Draw.RawSeq)
			switch {
			case enc != nil:
				if err := enc.Encode(&s); err != nil && werr == nil {
					werr = err
				}
			case o.Format == table.JSON:
				jsonRecs = append(jsonRecs, s)
			default:
				c := s.cells()
				if o.Format == table.CSV {
					// CSV leaves a cell empty where the table prints "-".
					for j := range c {
						if c[j] == "-" {
							c[j] = ""
						}
					}
				}
				if multi {
					c = append([]string{tty.CSVSafe(tty.Safe(file))}, c...)
				}
				if cw != nil {
					if err := cw.Write(c); err != nil && werr == nil {
						werr = err
					}
					continue
				}
				all = append(all, c)
			}
		}
		rec.Forget(r.Conn)
	}
	res, err := ses.Traced(ins, trace, batch.TraceTogether, batch.RecordFunc(keep))
	read, damaged := res.Read, res.Damaged
	if err == nil {
		err = werr
	}
	if err != nil || read == 0 {
		if err != nil {
			return exitStatus(stderr, lang, err, damaged)
		}
		return ExitNothing
	}
	o.noMatch(ses, read, lang, stderr)
	switch o.Format {
	case table.JSONL:
	case table.CSV:
		err = bw.Flush()
	case table.JSON:
		e := json.NewEncoder(out)
		e.SetIndent("", "  ")
		if jsonRecs == nil {
			jsonRecs = []segmentRecord{}
		}
		err = e.Encode(jsonRecs)
	default:
		text := -1
		if multi {
			text = 0
		}
		if o.Format == table.Text && !o.Wide {
			if fit := tty.Width(out); fit > 0 {
				for _, r := range all {
					if text >= 0 {
						r[text] = tty.Safe(r[text])
					}
				}
				var note string
				note, err = table.FitGrid(out, "segments", header, header, all, lang, fit)
				if note != "" && !o.Quiet {
					tty.Say(stderr, "%s", note)
				}
				break
			}
		}
		err = table.WriteGrid(out, o.Format, header, all, text)
	}
	return exitStatus(stderr, lang, err, damaged)
}
