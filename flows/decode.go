package flows

import (
	"errors"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/flows/capture"
)

// Segment is one decoded TCP segment. Every field but Payload is a value
// (the SACK edges and options are copied out of the packet), so a Segment
// may be kept after the capture reader reuses the packet buffer for the
// next packet; Payload then no longer holds this segment's bytes. A
// Segment kept, or handed to another goroutine (the pipeline's rounds),
// must be read without its Payload: only a table observing segments as
// they are decoded reads it (Table.CollectApp).
type Segment struct {
	TS         int64 // capture time, ns since the Unix epoch
	Index      int   // 1-based frame number in its file
	Src, Dst   netip.AddrPort
	Seq, Ack   Seq
	Flags      Flags
	Window     uint16 // raw, before window scaling
	PayloadLen int    // from the IP length fields, not the captured length
	HeaderLen  int    // TCP header length in bytes
	TTL        uint8  // IPv4 TTL or IPv6 hop limit
	DF         bool   // IPv4 don't-fragment bit (always false for IPv6)
	IPID       uint16 // IPv4 identification (0 for IPv6, which has none)
	// HasTS, TSVal and TSEcr come from the timestamp option (RFC 7323) of
	// any segment.
	HasTS        bool
	TSVal, TSEcr uint32
	// Opts is filled for segments with SYN set; for others it is stale.
	Opts Options
	// OptKinds says which options only valid on SYN, and whether SACK
	// blocks, a segment without SYN carries (SeenMSS, …).
	OptKinds uint8
	AE       bool // the AE flag (formerly NS), for AccECN
	// Payload is the captured payload: it points into the packet and is
	// valid only until the next packet is read, so only a table observing
	// segments as they are decoded may read it (Table.CollectApp).
	Payload []byte
	// SACK holds the edges (left, right, raw) of the first NSACK SACK
	// blocks (RFC 2018: at most four fit in the options) of a segment
	// without SYN; copied, since a Segment outlives its packet buffer.
	SACK  [4][2]uint32
	NSACK uint8
	// Reassembled: the segment came in an IP datagram put back together
	// from fragments (its frame is the last fragment's).
	Reassembled bool
	// Outer is the outer IP header when the segment came through a tunnel
	// (Outer.Kind NoTunnel otherwise).
	Outer Outer
	// ICMP, when it holds an error (ICMP.IsError), makes this no segment
	// but an ICMP error about the one it quotes: Src, Dst and Seq are the
	// quoted segment's; nothing else is set.
	ICMP ICMPError
}

// Decode errors for packets that are not analysed. They are counted, never
// fatal. errNoTCP is an ordinary packet that carries no TCP (ARP, UDP, a
// later IP fragment); every other error is a damaged packet.
var (
	errNoTCP         = errors.New("no TCP segment")
	errBadDataOffset = &HeaderError{Damage: DamageDataOffset, Layer: "TCP"}
)

// The headers found cut short, one error each, made once so that a
// damaged packet costs no allocation.
var (
	errShortTCP      = cutShort("TCP")
	errShortNFLOG    = cutShort("NFLOG")
	errShortPPP      = cutShort("PPP")
	errShortPPPoE    = cutShort("PPPoE")
	errShortMPLS     = cutShort("MPLS")
	errShortEthernet = cutShort("Ethernet")
	errShortFDDI     = cutShort("FDDI")
	errShortUDP      = cutShort("UDP")
	errShortAYIYA    = cutShort("AYIYA")
	errShortCAPWAP   = cutShort("CAPWAP")
)

func cutShort(layer string) *HeaderError { return &HeaderError{Damage: DamageCutShort, Layer: layer} }

// IsDamage reports whether a Decode error means the packet is damaged, as
// opposed to simply not being TCP or having an unsupported link type.
func IsDamage(err error) bool {
	return err != nil && err != errNoTCP && !errors.Is(err, ErrUnsupportedLink)
}

// Layer types for link layers gopacket has no layer type for. PPP, PPPoE
// and MPLS reuse gopacket's layer types so that its Ethernet and GRE
// layers hand over to the small decoders below.
var (
	layerTypeRawIP = gopacket.RegisterLayerType(1701, gopacket.LayerTypeMetadata{Name: "synfin raw IP"})
	layerTypeNFLOG = gopacket.RegisterLayerType(1702, gopacket.LayerTypeMetadata{Name: "synfin NFLOG"})
)

