package analyze

import (
	"fmt"
	"net/netip"
	"strconv"
	"time"
)

// SchemaVersion is the record schema version (docs/spec.md §7). Renaming or
// removing a field bumps it; adding one does not.
const SchemaVersion = 2

// Time is a capture timestamp in nanoseconds since the Unix epoch. It
// marshals as an RFC 3339 UTC string with nine fractional digits.
type Time int64

// String formats t as RFC 3339 UTC with nanoseconds.
func (t Time) String() string {
	return time.Unix(0, int64(t)).UTC().Format("2006-01-02T15:04:05.000000000Z")
}

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, t.String()), nil
}

// UnmarshalJSON implements json.Unmarshaler, reading what MarshalJSON
// writes.
func (t *Time) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return fmt.Errorf("time %s: %w", b, err)
	}
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	*t = Time(tm.UnixNano())
	return nil
}

// Record is one connection as docs/spec.md §7 defines it. Pointer fields are JSON
// null when the value was not seen.
type Record struct {
	Schema            int       `json:"schema" parquet:"schema"`
	File              string    `json:"file" parquet:"file"`
	Conn              int       `json:"conn" parquet:"conn"`
	Client            string    `json:"client" parquet:"client"`
	Server            string    `json:"server" parquet:"server"`
	ClientBy          string    `json:"client_by" parquet:"client_by"`
	FirstTS           Time      `json:"first_ts" parquet:"first_ts,timestamp(nanosecond)"`
	LastTS            Time      `json:"last_ts" parquet:"last_ts,timestamp(nanosecond)"`
	DurationMS        float64   `json:"duration_ms" parquet:"duration_ms"`
	State             State     `json:"state" parquet:"state"`
	History           string    `json:"history" parquet:"history"`
	Completeness      int       `json:"completeness" parquet:"completeness"`
	CompletenessLabel string    `json:"completeness_label" parquet:"completeness_label"`
	SFStatus          string    `json:"sf_status" parquet:"sf_status"`
	Handshake         Handshake `json:"handshake" parquet:"handshake"`
	Teardown          Teardown  `json:"teardown" parquet:"teardown"`
	Stats             Stats     `json:"stats" parquet:"stats"`
	Flags             Flags     `json:"tcp_analysis" parquet:"tcp_analysis"`
	App               *string   `json:"app" parquet:"app,optional"`
	// Tunnel is the tunnel the connection's segments came through (the
	// first tunnelled one's outer IP header); nil when none did. Client and
	// Server are always the inner connection's.
	Tunnel *TunnelInfo `json:"tunnel" parquet:"tunnel,optional"`
	// ICMP is the first ICMP or ICMPv6 error that quoted one of the
	// connection's segments; nil when none did.
	ICMP *ICMPInfo `json:"icmp" parquet:"icmp,optional"`
	// client and server are the addresses Client and Server are written
	// from, kept for Filter.Match; not written. A record not made by
	// Analyze (decoded from JSON, say) has neither.
	client, server netip.AddrPort `json:"-" parquet:"-"`
}

// Flags counts the packets of a connection that carry each of
// Wireshark's tcp.analysis flags, computed by Wireshark's rules
// (flows.Analysis); a fast or spurious retransmission also counts as a
// retransmission, as in Wireshark.
type Flags struct {
	Retransmission         int `json:"retransmission" parquet:"retransmission"`
	FastRetransmission     int `json:"fast_retransmission" parquet:"fast_retransmission"`
	SpuriousRetransmission int `json:"spurious_retransmission" parquet:"spurious_retransmission"`
	OutOfOrder             int `json:"out_of_order" parquet:"out_of_order"`
	LostSegment            int `json:"lost_segment" parquet:"lost_segment"`
	DuplicateAck           int `json:"duplicate_ack" parquet:"duplicate_ack"`
	ZeroWindow             int `json:"zero_window" parquet:"zero_window"`
	KeepAlive              int `json:"keep_alive" parquet:"keep_alive"`
	WindowFull             int `json:"window_full" parquet:"window_full"`
}

