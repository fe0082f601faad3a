package evidence

import (
	"github.com/synfin/synfin/flows"
)

// What a timeline says of each packet: its kind, the cause of a retransmission or an RST, how a copy is known.

// Kind is what a packet was, by what it carried and what came before it.
type Kind uint8

const (
	_               Kind = iota
	SYN                  // a SYN without ACK, its sender's first
	SYNAgain             // the same SYN again (the same ISN)
	SYNNew               // a SYN with another ISN: a new attempt
	SYNACK               // a SYN with ACK, its sender's first
	SYNACKAgain          // the same SYN-ACK again
	HandshakeACK         // the first ACK of the other side's SYN-ACK
	Data                 // new data
	Retransmission       // data sent before, sent again
	OutOfOrder           // data filling a gap shortly after later data
	KeepAlive            // a byte (or none) just below the next: a keep-alive
	ZeroWindowProbe      // a byte pushed into the other side's zero window
	ZeroWindow           // an ACK advertising a window of 0
	WindowUpdate         // an ACK that only changes the window
	DupAck               // the same ACK again, as data arrives out of order
	Ack                  // an ACK that acknowledges new data, or nothing new
	FIN                  // its sender's first FIN
	FINAgain             // the sender's FIN again (the same sequence number)
	FINAck               // acknowledges the other side's FIN
	RST
	Copy // the capture holds the packet before it again
)

// RetxCause is what the packets before a retransmission single out as
// its trigger.
type RetxCause uint8

const (
	RetxTimer   RetxCause = iota + 1 // no duplicate ACK or SACK came: a timer fired
	RetxDupAcks                      // the other side's duplicate ACKs: a fast retransmission
	RetxSACK                         // the other side's SACK blocks named the hole
)

// CopyEvidence says how a packet is known to be the capture's second copy
// of the one before it.
type CopyEvidence uint8

const (
	CopyByID      CopyEvidence = iota + 1 // the same non-zero IPv4 identification: one packet, recorded twice
	CopyIdentical                         // the same in every field, but with no IPv4 ID to tell (IPv6, or ID 0): a copy, or a second packet just like it
)

// RSTCause is what the packets before an RST single out as its reason.
type RSTCause uint8

const (
	RSTRefused         RSTCause = iota + 1 // answers a SYN: nothing accepted it (or a firewall, or the host)
	RSTProbe                               // the client answers the SYN-ACK: no socket of its own expected it
	RSTHalfOpen                            // the server's SYN-ACK was never acknowledged: it gives up
	RSTGiveUp                              // the client, in SYN-SENT after its SYN retries, gives up
	RSTDataAfterClose                      // data arrived after the sender had sent its FIN (close()): RFC 9293 §3.10.7.4 / RFC 1122 §4.2.2.13
	RSTDataAroundClose                     // the sender had sent its FIN without acknowledging data seen before it: unread at close(), or arriving just after; RFC 1122 §4.2.2.13 resets either way
	RSTUnreadData                          // it follows data the sender never acknowledged: close() with unread data, SO_LINGER 0 or an abort; the capture cannot tell which
	RSTAfterClose                          // both FINs were acknowledged: it answers a late segment
	RSTAfterRST                            // another RST after one: each answers a segment that arrived after the first
	RSTAbort                               // none of the above: an abort, for a reason the capture does not show
	RSTNoConnection                        // the sender\'s first packet, answering a segment with seq = its ack: a host with no connection for it (RFC 9293 §3.10.7.1)
	RSTGiveUpRetx                          // after its retransmissions went unanswered: the stack gives up on a silent peer
)

// Entry is what one packet proves.
type Entry struct {
	Step int // index in the ladder's Steps
	Kind Kind
	Dir  flows.Dir
	// What it acknowledges for the first time: bytes of the other side's
	// data, its SYN, its FIN.
	AckedBytes       uint32
	AcksSYN, AcksFIN bool
	// A SYN's data (TCP Fast Open), and on a SYN-ACK whether it
	// acknowledges that data too.
	SYNData      int
	SYNDataAcked bool
	Retx         RetxCause
	Copy         CopyEvidence
	RST          RSTCause
	// Since is, for a SYN or FIN sent again or a retransmission, the time
	// since the transmission it repeats (ns); for an RST that answers
	// data, since that data arrived.
	Since int64
	// AfterRST: an RST came back between this SYN and the one before.
	AfterRST bool
	// Spurious: a retransmission of bytes the other side had already
	// acknowledged.
	Spurious bool
	// Early: data sent by a side still SYN-RECEIVED, its SYN-ACK not yet
	// acknowledged, without Fast Open (RFC 9293 §3.10.2 queues it).
	Early bool
	// AfterReset: the packet came after an RST of either side: its sender
	// or receiver had already deleted the connection.
	AfterReset bool
	// BelowWindow, on an RST: its sequence number is below the next one
	// its receiver expects (the sender's FIN's own number, say), so a
	// receiver that got everything before discards it (RFC 9293
	// §3.10.7.4, RFC 5961 §3) and keeps its connection.
	BelowWindow bool
	// States are each side's state after the packet, as far as the
	// capture tells (Unknown before the capture shows anything of it).
	States [2]State
}
