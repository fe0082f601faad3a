package analyze

import (
	"math"
	"math/bits"
	"slices"

	"github.com/synfin/synfin/flows"
)

// Analyze turns one finished connection of file into its record, which
// owns its memory.
func Analyze(file string, c *flows.Conn) Record {
	var r Record
	analyzeInto(&r, file, c, new(arena), nil, false)
	return r
}

// Analyzer turns connections into records reusing one record's memory, so
// that a capture of millions of connections gives the garbage collector
// nothing to do. The zero value is ready to use.
type Analyzer struct {
	// JA4T adds FoxIO's JA4T and JA4TS fingerprints (FoxIO License 1.1).
	JA4T  bool
	rec   Record
	a     arena
	texts texts
}

// Analyze returns the record of c. It and everything its pointer fields
// refer to are valid until the next call; Clone keeps a copy. Its strings
// are immutable and may be kept.
func (z *Analyzer) Analyze(file string, c *flows.Conn) *Record {
	z.a = arena{}
	analyzeInto(&z.rec, file, c, &z.a, &z.texts, z.JA4T)
	return &z.rec
}

// analyzeInto fills r; pointer fields refer into a. t, when not nil, makes
// the record's strings without an allocation each.
func analyzeInto(r *Record, file string, c *flows.Conn, a *arena, t *texts, ja4t bool) {
	cli, srv := c.Client(), c.Server()
	*r = Record{
		Schema:     SchemaVersion,
		File:       file,
		Conn:       c.Index,
		Client:     t.addrPort(cli),
		Server:     t.addrPort(srv),
		ClientBy:   c.ClientBy.String(),
		FirstTS:    Time(c.FirstTS),
		LastTS:     Time(c.LastTS),
		DurationMS: ms(c.LastTS - c.FirstTS),
		client:     cli,
		server:     srv,
	}
	// Every value a pointer field refers to lives in one arena: one
	// allocation per record instead of dozens, or none with an Analyzer.
	r.Handshake = handshake(c, a, ja4t)
	r.Teardown = teardown(c, a)
	r.ICMP = icmpInfo(c)
	r.Tunnel = tunnelInfo(c)
	r.Stats = stats(c, r.Handshake.CapturePoint, a, t)
	side(&r.Stats.Client, c, flows.DirClient, r.Handshake.SynSynackMS, a)
	side(&r.Stats.Server, c, flows.DirServer, r.Handshake.SynackAckMS, a)
	r.State, r.History = zeekState(c, t)
	r.Completeness = int(c.WiresharkCompleteness())
	r.CompletenessLabel = CompletenessLabel(r.Completeness)
	r.SFStatus = sfStatus(c, t)
	if h := AppHint(c.App); h != "" {
		r.App = a.str(h)
	}
	n := func(a flows.Analysis) int { return int(c.Flagged[bits.TrailingZeros16(uint16(a))]) }
	r.Flags = Flags{
		Retransmission: n(flows.AnRetransmission), FastRetransmission: n(flows.AnFastRetransmission),
		SpuriousRetransmission: n(flows.AnSpuriousRetransmission), OutOfOrder: n(flows.AnOutOfOrder),
		LostSegment: n(flows.AnLostSegment), DuplicateAck: n(flows.AnDuplicateAck),
		ZeroWindow: n(flows.AnZeroWindow), KeepAlive: n(flows.AnKeepAlive), WindowFull: n(flows.AnWindowFull),
	}
}