// Handshake is the opening of a connection (docs/spec.md §3).
type Handshake struct {
	Status          HandshakeStatus `json:"status" parquet:"status"`
	SynTS           *Time           `json:"syn_ts" parquet:"syn_ts,optional,timestamp(nanosecond)"`
	SynackTS        *Time           `json:"synack_ts" parquet:"synack_ts,optional,timestamp(nanosecond)"`
	AckTS           *Time           `json:"ack_ts" parquet:"ack_ts,optional,timestamp(nanosecond)"`
	SynCount        int             `json:"syn_count" parquet:"syn_count"`
	SynackCount     int             `json:"synack_count" parquet:"synack_count"`
	RTTms           *float64        `json:"rtt_ms" parquet:"rtt_ms,optional"`
	IRTTms          *float64        `json:"irtt_ms" parquet:"irtt_ms,optional"`    // Wireshark's tcp.analysis.initial_rtt, by its rule
	RTTAmbiguous    bool            `json:"rtt_ambiguous" parquet:"rtt_ambiguous"` // SYN retransmitted and the SYN-ACK echoes an earlier one
	SynSynackMS     *float64        `json:"syn_synack_ms" parquet:"syn_synack_ms,optional"`
	SynackAckMS     *float64        `json:"synack_ack_ms" parquet:"synack_ack_ms,optional"`
	SetupMS         *float64        `json:"setup_ms" parquet:"setup_ms,optional"`   // first SYN to the handshake ACK: what connect() waited
	RejectMS        *float64        `json:"reject_ms" parquet:"reject_ms,optional"` // SYN to the RST that refused it
	CapturePoint    *CapturePoint   `json:"capture_point" parquet:"capture_point,optional"`
	ClientISN       *uint32         `json:"client_isn" parquet:"client_isn,optional"`
	ServerISN       *uint32         `json:"server_isn" parquet:"server_isn,optional"`
	AckOK           *bool           `json:"ack_ok" parquet:"ack_ok,optional"`
	SynOptions      *Options        `json:"syn_options" parquet:"syn_options,optional"`
	SynackOptions   *Options        `json:"synack_options" parquet:"synack_options,optional"`
	SynSignature    *string         `json:"syn_signature" parquet:"syn_signature,optional"`
	SynackSignature *string         `json:"synack_signature" parquet:"synack_signature,optional"`
	Negotiated      *Negotiated     `json:"negotiated" parquet:"negotiated,optional"`
	JA4T            *string         `json:"ja4t" parquet:"ja4t,optional"`             // FoxIO JA4T of the SYN, with --ja4t
	JA4TS           *string         `json:"ja4ts" parquet:"ja4ts,optional"`           // FoxIO JA4TS of the SYN-ACK, with --ja4t
	OptionNotes     []Note          `json:"option_notes" parquet:"option_notes,list"` // anomalies and features of the options (analyze.Note*)
}

// Options are the TCP options and header fields of a SYN or SYN-ACK.
type Options struct {
	MSS       *int    `json:"mss" parquet:"mss,optional"`
	WScale    *int    `json:"wscale" parquet:"wscale,optional"`
	SackPerm  bool    `json:"sack_perm" parquet:"sack_perm"`
	TSVal     *uint32 `json:"ts_val" parquet:"ts_val,optional"`
	TSEcr     *uint32 `json:"ts_ecr" parquet:"ts_ecr,optional"`
	TFO       *string `json:"tfo" parquet:"tfo,optional"`
	MPTCP     *int    `json:"mptcp" parquet:"mptcp,optional"`
	EOL       bool    `json:"eol" parquet:"eol"`
	NOP       int     `json:"nop" parquet:"nop"`
	Unknown   []int   `json:"unknown" parquet:"unknown,list,optional"`
	Layout    string  `json:"layout" parquet:"layout"`
	Window    int     `json:"window" parquet:"window"`
	TTL       int     `json:"ttl" parquet:"ttl"`
	DF        bool    `json:"df" parquet:"df"`
	ECE       bool    `json:"ece" parquet:"ece"`
	CWR       bool    `json:"cwr" parquet:"cwr"`
	Malformed *string `json:"malformed" parquet:"malformed,optional"`
}

