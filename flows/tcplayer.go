package flows

import (
	"encoding/binary"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// tcpLayer decodes the TCP header itself. gopacket's layers.TCP fails the
// whole packet on a malformed option and allocates for long option lists;
// synfin needs the header even when options are bad, so it reads the fixed
// header here and leaves options to tcpopt.go.
type tcpLayer struct {
	srcPort, dstPort uint16
	seq, ack         uint32
	ae               bool
	payload          []byte
	flags            Flags
	window           uint16
	hdrLen           int
	dataLen          int    // bytes from the start of the TCP header to the end of the capture or IP packet
	options          []byte // valid until the next packet
	ok               bool
	err              error
}

func (t *tcpLayer) CanDecode() gopacket.LayerClass    { return layers.LayerTypeTCP }
func (t *tcpLayer) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }
func (t *tcpLayer) LayerPayload() []byte              { return nil }

func (t *tcpLayer) DecodeFromBytes(b []byte, _ gopacket.DecodeFeedback) error {
	t.err = nil
	if len(b) < 20 {
		t.err = errShortTCP
		return t.err
	}
	off := int(b[12]>>4) * 4
	if off < 20 {
		t.err = errBadDataOffset
		return t.err
	}
	t.srcPort = binary.BigEndian.Uint16(b[0:2])
	t.dstPort = binary.BigEndian.Uint16(b[2:4])
	t.seq = binary.BigEndian.Uint32(b[4:8])
	t.ack = binary.BigEndian.Uint32(b[8:12])
	t.flags = Flags(b[13])
	t.ae = b[12]&1 != 0 // AE (formerly NS), RFC 9768 AccECN
	t.window = binary.BigEndian.Uint16(b[14:16])
	t.hdrLen, t.dataLen = off, len(b)
	if off > len(b) {
		off = len(b) // options cut by the snaplen: parse what is there
	}
	t.options = b[20:off]
	t.payload = b[off:]
	t.ok = true
	return nil
}
