// Package ladder follows chosen connections packet by packet, for sequence
// ("ladder") diagrams like Wireshark's Flow Graph and for walkthroughs:
// each packet becomes a Step with its direction, flags, sequence numbers
// (raw and relative to its side's ISN), options, what it did to the
// sequence space, and the phase of the connection it belongs to.
package ladder

import (
	"strconv"
	"strings"

	"github.com/synfin/synfin/flows"
)

// Phase is the part of a connection a packet belongs to.
type Phase uint8

const (
	Handshake Phase = iota // SYN, SYN-ACK and the ACK completing them
	Data                   // everything between
	Teardown               // from the first FIN on
	Reset                  // from the first RST on, when no FIN came before
)

// Step is one packet of a connection.
type Step struct {
	Frame    int       // frame number in its capture
	TS       int64     // capture time, ns since the Unix epoch
	Dir      flows.Dir // who sent it
	Flags    flows.Flags
	Seq      uint32 // raw
	Ack      uint32 // raw; meaningful with ACK set
	RelSeq   uint32 // relative to the sender's ISN (first sequence number seen)
	RelAck   uint32 // relative to the receiver's ISN
	RelAckOK bool   // the receiver's ISN was known, so RelAck means something
	Len      int    // payload bytes
	Window   uint16 // raw, before scaling
	Options  Offers // on SYN and SYN-ACK: the options offered, in wire order
	Class    flows.SegClass
	Phase    Phase
	// Analysis is Wireshark's tcp.analysis flags the packet earned.
	Analysis flows.Analysis
	// IPID is the IPv4 identification; IPv4 says there is one (IPv6 has
	// none). With TSVal (HasTS) they tell a capture's copy of a packet
	// from a second packet that looks the same.
	IPID  uint16
	IPv4  bool
	HasTS bool
	TSVal uint32
	SACK  bool // the packet carries SACK blocks
	// SACKBlocks are their edges, raw, left and right (RFC 2018).
	SACKBlocks [][2]uint32
}

// Ladder is the packets of one connection.
type Ladder struct {
	Conn           int
	Client, Server string
	FirstTS        int64
	Steps          []Step
	Dropped        int // packets past MaxSteps, counted but not kept
}

// MaxSteps bounds the packets kept per connection: a ladder of a bulk
// transfer is folded anyway, and memory must not follow its length.
const MaxSteps = 5000

// Recorder keeps the packets of the connections it is asked for; its Trace
// method is a flows.Table Trace hook.
type Recorder struct {
	want    map[int]bool // connection numbers; nil means every connection
	ladders map[int]*Ladder
	order   []int
	// per connection: ISN base of each side and phase progress
	state map[int]*follow
}

type follow struct {
	base    [2]uint32
	baseSet [2]bool
	phase   Phase
	hsAcked bool
	sawSYN  bool // a SYN of either side: there is a handshake to draw
}

// NewRecorder follows the connections numbered conns; none means all
// (for small captures only).
func NewRecorder(conns ...int) *Recorder {
	r := &Recorder{ladders: map[int]*Ladder{}, state: map[int]*follow{}}
	if len(conns) > 0 {
		r.want = map[int]bool{}
		for _, n := range conns {
			r.want[n] = true
		}
	}
	return r
}

// Trace records seg if its connection is followed.
func (r *Recorder) Trace(c *flows.Conn, seg *flows.Segment, d flows.Dir, class flows.SegClass) {
	if r.want != nil && !r.want[c.Index] {
		return
	}
	l := r.ladders[c.Index]
	if l == nil {
		l = &Ladder{Conn: c.Index, Client: c.Client().String(), Server: c.Server().String(), FirstTS: seg.TS}
		r.ladders[c.Index] = l
		r.order = append(r.order, c.Index)
		r.state[c.Index] = &follow{}
	}
	if len(l.Steps) >= MaxSteps {
		l.Dropped++
		return
	}
	f := r.state[c.Index]
	side := 0
	if d == flows.DirServer {
		side = 1
	}
	// A side's ISN is the sequence number of its SYN, or of the first
	// segment seen from it when the SYN was not captured.
	if !f.baseSet[side] {
		f.base[side], f.baseSet[side] = uint32(seg.Seq), true
	}
	st := Step{
		Frame: seg.Index, TS: seg.TS, Dir: d, Flags: seg.Flags,
		Seq: uint32(seg.Seq), Ack: uint32(seg.Ack), Len: seg.PayloadLen, Window: seg.Window, Class: class,
		RelSeq: uint32(seg.Seq) - f.base[side], Analysis: c.Last,
		IPID: seg.IPID, IPv4: seg.Src.Addr().Unmap().Is4(), HasTS: seg.HasTS, TSVal: seg.TSVal,
		SACK: seg.OptKinds&flows.SeenSACK != 0,
	}
	if f.baseSet[1-side] {
		st.RelAck, st.RelAckOK = uint32(seg.Ack)-f.base[1-side], true
	}
	if seg.NSACK > 0 {
		st.SACKBlocks = append([][2]uint32(nil), seg.SACK[:seg.NSACK]...)
	}
	if seg.Flags&flows.FlagSYN != 0 {
		st.Options = offersOf(&seg.Opts)
	}
	// Phases: the handshake runs until the client's first ACK without SYN
	// (a connection caught mid-stream has none: it starts in data); the
	// teardown begins with the first FIN; a reset with the first RST, even
	// after a FIN, for an RST ends the connection however it was closing.
	f.sawSYN = f.sawSYN || seg.Flags&flows.FlagSYN != 0
	switch {
	case seg.Flags&flows.FlagRST != 0:
		f.phase = Reset
	case seg.Flags&flows.FlagFIN != 0 && f.phase != Reset:
		f.phase = Teardown
	case f.phase == Handshake && seg.Flags&flows.FlagSYN == 0:
		if f.sawSYN && !f.hsAcked && seg.Flags&flows.FlagACK != 0 && d == flows.DirClient && seg.PayloadLen == 0 {
			f.hsAcked = true
			st.Phase = Handshake
			l.Steps = append(l.Steps, st)
			f.phase = Data
			return
		}
		f.phase = Data
	}
	st.Phase = f.phase
	l.Steps = append(l.Steps, st)
}

