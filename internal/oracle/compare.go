package oracle

import (
	"cmp"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/synfin/synfin/analyze"
)

// Field names used in FieldStats.
const (
	FieldClientISN      = "client_isn"
	FieldServerISN      = "server_isn"
	FieldSynMSS         = "syn.mss"
	FieldSynWScale      = "syn.wscale"
	FieldSynLayout      = "syn.layout"
	FieldSynSackPerm    = "syn.sack_perm"
	FieldSynTSVal       = "syn.ts_val"
	FieldSynWindow      = "syn.window"
	FieldSynAckMSS      = "synack.mss"
	FieldSynAckWScale   = "synack.wscale"
	FieldSynAckLayout   = "synack.layout"
	FieldSynAckSackPerm = "synack.sack_perm"
	FieldSynAckTSVal    = "synack.ts_val"
	FieldSynAckWindow   = "synack.window"
	FieldSynCount       = "syn_count"
	FieldSynAckCount    = "synack_count"
	FieldIRTT           = "irtt"
	FieldRTT            = "rtt_ms~irtt"
	FieldCompleteness   = "completeness"
	FieldStream         = "conn=tcp.stream" // a stream with a SYN: synfin's conn is its number
	FieldConnState      = "conn_state"
	FieldHistory        = "history"
)

// TsharkFields lists the fields CompareTshark counts, in report order.
var TsharkFields = []string{
	FieldStream, FieldClientISN, FieldServerISN,
	FieldSynMSS, FieldSynWScale, FieldSynLayout, FieldSynSackPerm, FieldSynTSVal, FieldSynWindow,
	FieldSynAckMSS, FieldSynAckWScale, FieldSynAckLayout, FieldSynAckSackPerm, FieldSynAckTSVal, FieldSynAckWindow,
	FieldSynCount, FieldSynAckCount, FieldIRTT, FieldRTT, FieldCompleteness,
}

// ZeekFields lists the fields CompareZeek counts, in report order.
var ZeekFields = []string{FieldConnState, FieldHistory}

// IRTTTolerance is the largest difference (ms, exclusive) at which synfin's
// rtt_ms and tshark's iRTT agree: tshark prints microseconds.
const IRTTTolerance = 0.01

// RuleFTPData explains a completeness that differs only in the SYN bit on
// a capture with FTP: Wireshark's FTP dissector creates the data
// connection's conversation from the PORT/PASV reply, so the SYN is not the
// conversation's first packet and never sets the bit.
const RuleFTPData = "FTP data connection: Wireshark's FTP dissector creates the conversation before the SYN"

// RuleRTTNotIRTT explains rtt_ms differing from tshark's iRTT.
const RuleRTTNotIRTT = "rtt_ms is the client's ACK minus the answered SYN; iRTT ends at the first ACK-bearing segment from either side"

// RuleRefusedNoRTT is the rule under which a refused connection's iRTT is
// not a disagreement: tshark measures SYN to RST+ACK, synfin reports no RTT.
const RuleRefusedNoRTT = "refused has no RTT"

// FieldStats is the result of comparing synfin records with one oracle.
type FieldStats struct {
	// Oracle names the peer tool ("tshark", "zeek").
	Oracle string
	// Fields holds one count per compared field, in report order.
	Fields []FieldCount
	// Disagreements lists every compared value that differed.
	Disagreements []Disagreement
	// ByRule lists values that differ because synfin's definition differs
	// on purpose (Disagreement.Note holds the rule); they are not counted
	// as compared.
	ByRule []Disagreement
	// Matched counts matched pairs of connections.
	Matched int
	// UnmatchedSynfin and UnmatchedOracle list connections found on one
	// side only.
	UnmatchedSynfin, UnmatchedOracle []Unmatched
}

// FieldCount is the agreement on one field.
type FieldCount struct {
	Field string
	// Compared counts matched connections where the oracle had a value;
	// Agreed those where synfin had the same value.
	Compared, Agreed int
	// ByRule counts values set aside under a documented rule.
	ByRule int
}

