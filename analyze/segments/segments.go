// Package segments lists one connection's segments, both directions in
// capture order, with what the data phase questions of a course lab and
// of tcptrace ask of each: the RTT of every data segment (the time from
// its sending to the first ACK covering its last byte, the textbook's
// SampleRTT; none for a retransmitted one, by Karn's rule), the smoothed
// RTT, its variation and the retransmission timeout after each sample by
// RFC 6298, and on each ACK how far it moved the acknowledged edge and
// which segment it acknowledges (Wireshark's tcp.analysis.acks_frame and
// ack_rtt). Pure: a ladder in, rows out.
package segments

import (
	"slices"

	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
)

// Row is one segment.
type Row struct {
	Frame  int
	TS     int64 // capture time, ns
	From   flows.Dir
	Flags  flows.Flags
	Seq    uint32 // raw
	Next   uint32 // raw: Seq plus the length, SYN and FIN
	RelSeq uint32 // relative to the sender's first sequence number
	Len    int
	// Win is the window the packet advertises, scaled as its receiver
	// reads it (the shift its sender offered, when both offered one; a
	// SYN's window is never scaled); WinRaw the field itself.
	Win    int
	WinRaw uint16
	// On a segment that takes sequence space (data, SYN, FIN): the first
	// ACK covering its last byte, and the RTT it gives.
	AckFrame int   // 0: never acknowledged in the capture
	AckTS    int64 // of that ACK
	HasRTT   bool  // RTT is a sample (not retransmitted, acknowledged)
	RTT      int64 // ns
	// After this sample, the sender's RFC 6298 estimates (HasRTT only).
	SRTT, RTTVar, RTO int64 // ns
	// On an ACK: how far it moved the acknowledged edge, and the segment
	// whose end it acknowledges exactly (Wireshark's acks_frame), with the
	// time since it (ack_rtt).
	AckedBytes uint32
	AcksFrame  int
	AckRTT     int64 // ns
	// Analysis is Wireshark's tcp.analysis flags; DupAck numbers the
	// duplicate ACKs since the ack number last moved (0: none).
	Analysis flows.Analysis
	DupAck   int
	// Retransmitted: these bytes were sent more than once, so the RTT of
	// none of their transmissions is sampled (Karn's rule).
	Retransmitted bool
	// Duplicate: the capture recorded the segment before again (the
	// same packet twice, not a retransmission); it adds no facts.
	Duplicate bool
	// SACK are the SACK blocks the segment carries (RFC 2018), raw edges
	// in the other side's sequence space, left and right; shared with the
	// ladder's step, not to be changed.
	SACK [][2]uint32
}

// pending is a segment waiting for its ACK.
type pending struct {
	row      int
	seq, end uint32
}

// after says whether sequence number a comes after b.
func after(a, b uint32) bool { return int32(a-b) > 0 }

// Of lists the segments of ladder l. shift are the window-scale shifts
// each side offered (client, server), or -1 when window scaling is off.
func Of(l *ladder.Ladder, shift [2]int) []Row { return new(Lister).Of(l, shift, nil) }

// Lister lists connections' segments one after another, reusing its
// scratch space: a capture of many small connections would otherwise
// spend its time making and collecting maps.
type Lister struct {
	wait    [2][]pending
	ends    [2]map[uint32]int   // each side's segments by their end: the row an ACK of it names
	sentAt  [2]map[uint32][]int // rows of each side's data by sequence number
	sentSYN [2]map[uint32]bool  // each side's SYNs by sequence number
}