// Decoder decodes packets into Segments. It keeps one preallocated
// gopacket.DecodingLayerParser per link type; all parsers share the same
// layer structs, so decoding allocates nothing. A Decoder is not safe for
// concurrent use.
type Decoder struct {
	parsers map[layers.LinkType]*gopacket.DecodingLayerParser
	lastLT  layers.LinkType
	last    *gopacket.DecodingLayerParser
	decoded []gopacket.LayerType

	eth      layers.Ethernet
	dot1q    layers.Dot1Q
	sll      layers.LinuxSLL
	sll2     layers.LinuxSLL2
	loop     layers.Loopback
	ip4      ipv4Layer
	ip6      ipv6Layer
	ip6ext   layers.IPv6ExtensionSkipper
	ip6frag  layers.IPv6Fragment
	gre      greLayer
	udp      udpLayer
	ether    etherLayer
	fddi     fddiLayer
	teredo   teredoLayer
	ayiya    ayiyaLayer
	capwap   capwapLayer
	vxlan    layers.VXLAN
	geneve   layers.Geneve
	gtp      layers.GTPv1U
	radiotap layers.RadioTap
	dot11    dot11Layer
	dot11c   dot11Layer // behind CAPWAP
	llc      layers.LLC
	snap     layers.SNAP
	raw      rawIPLayer
	nflog    nflogLayer
	ppp      pppLayer
	pppoe    pppoeLayer
	mpls     mplsLayer
	tcp      tcpLayer

	// frag puts IP fragments back together (defrag.go); depth is how deep
	// a reassembled datagram is being decoded (one level: a fragment
	// inside a reassembled datagram is not reassembled again).
	frag  defrag
	depth int
	// outer is the outer IP header of a tunnelled packet, noted when its
	// inner IP header starts (outer.go); outerAt its place in decoded, -1
	// before one is found.
	outer   Outer
	outerAt int

	slowOnly bool // no fast path (tests, benchmarks)
}

// NewDecoder returns a Decoder.
func NewDecoder() *Decoder {
	d := &Decoder{parsers: make(map[layers.LinkType]*gopacket.DecodingLayerParser), decoded: make([]gopacket.LayerType, 0, 16)}
	d.dot11c.capwap = true
	d.ip4.d, d.ip6.d = d, d
	return d
}

// firstLayer maps a link type to the layer its frames start with.
func firstLayer(lt layers.LinkType) (gopacket.LayerType, bool) {
	switch lt {
	case layers.LinkTypeEthernet:
		return layerTypeEther, true
	case layers.LinkTypeFDDI:
		return layerTypeFDDI, true
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		return layers.LayerTypeLoopback, true
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6, 12, 14:
		// 12 and 14 are what some systems write for raw IP (DLT_RAW).
		return layerTypeRawIP, true
	case layers.LinkTypeLinuxSLL:
		return layers.LayerTypeLinuxSLL, true
	case layers.LinkTypeLinuxSLL2:
		return layers.LayerTypeLinuxSLL2, true
	case 239: // LINKTYPE_NFLOG
		return layerTypeNFLOG, true
	case layers.LinkTypePPP, layers.LinkTypePPP_HDLC:
		return layers.LayerTypePPP, true
	case layers.LinkTypePPPEthernet:
		return layers.LayerTypePPPoE, true
	case layers.LinkTypeIEEE80211Radio:
		return layers.LayerTypeRadioTap, true
	case layers.LinkTypeIEEE802_11:
		return layers.LayerTypeDot11, true
	}
	return 0, false
}

func (d *Decoder) parser(lt layers.LinkType) *gopacket.DecodingLayerParser {
	if lt == d.lastLT && d.last != nil {
		return d.last
	}
	p, ok := d.parsers[lt]
	if !ok {
		first, known := firstLayer(lt)
		if known {
			p = gopacket.NewDecodingLayerParser(first)
			p.IgnoreUnsupported = true
			// A sparse array indexed by layer type instead of the default
			// map: one fewer hash lookup per layer per packet (bulk
			// transfer, one core: 0.85 s to 0.55 s for 2.2 M packets).
			p.SetDecodingLayerContainer(gopacket.DecodingLayerSparse(nil))
			for _, l := range []gopacket.DecodingLayer{&d.eth, &d.ether, &d.fddi, &d.dot1q, &d.sll, &d.sll2, &d.loop, &d.ip4, &d.ip6,
				&d.ip6ext, &d.ip6frag, &d.gre, &d.udp, &d.vxlan, &d.geneve, &d.gtp, &d.teredo, &d.ayiya, &d.capwap,
				&d.radiotap, &d.dot11, &d.dot11c, &d.llc, &d.snap, &d.raw, &d.nflog, &d.ppp, &d.pppoe, &d.mpls, &d.tcp} {
				p.AddDecodingLayer(l)
			}
		}
		d.parsers[lt] = p // nil for unknown link types, remembered too
	}
	d.lastLT, d.last = lt, p
	return p
}

// Decode decodes one packet into seg. It returns ErrUnsupportedLink for a
// link type without decoder, and another error when the packet holds no
// analysable TCP segment (not TCP, a later IP fragment, a cut header). An
// ICMP error quoting a TCP segment decodes too, with seg.ICMP set.
func (d *Decoder) Decode(pkt *capture.Packet, seg *Segment) error {
	if !d.slowOnly && d.fast(pkt, seg) {
		return nil
	}
	return d.slow(pkt, seg)
}