// Percent is 100·Agreed/Compared, or 0 when nothing was compared.
func (c FieldCount) Percent() float64 {
	if c.Compared == 0 {
		return 0
	}
	return 100 * float64(c.Agreed) / float64(c.Compared)
}

// Disagreement is one value on which synfin and the oracle differ.
type Disagreement struct {
	Capture  string
	Conn     int    // synfin's conn index
	OracleID string // "stream 3" (tshark) or a Zeek uid
	Field    string
	Synfin   string // value as text; "null" when synfin had none
	Oracle   string
	// Note explains the difference where something is known: the rule for
	// ByRule entries, Zeek's checksum handling or a flipped orientation.
	Note string
}

// Unmatched is a connection present on one side only.
type Unmatched struct {
	Capture string
	ID      string // "conn 4", "stream 2" or a Zeek uid
	Client  string // endpoints as known ("" when the oracle row has none)
	Server  string
	Reason  string
}

// Field returns the count of a field (zero if it is not in Fields).
func (s FieldStats) Field(name string) FieldCount {
	for _, f := range s.Fields {
		if f.Field == name {
			return f
		}
	}
	return FieldCount{Field: name}
}

// Merge adds o's counts and lists to s (for totals over many captures).
func (s *FieldStats) Merge(o FieldStats) {
	if s.Oracle == "" {
		s.Oracle = o.Oracle
	}
	for _, f := range o.Fields {
		c := s.count(f.Field)
		c.Compared += f.Compared
		c.Agreed += f.Agreed
		c.ByRule += f.ByRule
	}
	s.Disagreements = append(s.Disagreements, o.Disagreements...)
	s.ByRule = append(s.ByRule, o.ByRule...)
	s.Matched += o.Matched
	s.UnmatchedSynfin = append(s.UnmatchedSynfin, o.UnmatchedSynfin...)
	s.UnmatchedOracle = append(s.UnmatchedOracle, o.UnmatchedOracle...)
}

// count returns the FieldCount of a field, adding it when missing.
func (s *FieldStats) count(field string) *FieldCount {
	for i := range s.Fields {
		if s.Fields[i].Field == field {
			return &s.Fields[i]
		}
	}
	s.Fields = append(s.Fields, FieldCount{Field: field})
	return &s.Fields[len(s.Fields)-1]
}

func newStats(oracle string, fields []string) FieldStats {
	s := FieldStats{Oracle: oracle}
	for _, f := range fields {
		s.Fields = append(s.Fields, FieldCount{Field: f})
	}
	return s
}

// pairCtx identifies a matched pair for the disagreements it produces.
type pairCtx struct {
	s                 *FieldStats
	capture, oracleID string
	conn              int
	note              string
}

// check counts one compared field.
func (p pairCtx) check(field string, agree bool, synfin, oracle string) {
	c := p.s.count(field)
	c.Compared++
	if agree {
		c.Agreed++
		return
	}
	p.s.Disagreements = append(p.s.Disagreements, Disagreement{
		Capture: p.capture, Conn: p.conn, OracleID: p.oracleID,
		Field: field, Synfin: synfin, Oracle: oracle, Note: p.note,
	})
}

// byRule sets a differing value aside under a rule.
func (p pairCtx) byRule(field, rule, synfin, oracle string) {
	p.s.count(field).ByRule++
	p.s.ByRule = append(p.s.ByRule, Disagreement{
		Capture: p.capture, Conn: p.conn, OracleID: p.oracleID,
		Field: field, Synfin: synfin, Oracle: oracle, Note: rule,
	})
}

// group is the records and oracle connections of one capture.
type group[T any] struct {
	capture string
	recs    []analyze.Record
	oracle  []T
}

