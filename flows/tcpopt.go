package flows

import "encoding/binary"

// Options holds the TCP options of one segment, parsed in full for SYN and
// SYN-ACK segments (RFC 9293 §3.1, RFC 7323 for window scale and timestamps,
// RFC 2018 for SACK, RFC 7413 for Fast Open, RFC 8684 for MPTCP). It is a
// plain value: no slice points into the packet buffer. A connection keeps
// its handshake's in the smaller SynOptions.
type Options struct {
	OptionValues
	TFOCookie [16]byte
	Unknown   [8]uint8  // kinds synfin does not interpret, in wire order
	Layout    [40]uint8 // every option kind in wire order (at most 40 option bytes)
}

// OptionValues are what Options says besides its lists of bytes.
type OptionValues struct {
	MSS       uint16
	HasMSS    bool
	WScale    uint8 // shift as sent, before clamping at 14
	HasWScale bool
	SACKPerm  bool
	HasTS     bool
	TSVal     uint32
	TSEcr     uint32
	// HasTFO is set for a Fast Open option (kind 34, or experimental kind
	// 254 with magic 0xF989); TFOLen 0 means a cookie request.
	HasTFO   bool
	TFOLen   uint8
	HasMPTCP bool
	MPTCPSub uint8 // MPTCP option subtype (upper four bits of its first data byte)
	EOL      bool
	NOPs     uint8
	NUnknown uint8
	NLayout  uint8
	// Malformed is the first problem found (OptOK when none). Options
	// after it are not parsed.
	Malformed OptionProblem
}

// SynOptions is how a connection keeps the options of its SYN or SYN-ACK:
// 48 bytes where Options takes 92. The layout of most SYNs fits inline
// (Linux sends 5 kinds, macOS 9 with its EOL padding); a longer one, unknown kinds
// or a Fast Open cookie, which few SYNs carry, are kept whole beside it.
type SynOptions struct {
	OptionValues
	layout [synLayoutInline]uint8
	whole  *Options // the lists, when they do not fit inline; nil for most
}

// synLayoutInline is how many option kinds SynOptions holds inline.
const synLayoutInline = 12

// set keeps o; a copy of its lists is made only when they do not fit.
func (s *SynOptions) set(o *Options) {
	s.OptionValues, s.whole = o.OptionValues, nil
	if int(o.NLayout) > len(s.layout) || o.NUnknown > 0 || o.TFOLen > 0 {
		whole := *o
		s.whole = &whole
		return
	}
	copy(s.layout[:], o.Layout[:o.NLayout])
}

// Options returns the options kept, in full.
func (s *SynOptions) Options() Options {
	o := Options{OptionValues: s.OptionValues}
	if s.whole != nil {
		o.TFOCookie, o.Unknown, o.Layout = s.whole.TFOCookie, s.whole.Unknown, s.whole.Layout
	} else {
		copy(o.Layout[:], s.layout[:s.NLayout])
	}
	return o
}

// OptionProblem is what made a segment's options malformed.
type OptionProblem uint8

// Option problems, in no particular order.
const (
	OptOK OptionProblem = iota
	OptLengthMissing
	OptLengthOutOfRange
	OptMSSLength
	OptWScaleLength
	OptSACKPermLength
	OptTSLength
)

// String says what is wrong, as records show it ("" for OptOK).
func (p OptionProblem) String() string {
	return [...]string{"", "option length missing", "option length out of range", "MSS option length is not 4",
		"window scale option length is not 3", "SACK-permitted option length is not 2", "timestamp option length is not 10"}[p]
}

// Option kinds.
const (
	optEOL      = 0
	optNOP      = 1
	optMSS      = 2
	optWScale   = 3
	optSACKPerm = 4
	optSACK     = 5
	optTS       = 8
	optMPTCP    = 30
	optTFO      = 34
	optExp      = 254
)