// Negotiated is what both sides agreed on in the handshake.
type Negotiated struct {
	MSS           *int `json:"mss" parquet:"mss,optional"`
	WScaleClient  *int `json:"wscale_client" parquet:"wscale_client,optional"`
	WScaleServer  *int `json:"wscale_server" parquet:"wscale_server,optional"`
	WScaleClamped bool `json:"wscale_clamped" parquet:"wscale_clamped"` // a side asked for a shift over 14
	Sack          bool `json:"sack" parquet:"sack"`
	Timestamps    bool `json:"timestamps" parquet:"timestamps"`
	ECN           bool `json:"ecn" parquet:"ecn"`
	TFO           bool `json:"tfo" parquet:"tfo"`
}

// Teardown is the closing of a connection (docs/spec.md §4).
type Teardown struct {
	Kind           TeardownKind `json:"kind" parquet:"kind"`
	Closer         Closer       `json:"closer" parquet:"closer"`
	Fin1TS         *Time        `json:"fin1_ts" parquet:"fin1_ts,optional,timestamp(nanosecond)"`
	Fin1AckTS      *Time        `json:"fin1_ack_ts" parquet:"fin1_ack_ts,optional,timestamp(nanosecond)"`
	Fin2TS         *Time        `json:"fin2_ts" parquet:"fin2_ts,optional,timestamp(nanosecond)"`
	Fin2AckTS      *Time        `json:"fin2_ack_ts" parquet:"fin2_ack_ts,optional,timestamp(nanosecond)"`
	RstTS          *Time        `json:"rst_ts" parquet:"rst_ts,optional,timestamp(nanosecond)"`
	RstBy          *Closer      `json:"rst_by" parquet:"rst_by,optional"`
	DurationMS     *float64     `json:"duration_ms" parquet:"duration_ms,optional"`
	FinCountClient int          `json:"fin_count_client" parquet:"fin_count_client"`
	FinCountServer int          `json:"fin_count_server" parquet:"fin_count_server"`
	DataAfterFin   int64        `json:"data_after_fin" parquet:"data_after_fin"`
}

// Stats are the per-direction counters of docs/spec.md §6.
type Stats struct {
	ClientPkts      int      `json:"client_pkts" parquet:"client_pkts"`
	ServerPkts      int      `json:"server_pkts" parquet:"server_pkts"`
	ClientBytes     int64    `json:"client_bytes" parquet:"client_bytes"`
	ServerBytes     int64    `json:"server_bytes" parquet:"server_bytes"`
	ClientUnique    int64    `json:"client_unique_bytes" parquet:"client_unique_bytes"` // payload bytes counted once, from sequence numbers
	ServerUnique    int64    `json:"server_unique_bytes" parquet:"server_unique_bytes"`
	ClientRetx      int      `json:"client_retx" parquet:"client_retx"`
	ServerRetx      int      `json:"server_retx" parquet:"server_retx"`
	ClientRetxBytes int64    `json:"client_retx_bytes" parquet:"client_retx_bytes"`
	ServerRetxBytes int64    `json:"server_retx_bytes" parquet:"server_retx_bytes"`
	ClientDup       int      `json:"client_duplicates" parquet:"client_duplicates"` // capture duplicates: the same packet recorded twice
	ServerDup       int      `json:"server_duplicates" parquet:"server_duplicates"`
	OutOfOrder      int      `json:"out_of_order" parquet:"out_of_order"`
	ZeroWindow      int      `json:"zero_window" parquet:"zero_window"`
	ClientZeroWin   int      `json:"client_zero_window" parquet:"client_zero_window"`
	ServerZeroWin   int      `json:"server_zero_window" parquet:"server_zero_window"`
	KeepAlives      int      `json:"keepalives" parquet:"keepalives"`
	Reassembled     int      `json:"reassembled_segments" parquet:"reassembled_segments"` // segments from IP datagrams put back together from fragments
	MissedBytes     int64    `json:"missed_bytes" parquet:"missed_bytes"`
	RTTSamples      int      `json:"rtt_samples" parquet:"rtt_samples"`
	RTTMinMS        *float64 `json:"rtt_min_ms" parquet:"rtt_min_ms,optional"`
	RTTMeanMS       *float64 `json:"rtt_mean_ms" parquet:"rtt_mean_ms,optional"`
	RTTMaxMS        *float64 `json:"rtt_max_ms" parquet:"rtt_max_ms,optional"`
	RTTMedianMS     *float64 `json:"rtt_median_ms" parquet:"rtt_median_ms,optional"` // nearest rank, µs precision
	RTTP95MS        *float64 `json:"rtt_p95_ms" parquet:"rtt_p95_ms,optional"`
	// RTTSamplesUs are the samples behind the median and p95, sorted, in
	// microseconds, for capture-wide quantiles (summary); not written.
	RTTSamplesUs []uint32 `json:"-" parquet:"-"`
	// Client and Server are each side's data phase (schema 2): what it
	// sent, how long its segments took to be acknowledged, the windows
	// it advertised.
	Client Side `json:"client" parquet:"client"`
	Server Side `json:"server" parquet:"server"`
}

