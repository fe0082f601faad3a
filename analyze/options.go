package analyze

import (
	"encoding/hex"
	"strconv"
	"strings"
	"sync"

	"github.com/synfin/synfin/flows"
)

// options renders the options and header fields of a SYN or SYN-ACK.
func options(o *flows.Options, seg *flows.SegInfo, a *arena) *Options {
	r := a.options()
	*r = Options{
		SackPerm: o.SACKPerm,
		EOL:      o.EOL,
		NOP:      int(o.NOPs),
		Unknown:  []int{},
		Layout:   layout(o, ","),
		Window:   int(seg.Window),
		TTL:      int(seg.TTL),
		DF:       seg.DF,
		ECE:      seg.Flags&flows.FlagECE != 0,
		CWR:      seg.Flags&flows.FlagCWR != 0,
	}
	if o.HasMSS {
		r.MSS = a.int(int(o.MSS))
	}
	if o.HasWScale {
		r.WScale = a.int(int(o.WScale))
	}
	if o.HasTS {
		r.TSVal, r.TSEcr = a.uint32(o.TSVal), a.uint32(o.TSEcr)
	}
	if o.HasTFO {
		if o.TFOLen == 0 {
			r.TFO = a.str("request")
		} else {
			r.TFO = a.str(hex.EncodeToString(o.TFOCookie[:o.TFOLen]))
		}
	}
	if o.HasMPTCP {
		r.MPTCP = a.int(int(o.MPTCPSub))
	}
	for _, k := range o.Unknown[:o.NUnknown] {
		r.Unknown = append(r.Unknown, int(k))
	}
	if o.Malformed != flows.OptOK {
		r.Malformed = a.str(o.Malformed.String())
	}
	return r
}

// layout lists the option kinds in wire order, as Wireshark's
// tcp.option_kind does ("2,4,8,1,3").
func layout(o *flows.Options, sep string) string {
	k := layoutKey{sep: sep[0], n: o.NLayout, kinds: o.Layout}
	strCache.Lock()
	defer strCache.Unlock()
	if v, ok := strCache.layouts[k]; ok {
		return v
	}
	v := buildLayout(o, sep)
	if len(strCache.layouts) < maxCached {
		strCache.layouts[k] = v
	}
	return v
}

// strCache keeps the layout and signature strings already built: captures
// repeat a handful of option layouts over and over, and building them was
// a visible share of the per-connection cost. It is bounded, and shared by
// the goroutines of --jobs.
var strCache = struct {
	sync.Mutex
	layouts    map[layoutKey]string
	signatures map[signatureKey]string
}{layouts: map[layoutKey]string{}, signatures: map[signatureKey]string{}}

const maxCached = 4096

type layoutKey struct {
	sep   byte
	n     uint8
	kinds [40]uint8
}

type signatureKey struct {
	window, mss       uint16
	wscale            uint8
	hasMSS, hasWScale bool
	layout            layoutKey
}

func buildLayout(o *flows.Options, sep string) string {
	var b strings.Builder
	for i, k := range o.Layout[:o.NLayout] {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(strconv.Itoa(int(k)))
	}
	return b.String()
}

// signature is the neutral window_layout_mss_wscale fingerprint of docs/spec.md §3
// (the shape of FoxIO's JA4T), with "00" for a missing field.
func signature(o *flows.Options, seg *flows.SegInfo) string {
	k := signatureKey{seg.Window, o.MSS, o.WScale, o.HasMSS, o.HasWScale, layoutKey{'-', o.NLayout, o.Layout}}
	strCache.Lock()
	v, ok := strCache.signatures[k]
	strCache.Unlock()
	if ok {
		return v
	}
	v = buildSignature(o, seg)
	strCache.Lock()
	if len(strCache.signatures) < maxCached {
		strCache.signatures[k] = v
	}
	strCache.Unlock()
	return v
}

// JA4T returns FoxIO's JA4T fingerprint of a SYN (JA4TS of a SYN-ACK):
// window_kinds_mss_wscale, the option kinds in wire order up to, not
// including, the first End of Option List, NOPs included, joined by "-",
// and "00" for each part absent. JA4T is FoxIO's, under the FoxIO License
// 1.1: synfin computes it only when asked (--ja4t).
func JA4T(o *flows.Options, seg *flows.SegInfo) string {
	var kinds []string
	for _, k := range o.Layout[:o.NLayout] {
		if k == 0 {
			break
		}
		kinds = append(kinds, strconv.Itoa(int(k)))
	}
	return windowKindsMSSScale(o, seg, strings.Join(kinds, "-"))
}

func buildSignature(o *flows.Options, seg *flows.SegInfo) string {
	return windowKindsMSSScale(o, seg, buildLayout(o, "-"))
}

// windowKindsMSSScale writes window_kinds_mss_wscale, "00" for a part
// absent: the shape synfin's signatures and FoxIO's JA4T share.
func windowKindsMSSScale(o *flows.Options, seg *flows.SegInfo, l string) string {
	if l == "" {
		l = "00"
	}
	mss, ws := "00", "00"
	if o.HasMSS {
		mss = strconv.Itoa(int(o.MSS))
	}
	if o.HasWScale {
		ws = strconv.Itoa(int(o.WScale))
	}
	return strconv.Itoa(int(seg.Window)) + "_" + l + "_" + mss + "_" + ws
}

// defaultMSS is what a side that sent no MSS option is assumed to accept
// (RFC 9293 §3.7.1).
const defaultMSS = 536

// negotiate applies docs/spec.md §3's rules to a SYN and SYN-ACK both seen.
func negotiate(hs *flows.Handshake, a *arena) *Negotiated {
	syn, ack := &hs.SYNOpts, &hs.SYNACKOpts
	n := &a.negotiated
	*n = Negotiated{
		Sack:       syn.SACKPerm && ack.SACKPerm,
		Timestamps: syn.HasTS && ack.HasTS,
		ECN: hs.SYNSeg.Flags&(flows.FlagECE|flows.FlagCWR) == flows.FlagECE|flows.FlagCWR &&
			hs.SYNACKSeg.Flags&(flows.FlagECE|flows.FlagCWR) == flows.FlagECE,
		// TFO worked when the SYN carried a cookie and data and the
		// SYN-ACK acknowledged that data (RFC 7413 §3).
		TFO: syn.HasTFO && syn.TFOLen > 0 && hs.SYNPayload > 0 && hs.SYNACKAck == hs.ISN+1+flows.Seq(hs.SYNPayload),
	}
	cm, sm := defaultMSS, defaultMSS
	if syn.HasMSS {
		cm = int(syn.MSS)
	}
	if ack.HasMSS {
		sm = int(ack.MSS)
	}
	n.MSS = a.int(min(cm, sm))
	if syn.HasWScale && ack.HasWScale {
		n.WScaleClient = a.int(min(int(syn.WScale), 14))
		n.WScaleServer = a.int(min(int(ack.WScale), 14))
		n.WScaleClamped = syn.WScale > 14 || ack.WScale > 14
	}
	return n
}
