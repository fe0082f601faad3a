package flows

import (
	"encoding/binary"
	"net/netip"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/flows/capture"
)

// An ICMP or ICMPv6 error quotes the IP header and at least the first 8
// bytes of the packet it answers: for TCP, the ports and the sequence
// number (RFC 792, RFC 4443 §2.4). synfin ties each to the connection of the
// segment it quotes, so that a SYN answered by a router's "unreachable"
// is told as such, and a path's MTU is known.

// ICMPError is an ICMP or ICMPv6 error about a TCP segment, as decoded
// into a Segment (Segment.ICMP): the segment's Src, Dst and Seq are those
// of the quoted segment, as its sender sent it.
type ICMPError struct {
	From netip.Addr // who sent the error: a router, or the destination host
	MTU  uint32     // the next-hop MTU of "fragmentation needed" or "packet too big", else 0
	Type uint8      // ICMP (V6 false) or ICMPv6 type: 0 when the segment is not an ICMP error
	Code uint8
	V6   bool
}

// IsError says whether e holds an error (the Segment came from ICMP).
func (e *ICMPError) IsError() bool { return e.Type != 0 }

// ICMP and ICMPv6 error types synfin ties to connections.
const (
	icmpUnreachable  = 3  // destination unreachable (code 4: fragmentation needed, with the MTU)
	icmpTimeExceeded = 11 // time to live exceeded in transit
	icmp6Unreachable = 1  // destination unreachable
	icmp6TooBig      = 2  // packet too big, with the MTU
	icmp6TimeExceed  = 3  // hop limit exceeded
)

// icmpError reads the ICMP error the decoder stopped at (the IP layer's
// payload), filling seg with the quoted TCP segment and the error; it says
// whether the packet was an ICMP error quoting TCP.
func (d *Decoder) icmpError(pkt *capture.Packet, seg *Segment) bool {
	if len(d.decoded) == 0 {
		return false
	}
	var from netip.Addr
	var body []byte
	v6 := false
	switch d.decoded[len(d.decoded)-1] {
	case layers.LayerTypeIPv4:
		h := &d.ip4
		if h.Protocol != layers.IPProtocolICMPv4 || h.Flags&layers.IPv4MoreFragments != 0 || h.FragOffset != 0 {
			return false
		}
		from, body = addrOf(h.SrcIP.To4()), h.Payload
	case layers.LayerTypeIPv6:
		h := &d.ip6
		if h.NextHeader != layers.IPProtocolICMPv6 {
			return false
		}
		from, body, v6 = addrOf(h.SrcIP), h.Payload, true
	default:
		return false
	}
	if len(body) < 8 {
		return false
	}
	typ, code := body[0], body[1]
	var mtu uint32
	switch {
	case !v6 && typ == icmpUnreachable:
		if code == 4 {
			mtu = uint32(binary.BigEndian.Uint16(body[6:8]))
		}
	case !v6 && typ == icmpTimeExceeded:
	case v6 && (typ == icmp6Unreachable || typ == icmp6TimeExceed):
	case v6 && typ == icmp6TooBig:
		mtu = binary.BigEndian.Uint32(body[4:8])
	default:
		return false
	}
	q := body[8:]
	var src, dst netip.Addr
	switch {
	case !v6 && len(q) >= 20 && q[0]>>4 == 4:
		ihl := int(q[0]&0x0f) * 4
		if ihl < 20 || len(q) < ihl+8 || q[9] != 6 {
			return false
		}
		src, dst = netip.AddrFrom4([4]byte(q[12:16])), netip.AddrFrom4([4]byte(q[16:20]))
		q = q[ihl:]
	case v6 && len(q) >= 40+8 && q[0]>>4 == 6 && q[6] == 6:
		src, dst = netip.AddrFrom16([16]byte(q[8:24])), netip.AddrFrom16([16]byte(q[24:40]))
		q = q[40:]
	default:
		return false
	}
	*seg = Segment{TS: pkt.TS, Index: pkt.Index,
		Src:  netip.AddrPortFrom(src, binary.BigEndian.Uint16(q[0:2])),
		Dst:  netip.AddrPortFrom(dst, binary.BigEndian.Uint16(q[2:4])),
		Seq:  Seq(binary.BigEndian.Uint32(q[4:8])),
		ICMP: ICMPError{From: from, MTU: mtu, Type: typ, Code: code, V6: v6}}
	return true
}

// ICMPFacts are the ICMP errors about a connection's segments.
type ICMPFacts struct {
	First    ICMPError // the first error
	FirstTS  int64
	SinceSYN int64  // from the latest SYN to the first error, when AboutSYN
	N        int32  // errors
	MTU      uint32 // the smallest MTU an error gave (0: none gave one)
	Dir      Dir    // whose segment the first quoted
	// AboutSYN: the first error quoted the client's SYN (its ISN) before
	// any SYN-ACK came.
	AboutSYN bool
}

// observeICMP ties an ICMP error to the connection of the segment it
// quotes, sent by d.
func (c *Conn) observeICMP(seg *Segment, d Dir) {
	f := &c.ICMP
	if f.N == 0 {
		f.First, f.FirstTS, f.Dir = seg.ICMP, seg.TS, d
		f.AboutSYN = d == DirClient && c.HS.HasSYN && !c.HS.HasSYNACK && seg.Seq == c.HS.ISN
		if f.AboutSYN {
			f.SinceSYN = seg.TS - c.HS.LastSYNTS
		}
	}
	f.N++
	if m := seg.ICMP.MTU; m > 0 && (f.MTU == 0 || m < f.MTU) {
		f.MTU = m
	}
}
