package analyze

import (
	"encoding/hex"
	"strconv"
	"strings"

	"synfin/flows"
)

// options renders the options and header fields of a SYN or SYN-ACK.
func options(o *flows.Options, seg *flows.SegInfo) *Options {
	r := &Options{
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
		r.MSS = ptr(int(o.MSS))
	}
	if o.HasWScale {
		r.WScale = ptr(int(o.WScale))
	}
	if o.HasTS {
		r.TSVal, r.TSEcr = ptr(o.TSVal), ptr(o.TSEcr)
	}
	if o.HasTFO {
		if o.TFOLen == 0 {
			r.TFO = ptr("request")
		} else {
			r.TFO = ptr(hex.EncodeToString(o.TFOCookie[:o.TFOLen]))
		}
	}
	if o.HasMPTCP {
		r.MPTCP = ptr(int(o.MPTCPSub))
	}
	for _, k := range o.Unknown[:o.NUnknown] {
		r.Unknown = append(r.Unknown, int(k))
	}
	if o.Malformed != "" {
		r.Malformed = ptr(o.Malformed)
	}
	return r
}

// layout lists the option kinds in wire order, as Wireshark's
// tcp.option_kind does ("2,4,8,1,3").
func layout(o *flows.Options, sep string) string {
	var b strings.Builder
	for i, k := range o.Layout[:o.NLayout] {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(strconv.Itoa(int(k)))
	}
	return b.String()
}

// signature is the neutral window_layout_mss_wscale fingerprint of SPEC §3
// (the shape of FoxIO's JA4T), with "00" for a missing field.
func signature(o *flows.Options, seg *flows.SegInfo) string {
	l := layout(o, "-")
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

// negotiate applies SPEC §3's rules to a SYN and SYN-ACK both seen.
func negotiate(hs *flows.Handshake) *Negotiated {
	s, a := &hs.SYNOpts, &hs.SYNACKOpts
	n := &Negotiated{
		Sack:       s.SACKPerm && a.SACKPerm,
		Timestamps: s.HasTS && a.HasTS,
		ECN: hs.SYNSeg.Flags&(flows.FlagECE|flows.FlagCWR) == flows.FlagECE|flows.FlagCWR &&
			hs.SYNACKSeg.Flags&(flows.FlagECE|flows.FlagCWR) == flows.FlagECE,
		// TFO worked when the SYN carried a cookie and data and the
		// SYN-ACK acknowledged that data (RFC 7413 §3).
		TFO: s.HasTFO && s.TFOLen > 0 && hs.SYNPayload > 0 && hs.SYNACKAck == hs.ISN+1+flows.Seq(hs.SYNPayload),
	}
	cm, sm := defaultMSS, defaultMSS
	if s.HasMSS {
		cm = int(s.MSS)
	}
	if a.HasMSS {
		sm = int(a.MSS)
	}
	n.MSS = ptr(min(cm, sm))
	if s.HasWScale && a.HasWScale {
		n.WScaleClient = ptr(min(int(s.WScale), 14))
		n.WScaleServer = ptr(min(int(a.WScale), 14))
		n.WScaleClamped = s.WScale > 14 || a.WScale > 14
	}
	return n
}
