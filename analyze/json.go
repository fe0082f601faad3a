package analyze

import (
	"math"
	"strconv"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// AppendJSON appends r as one line of compact JSON, byte for byte what
// encoding/json writes for it (same field order, number formatting and
// HTML-safe string escaping; TestAppendJSONMatchesEncodingJSON holds it to
// that), without reflection or allocation: a capture of 300,000
// connections spends most of its output time here.
func (r *Record) AppendJSON(b []byte) []byte {
	w := jsonWriter{b: b}
	w.open()
	w.int(`"schema":`, int64(r.Schema))
	w.str(`,"file":`, r.File)
	w.int(`,"conn":`, int64(r.Conn))
	w.str(`,"client":`, r.Client)
	w.str(`,"server":`, r.Server)
	w.str(`,"client_by":`, r.ClientBy)
	w.time(`,"first_ts":`, r.FirstTS)
	w.time(`,"last_ts":`, r.LastTS)
	w.float(`,"duration_ms":`, r.DurationMS)
	w.str(`,"state":`, string(r.State))
	w.str(`,"history":`, r.History)
	w.int(`,"completeness":`, int64(r.Completeness))
	w.str(`,"completeness_label":`, r.CompletenessLabel)
	w.str(`,"sf_status":`, r.SFStatus)
	w.key(`,"handshake":`)
	r.Handshake.appendJSON(&w)
	w.key(`,"teardown":`)
	r.Teardown.appendJSON(&w)
	w.key(`,"stats":`)
	r.Stats.appendJSON(&w)
	w.key(`,"tcp_analysis":`)
	r.Flags.appendJSON(&w)
	w.optStr(`,"app":`, r.App)
	if w.key(`,"tunnel":`); r.Tunnel == nil {
		w.null()
	} else {
		w.str(`{"kind":`, r.Tunnel.Kind)
		w.str(`,"outer_client":`, r.Tunnel.OuterClient)
		w.str(`,"outer_server":`, r.Tunnel.OuterServer)
		w.close()
	}
	if w.key(`,"icmp":`); r.ICMP == nil {
		w.null()
	} else {
		r.ICMP.appendJSON(&w)
	}
	w.close()
	return w.b
}

func (h *Handshake) appendJSON(w *jsonWriter) {
	w.open()
	w.str(`"status":`, string(h.Status))
	w.optTime(`,"syn_ts":`, h.SynTS)
	w.optTime(`,"synack_ts":`, h.SynackTS)
	w.optTime(`,"ack_ts":`, h.AckTS)
	w.int(`,"syn_count":`, int64(h.SynCount))
	w.int(`,"synack_count":`, int64(h.SynackCount))
	w.optFloat(`,"rtt_ms":`, h.RTTms)
	w.optFloat(`,"irtt_ms":`, h.IRTTms)
	w.bool(`,"rtt_ambiguous":`, h.RTTAmbiguous)
	w.optFloat(`,"syn_synack_ms":`, h.SynSynackMS)
	w.optFloat(`,"synack_ack_ms":`, h.SynackAckMS)
	w.optFloat(`,"setup_ms":`, h.SetupMS)
	w.optFloat(`,"reject_ms":`, h.RejectMS)
	w.optStr(`,"capture_point":`, (*string)(h.CapturePoint))
	w.optU32(`,"client_isn":`, h.ClientISN)
	w.optU32(`,"server_isn":`, h.ServerISN)
	if w.key(`,"ack_ok":`); h.AckOK == nil {
		w.null()
	} else {
		w.boolValue(*h.AckOK)
	}
	w.key(`,"syn_options":`)
	h.SynOptions.appendJSON(w)
	w.key(`,"synack_options":`)
	h.SynackOptions.appendJSON(w)
	w.optStr(`,"syn_signature":`, h.SynSignature)
	w.optStr(`,"synack_signature":`, h.SynackSignature)
	w.key(`,"negotiated":`)
	h.Negotiated.appendJSON(w)
	w.optStr(`,"ja4t":`, h.JA4T)
	w.optStr(`,"ja4ts":`, h.JA4TS)
	w.key(`,"option_notes":`)
	if h.OptionNotes == nil {
		w.null()
	} else {
		w.b = append(w.b, '[')
		for i, n := range h.OptionNotes {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = appendString(w.b, string(n))
		}
		w.b = append(w.b, ']')
	}
	w.close()
}

func (o *Options) appendJSON(w *jsonWriter) {
	if o == nil {
		w.null()
		return
	}
	w.open()
	w.optInt(`"mss":`, o.MSS)
	w.optInt(`,"wscale":`, o.WScale)
	w.bool(`,"sack_perm":`, o.SackPerm)
	w.optU32(`,"ts_val":`, o.TSVal)
	w.optU32(`,"ts_ecr":`, o.TSEcr)
	w.optStr(`,"tfo":`, o.TFO)
	w.optInt(`,"mptcp":`, o.MPTCP)
	w.bool(`,"eol":`, o.EOL)
	w.int(`,"nop":`, int64(o.NOP))
	w.key(`,"unknown":`)
	if o.Unknown == nil {
		w.null()
	} else {
		w.b = append(w.b, '[')
		for i, k := range o.Unknown {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = strconv.AppendInt(w.b, int64(k), 10)
		}
		w.b = append(w.b, ']')
	}
	w.str(`,"layout":`, o.Layout)
	w.int(`,"window":`, int64(o.Window))
	w.int(`,"ttl":`, int64(o.TTL))
	w.bool(`,"df":`, o.DF)
	w.bool(`,"ece":`, o.ECE)
	w.bool(`,"cwr":`, o.CWR)
	w.optStr(`,"malformed":`, o.Malformed)
	w.close()
}

func (n *Negotiated) appendJSON(w *jsonWriter) {
	if n == nil {
		w.null()
		return
	}
	w.open()
	w.optInt(`"mss":`, n.MSS)
	w.optInt(`,"wscale_client":`, n.WScaleClient)
	w.optInt(`,"wscale_server":`, n.WScaleServer)
	w.bool(`,"wscale_clamped":`, n.WScaleClamped)
	w.bool(`,"sack":`, n.Sack)
	w.bool(`,"timestamps":`, n.Timestamps)
	w.bool(`,"ecn":`, n.ECN)
	w.bool(`,"tfo":`, n.TFO)
	w.close()
}

func (t *Teardown) appendJSON(w *jsonWriter) {
	w.open()
	w.str(`"kind":`, string(t.Kind))
	w.str(`,"closer":`, string(t.Closer))
	w.optTime(`,"fin1_ts":`, t.Fin1TS)
	w.optTime(`,"fin1_ack_ts":`, t.Fin1AckTS)
	w.optTime(`,"fin2_ts":`, t.Fin2TS)
	w.optTime(`,"fin2_ack_ts":`, t.Fin2AckTS)
	w.optTime(`,"rst_ts":`, t.RstTS)
	w.optStr(`,"rst_by":`, (*string)(t.RstBy))
	w.optFloat(`,"duration_ms":`, t.DurationMS)
	w.int(`,"fin_count_client":`, int64(t.FinCountClient))
	w.int(`,"fin_count_server":`, int64(t.FinCountServer))
	w.int(`,"data_after_fin":`, t.DataAfterFin)
	w.close()
}

func (f *Flags) appendJSON(w *jsonWriter) {
	w.open()
	w.int(`"retransmission":`, int64(f.Retransmission))
	w.int(`,"fast_retransmission":`, int64(f.FastRetransmission))
	w.int(`,"spurious_retransmission":`, int64(f.SpuriousRetransmission))
	w.int(`,"out_of_order":`, int64(f.OutOfOrder))
	w.int(`,"lost_segment":`, int64(f.LostSegment))
	w.int(`,"duplicate_ack":`, int64(f.DuplicateAck))
	w.int(`,"zero_window":`, int64(f.ZeroWindow))
	w.int(`,"keep_alive":`, int64(f.KeepAlive))
	w.int(`,"window_full":`, int64(f.WindowFull))
	w.close()
}

func (s *Stats) appendJSON(w *jsonWriter) {
	w.open()
	w.int(`"client_pkts":`, int64(s.ClientPkts))
	w.int(`,"server_pkts":`, int64(s.ServerPkts))
	w.int(`,"client_bytes":`, s.ClientBytes)
	w.int(`,"server_bytes":`, s.ServerBytes)
	w.int(`,"client_unique_bytes":`, s.ClientUnique)
	w.int(`,"server_unique_bytes":`, s.ServerUnique)
	w.int(`,"client_retx":`, int64(s.ClientRetx))
	w.int(`,"server_retx":`, int64(s.ServerRetx))
	w.int(`,"client_retx_bytes":`, s.ClientRetxBytes)
	w.int(`,"server_retx_bytes":`, s.ServerRetxBytes)
	w.int(`,"client_duplicates":`, int64(s.ClientDup))
	w.int(`,"server_duplicates":`, int64(s.ServerDup))
	w.int(`,"out_of_order":`, int64(s.OutOfOrder))
	w.int(`,"zero_window":`, int64(s.ZeroWindow))
	w.int(`,"client_zero_window":`, int64(s.ClientZeroWin))
	w.int(`,"server_zero_window":`, int64(s.ServerZeroWin))
	w.int(`,"keepalives":`, int64(s.KeepAlives))
	w.int(`,"reassembled_segments":`, int64(s.Reassembled))
	w.int(`,"missed_bytes":`, s.MissedBytes)
	w.int(`,"rtt_samples":`, int64(s.RTTSamples))
	w.optFloat(`,"rtt_min_ms":`, s.RTTMinMS)
	w.optFloat(`,"rtt_mean_ms":`, s.RTTMeanMS)
	w.optFloat(`,"rtt_max_ms":`, s.RTTMaxMS)
	w.optFloat(`,"rtt_median_ms":`, s.RTTMedianMS)
	w.optFloat(`,"rtt_p95_ms":`, s.RTTP95MS)
	w.key(`,"client":`)
	s.Client.appendJSON(w)
	w.key(`,"server":`)
	s.Server.appendJSON(w)
	w.close()
}

func (d *Side) appendJSON(w *jsonWriter) {
	w.open()
	w.int(`"rtt_samples":`, int64(d.RTTSamples))
	w.optFloat(`,"rtt_min_ms":`, d.RTTMinMS)
	w.optFloat(`,"rtt_median_ms":`, d.RTTMedianMS)
	w.optFloat(`,"rtt_mean_ms":`, d.RTTMeanMS)
	w.optFloat(`,"rtt_max_ms":`, d.RTTMaxMS)
	w.optFloat(`,"rtt_stdev_ms":`, d.RTTStdevMS)
	w.optFloat(`,"handshake_rtt_ms":`, d.HandshakeRTTMS)
	w.optFloat(`,"srtt_ms":`, d.SRTTMS)
	w.optFloat(`,"rttvar_ms":`, d.RTTVarMS)
	w.optFloat(`,"rto_ms":`, d.RTOMS)
	w.optInt64(`,"window_min":`, d.WindowMin)
	w.optInt64(`,"window_max":`, d.WindowMax)
	w.optFloat(`,"window_mean":`, d.WindowMean)
	w.int(`,"window_zero":`, int64(d.WindowZero))
	w.optInt64(`,"initial_window_bytes":`, d.InitialWindowBytes)
	w.optInt(`,"initial_window_segments":`, d.InitialWindowSegments)
	w.optFloat(`,"segments_per_ack":`, d.SegmentsPerAck)
	w.optFloat(`,"throughput_bytes_per_s":`, d.ThroughputBps)
	w.optFloat(`,"goodput_bytes_per_s":`, d.GoodputBps)
	w.optFloat(`,"idle_max_ms":`, d.IdleMaxMS)
	w.optFloat(`,"window_limited_ms":`, d.WindowLimitedMS)
	w.int(`,"window_limited_times":`, int64(d.WindowLimitedTimes))
	w.close()
}

// jsonWriter appends JSON tokens.
type jsonWriter struct {
	b []byte
	// The second of the last timestamp written and its text up to the
	// fraction (`"2026-11-23T23:11:05.`): a record's eight timestamps
	// mostly fall within one second, so only the nanoseconds are new.
	secStart int64
	secOK    bool
	secText  [21]byte
}

// lastDay is the day the last timestamp fell on ("2026-11-23T" and its
// midnight): a capture's timestamps nearly all fall on one day, so only the
// clock needs computing. Shared by the goroutines of --jobs.
var lastDay atomic.Pointer[dayCache]

type dayCache struct {
	start int64 // Unix nanoseconds of midnight UTC
	text  [11]byte
}

func (w *jsonWriter) open()  { w.b = append(w.b, '{') }
func (w *jsonWriter) close() { w.b = append(w.b, '}') }
func (w *jsonWriter) null()  { w.b = append(w.b, "null"...) }

// key starts a member. Callers pass the key already quoted with its colon
// and, for every member but an object's first, the comma before it
// (`,"name":`), so that writing it is one copy.
func (w *jsonWriter) key(k string) { w.b = append(w.b, k...) }

func (w *jsonWriter) str(k, v string) { w.key(k); w.b = appendString(w.b, v) }
func (w *jsonWriter) int(k string, v int64) {
	w.key(k)
	w.b = appendInt(w.b, v)
}
func (w *jsonWriter) float(k string, v float64) { w.key(k); w.b = appendFloat(w.b, v) }
func (w *jsonWriter) bool(k string, v bool)     { w.key(k); w.boolValue(v) }
func (w *jsonWriter) time(k string, t Time)     { w.key(k); w.appendTime(t) }

func (w *jsonWriter) boolValue(v bool) {
	if v {
		w.b = append(w.b, "true"...)
	} else {
		w.b = append(w.b, "false"...)
	}
}

func (w *jsonWriter) optStr(k string, v *string) {
	if w.key(k); v == nil {
		w.null()
	} else {
		w.b = appendString(w.b, *v)
	}
}

func (w *jsonWriter) optInt(k string, v *int) {
	if w.key(k); v == nil {
		w.null()
	} else {
		w.b = appendInt(w.b, int64(*v))
	}
}

func (w *jsonWriter) optInt64(k string, v *int64) {
	if w.key(k); v == nil {
		w.null()
	} else {
		w.b = appendInt(w.b, *v)
	}
}

func (w *jsonWriter) optU32(k string, v *uint32) {
	if w.key(k); v == nil {
		w.null()
	} else {
		w.b = strconv.AppendUint(w.b, uint64(*v), 10)
	}
}

func (w *jsonWriter) optFloat(k string, v *float64) {
	if w.key(k); v == nil {
		w.null()
	} else {
		w.b = appendFloat(w.b, *v)
	}
}

func (w *jsonWriter) optTime(k string, v *Time) {
	if w.key(k); v == nil {
		w.null()
	} else {
		w.appendTime(*v)
	}
}

// appendInt is strconv.AppendInt in base 10 with a shortcut for the small
// counts most fields hold.
func appendInt(b []byte, v int64) []byte {
	if uint64(v) < 100 {
		if v < 10 {
			return append(b, byte('0'+v))
		}
		return append(b, digitPairs[2*v], digitPairs[2*v+1])
	}
	return strconv.AppendInt(b, v, 10)
}

// appendFloat formats like encoding/json's float64 encoder.
func appendFloat(b []byte, f float64) []byte {
	// Fast path: most values are nanosecond counts divided by 1e6. When f
	// is exactly i/1e6 for an integer i of at most 15 digits, the exact
	// decimal of i/1e6 is also the shortest string that reads back as f
	// (no other decimal of 15 digits or fewer lies as close), which is what
	// strconv's shortest formatting would find, at a fraction of the cost.
	if i := math.Round(f * 1e6); math.Abs(i) < 1e15 && i/1e6 == f && f != 0 {
		return appendMicro(b, int64(i))
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendMicro writes i/1e6 as a decimal, without trailing zeros: the
// fraction as three digit pairs, the whole by appendInt (most are small).
func appendMicro(b []byte, i int64) []byte {
	if i < 0 {
		b = append(b, '-')
		i = -i
	}
	b = appendInt(b, i/1e6)
	frac := uint32(i % 1e6)
	if frac == 0 {
		return b
	}
	hi, mid, lo := frac/10000, frac/100%100, frac%100
	d := [7]byte{'.', digitPairs[2*hi], digitPairs[2*hi+1], digitPairs[2*mid], digitPairs[2*mid+1], digitPairs[2*lo], digitPairs[2*lo+1]}
	n := 7
	if lo == 0 {
		n = 5
		if mid == 0 {
			n = 3
		}
	}
	if d[n-1] == '0' {
		n--
	}
	return append(b, d[:n]...)
}

const nsPerDay = 86400 * 1e9

// appendTime writes t quoted, as Time.MarshalJSON does; within the cached
// second only the nanoseconds are computed, within the cached day only the
// clock.
func (w *jsonWriter) appendTime(t Time) {
	ns := int64(t)
	if w.secOK && ns >= w.secStart && ns-w.secStart < 1e9 {
		w.b = append(w.b, w.secText[:]...)
		w.b = appendNanos(w.b, int(ns-w.secStart))
		w.b = append(w.b, 'Z', '"')
		return
	}
	day := lastDay.Load()
	if day == nil || ns < day.start || ns-day.start >= nsPerDay {
		start := ns - ((ns%nsPerDay)+nsPerDay)%nsPerDay
		tm := time.Unix(0, start).UTC()
		if y := tm.Year(); y < 0 || y > 9999 {
			w.b = appendTime(w.b, t)
			return
		}
		day = &dayCache{start: start}
		copy(day.text[:], appendTime(nil, Time(start))[1:12])
		lastDay.Store(day)
	}
	off := ns - day.start
	sec := off / 1e9
	start := len(w.b)
	w.b = append(w.b, '"')
	w.b = append(w.b, day.text[:]...)
	w.b = appendDigits(w.b, int(sec/3600), 2)
	w.b = append(w.b, ':')
	w.b = appendDigits(w.b, int(sec/60%60), 2)
	w.b = append(w.b, ':')
	w.b = appendDigits(w.b, int(sec%60), 2)
	w.b = append(w.b, '.')
	copy(w.secText[:], w.b[start:])
	w.secStart, w.secOK = ns-off%1e9, true
	w.b = appendNanos(w.b, int(off%1e9))
	w.b = append(w.b, 'Z', '"')
}

// digitPairs is "00" to "99", for writing two digits per division.
const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// appendNanos writes v (0 ≤ v < 1e9) as nine digits.
func appendNanos(b []byte, v int) []byte {
	var buf [9]byte
	for i := 7; i >= 1; i -= 2 {
		q := v / 100
		r := (v - q*100) * 2
		buf[i], buf[i+1] = digitPairs[r], digitPairs[r+1]
		v = q
	}
	buf[0] = byte('0' + v)
	return append(b, buf[:]...)
}

// appendTime writes t quoted, as Time.MarshalJSON does, without
// time.Format.
func appendTime(b []byte, t Time) []byte {
	tm := time.Unix(0, int64(t)).UTC()
	year, month, day := tm.Date()
	hour, minute, sec := tm.Clock()
	if year < 0 || year > 9999 {
		return strconv.AppendQuote(b, t.String())
	}
	b = append(b, '"')
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	b = append(b, '.')
	b = appendDigits(b, tm.Nanosecond(), 9)
	return append(b, 'Z', '"')
}

func appendDigits(b []byte, v, width int) []byte {
	var buf [9]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, buf[:width]...)
}

const hexDigits = "0123456789abcdef"

// plainASCII marks the ASCII bytes a JSON string holds as they are.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendString quotes s exactly as encoding/json does with HTML escaping
// on (its default): <, > and & as \u003c, \u003e, \u0026; control
// characters escaped; invalid UTF-8 as \ufffd; U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func (i *ICMPInfo) appendJSON(w *jsonWriter) {
	w.open()
	w.str(`"kind":`, string(i.Kind))
	w.int(`,"type":`, int64(i.Type))
	w.int(`,"code":`, int64(i.Code))
	w.bool(`,"icmpv6":`, i.V6)
	w.str(`,"from":`, i.From)
	w.str(`,"about":`, string(i.About))
	w.time(`,"ts":`, i.TS)
	w.optFloat(`,"after_syn_ms":`, i.AfterSYNMS)
	w.optInt(`,"mtu":`, i.MTU)
	w.int(`,"count":`, int64(i.Count))
	w.close()
}