// groupByCapture pairs records with the oracle connections of the same
// capture. With at most one oracle capture name, everything is one group
// (the caller compares one capture). Otherwise records of a capture with no
// oracle connections are returned separately as unmatched.
func groupByCapture[T any](recs []analyze.Record, oracle []T, capOf func(T) string) ([]group[T], []analyze.Record) {
	var keys []string
	byKey := map[string]*group[T]{}
	for _, o := range oracle {
		k := capOf(o)
		g, ok := byKey[k]
		if !ok {
			g = &group[T]{capture: k}
			byKey[k] = g
			keys = append(keys, k)
		}
		g.oracle = append(g.oracle, o)
	}
	if len(keys) <= 1 {
		g := group[T]{recs: recs, oracle: oracle}
		if len(keys) == 1 {
			g.capture = keys[0]
		}
		return []group[T]{g}, nil
	}
	var orphans []analyze.Record
	for i := range recs {
		if g, ok := byKey[captureOf(&recs[i])]; ok {
			g.recs = append(g.recs, recs[i])
		} else {
			orphans = append(orphans, recs[i])
		}
	}
	out := make([]group[T], 0, len(keys))
	for _, k := range keys {
		out = append(out, *byKey[k])
	}
	return out, orphans
}

// recEnds holds a record's parsed endpoints.
type recEnds struct {
	rec            *analyze.Record
	client, server netip.AddrPort
	matched        bool
}

// pairKey is the unordered endpoint pair.
func pairKey(a, b netip.AddrPort) string {
	x, y := a.String(), b.String()
	if x > y {
		x, y = y, x
	}
	return x + " " + y
}

// prepRecords sorts records by conn and parses their endpoints; records
// whose endpoints do not parse are reported unmatched.
func prepRecords(s *FieldStats, capture string, recs []analyze.Record) map[string][]*recEnds {
	sorted := slices.Clone(recs)
	slices.SortStableFunc(sorted, func(a, b analyze.Record) int { return cmp.Compare(a.Conn, b.Conn) })
	out := map[string][]*recEnds{}
	for i := range sorted {
		r := &sorted[i]
		c, err1 := parseEndpoint(r.Client)
		v, err2 := parseEndpoint(r.Server)
		if err1 != nil || err2 != nil {
			s.UnmatchedSynfin = append(s.UnmatchedSynfin, unmatchedRec(capture, r, "endpoints do not parse"))
			continue
		}
		k := pairKey(c, v)
		out[k] = append(out[k], &recEnds{rec: r, client: c, server: v})
	}
	return out
}

func unmatchedRec(capture string, r *analyze.Record, reason string) Unmatched {
	if c := captureOf(r); c != "" {
		capture = c
	}
	return Unmatched{Capture: capture, ID: "conn " + strconv.Itoa(r.Conn), Client: r.Client, Server: r.Server, Reason: reason}
}

