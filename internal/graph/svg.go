package graph

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"

	"github.com/synfin/synfin/internal/msg"
)

// Size of a drawn graph and its margins, in pixels.
const (
	width, height            = 900, 480
	left, right, top, bottom = 92, 20, 40, 70
)

// colours of the series, by their message key.
var colours = map[string]string{
	"graph.data": "#1f5fbf", "graph.retx": "#c01010", "graph.ack": "#1a8f3a", "graph.rwin": "#d9a400",
	"graph.rtt": "#1f5fbf", "graph.srtt": "#c06000", "graph.win": "#1a8f3a", "graph.inflight": "#1f5fbf",
	"graph.throughput": "#1f5fbf", "graph.sack": "#8a2be2",
}

// niceStep is a round tick step (1, 2 or 5 times a power of ten) giving
// about n ticks over span.
func niceStep(span float64, n int) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// bounds are the data's extent, from 0.
//
// The receive-window line may tower over a short transfer (a 64 KiB
// window over 366 bytes of data) and flatten it to the axis: it counts
// only up to twice the rest, and what is above is clipped.
func (g *Graph) bounds() (maxX, maxY, clipped float64) {
	var win float64
	for _, s := range g.Series {
		for _, p := range s.Points {
			maxX = math.Max(maxX, p.X)
			if s.Name == "graph.rwin" {
				win = math.Max(win, p.Y)
				continue
			}
			maxY = math.Max(maxY, math.Max(p.Y, p.Y0))
		}
	}
	maxY = math.Max(maxY, math.Min(win, 2*maxY))
	if win > maxY*1.05 {
		clipped = win
	}
	if maxX == 0 {
		maxX = 1
	}
	if maxY == 0 {
		maxY = 1
	}
	return maxX * 1.02, maxY * 1.05, clipped
}

// label writes a tick's number without needless decimals.
func label(v, step float64) string {
	if step >= 1 {
		return group(strconv.FormatFloat(v, 'f', 0, 64))
	}
	return strconv.FormatFloat(v, 'f', int(math.Ceil(-math.Log10(step))), 64)
}

