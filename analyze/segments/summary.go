package segments

import (
	"slices"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
)

// Shifts are the window-scale shifts of a record's two sides, as Of takes
// them: both negotiated, or -1 each (windows then unscaled).
func Shifts(r *analyze.Record) [2]int {
	n := r.Handshake.Negotiated
	if n == nil || n.WScaleClient == nil || n.WScaleServer == nil {
		return [2]int{-1, -1}
	}
	return [2]int{*n.WScaleClient, *n.WScaleServer}
}

// Summary is one side's data phase as a lab report asks for it, with
// tcptrace -l's definitions where it has the same figure.
type Summary struct {
	From      flows.Dir
	Segments  int // data segments sent, again or not
	Bytes     int // payload bytes sent, again or not (tcptrace: actual data bytes)
	Unique    int // bytes seen at least once (unique bytes sent)
	SentAgain int // data segments with bytes seen before (rexmt data pkts)
	// RTT samples (Karn's rule) of this side's data, SYN and FIN, in ns;
	// the RFC 6298 SRTT and RTO after the last.
	Samples             int
	RTTMin, RTTMax, RTT int64 // RTT is the mean
	SRTT, RTO           int64
	// The window the other side advertised to this one on its ACKs
	// (scaled; SYNs and RSTs left out; MinWin the smallest above zero, as
	// tcptrace's min win adv, which differs only in counting the SYN's
	// unscaled window when the sides did not both offer scaling), and how
	// many of its ACKs advertised zero.
	MinWin, MaxWin, ZeroWins int
	HasWin                   bool
	// AckedPerACK is the median of the bytes each ACK of this side's data
	// acknowledged, over the ACKs that moved the edge (delayed ACKs: two
	// segments' worth).
	AckedPerACK int
	// Elapsed is the connection's first to last packet in the capture, ns;
	// Throughput Unique over it in bytes/s (tcptrace's throughput).
	Elapsed    int64
	Throughput float64
}

// Summarize sums up what side from sent, from the rows of its connection.
func Summarize(rows []Row, from flows.Dir) Summary {
	s := Summary{From: from}
	if len(rows) == 0 {
		return s
	}
	var cov Coverage
	var acked []int
	var last *Row // the sample taken last: by its ACK, then by its end
	for i := range rows {
		r := &rows[i]
		if r.From == from {
			if r.HasRTT {
				if s.Samples == 0 || r.RTT < s.RTTMin {
					s.RTTMin = r.RTT
				}
				s.RTTMax = max(s.RTTMax, r.RTT)
				s.RTT += r.RTT
				s.Samples++
				if last == nil || r.AckFrame > last.AckFrame || r.AckFrame == last.AckFrame && !after(last.Next, r.Next) {
					last = r
				}
			}
			if r.Len == 0 {
				continue
			}
			s.Segments++
			s.Bytes += r.Len
			if cov.Add(r.RelSeq, r.RelSeq+uint32(r.Len)) > 0 {
				s.SentAgain++
			}
			continue
		}
		// The other side: its windows and ACKs. A SYN's window is
		// unscaled; an RST's is not an offer (tcptrace leaves both out
		// too); a segment without ACK carries no window (RFC 9293).
		if r.Flags&(flows.FlagSYN|flows.FlagRST) != 0 || r.Flags&flows.FlagACK == 0 {
			continue
		}
		if r.Win > 0 && (s.MinWin == 0 || r.Win < s.MinWin) { // tcptrace's: zero windows counted apart
			s.MinWin = r.Win
		}
		s.MaxWin = max(s.MaxWin, r.Win)
		s.HasWin = true
		if r.Win == 0 {
			s.ZeroWins++
		}
		if r.AckedBytes > 0 {
			acked = append(acked, int(r.AckedBytes))
		}
	}
	if s.Samples > 0 {
		s.RTT /= int64(s.Samples)
		s.SRTT, s.RTO = last.SRTT, last.RTO
	}
	s.Unique = cov.Len()
	if len(acked) > 0 {
		slices.Sort(acked)
		s.AckedPerACK = acked[len(acked)/2]
	}
	s.Elapsed = rows[len(rows)-1].TS - rows[0].TS
	if s.Elapsed > 0 {
		s.Throughput = float64(s.Unique) / (float64(s.Elapsed) / 1e9)
	}
	return s
}

// CapturedNear is the side the capture was taken beside, as the handshake
// shows it: the leg that crosses the path is the longer one (SYN to
// SYN-ACK seen beside the client, SYN-ACK to ACK beside the server). Said
// only when one leg is at least four times the other; ok is false
// otherwise, and without both legs. A data segment's RTT is the path's
// round trip only when the capture is beside its sender; beside the
// receiver it is mostly the receiver's time to acknowledge.
func CapturedNear(r *analyze.Record) (near flows.Dir, ok bool) {
	h := r.Handshake
	if h.SynSynackMS == nil || h.SynackAckMS == nil {
		return 0, false
	}
	a, b := *h.SynSynackMS, *h.SynackAckMS
	switch {
	case a >= 4*b:
		return flows.DirClient, true
	case b >= 4*a:
		return flows.DirServer, true
	}
	return 0, false
}