// CompareTshark matches records with tshark streams (see the package doc)
// and compares, where tshark has a value: client_isn (when it saw the SYN),
// server_isn (the SYN-ACK), the SYN's and SYN-ACK's mss, wscale, layout,
// sack_perm, ts_val and window (when it saw that segment; an absent option
// is then a value, "null", and a null or "" synfin layout equals an empty
// one), syn_count and synack_count, irtt (agreeing within IRTTTolerance;
// a refused connection's iRTT against synfin's null rtt_ms goes to ByRule
// under RuleRefusedNoRTT) and completeness.
func CompareTshark(recs []analyze.Record, ts []TsharkConn) FieldStats {
	s := newStats("tshark", TsharkFields)
	groups, orphans := groupByCapture(recs, ts, func(c TsharkConn) string { return c.Capture })
	for i := range orphans {
		s.UnmatchedSynfin = append(s.UnmatchedSynfin, unmatchedRec("", &orphans[i], "no tshark streams for this capture"))
	}
	for _, g := range groups {
		byPair := prepRecords(&s, g.capture, g.recs)
		// A capture with an FTP control connection (port 21) has data
		// connections that Wireshark's FTP dissector announces before
		// their SYN (RuleFTPData).
		hasFTP := slices.ContainsFunc(g.recs, func(r analyze.Record) bool {
			a, err := parseEndpoint(r.Server)
			return err == nil && a.Port() == 21
		})
		streams := slices.Clone(g.oracle)
		slices.SortStableFunc(streams, func(a, b TsharkConn) int { return cmp.Compare(a.Stream, b.Stream) })
		tByPair := map[string][]int{}
		var order []string
		for i, t := range streams {
			k := pairKey(t.Client, t.Server)
			if _, ok := tByPair[k]; !ok {
				order = append(order, k)
			}
			tByPair[k] = append(tByPair[k], i)
		}
		used := make([]bool, len(streams))
		for _, k := range order {
			rs, idx := byPair[k], tByPair[k]
			// Same client ISN first, then order of appearance.
			for _, r := range rs {
				if r.rec.Handshake.ClientISN == nil {
					continue
				}
				for _, i := range idx {
					if !used[i] && streams[i].ClientISN != nil && *streams[i].ClientISN == *r.rec.Handshake.ClientISN {
						used[i], r.matched = true, true
						compareTsharkPair(&s, r.rec, streams[i], g.capture, hasFTP)
						break
					}
				}
			}
			for _, r := range rs {
				if r.matched {
					continue
				}
				for _, i := range idx {
					if !used[i] && (r.rec.Handshake.ClientISN == nil || streams[i].ClientISN == nil) {
						used[i], r.matched = true, true
						compareTsharkPair(&s, r.rec, streams[i], g.capture, hasFTP)
						break
					}
				}
			}
		}
		for i, t := range streams {
			if !used[i] {
				s.UnmatchedOracle = append(s.UnmatchedOracle, Unmatched{Capture: t.Capture, ID: t.ID(),
					Client: t.Client.String(), Server: t.Server.String(), Reason: "no synfin record"})
			}
		}
		addUnmatchedRecs(&s, g.capture, byPair, "no tshark stream")
	}
	return s
}

// addUnmatchedRecs reports the records left unmatched, in conn order.
func addUnmatchedRecs(s *FieldStats, capture string, byPair map[string][]*recEnds, reason string) {
	var left []analyze.Record
	for _, rs := range byPair {
		for _, r := range rs {
			if !r.matched {
				left = append(left, *r.rec)
			}
		}
	}
	slices.SortStableFunc(left, func(a, b analyze.Record) int {
		return cmp.Or(strings.Compare(captureOf(&a), captureOf(&b)), cmp.Compare(a.Conn, b.Conn))
	})
	for i := range left {
		s.UnmatchedSynfin = append(s.UnmatchedSynfin, unmatchedRec(capture, &left[i], reason))
	}
}