// Side is one direction's data phase (docs/spec.md §7, stats.client and
// stats.server): the segments that side sent and the windows it
// advertised, with tcptrace -lr's definitions where it has the same
// figure (docs/records.md says where synfin differs and why).
type Side struct {
	// The RTT of every segment this side sent that took sequence space,
	// from when it passed the capture to the first ACK covering it
	// (Karn's rule: none for bytes sent twice): the textbook's SampleRTT,
	// the segments view's rtt_ms. The median is over at most 1,024
	// samples (a uniform sample beyond); stdev is the population's.
	RTTSamples  int      `json:"rtt_samples" parquet:"rtt_samples"`
	RTTMinMS    *float64 `json:"rtt_min_ms" parquet:"rtt_min_ms,optional"`
	RTTMedianMS *float64 `json:"rtt_median_ms" parquet:"rtt_median_ms,optional"`
	RTTMeanMS   *float64 `json:"rtt_mean_ms" parquet:"rtt_mean_ms,optional"`
	RTTMaxMS    *float64 `json:"rtt_max_ms" parquet:"rtt_max_ms,optional"`
	RTTStdevMS  *float64 `json:"rtt_stdev_ms" parquet:"rtt_stdev_ms,optional"`
	// The handshake's leg this side's SYN started: SYN to SYN-ACK for the
	// client, SYN-ACK to ACK for the server (tcptrace's RTT from 3WHS).
	HandshakeRTTMS *float64 `json:"handshake_rtt_ms" parquet:"handshake_rtt_ms,optional"`
	// RFC 6298 after the last sample: SRTT (EstimatedRTT), RTTVAR
	// (DevRTT) and RTO (at least 1 s, as the RFC says).
	SRTTMS   *float64 `json:"srtt_ms" parquet:"srtt_ms,optional"`
	RTTVarMS *float64 `json:"rttvar_ms" parquet:"rttvar_ms,optional"`
	RTOMS    *float64 `json:"rto_ms" parquet:"rto_ms,optional"`
	// The window this side advertised on its ACKs, scaled (SYNs and RSTs
	// left out); null when the handshake was not seen, so the scale is not
	// known. Min is the smallest above zero (tcptrace's min win adv);
	// zero windows are counted in WindowZero; the mean includes them.
	WindowMin  *int64   `json:"window_min" parquet:"window_min,optional"`
	WindowMax  *int64   `json:"window_max" parquet:"window_max,optional"`
	WindowMean *float64 `json:"window_mean" parquet:"window_mean,optional"`
	WindowZero int      `json:"window_zero" parquet:"window_zero"`
	// The data this side sent before the other first acknowledged any of
	// it, bytes sent again left out: bytes and segments (tcptrace's
	// initial window).
	InitialWindowBytes    *int64 `json:"initial_window_bytes" parquet:"initial_window_bytes,optional"`
	InitialWindowSegments *int   `json:"initial_window_segments" parquet:"initial_window_segments,optional"`
	// The other side's new data segments per ACK this side sent that
	// moved the acknowledged edge (about 2 with delayed ACKs).
	SegmentsPerAck *float64 `json:"segments_per_ack" parquet:"segments_per_ack,optional"`
	// This side's unique bytes over the connection's time in the capture
	// (tcptrace's throughput), and over its data phase: from the first
	// data segment of either side to the last ACK of data from either.
	ThroughputBps *float64 `json:"throughput_bytes_per_s" parquet:"throughput_bytes_per_s,optional"`
	GoodputBps    *float64 `json:"goodput_bytes_per_s" parquet:"goodput_bytes_per_s,optional"`
	// The longest time between two segments of this side (tcptrace's
	// idletime max, which sometimes counts from the side's last packet to
	// the connection's last as well: docs/accuracy.md).
	IdleMaxMS *float64 `json:"idle_max_ms" parquet:"idle_max_ms,optional"`
	// How long this side was held by the other's window (bytes in flight
	// within one of its largest segments of the window advertised to it),
	// and how many times it became so; null without the handshake or data.
	WindowLimitedMS    *float64 `json:"window_limited_ms" parquet:"window_limited_ms,optional"`
	WindowLimitedTimes int      `json:"window_limited_times" parquet:"window_limited_times"`
}