// SVG draws the graph: axes with round ticks in ms and the graph's unit, a
// title, a legend, and each series.
func (g *Graph) SVG(w io.Writer, lang msg.Lang, title string) error {
	maxX, maxY, clipped := g.bounds()
	pw, ph := float64(width-left-right), float64(height-top-bottom)
	x := func(v float64) float64 { return left + v/maxX*pw }
	y := func(v float64) float64 { return top + ph - v/maxY*ph }
	e := html.EscapeString
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="100%%" style="max-width:%dpx" viewBox="0 0 %d %d" font-family="ui-sans-serif, 'Noto Sans CJK SC', sans-serif" font-size="12">`+"\n", width, width, height)
	fmt.Fprintf(w, "<title>%s</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", e(title))
	fmt.Fprintf(w, `<text x="%d" y="22" font-size="14" font-weight="bold">%s</text>`+"\n", left, e(title))
	// Axes and ticks.
	fmt.Fprintf(w, `<g stroke="#888" stroke-width="1"><line x1="%d" y1="%d" x2="%d" y2="%d"/><line x1="%d" y1="%d" x2="%d" y2="%d"/></g>`+"\n",
		left, top, left, top+int(ph), left, top+int(ph), left+int(pw), top+int(ph))
	xs, ys := niceStep(maxX, 8), niceStep(maxY, 6)
	for v := 0.0; v <= maxX; v += xs {
		fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eee"/><text x="%.1f" y="%.1f" text-anchor="middle" fill="#333">%s</text>`+"\n",
			x(v), y(0), x(v), y(maxY), x(v), y(0)+16, label(v, xs))
	}
	for v := 0.0; v <= maxY; v += ys {
		fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eee"/><text x="%.1f" y="%.1f" text-anchor="end" fill="#333">%s</text>`+"\n",
			x(0), y(v), x(maxX), y(v), x(0)-6, y(v)+4, label(v, ys))
	}
	fmt.Fprintf(w, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", left+pw/2, height-30, e(lang.T(g.XLabel)))
	fmt.Fprintf(w, `<text x="16" y="%.1f" text-anchor="middle" transform="rotate(-90 16 %.1f)">%s</text>`+"\n", top+ph/2, top+ph/2, e(lang.T(g.YLabel)))
	// Series, clipped to the plot.
	fmt.Fprintf(w, `<clipPath id="plot"><rect x="%d" y="%d" width="%.0f" height="%.0f"/></clipPath><g clip-path="url(#plot)">`+"\n", left, top-4, pw+4, ph+8)
	for _, s := range g.Series {
		if len(s.Points) == 0 {
			continue // nor in the legend: nothing of it to see
		}
		c := colours[s.Name]
		switch s.Style {
		case Bars:
			fmt.Fprintf(w, `<g stroke="%s" stroke-width="1.5">`, c)
			for _, p := range s.Points {
				fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x(p.X), y(p.Y0), x(p.X), y(p.Y))
				if s.Name == "graph.retx" {
					// A segment is a pixel tall on a long transfer: a
					// ring marks each one sent again, as tcptrace's R.
					fmt.Fprintf(w, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="none"/>`, x(p.X), y(p.Y))
				}
			}
			fmt.Fprintln(w, "</g>")
		case Dots:
			fmt.Fprintf(w, `<g fill="%s">`, c)
			for _, p := range s.Points {
				fmt.Fprintf(w, `<circle cx="%.1f" cy="%.1f" r="2.2"/>`, x(p.X), y(p.Y))
			}
			fmt.Fprintln(w, "</g>")
		case Steps, Line:
			if len(s.Points) == 0 {
				continue
			}
			fmt.Fprintf(w, `<polyline fill="none" stroke="%s" stroke-width="1.3" points="`, c)
			for i, p := range s.Points {
				if s.Style == Steps && i > 0 {
					fmt.Fprintf(w, "%.1f,%.1f ", x(p.X), y(s.Points[i-1].Y))
				}
				fmt.Fprintf(w, "%.1f,%.1f ", x(p.X), y(p.Y))
			}
			fmt.Fprintln(w, `"/>`)
		}
	}
	fmt.Fprintln(w, "</g>")
	// Legend, under the axis label.
	lx := left
	for _, s := range g.Series {
		if len(s.Points) == 0 {
			continue
		}
		name := lang.T(s.Name)
		if s.Name == "graph.rwin" && clipped > 0 {
			name = lang.F("graph.above", name, group(strconv.FormatFloat(clipped, 'f', 0, 64)))
		}
		fmt.Fprintf(w, `<rect x="%d" y="%d" width="14" height="4" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n", lx, height-14, colours[s.Name], lx+18, height-9, e(name))
		lx += 40 + textWidth(name)
	}
	_, err := fmt.Fprintln(w, "</svg>")
	return err
}

// Points writes every point of every series, one line each: as CSV
// (series, x_ms, y, y0) or as JSON Lines.
func (g *Graph) Points(w io.Writer, jsonl bool) error {
	if jsonl {
		enc := json.NewEncoder(w)
		for _, s := range g.Series {
			for _, p := range s.Points {
				if err := enc.Encode(struct {
					Series string  `json:"series"`
					X      float64 `json:"x_ms"`
					Y      float64 `json:"y"`
					Y0     float64 `json:"y0"`
				}{s.Name[len("graph."):], p.X, p.Y, p.Y0}); err != nil {
					return err
				}
			}
		}
		return nil
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"series", "x_ms", "y", "y0"})
	for _, s := range g.Series {
		for _, p := range s.Points {
			cw.Write([]string{s.Name[len("graph."):], strconv.FormatFloat(p.X, 'f', 3, 64), strconv.FormatFloat(p.Y, 'f', 3, 64), strconv.FormatFloat(p.Y0, 'f', 3, 64)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// textWidth guesses a legend entry's width in pixels at 12 px: CJK
// characters are about a full em, the rest a little over half.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x2E80 {
			w += 12
		} else {
			w += 7
		}
	}
	return w
}

// group puts commas between thousands of a whole number at least 10,000
// (4,000,000 bytes reads at a glance; 4000000 does not).
func group(n string) string {
	if len(n) < 5 || n[0] == '-' {
		return n
	}
	var b []byte
	for i := range n {
		if i > 0 && (len(n)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, n[i])
	}
	return string(b)
}