// Ladder returns the packets of connection n, or nil if none was seen.
func (r *Recorder) Ladder(n int) *Ladder { return r.ladders[n] }

// Forget drops connection n's packets once they are used: a view that
// tells each connection as it finishes keeps memory to the connections
// still open.
func (r *Recorder) Forget(n int) {
	delete(r.ladders, n)
	delete(r.state, n)
}

// OfferKind is an option of a SYN or SYN-ACK as a ladder names it.
type OfferKind uint8

const (
	OfferMSS        OfferKind = iota + 1 // Value: the MSS in bytes
	OfferWScale                          // Value: the shift
	OfferSackPerm                        // SACK permitted
	OfferTimestamps                      // RFC 7323 timestamps
	OfferMPTCP                           // Multipath TCP
	OfferTFORequest                      // TCP Fast Open, asking for a cookie
	OfferTFOCookie                       // TCP Fast Open, with a cookie
	OfferOther                           // Value: the option's kind number
)

// Offer is one option a SYN or SYN-ACK carried.
type Offer struct {
	Kind  OfferKind
	Value int
}

// Offers are a SYN's or SYN-ACK's options, in wire order.
type Offers []Offer

// offersOf lists the options of a SYN or SYN-ACK in wire order; padding
// (NOP, end of list) is left out.
func offersOf(o *flows.Options) Offers {
	var out Offers
	for _, k := range o.Layout[:o.NLayout] {
		switch k {
		case 2:
			if o.HasMSS {
				out = append(out, Offer{OfferMSS, int(o.MSS)})
			}
		case 3:
			if o.HasWScale {
				out = append(out, Offer{OfferWScale, int(o.WScale)})
			}
		case 4:
			out = append(out, Offer{Kind: OfferSackPerm})
		case 8:
			out = append(out, Offer{Kind: OfferTimestamps})
		case 30:
			out = append(out, Offer{Kind: OfferMPTCP})
		case 34, 254:
			if o.HasTFO {
				if o.TFOLen == 0 {
					out = append(out, Offer{Kind: OfferTFORequest})
				} else {
					out = append(out, Offer{Kind: OfferTFOCookie})
				}
			}
		case 0, 1:
		default:
			out = append(out, Offer{OfferOther, int(k)})
		}
	}
	return out
}

// String writes the options as a ladder's note shows them:
// "mss=1460 sack_perm ts ws=7".
func (offers Offers) String() string {
	var b strings.Builder
	for i, o := range offers {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch o.Kind {
		case OfferMSS:
			b.WriteString("mss=" + strconv.Itoa(o.Value))
		case OfferWScale:
			b.WriteString("ws=" + strconv.Itoa(o.Value))
		case OfferSackPerm:
			b.WriteString("sack_perm")
		case OfferTimestamps:
			b.WriteString("ts")
		case OfferMPTCP:
			b.WriteString("mptcp")
		case OfferTFORequest:
			b.WriteString("tfo=request")
		case OfferTFOCookie:
			b.WriteString("tfo=cookie")
		default:
			b.WriteString("opt" + strconv.Itoa(o.Value))
		}
	}
	return b.String()
}

// FlagNames writes flags as Wireshark's Info column does: "SYN, ACK".
func FlagNames(f flows.Flags) string {
	var parts []string
	for _, x := range []struct {
		bit  flows.Flags
		name string
	}{{flows.FlagFIN, "FIN"}, {flows.FlagSYN, "SYN"}, {flows.FlagRST, "RST"}, {flows.FlagPSH, "PSH"}, {flows.FlagACK, "ACK"}, {flows.FlagURG, "URG"}, {flows.FlagECE, "ECE"}, {flows.FlagCWR, "CWR"}} {
		if f&x.bit != 0 {
			parts = append(parts, x.name)
		}
	}
	if len(parts) == 0 {
		return "<none>"
	}
	return strings.Join(parts, ", ")
}