func ptr[T any](v T) *T { return &v }

// arena holds the values a record's pointer fields refer to, so that a
// record costs one allocation instead of one per value. A full slab falls
// back to a fresh allocation.
type arena struct {
	times      [8]Time
	floats     [48]float64
	ints       [12]int
	int64s     [8]int64
	uint32s    [6]uint32
	strs       [10]string
	bools      [2]bool
	opts       [2]Options
	notes      [8]Note
	negotiated Negotiated

	nTime, nFloat, nInt, nInt64, nUint32, nStr, nBool, nOpts uint8
}

// take stores v in the next free slot of buf and returns its address, or
// allocates when buf is full. v is copied, not addressed, so that it does
// not move to the heap on every call.
func take[T any](buf []T, n *uint8, v T) *T {
	if int(*n) == len(buf) {
		p := new(T)
		*p = v
		return p
	}
	p := &buf[*n]
	*p = v
	*n++
	return p
}

func (a *arena) time(v Time) *Time        { return take(a.times[:], &a.nTime, v) }
func (a *arena) float(v float64) *float64 { return take(a.floats[:], &a.nFloat, v) }
func (a *arena) int(v int) *int           { return take(a.ints[:], &a.nInt, v) }
func (a *arena) int64(v int64) *int64     { return take(a.int64s[:], &a.nInt64, v) }
func (a *arena) uint32(v uint32) *uint32  { return take(a.uint32s[:], &a.nUint32, v) }
func (a *arena) str(v string) *string     { return take(a.strs[:], &a.nStr, v) }
func (a *arena) bool(v bool) *bool        { return take(a.bools[:], &a.nBool, v) }

// point and closer store their values in the string slab: their types
// are strings underneath, so a *string converts to them.
func (a *arena) point(v CapturePoint) *CapturePoint { return (*CapturePoint)(a.str(string(v))) }
func (a *arena) closer(v Closer) *Closer            { return (*Closer)(a.str(string(v))) }

func (a *arena) options() *Options {
	if int(a.nOpts) == len(a.opts) {
		return new(Options)
	}
	p := &a.opts[a.nOpts]
	a.nOpts++
	return p
}

// ms converts a nanosecond duration to milliseconds.
func ms(ns int64) float64 { return float64(ns) / 1e6 }