// compareTsharkPair compares one matched record and stream.
func compareTsharkPair(s *FieldStats, r *analyze.Record, t TsharkConn, capture string, ftpData bool) {
	s.Matched++
	if c := captureOf(r); c != "" {
		capture = c
	}
	p := pairCtx{s: s, capture: capture, oracleID: t.ID(), conn: r.Conn}
	h := r.Handshake
	if t.Syn != nil {
		p.check(FieldStream, r.Conn == t.Stream, strconv.Itoa(r.Conn), strconv.Itoa(t.Stream))
		p.check(FieldClientISN, eqU32(h.ClientISN, t.ClientISN), fmtU32(h.ClientISN), fmtU32(t.ClientISN))
		compareSegment(p, "syn.", h.SynOptions, t.Syn)
		p.check(FieldSynCount, h.SynCount == t.SynCount, strconv.Itoa(h.SynCount), strconv.Itoa(t.SynCount))
	}
	if t.SynAck != nil {
		p.check(FieldServerISN, eqU32(h.ServerISN, t.ServerISN), fmtU32(h.ServerISN), fmtU32(t.ServerISN))
		compareSegment(p, "synack.", h.SynackOptions, t.SynAck)
		p.check(FieldSynAckCount, h.SynackCount == t.SynAckCount, strconv.Itoa(h.SynackCount), strconv.Itoa(t.SynAckCount))
	}
	if t.IRTTMs != nil {
		o := fmtMs(t.IRTTMs)
		// irtt_ms follows Wireshark's rule and must agree; rtt_ms is
		// synfin's handshake RTT (docs/spec.md §3), which differs by rule where the
		// first ACK-bearing segment is not the client's ACK of the SYN-ACK.
		p.check(FieldIRTT, h.IRTTms != nil && math.Abs(*h.IRTTms-*t.IRTTMs) < IRTTTolerance, fmtMs(h.IRTTms), o)
		switch {
		case h.RTTms == nil && (h.Status == analyze.HandshakeRejected || t.Refused):
			p.byRule(FieldRTT, RuleRefusedNoRTT, "null", o)
		case h.RTTms != nil && math.Abs(*h.RTTms-*t.IRTTMs) < IRTTTolerance:
			p.check(FieldRTT, true, fmtMs(h.RTTms), o)
		default:
			p.byRule(FieldRTT, RuleRTTNotIRTT, fmtMs(h.RTTms), o)
		}
	}
	if t.Completeness != nil {
		if r.Completeness == *t.Completeness|1 && *t.Completeness&1 == 0 && ftpData {
			p.byRule(FieldCompleteness, RuleFTPData, fmtInt(&r.Completeness), fmtInt(t.Completeness))
		} else {
			p.check(FieldCompleteness, eqInt(&r.Completeness, t.Completeness), fmtInt(&r.Completeness), fmtInt(t.Completeness))
		}
	}
}

// compareSegment compares the options of a SYN or SYN-ACK that tshark saw.
// Where synfin has none (o nil, "null" in its record) every field is
// null, and differs from what tshark saw.
func compareSegment(p pairCtx, prefix string, o *analyze.Options, t *TsharkSegment) {
	if o == nil {
		p.check(prefix+"mss", t.MSS == nil, "null", fmtInt(t.MSS))
		p.check(prefix+"wscale", t.WScale == nil, "null", fmtInt(t.WScale))
		if t.Layout != nil {
			p.check(prefix+"layout", *t.Layout == "", "null", strconv.Quote(*t.Layout))
		}
		p.check(prefix+"sack_perm", false, "null", strconv.FormatBool(t.SackPerm))
		p.check(prefix+"ts_val", t.TSVal == nil, "null", fmtU32(t.TSVal))
		if t.Window != nil {
			p.check(prefix+"window", false, "null", fmtInt(t.Window))
		}
		return
	}
	p.check(prefix+"mss", eqInt(o.MSS, t.MSS), fmtInt(o.MSS), fmtInt(t.MSS))
	p.check(prefix+"wscale", eqInt(o.WScale, t.WScale), fmtInt(o.WScale), fmtInt(t.WScale))
	if t.Layout != nil {
		p.check(prefix+"layout", o.Layout == *t.Layout, strconv.Quote(o.Layout), strconv.Quote(*t.Layout))
	}
	p.check(prefix+"sack_perm", o.SackPerm == t.SackPerm, strconv.FormatBool(o.SackPerm), strconv.FormatBool(t.SackPerm))
	p.check(prefix+"ts_val", eqU32(o.TSVal, t.TSVal), fmtU32(o.TSVal), fmtU32(t.TSVal))
	if t.Window != nil {
		p.check(prefix+"window", eqInt(&o.Window, t.Window), strconv.Itoa(o.Window), fmtInt(t.Window))
	}
}