// slow decodes through gopacket's DecodingLayerParser: every link type,
// tunnel and damage synfin knows.
func (d *Decoder) slow(pkt *capture.Packet, seg *Segment) error {
	p := d.parser(pkt.Link)
	if p == nil {
		return ErrUnsupportedLink
	}
	d.tcp.ok, d.tcp.err = false, nil
	d.raw.linkType = pkt.Link
	d.outerAt, d.gre.firstProto = -1, 0
	d.decoded = d.decoded[:0]
	err := p.DecodeLayers(pkt.Data, &d.decoded)
	if !d.tcp.ok {
		if d.tcp.err != nil {
			return d.tcp.err
		}
		if whole, ok := d.reassemble(pkt.TS); ok {
			return d.decodeWhole(pkt, whole, seg)
		}
		if d.icmpError(pkt, seg) {
			return nil // an ICMP error about a TCP segment: seg.ICMP says so
		}
		if err != nil {
			return err
		}
		return errNoTCP
	}
	// The IP layer that carried this TCP header is the last one decoded
	// before it: with tunnels the outer headers come first.
	var ipType gopacket.LayerType
	for _, t := range d.decoded {
		if t == layers.LayerTypeIPv4 || t == layers.LayerTypeIPv6 {
			ipType = t
		}
	}
	var ip ipFacts
	switch ipType {
	case layers.LayerTypeIPv4:
		h := &d.ip4
		ip = ipFacts{src: addrOf(h.SrcIP.To4()), dst: addrOf(h.DstIP.To4()), ttl: h.TTL, df: h.Flags&layers.IPv4DontFragment != 0, id: h.Id,
			declared: int(h.Length) - int(h.IHL)*4, payload: len(h.Payload)}
	case layers.LayerTypeIPv6:
		h := &d.ip6
		ip = ipFacts{src: addrOf(h.SrcIP), dst: addrOf(h.DstIP), ttl: h.HopLimit, declared: int(h.Length), payload: len(h.Payload)}
		if h.Length == 0 { // jumbogram or TSO: trust the captured bytes
			ip.declared = ip.payload
		}
	default:
		return errNoTCP
	}
	d.segment(pkt, &ip, seg)
	if d.outerAt >= 0 {
		seg.Outer = d.tunnel()
	}
	return nil
}

func addrOf(b []byte) netip.Addr {
	a, _ := netip.AddrFromSlice(b)
	return a
}

// ipFacts are what a segment takes from the IP header that carried it.
// declared is the length of the IP payload as the header states it,
// payload how many bytes of it the capture holds (both counting any IPv6
// extension headers before TCP).
type ipFacts struct {
	src, dst          netip.Addr
	ttl               uint8
	df                bool
	id                uint16
	declared, payload int
}

// segment fills seg from the decoded TCP header (d.tcp) and the IP
// header's facts; both decoders end here, so they agree on every field.
func (d *Decoder) segment(pkt *capture.Packet, ip *ipFacts, seg *Segment) {
	t := &d.tcp
	*seg = Segment{TS: pkt.TS, Index: pkt.Index, Seq: Seq(t.seq), Ack: Seq(t.ack), Flags: t.flags,
		Window: t.window, HeaderLen: t.hdrLen,
		Src: netip.AddrPortFrom(ip.src, t.srcPort), Dst: netip.AddrPortFrom(ip.dst, t.dstPort),
		TTL: ip.ttl, DF: ip.df, IPID: ip.id}
	declared, ipPayload := ip.declared, ip.payload
	// An IP length beyond what the wire carried (the frame's original
	// length, not what the snaplen kept) is believed only as far as the
	// wire goes, as Wireshark does: the header is wrong, not the frame.
	if onWire := ipPayload + max(0, pkt.WireLen-len(pkt.Data)); pkt.WireLen > 0 && declared > onWire {
		declared = onWire
	}
	offset := ipPayload - t.dataLen // bytes of extension headers before TCP
	seg.PayloadLen = declared - offset - t.hdrLen
	if seg.PayloadLen < 0 {
		seg.PayloadLen = 0
	}
	opts := t.options
	if t.flags&FlagSYN != 0 {
		parseOptions(opts, &seg.Opts)
		seg.HasTS, seg.TSVal, seg.TSEcr = seg.Opts.HasTS, seg.Opts.TSVal, seg.Opts.TSEcr
		seg.OptKinds, seg.NSACK = 0, 0
	} else if len(opts) > 0 {
		seg.TSVal, seg.TSEcr, seg.HasTS, seg.OptKinds = scanOptions(opts)
		seg.NSACK = 0
		if seg.OptKinds&SeenSACK != 0 {
			seg.NSACK = sackBlocks(&seg.SACK, opts) // only then: the common path stays as it was
		}
	} else {
		seg.HasTS, seg.OptKinds, seg.NSACK = false, 0, 0
	}
	seg.AE = t.ae
	seg.Payload = t.payload
	if len(seg.Payload) > seg.PayloadLen {
		seg.Payload = seg.Payload[:seg.PayloadLen] // Ethernet padding
	}
}
