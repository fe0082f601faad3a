package analyze

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/synfin/synfin/flows"
)

// State is Zeek's conn_state (main.zeek): one of the State constants,
// written as its value (state).
type State string

// Zeek's connection states, in the words of Zeek's conn.log documentation.
const (
	StateS0     State = "S0"     // connection attempt seen, no reply
	StateS1     State = "S1"     // established, not terminated
	StateSF     State = "SF"     // normal establishment and termination
	StateREJ    State = "REJ"    // connection attempt rejected
	StateS2     State = "S2"     // established, close attempt by the originator seen, no reply
	StateS3     State = "S3"     // established, close attempt by the responder seen, no reply
	StateRSTO   State = "RSTO"   // established, the originator aborted (sent a RST)
	StateRSTR   State = "RSTR"   // the responder sent a RST
	StateRSTOS0 State = "RSTOS0" // the originator sent a SYN then a RST, no SYN-ACK seen
	StateRSTRH  State = "RSTRH"  // the responder sent a SYN-ACK then a RST, no SYN seen
	StateSH     State = "SH"     // the originator sent a SYN then a FIN, no SYN-ACK seen
	StateSHR    State = "SHR"    // the responder sent a SYN-ACK then a FIN, no SYN seen
	StateOTH    State = "OTH"    // no SYN seen, just mid-stream traffic
)

// CompletenessLabel is Wireshark's label for a tcp.completeness value.
func CompletenessLabel(v int) string {
	switch v {
	case 1:
		return "Incomplete, SYN_SENT"
	case 3:
		return "Incomplete, CLIENT_ESTABLISHED"
	case 7:
		return "Incomplete, ESTABLISHED"
	case 15:
		return "Incomplete, DATA"
	case 31, 47, 63:
		return "Complete, WITH_DATA"
	case 23, 39, 55:
		return "Complete, NO_DATA"
	}
	return "Incomplete"
}

// sfStatus is the course and tcptrace convention S<n>F<m>: segments with SYN
// and with FIN set, both directions, retransmissions included, and /R when
// any RST was seen.
func sfStatus(c *flows.Conn, t *texts) string {
	cl, sv := &c.Dir[flows.DirClient], &c.Dir[flows.DirServer]
	var b [24]byte
	s := append(b[:0], 'S')
	s = strconv.AppendInt(s, int64(cl.SynFlags+sv.SynFlags), 10)
	s = append(s, 'F')
	s = strconv.AppendInt(s, int64(cl.FinCount+sv.FinCount), 10)
	if cl.RstSeen || sv.RstSeen {
		s = append(s, "/R"...)
	}
	return t.intern(s)
}

// rstOS0 is main.zeek's test for RSTOS0: a SYN, then nothing but RSTs from
// the originator's side without any SYN-ACK, ACK, FIN, gap, inconsistency
// or multi-flag letter: /^\^?S[^HAFGIQ]*R.*/.
var rstOS0 = regexp.MustCompile(`^\^?S[^HAFGIQ]*R.*$`)

// zeekState returns Zeek's conn_state and history (main.zeek, conn_state).
func zeekState(c *flows.Conn, t *texts) (State, string) {
	hist := t.intern(c.Zeek.HistoryBytes())
	os, rs, osize, rsize := c.Zeek.States()
	inactive := func(s flows.ZeekEndpointState) bool {
		return s == flows.ZeekInactive || s == flows.ZeekPartial
	}
	var st State
	switch {
	case rs == flows.ZeekReset:
		switch {
		case os == flows.ZeekSynSent || os == flows.ZeekSynAckSent || (os == flows.ZeekReset && osize == 0 && rsize == 0):
			st = StateREJ
		case inactive(os):
			st = StateRSTRH
		default:
			st = StateRSTR
		}
	case os == flows.ZeekReset:
		switch {
		case !inactive(rs):
			st = StateRSTO
		case rstOS0.MatchString(hist):
			st = StateRSTOS0
		default:
			st = StateOTH
		}
	case os == flows.ZeekClosed && rs == flows.ZeekClosed:
		st = StateSF
	case os == flows.ZeekClosed:
		st = StateS2
		if inactive(rs) {
			st = StateSH
		}
	case rs == flows.ZeekClosed:
		st = StateS3
		if inactive(os) {
			st = StateSHR
		}
	case os == flows.ZeekSynSent && rs == flows.ZeekInactive:
		st = StateS0
	case os == flows.ZeekEstablished && rs == flows.ZeekEstablished:
		st = StateS1
	default:
		st = StateOTH
	}
	return st, hist
}

// states lists Zeek's conn_state values, in Zeek's documentation's order.
var states = []State{StateS0, StateS1, StateSF, StateREJ, StateS2, StateS3, StateRSTO, StateRSTR, StateRSTOS0, StateRSTRH, StateSH, StateSHR, StateOTH}

// StateNames are Zeek's conn_state values, for a message.
func StateNames() []string {
	out := make([]string, len(states))
	for i, s := range states {
		out[i] = string(s)
	}
	return out
}

// KnownState says whether s names one of Zeek's states, in any case (as
// Filter matches them).
func KnownState(s string) bool {
	for _, st := range states {
		if strings.EqualFold(s, string(st)) {
			return true
		}
	}
	return false
}