// Of lists the segments of ladder l into rows (reused when large enough).
func (ls *Lister) Of(l *ladder.Ladder, shift [2]int, rows []Row) []Row {
	if cap(rows) >= len(l.Steps) {
		rows = rows[:len(l.Steps)]
	} else {
		rows = make([]Row, len(l.Steps))
	}
	var (
		acked  [2]uint32             // the highest ack each side received
		ackSet [2]bool               //
		est    [2]flows.RTTEstimator // each side's RTT estimate, as a sender (RFC 6298)
		dup    [2]int                // duplicate ACKs each side sent since its ack moved
	)
	wait, ends, sentAt, sentSYN := &ls.wait, &ls.ends, &ls.sentAt, &ls.sentSYN
	for d := range 2 {
		wait[d] = wait[d][:0]
		if ends[d] == nil {
			ends[d], sentAt[d], sentSYN[d] = map[uint32]int{}, map[uint32][]int{}, map[uint32]bool{}
		}
		clear(ends[d])
		clear(sentAt[d])
		clear(sentSYN[d])
	}
	for i := range l.Steps {
		s := &l.Steps[i]
		d, o := s.Dir, s.Dir.Other()
		r := &rows[i]
		n := uint32(s.Len)
		if s.Flags&flows.FlagSYN != 0 {
			n++
		}
		if s.Flags&flows.FlagFIN != 0 {
			n++
		}
		if s.Flags&flows.FlagRST != 0 {
			n = 0
		}
		*r = Row{Frame: s.Frame, TS: s.TS, From: d, Flags: s.Flags, Seq: s.Seq, Next: s.Seq + n, RelSeq: s.RelSeq,
			Len: s.Len, WinRaw: s.Window, Win: int(s.Window), Analysis: s.Analysis, SACK: s.SACKBlocks}
		if shift[d] >= 0 && s.Flags&flows.FlagSYN == 0 {
			r.Win = int(s.Window) << shift[d]
		}
		if s.Class == flows.SegDuplicate {
			r.Duplicate = true
			continue // the capture's copy of the packet before: no new facts
		}
		if s.Flags&(flows.FlagSYN|flows.FlagACK) == flows.FlagSYN {
			// A SYN sent again starts the handshake over, as Wireshark
			// reads it: the SYN-ACK an ACK acknowledges is the one after.
			if _, again := sentSYN[d][s.Seq]; again {
				for end, j := range ends[o] {
					if rows[j].Flags&flows.FlagSYN != 0 {
						delete(ends[o], end)
					}
				}
			}
			sentSYN[d][s.Seq] = true
		}
		// The ACK (an RST's too, as Wireshark reads it): the segment it
		// acknowledges exactly.
		if s.Flags&flows.FlagACK != 0 {
			if j, ok := ends[o][s.Ack]; ok && (rows[j].AckFrame == 0 || rows[j].AckFrame == s.Frame) {
				r.AcksFrame, r.AckRTT = rows[j].Frame, s.TS-rows[j].TS
			}
		}
		// What it acknowledges of the other side.
		if s.Flags&flows.FlagACK != 0 && s.Flags&flows.FlagRST == 0 {
			a := s.Ack
			if ackSet[d] && after(a, acked[d]) {
				r.AckedBytes = a - acked[d]
			}
			if !ackSet[d] || after(a, acked[d]) {
				acked[d], ackSet[d] = a, true
				dup[d] = 0
			} else if s.Analysis&flows.AnDuplicateAck != 0 {
				dup[d]++
				r.DupAck = dup[d]
			}
			// The segments it covers, sampled in the order their ACKs
			// arrive, in sequence order within one ACK.
			keep := wait[o][:0]
			for _, p := range wait[o] {
				if after(p.end, a) {
					keep = append(keep, p)
					continue
				}
				q := &rows[p.row]
				q.AckFrame, q.AckTS = s.Frame, s.TS
				if !q.Retransmitted {
					q.HasRTT, q.RTT = true, s.TS-q.TS
					q.SRTT, q.RTTVar, q.RTO = est[o].Sample(q.RTT)
				}
			}
			wait[o] = keep
		}
		if n == 0 {
			continue
		}
		// A segment taking sequence space: it waits for its ACK. Bytes
		// sent again mark every transmission of them (Karn's rule).
		retx := s.Class == flows.SegRetx || s.Class == flows.SegKeepAlive || s.Analysis&(flows.AnRetransmission|flows.AnFastRetransmission|flows.AnSpuriousRetransmission) != 0
		if prev, ok := sentAt[d][s.Seq]; ok && s.Len > 0 {
			retx = true
			for _, j := range prev {
				rows[j].Retransmitted = true
			}
		}
		if retx {
			r.Retransmitted = true
			for _, p := range wait[d] {
				if after(r.Next, p.seq) && after(p.end, r.Seq) {
					rows[p.row].Retransmitted = true
				}
			}
		}
		if s.Len > 0 {
			sentAt[d][s.Seq] = append(sentAt[d][s.Seq], i)
		}
		// Kept in order of their ends, so that one ACK covering several
		// samples them in sequence order (a reordered segment goes where
		// it belongs), as the record's data phase does.
		p, j := pending{i, s.Seq, r.Next}, len(wait[d])
		for j > 0 && after(wait[d][j-1].end, p.end) {
			j--
		}
		wait[d] = slices.Insert(wait[d], j, p)
		// The first transmission ending there, while it waits: Wireshark
		// names it as the one an ACK acknowledges.
		if j, ok := ends[d][r.Next]; !ok || rows[j].AckFrame != 0 {
			ends[d][r.Next] = i
		}
	}
	return rows
}
