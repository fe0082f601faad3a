package flows

// Handshake holds the raw facts of the opening of a connection, as seen.
// The timing facts are kept as they happen, so no per-transmission list is
// needed (docs/spec.md §3, handshake.go in package analyze). Fields are grouped by
// size so that none pads another: times, then sequence numbers and counts,
// then options, then flags.
type Handshake struct {
	// Times (ns) of SYNs from the client carrying the client ISN.
	FirstSYNTS int64
	LastSYNTS  int64 // the latest so far
	// Of SYN-ACKs from the server acknowledging the client's SYN.
	FirstSYNACKTS int64
	LastSYNACKTS  int64 // the latest SYN-ACK before the handshake ACK
	// The SYN the latest SYN-ACK answers, taken to be the latest SYN sent
	// before it (HasPaired, PairedAmbiguous).
	PairedSYNTS int64
	// At the first SYN-ACK: the SYN it answers, taken to be the last SYN
	// sent before it (HasAnswered, Ambiguous).
	AnsweredSYNTS int64
	ACKTS         int64 // the handshake's ACK (HasACK)
	ServerSYNTS   int64 // a SYN without ACK from the server (ServerSYN)
	RejectTS      int64 // an RST refusing the SYN (Rejected)
	// Wireshark's iRTT (packet-tcp.c): the first segment with ACK and
	// without SYN, from either side, minus the most recent SYN without
	// ACK. A zero result counts as not measured, so the next such segment
	// measures again, as in Wireshark.
	mruSYN int64
	IRTT   int64

	ISN          Seq    // client ISN
	ServerISN    Seq    // server ISN
	SYNACKAck    Seq    // acknowledgment number of the first SYN-ACK
	ACKAck       Seq    // acknowledgment number of the handshake's ACK
	LastSYNTSVal uint32 // the latest SYN's timestamp option value, when HasLastTSVal
	// the latest SYN-ACK's TSval, for the ACK's echo
	lastSYNACKTSVal uint32
	SYNN            int32 // SYNs, retransmissions and capture duplicates included (as tshark counts)
	SYNDups         int32 // of them, capture duplicates
	SYNACKN         int32 // SYN-ACKs, likewise
	SYNACKDups      int32 // of them, capture duplicates
	// TFO: payload carried on the client's SYN.
	SYNPayload int

	SYNOpts    SynOptions
	SYNACKOpts SynOptions
	SYNSeg     SegInfo
	SYNACKSeg  SegInfo

	HasSYN          bool
	HasLastTSVal    bool
	HasSYNACK       bool
	lastSYNACKHasTS bool
	// The pairing of the latest SYN-ACK (PairedSYNTS) is a guess: a SYN
	// was retransmitted and the SYN-ACK's timestamp echo does not name
	// this one.
	HasPaired       bool
	PairedAmbiguous bool
	// The first SYN-ACK's echo names another SYN than AnsweredSYNTS (the
	// sample is then ambiguous in Karn's sense).
	HasAnswered bool
	Ambiguous   bool
	// The client's first ACK of the server's SYN (ack = server ISN + 1),
	// pure or with data.
	HasACK bool
	// A SYN without ACK from the server side: simultaneous open (RFC 9293
	// §3.5, figure 8).
	ServerSYN bool
	// An RST answering the client's SYN before any SYN-ACK: a refusal.
	Rejected  bool
	hasMRUSYN bool
	HasIRTT   bool
}

// SegInfo is the IP and TCP header fields of a SYN or SYN-ACK that records show.
type SegInfo struct {
	Window uint16
	TTL    uint8
	DF     bool
	AE     bool // AccECN's AE flag
	Flags  Flags
}