// Quantile is the nearest-rank quantile q (0 to 1) of sorted values, which
// must not be empty.
func Quantile[T any](sorted []T, q float64) T {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func stats(c *flows.Conn, point *CapturePoint, a *arena, t *texts) Stats {
	cl, sv := &c.Dir[flows.DirClient], &c.Dir[flows.DirServer]
	st := Stats{
		ClientPkts: int(cl.Pkts), ServerPkts: int(sv.Pkts),
		ClientBytes: cl.Bytes, ServerBytes: sv.Bytes,
		ClientUnique: cl.UniqueBytes(), ServerUnique: sv.UniqueBytes(),
		ClientRetx: int(cl.RetxPkts), ServerRetx: int(sv.RetxPkts),
		ClientRetxBytes: cl.RetxBytes, ServerRetxBytes: sv.RetxBytes,
		ClientDup: int(cl.Duplicates), ServerDup: int(sv.Duplicates),
		OutOfOrder:    int(cl.OutOfOrder + sv.OutOfOrder),
		ZeroWindow:    int(cl.ZeroWindow + sv.ZeroWindow),
		ClientZeroWin: int(cl.ZeroWindow), ServerZeroWin: int(sv.ZeroWindow),
		KeepAlives:  int(cl.KeepAlives + sv.KeepAlives),
		Reassembled: int(c.Reassembled),
		MissedBytes: c.MissedBytes(flows.DirClient) + c.MissedBytes(flows.DirServer),
	}
	// Data-phase RTT: a segment timed to its ACK measures a full round trip
	// only for segments sent by the side next to the capture point; at a
	// server-side capture that is the server's data. In the middle both
	// directions give one leg each and are pooled.
	var samples []*flows.Stream
	switch {
	case point != nil && *point == PointServer:
		samples = []*flows.Stream{sv}
	case point != nil && *point == PointMiddle:
		samples = []*flows.Stream{cl, sv}
	default:
		samples = []*flows.Stream{cl}
	}
	var n int
	var sum, lo, hi int64
	for _, s := range samples {
		if s.RTTSamples == 0 {
			continue
		}
		if n == 0 || s.RTTMin < lo {
			lo = s.RTTMin
		}
		if s.RTTMax > hi {
			hi = s.RTTMax
		}
		n += int(s.RTTSamples)
		sum += s.RTTSum
	}
	if n > 0 {
		st.RTTSamples = n
		st.RTTMinMS, st.RTTMaxMS = a.float(ms(lo)), a.float(ms(hi))
		st.RTTMeanMS = a.float(ms(sum) / float64(n))
		kept := t.rttBuffer()
		for _, s := range samples {
			kept = append(kept, s.RTTKept()...)
		}
		if t != nil {
			t.rtt = kept
		}
		if len(kept) > 0 {
			slices.Sort(kept)
			st.RTTMedianMS = a.float(float64(Quantile(kept, 0.5)) / 1e3)
			st.RTTP95MS = a.float(float64(Quantile(kept, 0.95)) / 1e3)
			st.RTTSamplesUs = kept
		}
	}
	return st
}

// dataPhase is when the connection moved data: from the first data
// segment of either side to the last ACK of data from either side. Both
// sides' goodput are over it, not over each side's own first segment and
// last ACK: seen beside the receiver, a lone segment is acknowledged
// microseconds after it passed, and 366 bytes would make megabytes a
// second.
func dataPhase(c *flows.Conn) (start, end int64, ok bool) {
	for d := range c.Dir {
		dp := &c.Dir[d].DP
		if dp.HasData && (!ok || dp.FirstDataTS < start) {
			start, ok = dp.FirstDataTS, true
		}
		if dp.HasAck {
			end = max(end, dp.LastAckTS)
		}
	}
	return start, end, ok && end > start
}

// nanos is a duration of x ns in milliseconds, to the nanosecond, and
// thousandths x to three decimals: figures derived by division (means,
// rates) are written to the precision they have, and a value that is a
// whole number of millionths takes appendFloat's fast path.
func nanos(x float64) float64       { return math.Round(x) / 1e6 }
func thousandths(x float64) float64 { return math.Round(x*1e3) / 1e3 }

// side fills sd, which stats left zero, with direction d's data phase;
// hs is its handshake leg. In place: a Side is two hundred bytes.
func side(sd *Side, c *flows.Conn, d flows.Dir, hs *float64, a *arena) {
	s, o := &c.Dir[d], &c.Dir[d.Other()]
	dp := &s.DP
	sd.HandshakeRTTMS, sd.WindowZero, sd.WindowLimitedTimes = hs, int(dp.AdvZero), int(dp.LimitedN)
	if dp.RTTN > 0 {
		n := float64(dp.RTTN)
		sd.RTTSamples = int(dp.RTTN)
		sd.RTTMinMS, sd.RTTMaxMS = a.float(ms(dp.RTTMin)), a.float(ms(dp.RTTMax))
		sd.RTTMeanMS = a.float(nanos(dp.RTTSum / n))
		sd.RTTStdevMS = a.float(nanos(dp.RTTStdev()))
		if kept := s.SegRTTKept(); len(kept) > 0 {
			// The connection is finished: its kept samples may be sorted
			// where they lie, rather than copied.
			slices.Sort(kept)
			sd.RTTMedianMS = a.float(float64(Quantile(kept, 0.5)) / 1e3)
		}
		srtt, rttvar, rto := dp.Est.Now()
		sd.SRTTMS, sd.RTTVarMS, sd.RTOMS = a.float(ms(srtt)), a.float(ms(rttvar)), a.float(ms(rto))
	}
	// Windows are said only when the handshake showed whether they are
	// scaled.
	if dp.AdvN > 0 && c.HS.HasSYN && c.HS.HasSYNACK {
		if dp.AdvMin > 0 {
			sd.WindowMin = a.int64(int64(dp.AdvMin))
		}
		sd.WindowMax = a.int64(int64(dp.AdvMax))
		sd.WindowMean = a.float(thousandths(dp.AdvMean()))
	}
	if dp.HasData {
		sd.InitialWindowBytes, sd.InitialWindowSegments = a.int64(dp.InitBytes), a.int(int(dp.InitSegs))
		if c.HS.HasSYN && c.HS.HasSYNACK {
			sd.WindowLimitedMS = a.float(ms(dp.HeldNS(c.LastTS)))
		}
	}
	if od := &o.DP; od.Acks > 0 {
		sd.SegmentsPerAck = a.float(thousandths(float64(od.NewSegs) / float64(od.Acks)))
	}
	unique := float64(s.UniqueBytes())
	if el := c.LastTS - c.FirstTS; el > 0 {
		sd.ThroughputBps = a.float(thousandths(unique / (float64(el) / 1e9)))
	}
	if start, end, ok := dataPhase(c); ok && dp.HasData {
		sd.GoodputBps = a.float(thousandths(unique / (float64(end-start) / 1e9)))
	}
	if s.Pkts > 1 {
		sd.IdleMaxMS = a.float(ms(dp.IdleMax))
	}
}

// icmpInfo is the record's account of the ICMP errors about c's segments,
// nil without any. Few connections have one: it is allocated, not taken
// from the arena.
func icmpInfo(c *flows.Conn) *ICMPInfo {
	f := &c.ICMP
	if f.N == 0 {
		return nil
	}
	e := &f.First
	info := &ICMPInfo{Kind: icmpKind(e.V6, e.Type, e.Code), Type: int(e.Type), Code: int(e.Code), V6: e.V6,
		From: e.From.String(), About: CloserClient, TS: Time(f.FirstTS), Count: int(f.N)}
	if f.Dir == flows.DirServer {
		info.About = CloserServer
	}
	if f.AboutSYN {
		info.AfterSYNMS = ptr(ms(f.SinceSYN))
	}
	if f.MTU > 0 {
		info.MTU = ptr(int(f.MTU))
	}
	return info
}

// tunnelInfo is the tunnel c's segments came through, nil without one;
// allocated, as few connections have one.
func tunnelInfo(c *flows.Conn) *TunnelInfo {
	o := &c.Tunnel
	if o.Kind == flows.NoTunnel {
		return nil
	}
	cli, srv := o.Src, o.Dst
	if c.TunnelDir == flows.DirServer {
		cli, srv = srv, cli
	}
	return &TunnelInfo{Kind: o.Kind.String(), OuterClient: cli.String(), OuterServer: srv.String()}
}
