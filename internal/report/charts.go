package report

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"strconv"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/table"
)

// barsSVG draws horizontal bars of counts (rows are value, count, …).
func barsSVG(title string, rows [][]string) string {
	var b bytes.Buffer
	e := html.EscapeString
	const bar, width, left = 22, 640, 90
	most := 1
	for _, r := range rows {
		n, _ := strconv.Atoi(r[1])
		most = max(most, n)
	}
	h := len(rows)*bar + 10
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="system-ui, sans-serif" font-size="12"><title>%s</title>`, width, h, width, h, e(title))
	for i, r := range rows {
		n, _ := strconv.Atoi(r[1])
		y := i*bar + 5
		wbar := (width - left - 60) * n / most
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text><rect x="%d" y="%d" width="%d" height="%d" fill="%s"/><text x="%d" y="%d">%d</text>`,
			left-6, y+15, e(r[0]), left, y+3, max(wbar, 1), bar-6, stateColour(r[0]), left+wbar+6, y+15, n)
	}
	b.WriteString("</svg>")
	return b.String()
}

// stateColour colours a state by how it ended: normal green, refused or
// reset red, unanswered grey, the rest amber.
func stateColour(state string) string {
	switch state {
	case "SF":
		return "#2e8b57"
	case "REJ", "RSTO", "RSTR", "RSTOS0", "RSTRH":
		return "#c0392b"
	case "S0":
		return "#888888"
	}
	return "#d98c00"
}

// rttBins are a histogram's bins: count[i] values in [lo+i·step,
// lo+(i+1)·step), the last bin holding the largest value too.
type rttBins struct {
	lo, step float64
	count    []int
}

// binRTT bins sorted values on round edges (a step of 1, 2 or 5 times a
// power of ten), about the square root of the sample count of them and at
// most about 20, so that a handful of connections does not look like a solid
// block and every edge can be labelled with a short number.
func binRTT(sorted []float64) rttBins {
	lo, hi := sorted[0], sorted[len(sorted)-1]
	want := min(20, max(1, int(math.Ceil(math.Sqrt(float64(len(sorted)))))))
	raw := (hi - lo) / float64(want)
	if raw <= 0 {
		raw = max(math.Abs(lo)/100, 0.001)
	}
	step := niceStep(raw)
	start := math.Floor(lo/step) * step
	n := int(math.Floor((hi-start)/step)) + 1
	bins := rttBins{lo: start, step: step, count: make([]int, n)}
	for _, v := range sorted {
		bins.count[min(n-1, max(0, int(math.Floor((v-start)/step))))]++
	}
	return bins
}

// niceStep is the smallest of 1, 2 and 5 times a power of ten that is at
// least raw (raw > 0).
func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if m*p >= raw*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// edge is the label of bin edge i, with as many decimals as the step needs.
func (b rttBins) edge(i int) string {
	decimals := min(3, max(0, int(-math.Floor(math.Log10(b.step)+1e-9))))
	return strconv.FormatFloat(b.lo+float64(i)*b.step, 'f', decimals, 64)
}

// histogramSVG draws sorted values as a histogram: each bar with its count
// above it, the bin edges under the axis.
func histogramSVG(lang msg.Lang, sorted []float64) string {
	var b bytes.Buffer
	e := html.EscapeString
	const width, height, left, bottom, top = 640, 190, 50, 40, 24
	bins := binRTT(sorted)
	most := 1
	for _, c := range bins.count {
		most = max(most, c)
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="system-ui, sans-serif" font-size="11"><title>%s</title>`, width, height, width, height, e(lang.T("report.svgtitle.rtt")))
	plotW, plotH := width-left-20, height-bottom-top
	bw := float64(plotW) / float64(len(bins.count))
	base := top + plotH
	for i, c := range bins.count {
		bh := plotH * c / most
		x := float64(left) + float64(i)*bw
		fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#1f5fbf"><title>%s–%s ms: %d</title></rect>`, x+1, base-bh, bw-2, bh, bins.edge(i), bins.edge(i+1), c)
		if c > 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" font-size="10">%d</text>`, x+bw/2, base-bh-3, c)
		}
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`, left, base, left+plotW, base)
	// Every edge gets a tick; labels skip edges where they would touch.
	labelW := 6.5 * float64(len(bins.edge(len(bins.count)))+1)
	every := max(1, int(math.Ceil(labelW/bw)))
	for i := 0; i <= len(bins.count); i++ {
		x := float64(left) + float64(i)*bw
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#333"/>`, x, base, x, base+4)
		if i%every == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`, x, base+16, bins.edge(i))
		}
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, left+plotW/2, height-8, e(lang.T("report.axis.ms")))
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" transform="rotate(-90 %d %d)">%s</text>`, 14, top, 14, top, e(lang.T("report.axis.conns")))
	b.WriteString("</svg>")
	return b.String()
}

// timelineSVG draws each connection as a bar from its first to its last
// packet, coloured by state (at most reportTableRows connections).
func timelineSVG(lang msg.Lang, recs []analyze.Record) string {
	var b bytes.Buffer
	e := html.EscapeString
	if len(recs) > reportTableRows {
		recs = recs[:reportTableRows]
	}
	const width, left, row = 640, 60, 14
	height := len(recs)*row + 40
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="system-ui, sans-serif" font-size="10"><title>%s</title>`, width, height, width, height, e(lang.T("report.svgtitle.timeline")))
	if len(recs) == 0 {
		b.WriteString("</svg>")
		return b.String()
	}
	t0, t1 := recs[0].FirstTS, recs[0].LastTS
	for _, r := range recs {
		t0, t1 = min(t0, r.FirstTS), max(t1, r.LastTS)
	}
	span := float64(t1 - t0)
	if span <= 0 {
		span = 1
	}
	plotW := float64(width - left - 20)
	for i, r := range recs {
		x := float64(left) + plotW*float64(r.FirstTS-t0)/span
		wbar := math.Max(2, plotW*float64(r.LastTS-r.FirstTS)/span)
		y := i*row + 4
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%d</text><rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s %s</title></rect>`,
			left-4, y+10, r.Conn, x, y+2, wbar, row-4, stateColour(string(r.State)), e(r.Client+" → "+r.Server), e(string(r.State)))
	}
	axisY := len(recs)*row + 8
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%.0f" y2="%d" stroke="#333"/>`, left, axisY, float64(left)+plotW, axisY)
	fmt.Fprintf(&b, `<text x="%d" y="%d">0</text><text x="%.0f" y="%d" text-anchor="end">%s</text>`, left, axisY+14, float64(left)+plotW, axisY+14, table.F3(span/1e9))
	fmt.Fprintf(&b, `<text x="%.0f" y="%d" text-anchor="middle">%s</text>`, float64(left)+plotW/2, axisY+28, e(lang.T("report.axis.s")))
	b.WriteString("</svg>")
	return b.String()
}