// Clone returns a copy of r that shares no memory its pointer fields
// refer to, for keeping a record an Analyzer will reuse.
func (r *Record) Clone() Record {
	a := new(arena)
	c := *r
	h, t, s := &c.Handshake, &c.Teardown, &c.Stats
	for _, p := range []**Time{&h.SynTS, &h.SynackTS, &h.AckTS, &t.Fin1TS, &t.Fin1AckTS, &t.Fin2TS, &t.Fin2AckTS, &t.RstTS} {
		*p = again(*p, a.time)
	}
	for _, p := range []**float64{&h.RTTms, &h.IRTTms, &h.SynSynackMS, &h.SynackAckMS, &h.SetupMS, &h.RejectMS,
		&t.DurationMS, &s.RTTMinMS, &s.RTTMeanMS, &s.RTTMaxMS, &s.RTTMedianMS, &s.RTTP95MS} {
		*p = again(*p, a.float)
	}
	for _, p := range []**string{&h.SynSignature, &h.SynackSignature, &h.JA4T, &h.JA4TS, &c.App} {
		*p = again(*p, a.str)
	}
	h.CapturePoint, t.RstBy = again(h.CapturePoint, a.point), again(t.RstBy, a.closer)
	h.ClientISN, h.ServerISN = again(h.ClientISN, a.uint32), again(h.ServerISN, a.uint32)
	h.AckOK = again(h.AckOK, a.bool)
	if c.Tunnel != nil {
		x := *c.Tunnel
		c.Tunnel = &x
	}
	if c.ICMP != nil {
		x := *c.ICMP
		x.AfterSYNMS, x.MTU = again(x.AfterSYNMS, a.float), again(x.MTU, a.int)
		c.ICMP = &x
	}
	s.Client.clone(a)
	s.Server.clone(a)
	h.SynOptions, h.SynackOptions = h.SynOptions.clone(a), h.SynackOptions.clone(a)
	h.OptionNotes = append([]Note{}, h.OptionNotes...)
	s.RTTSamplesUs = append([]uint32(nil), s.RTTSamplesUs...)
	if n := h.Negotiated; n != nil {
		a.negotiated = *n
		m := &a.negotiated
		m.MSS, m.WScaleClient, m.WScaleServer = again(n.MSS, a.int), again(n.WScaleClient, a.int), again(n.WScaleServer, a.int)
		h.Negotiated = m
	}
	return c
}

func (o *Options) clone(a *arena) *Options {
	if o == nil {
		return nil
	}
	c := a.options()
	*c = *o
	c.MSS, c.WScale, c.MPTCP = again(o.MSS, a.int), again(o.WScale, a.int), again(o.MPTCP, a.int)
	c.TSVal, c.TSEcr = again(o.TSVal, a.uint32), again(o.TSEcr, a.uint32)
	c.TFO, c.Malformed = again(o.TFO, a.str), again(o.Malformed, a.str)
	if o.Unknown != nil {
		c.Unknown = append([]int{}, o.Unknown...)
	}
	return c
}

// again stores *p anew with put, keeping nil as nil.
func again[T any](p *T, put func(T) *T) *T {
	if p == nil {
		return nil
	}
	return put(*p)
}

// clone gives the side's values slots of their own in a.
func (d *Side) clone(a *arena) {
	for _, p := range []**float64{&d.RTTMinMS, &d.RTTMedianMS, &d.RTTMeanMS, &d.RTTMaxMS, &d.RTTStdevMS,
		&d.HandshakeRTTMS, &d.SRTTMS, &d.RTTVarMS, &d.RTOMS, &d.WindowMean, &d.SegmentsPerAck,
		&d.ThroughputBps, &d.GoodputBps, &d.IdleMaxMS, &d.WindowLimitedMS} {
		*p = again(*p, a.float)
	}
	d.WindowMin, d.WindowMax = again(d.WindowMin, a.int64), again(d.WindowMax, a.int64)
	d.InitialWindowBytes = again(d.InitialWindowBytes, a.int64)
	d.InitialWindowSegments = again(d.InitialWindowSegments, a.int)
}