// observeHandshake records the handshake facts: Wireshark's iRTT, the SYN
// and SYN-ACK, the ACK that completes them, and a refusal.
func (c *Conn) observeHandshake(seg *Segment, d Dir, s *Stream, dup bool) {
	f := seg.Flags
	switch {
	case f&(FlagSYN|FlagACK) == FlagSYN:
		c.HS.mruSYN, c.HS.hasMRUSYN = seg.TS, true
	case f&(FlagSYN|FlagACK) == FlagACK && c.HS.hasMRUSYN && !c.HS.HasIRTT:
		if dt := seg.TS - c.HS.mruSYN; dt != 0 {
			c.HS.IRTT, c.HS.HasIRTT = dt, true
		}
	}
	if f&FlagSYN != 0 {
		s.SynFlags++
		c.observeSYN(seg, d, dup)
	}
	// The handshake's ACK is the client's first segment acknowledging the
	// server's SYN: ack = server ISN + 1, or beyond when the capture lost
	// the pure ACK (as Wireshark's iRTT, which takes the first ACK).
	if d == DirClient && f&(FlagSYN|FlagACK) == FlagACK && c.HS.HasSYNACK && !c.HS.HasACK && c.HS.ServerISN.LessThan(seg.Ack) {
		c.HS.HasACK, c.HS.ACKTS, c.HS.ACKAck = true, seg.TS, seg.Ack
		// After a retransmitted SYN-ACK the ACK may answer an earlier one,
		// unless its echo names the latest.
		if c.HS.SYNACKN-c.HS.SYNACKDups > 1 && !(seg.HasTS && c.HS.lastSYNACKHasTS && seg.TSEcr == c.HS.lastSYNACKTSVal) {
			c.HS.PairedAmbiguous = true
		}
	}
	if f&FlagRST != 0 && d == DirServer && c.HS.HasSYN && !c.HS.HasSYNACK && !c.HS.Rejected {
		c.HS.Rejected, c.HS.RejectTS = true, seg.TS
	}
}

func (c *Conn) observeSYN(seg *Segment, d Dir, dup bool) {
	hs := &c.HS
	info := SegInfo{Window: seg.Window, TTL: seg.TTL, DF: seg.DF, AE: seg.AE, Flags: seg.Flags}
	if seg.Flags&FlagACK == 0 {
		if d == DirServer {
			if !hs.ServerSYN {
				hs.ServerSYN, hs.ServerSYNTS = true, seg.TS
			}
			return
		}
		if !hs.HasSYN {
			hs.HasSYN, hs.ISN, hs.SYNSeg, hs.SYNPayload = true, seg.Seq, info, seg.PayloadLen
			hs.SYNOpts.set(&seg.Opts)
			hs.FirstSYNTS = seg.TS
		}
		if seg.Seq == hs.ISN {
			hs.SYNN++
			if dup {
				hs.SYNDups++
				return
			}
			hs.LastSYNTS, hs.LastSYNTSVal, hs.HasLastTSVal = seg.TS, seg.TSVal, seg.HasTS
		}
		return
	}
	// SYN-ACK. In a simultaneous open both sides send one; the server's
	// is the one that answers the client's SYN.
	if d != DirServer {
		return
	}
	if !hs.HasSYNACK {
		hs.HasSYNACK, hs.ServerISN, hs.SYNACKAck, hs.SYNACKSeg = true, seg.Seq, seg.Ack, info
		hs.SYNACKOpts.set(&seg.Opts)
		hs.FirstSYNACKTS = seg.TS
		if hs.HasSYN && hs.LastSYNTS <= seg.TS {
			hs.AnsweredSYNTS, hs.HasAnswered = hs.LastSYNTS, true
			hs.Ambiguous = hs.SYNN-hs.SYNDups > 1 && seg.HasTS && hs.HasLastTSVal && seg.TSEcr != hs.LastSYNTSVal
		}
	}
	if seg.Seq == hs.ServerISN {
		hs.SYNACKN++
		if dup {
			hs.SYNACKDups++
			return
		}
		if !hs.HasACK {
			hs.LastSYNACKTS = seg.TS
			hs.lastSYNACKTSVal, hs.lastSYNACKHasTS = seg.TSVal, seg.HasTS
			if hs.HasSYN && hs.LastSYNTS <= seg.TS {
				hs.PairedSYNTS, hs.HasPaired = hs.LastSYNTS, true
				hs.PairedAmbiguous = hs.SYNN-hs.SYNDups > 1 && !(seg.HasTS && hs.HasLastTSVal && seg.TSEcr == hs.LastSYNTSVal)
			}
		}
	}
}

// clampShift applies RFC 7323 §2.3: a shift over 14 is treated as 14.
func clampShift(s uint8) int {
	if s > 14 {
		return 14
	}
	return int(s)
}