// parseOptions reads the option bytes of a SYN or SYN-ACK into o.
func parseOptions(b []byte, o *Options) {
	*o = Options{}
	for i := 0; i < len(b); {
		kind := b[i]
		if int(o.NLayout) < len(o.Layout) {
			o.Layout[o.NLayout] = kind
			o.NLayout++
		}
		switch kind {
		case optEOL:
			// The rest is padding. Wireshark lists each zero byte of it as
			// another EOL, and so does the layout (JA4T counts them too).
			o.EOL = true
			for _, p := range b[i+1:] {
				if p != 0 || int(o.NLayout) >= len(o.Layout) {
					break
				}
				o.Layout[o.NLayout] = optEOL
				o.NLayout++
			}
			return
		case optNOP:
			o.NOPs++
			i++
			continue
		}
		if i+1 >= len(b) {
			o.Malformed = OptLengthMissing
			return
		}
		l := int(b[i+1])
		if l < 2 || i+l > len(b) {
			o.Malformed = OptLengthOutOfRange
			return
		}
		data := b[i+2 : i+l]
		switch kind {
		case optMSS:
			if len(data) != 2 {
				o.Malformed = OptMSSLength
				return
			}
			o.MSS, o.HasMSS = binary.BigEndian.Uint16(data), true
		case optWScale:
			if len(data) != 1 {
				o.Malformed = OptWScaleLength
				return
			}
			o.WScale, o.HasWScale = data[0], true
		case optSACKPerm:
			if len(data) != 0 {
				o.Malformed = OptSACKPermLength
				return
			}
			o.SACKPerm = true
		case optTS:
			if len(data) != 8 {
				o.Malformed = OptTSLength
				return
			}
			o.HasTS = true
			o.TSVal = binary.BigEndian.Uint32(data[0:4])
			o.TSEcr = binary.BigEndian.Uint32(data[4:8])
		case optMPTCP:
			o.HasMPTCP = true
			if len(data) > 0 {
				o.MPTCPSub = data[0] >> 4
			}
		case optTFO:
			o.setTFO(data)
		case optExp:
			if len(data) >= 2 && binary.BigEndian.Uint16(data) == 0xf989 {
				o.setTFO(data[2:])
			} else {
				o.addUnknown(kind)
			}
		case optSACK:
			// SACK blocks on a SYN are odd but harmless.
		default:
			o.addUnknown(kind)
		}
		i += l
	}
}

func (o *Options) setTFO(cookie []byte) {
	o.HasTFO = true
	o.TFOLen = uint8(copy(o.TFOCookie[:], cookie))
}

func (o *Options) addUnknown(kind uint8) {
	if int(o.NUnknown) < len(o.Unknown) {
		o.Unknown[o.NUnknown] = kind
		o.NUnknown++
	}
}

// Kinds of option a segment after the handshake may carry that the
// analysis of options notes (OptKinds bits).
const (
	SeenMSS      uint8 = 1 << iota // only valid on SYN
	SeenWScale                     // only valid on SYN
	SeenSACKPerm                   // only valid on SYN
	SeenSACK                       // SACK blocks
)

// scanOptions walks the options of a segment without SYN: its timestamps,
// and which of the kinds above it carries. It stops at End of Option List
// or a bad length.
func scanOptions(b []byte) (val, ecr uint32, ok bool, kinds uint8) {
	for i := 0; i < len(b); {
		switch b[i] {
		case optEOL:
			return
		case optNOP:
			i++
			continue
		}
		if i+1 >= len(b) {
			return
		}
		l := int(b[i+1])
		if l < 2 || i+l > len(b) {
			return
		}
		switch b[i] {
		case optTS:
			if l == 10 && !ok {
				val, ecr, ok = binary.BigEndian.Uint32(b[i+2:]), binary.BigEndian.Uint32(b[i+6:]), true
			}
		case optMSS:
			kinds |= SeenMSS
		case optWScale:
			kinds |= SeenWScale
		case optSACKPerm:
			kinds |= SeenSACKPerm
		case 5:
			kinds |= SeenSACK
		}
		i += l
	}
	return
}

// sackBlocks copies the edges of the SACK option's blocks (RFC 2018) in
// raw TCP options into dst, at most len(dst), and says how many; none
// when there is no SACK option or it is malformed.
func sackBlocks(dst *[4][2]uint32, b []byte) uint8 {
	for i := 0; i < len(b); {
		switch b[i] {
		case optEOL:
			return 0
		case optNOP:
			i++
			continue
		}
		if i+1 >= len(b) {
			return 0
		}
		l := int(b[i+1])
		if l < 2 || i+l > len(b) {
			return 0
		}
		if b[i] == optSACK && (l-2)%8 == 0 {
			n := uint8(0)
			for j := i + 2; j+8 <= i+l && int(n) < len(dst); j += 8 {
				dst[n] = [2]uint32{binary.BigEndian.Uint32(b[j:]), binary.BigEndian.Uint32(b[j+4:])}
				n++
			}
			return n
		}
		i += l
	}
	return 0
}
