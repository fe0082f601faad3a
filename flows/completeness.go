package flows

// Wireshark's tcp.completeness, kept as the packets pass.

// Wireshark tcp.completeness bits.
const (
	CompSYN    = 1
	CompSYNACK = 2
	CompACK    = 4
	CompDATA   = 8
	CompFIN    = 16
	CompRST    = 32
)

// updateCompleteness applies Wireshark's tcp.completeness rules
// (packet-tcp.c): a SYN counts only as the conversation's first packet, and
// the SYN-ACK, ACK, DATA, FIN and RST bits come from the packets after it.
// tshark -2 (two passes, as the oracles and most users run it) visits the
// first packet again once the value is no longer zero, and then counts its
// other bits too; firstBits keeps them for WiresharkCompleteness.
func (c *Conn) updateCompleteness(seg *Segment, first bool) {
	f := seg.Flags
	var bits uint8
	if f&(FlagSYN|FlagACK) == FlagSYN|FlagACK {
		bits |= CompSYNACK
	}
	if f&(FlagSYN|FlagACK) == FlagACK {
		if seg.PayloadLen > 0 {
			bits |= CompDATA
		} else {
			bits |= CompACK
		}
	}
	if f&(FlagFIN|FlagACK) == FlagFIN|FlagACK {
		bits |= CompFIN
	}
	if f&FlagRST != 0 {
		bits |= CompRST
	}
	if !first {
		c.Completeness |= bits
		return
	}
	c.firstBits = bits
	if f&(FlagSYN|FlagACK) == FlagSYN {
		c.Completeness |= CompSYN
		if seg.PayloadLen > 0 {
			c.Completeness |= CompDATA
		}
	}
}

// WiresharkCompleteness is tcp.completeness as tshark -2 reports it.
func (c *Conn) WiresharkCompleteness() uint8 {
	if c.Completeness == 0 {
		return 0
	}
	return c.Completeness | c.firstBits
}
