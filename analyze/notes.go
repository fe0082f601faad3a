package analyze

import "github.com/synfin/synfin/flows"

// Option notes: what the options of a connection's handshake and later
// segments say that a reader should notice. Anomalies come first, then
// features negotiated or asked for. Every name has its sentence in the
// message catalogue (note.NAME).
type Note string

const (
	NoteMSSMissing       Note = "mss_missing"        // the SYN has no MSS (536 is assumed, RFC 9293)
	NoteSynackMSSMissing Note = "synack_mss_missing" // the SYN-ACK has no MSS
	NoteMSSBelow536      Note = "mss_below_536"
	NoteMSSAbove9000     Note = "mss_above_9000"
	NoteWScaleOver14     Note = "wscale_over_14" // RFC 7323 §2.3: treated as 14
	NoteMalformed        Note = "malformed_option"
	NoteSYNOptionLater   Note = "syn_option_later"       // MSS, window scale or SACK permitted after the handshake
	NoteTSEchoMismatch   Note = "ts_echo_mismatch"       // the SYN-ACK echoes a timestamp the SYN did not send
	NoteSACKUnpermitted  Note = "sack_without_permitted" // SACK blocks though SACK was not permitted both ways
	NoteTFORequest       Note = "tfo_cookie_request"
	NoteTFOCookie        Note = "tfo_cookie"
	NoteTFODataAccepted  Note = "tfo_data_accepted"
	NoteTFODataIgnored   Note = "tfo_data_ignored"
	NoteECNRequested     Note = "ecn_requested"
	NoteECNNegotiated    Note = "ecn_negotiated"
	NoteAccECNRequested  Note = "accecn_requested"
	NoteAccECNNegotiated Note = "accecn_negotiated"
	NoteMPTCPCapable     Note = "mptcp_capable"
)

// AllNotes lists every note, anomalies first.
var AllNotes = []Note{NoteMSSMissing, NoteSynackMSSMissing, NoteMSSBelow536, NoteMSSAbove9000, NoteWScaleOver14,
	NoteMalformed, NoteSYNOptionLater, NoteTSEchoMismatch, NoteSACKUnpermitted, NoteTFODataIgnored,
	NoteTFORequest, NoteTFOCookie, NoteTFODataAccepted, NoteECNRequested, NoteECNNegotiated,
	NoteAccECNRequested, NoteAccECNNegotiated, NoteMPTCPCapable}

// Anomaly says whether the note points at a fault or an odd stack, not
// at a feature.
func (n Note) Anomaly() bool {
	switch n {
	case NoteMSSMissing, NoteSynackMSSMissing, NoteMSSBelow536, NoteMSSAbove9000, NoteWScaleOver14,
		NoteMalformed, NoteSYNOptionLater, NoteTSEchoMismatch, NoteSACKUnpermitted, NoteTFODataIgnored:
		return true
	}
	return false
}

// optionNotes appends the notes of c to dst.
func optionNotes(c *flows.Conn, dst []Note) []Note {
	hs := &c.HS
	add := func(n Note) {
		for _, x := range dst {
			if x == n {
				return
			}
		}
		dst = append(dst, n)
	}
	sizes := func(o *flows.OptionValues, missing Note) {
		switch {
		case !o.HasMSS:
			add(missing)
		case o.MSS < 536:
			add(NoteMSSBelow536)
		case o.MSS > 9000:
			add(NoteMSSAbove9000)
		}
		if o.HasWScale && o.WScale > 14 {
			add(NoteWScaleOver14)
		}
		if o.Malformed != flows.OptOK {
			add(NoteMalformed)
		}
	}
	if hs.HasSYN {
		sizes(&hs.SYNOpts.OptionValues, NoteMSSMissing)
	}
	if hs.HasSYNACK {
		sizes(&hs.SYNACKOpts.OptionValues, NoteSynackMSSMissing)
	}
	if c.LateSYNOptions {
		add(NoteSYNOptionLater)
	}
	// The echo is judged only when one SYN was sent: after a
	// retransmission the SYN-ACK may rightly echo an earlier one.
	if hs.HasSYN && hs.HasSYNACK && hs.SYNN == 1 && hs.SYNOpts.HasTS && hs.SYNACKOpts.HasTS && hs.SYNACKOpts.TSEcr != hs.SYNOpts.TSVal {
		add(NoteTSEchoMismatch)
	}
	if c.SACKBlocks && hs.HasSYN && hs.HasSYNACK && !(hs.SYNOpts.SACKPerm && hs.SYNACKOpts.SACKPerm) {
		add(NoteSACKUnpermitted)
	}
	if hs.HasSYN {
		o := &hs.SYNOpts
		if o.HasTFO {
			if o.TFOLen == 0 {
				add(NoteTFORequest)
			} else {
				add(NoteTFOCookie)
			}
		}
		if hs.SYNPayload > 0 && hs.HasSYNACK {
			switch hs.SYNACKAck {
			case hs.ISN.Add(1 + uint32(hs.SYNPayload)):
				add(NoteTFODataAccepted)
			case hs.ISN.Add(1):
				add(NoteTFODataIgnored)
			}
		}
		if o.HasMPTCP && o.MPTCPSub == 0 {
			add(NoteMPTCPCapable)
		}
		// ECN (RFC 3168): ECE and CWR on the SYN, ECE alone on the
		// SYN-ACK. AccECN (RFC 9768): AE, CWR and ECE on the SYN; the
		// SYN-ACK answers with any of four AE/CWR/ECE patterns, or falls
		// back to classic ECN with ECE alone.
		sf := hs.SYNSeg.Flags
		if sf.Has(flows.FlagECE | flows.FlagCWR) {
			accecn := hs.SYNSeg.AE
			if accecn {
				add(NoteAccECNRequested)
			} else {
				add(NoteECNRequested)
			}
			if hs.HasSYNACK {
				a, cwr, ece := hs.SYNACKSeg.AE, hs.SYNACKSeg.Flags&flows.FlagCWR != 0, hs.SYNACKSeg.Flags&flows.FlagECE != 0
				switch {
				case accecn && (a || cwr):
					add(NoteAccECNNegotiated)
				case !a && !cwr && ece:
					add(NoteECNNegotiated)
				}
			}
		}
	}
	return dst
}
