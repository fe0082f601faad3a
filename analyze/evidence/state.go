package evidence

// State is one side's connection state in RFC 9293's diagram (§3.3.2).
// Unknown is before the capture shows anything of that side: a capture
// started mid-connection does not say how the connection was opened.
type State uint8

const (
	Unknown State = iota
	Closed
	Listen
	SynSent
	SynReceived
	Established
	FinWait1
	FinWait2
	CloseWait
	Closing
	LastAck
	TimeWait
)

var stateNames = [...]string{"", "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
	"FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT"}

// String is the state's name as RFC 9293 writes it ("" for Unknown).
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return ""
}

// edges are the transitions of RFC 9293's diagram: an RST takes any
// synchronized state to CLOSED (§3.10.7.4), a passive open's RST back to
// LISTEN, and a close before the handshake ends from SYN-SENT to CLOSED.
var edges = map[State][]State{
	Closed:      {SynSent, Listen},
	Listen:      {SynReceived, SynSent, Closed},
	SynSent:     {SynReceived, Established, Closed},
	SynReceived: {Established, FinWait1, Listen, Closed},
	Established: {FinWait1, CloseWait, Closed},
	FinWait1:    {FinWait2, Closing, TimeWait, Closed},
	FinWait2:    {TimeWait, Closed},
	CloseWait:   {LastAck, Closed},
	Closing:     {TimeWait, Closed},
	LastAck:     {Closed},
	TimeWait:    {Closed},
}

// Reach reports whether RFC 9293's diagram leads from a to b in at most
// two transitions: one packet may prove a side received something and
// show it sending (a FIN that acknowledges the other's FIN takes its
// sender from ESTABLISHED through CLOSE-WAIT to LAST-ACK).
func Reach(a, b State) bool {
	if Edge(a, b) {
		return true
	}
	for _, m := range edges[a] {
		if Edge(m, b) {
			return true
		}
	}
	return false
}

// Edge reports whether RFC 9293's diagram goes from a to b. From Unknown
// any state may be the first one seen.
func Edge(a, b State) bool {
	if a == b || a == Unknown {
		return true
	}
	for _, s := range edges[a] {
		if s == b {
			return true
		}
	}
	return false
}