// ICMPKind is what an ICMP error said, named the same for ICMP and
// ICMPv6: one of the ICMP constants (icmp.kind).
type ICMPKind string

// ICMP error kinds.
const (
	ICMPNetUnreachable      ICMPKind = "net_unreachable"      // ICMP 3/0, ICMPv6 1/0 (no route)
	ICMPHostUnreachable     ICMPKind = "host_unreachable"     // ICMP 3/1, ICMPv6 1/3 (address unreachable)
	ICMPProtocolUnreachable ICMPKind = "protocol_unreachable" // ICMP 3/2
	ICMPPortUnreachable     ICMPKind = "port_unreachable"     // ICMP 3/3, ICMPv6 1/4
	ICMPFragmentationNeeded ICMPKind = "fragmentation_needed" // ICMP 3/4, with the next hop's MTU
	ICMPProhibited          ICMPKind = "admin_prohibited"     // ICMP 3/9, 3/10, 3/13; ICMPv6 1/1
	ICMPUnreachable         ICMPKind = "unreachable"          // the other destination-unreachable codes
	ICMPTimeExceeded        ICMPKind = "time_exceeded"        // ICMP 11, ICMPv6 3: the TTL or hop limit ran out
	ICMPPacketTooBig        ICMPKind = "packet_too_big"       // ICMPv6 2, with the MTU
)

// ICMPInfo is the first ICMP error about a connection's segments and how
// many came.
type ICMPInfo struct {
	Kind  ICMPKind `json:"kind" parquet:"kind"`
	Type  int      `json:"type" parquet:"type"`
	Code  int      `json:"code" parquet:"code"`
	V6    bool     `json:"icmpv6" parquet:"icmpv6"`
	From  string   `json:"from" parquet:"from"`   // the address that sent it
	About Closer   `json:"about" parquet:"about"` // whose segment it quoted: client or server
	TS    Time     `json:"ts" parquet:"ts,timestamp(nanosecond)"`
	// AfterSYNMS is the time from the latest SYN to the error, when the
	// error answered the client's SYN (handshake.status unreachable).
	AfterSYNMS *float64 `json:"after_syn_ms" parquet:"after_syn_ms,optional"`
	MTU        *int     `json:"mtu" parquet:"mtu,optional"` // the smallest MTU the errors gave
	Count      int      `json:"count" parquet:"count"`
}

// icmpKind names ICMP (v6 false) or ICMPv6 type typ, code code.
func icmpKind(v6 bool, typ, code uint8) ICMPKind {
	switch {
	case !v6 && typ == 3:
		switch code {
		case 0:
			return ICMPNetUnreachable
		case 1:
			return ICMPHostUnreachable
		case 2:
			return ICMPProtocolUnreachable
		case 3:
			return ICMPPortUnreachable
		case 4:
			return ICMPFragmentationNeeded
		case 9, 10, 13:
			return ICMPProhibited
		}
		return ICMPUnreachable
	case v6 && typ == 1:
		switch code {
		case 0:
			return ICMPNetUnreachable
		case 1:
			return ICMPProhibited
		case 3:
			return ICMPHostUnreachable
		case 4:
			return ICMPPortUnreachable
		}
		return ICMPUnreachable
	case v6 && typ == 2:
		return ICMPPacketTooBig
	}
	return ICMPTimeExceeded
}

// TunnelInfo is a tunnel a connection came through: its kind (ipip, gre,
// erspan, wccp, vxlan, geneve, gtp_u, teredo, ayiya, capwap) and the
// outer IP header's addresses on the client's and the server's side.
type TunnelInfo struct {
	Kind        string `json:"kind" parquet:"kind"`
	OuterClient string `json:"outer_client" parquet:"outer_client"`
	OuterServer string `json:"outer_server" parquet:"outer_server"`
}
