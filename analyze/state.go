package analyze

import (
	"regexp"
	"strconv"

	"synfin/flows"
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
func zeekState(c *flows.Conn, t *texts) (string, string) {
	hist := t.intern(c.Zeek.HistoryBytes())
	os, rs, osize, rsize := c.Zeek.States()
	inactive := func(s flows.ZeekEndpointState) bool {
		return s == flows.ZeekInactive || s == flows.ZeekPartial
	}
	var st string
	switch {
	case rs == flows.ZeekReset:
		switch {
		case os == flows.ZeekSynSent || os == flows.ZeekSynAckSent || (os == flows.ZeekReset && osize == 0 && rsize == 0):
			st = "REJ"
		case inactive(os):
			st = "RSTRH"
		default:
			st = "RSTR"
		}
	case os == flows.ZeekReset:
		switch {
		case !inactive(rs):
			st = "RSTO"
		case rstOS0.MatchString(hist):
			st = "RSTOS0"
		default:
			st = "OTH"
		}
	case os == flows.ZeekClosed && rs == flows.ZeekClosed:
		st = "SF"
	case os == flows.ZeekClosed:
		st = "S2"
		if inactive(rs) {
			st = "SH"
		}
	case rs == flows.ZeekClosed:
		st = "S3"
		if inactive(os) {
			st = "SHR"
		}
	case os == flows.ZeekSynSent && rs == flows.ZeekInactive:
		st = "S0"
	case os == flows.ZeekEstablished && rs == flows.ZeekEstablished:
		st = "S1"
	default:
		st = "OTH"
	}
	return st, hist
}