// CompareZeek matches records with Zeek conn.log rows on the unordered
// endpoint pair (see the package doc): when a pair has as many rows as
// records they are paired in order of appearance (conn index against log
// order); otherwise rows with orig = synfin's client are paired first, then
// flipped ones (orig = synfin's server), each in order. It compares
// conn_state and history where the log has them. Rows without
// a 5-tuple (cut columns) cannot be matched and are reported unmatched.
// ZeekConn.Note, and "zeek flipped the orientation" for a match with
// orig = synfin's server, are attached to disagreements.
func CompareZeek(recs []analyze.Record, zs []ZeekConn) FieldStats {
	s := newStats("zeek", ZeekFields)
	groups, orphans := groupByCapture(recs, zs, func(c ZeekConn) string { return c.Capture })
	for i := range orphans {
		s.UnmatchedSynfin = append(s.UnmatchedSynfin, unmatchedRec("", &orphans[i], "no Zeek rows for this capture"))
	}
	for _, g := range groups {
		byPair := prepRecords(&s, g.capture, g.recs)
		rows := g.oracle
		used := make([]bool, len(rows))
		rowsByPair := map[string][]int{}
		var order []string
		for i, z := range rows {
			if !z.HasTuple {
				continue
			}
			k := pairKey(z.Orig, z.Resp)
			if _, ok := rowsByPair[k]; !ok {
				order = append(order, k)
			}
			rowsByPair[k] = append(rowsByPair[k], i)
		}
		match := func(r *recEnds, i int, flipped bool) {
			used[i], r.matched = true, true
			compareZeekPair(&s, r.rec, rows[i], g.capture, flipped)
		}
		for _, k := range order {
			rs, idx := byPair[k], rowsByPair[k]
			if len(rs) == len(idx) {
				// As many rows as records: order of appearance decides.
				for j, i := range idx {
					match(rs[j], i, rows[i].Orig != rs[j].client)
				}
				continue
			}
			// Zeek split or merged connections: the same orientation first,
			// then flipped, each in order of appearance.
			for _, flipped := range []bool{false, true} {
				for _, i := range idx {
					if used[i] {
						continue
					}
					z := rows[i]
					for _, r := range rs {
						if !r.matched && ((!flipped && z.Orig == r.client) || (flipped && z.Orig == r.server)) {
							match(r, i, flipped)
							break
						}
					}
				}
			}
		}
		for i, z := range rows {
			if used[i] {
				continue
			}
			u := Unmatched{Capture: z.Capture, ID: z.ID(), Reason: "no synfin record"}
			if z.HasTuple {
				u.Client, u.Server = z.Orig.String(), z.Resp.String()
			} else {
				u.Reason = "log has no 5-tuple (columns cut)"
			}
			s.UnmatchedOracle = append(s.UnmatchedOracle, u)
		}
		addUnmatchedRecs(&s, g.capture, byPair, "no Zeek row")
	}
	return s
}

// compareZeekPair compares one matched record and conn.log row.
func compareZeekPair(s *FieldStats, r *analyze.Record, z ZeekConn, capture string, flipped bool) {
	s.Matched++
	if c := captureOf(r); c != "" {
		capture = c
	}
	var notes []string
	if flipped {
		notes = append(notes, "zeek flipped the orientation")
	}
	if z.Note != "" {
		notes = append(notes, z.Note)
	}
	p := pairCtx{s: s, capture: capture, oracleID: z.ID(), conn: r.Conn, note: strings.Join(notes, "; ")}
	if z.HasState {
		p.check(FieldConnState, string(r.State) == z.ConnState, string(r.State), z.ConnState)
	}
	if z.HasHistory {
		p.check(FieldHistory, r.History == z.History, r.History, z.History)
	}
}

func eqInt(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func fmtInt(v *int) string {
	if v == nil {
		return "null"
	}
	return strconv.Itoa(*v)
}

func fmtU32(v *uint32) string {
	if v == nil {
		return "null"
	}
	return strconv.FormatUint(uint64(*v), 10)
}

func fmtStr(v *string) string {
	if v == nil {
		return "null"
	}
	return strconv.Quote(*v)
}

// fmtMs prints milliseconds with up to nanosecond precision.
func fmtMs(v *float64) string {
	if v == nil {
		return "null"
	}
	s := strconv.FormatFloat(*v, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
