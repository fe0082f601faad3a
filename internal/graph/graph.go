// Package graph draws the data phase of one connection from its segments
// (package segments): the time-sequence graph (Stevens' and tcptrace's:
// each data segment a bar from its first to its last sequence number at
// the time it was sent, retransmissions marked, the ACK line and the
// receive-window line), the RTT of each segment with the smoothed RTT,
// the advertised window with the bytes in flight, and the throughput over
// time; as SVG with labelled axes and a legend, or as the points in CSV or
// JSON Lines.
package graph

import (
	"math"

	"github.com/synfin/synfin/analyze/segments"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/msg"
)

// Kind is which graph.
type Kind string

const (
	TimeSeq    Kind = "tseq"
	RTT        Kind = "rtt"
	Window     Kind = "window"
	Throughput Kind = "throughput"
)

// Kinds are the graphs synfin draws, in --help's order.
var Kinds = []Kind{TimeSeq, RTT, Window, Throughput}

// Series is one line, set of bars or points of a graph.
type Series struct {
	Name   string // the legend's message key
	Style  Style
	Points []Point
}

// Style is how a series is drawn.
type Style uint8

const (
	Bars  Style = iota // vertical bars from Y0 to Y
	Steps              // a step line
	Dots               // points
	Line               // a polyline
)

// Point is one point; Y0 is a bar's bottom.
type Point struct {
	X, Y, Y0 float64 // X in ms after the connection's first packet
}

// Graph is one graph's data, before drawing.
type Graph struct {
	Kind   Kind
	Sender flows.Dir // whose data it shows
	XLabel string    // message keys
	YLabel string
	Series []Series
}

// Sender is the side that sent more data: the one a data-phase graph
// shows (an upload's client, a download's server).
func Sender(rows []segments.Row) flows.Dir {
	var n [2]int
	for _, r := range rows {
		n[r.From] += r.Len
	}
	if n[flows.DirServer] > n[flows.DirClient] {
		return flows.DirServer
	}
	return flows.DirClient
}

// Of builds graph kind of a connection's segments, first the time of its
// first packet (ns).
func Of(kind Kind, rows []segments.Row, first int64) (*Graph, error) {
	d := Sender(rows)
	ms := func(ts int64) float64 { return float64(ts-first) / 1e6 }
	g := &Graph{Kind: kind, Sender: d, XLabel: "graph.axis.ms"}
	var base uint32
	baseSet := false
	rel := func(seq uint32) float64 { return float64(seq - base) }
	for _, r := range rows {
		if r.From == d && !baseSet {
			base, baseSet = r.Seq-r.RelSeq, true
		}
	}
	switch kind {
	case TimeSeq:
		g.YLabel = "graph.axis.seq"
		data := Series{Name: "graph.data", Style: Bars}
		retx := Series{Name: "graph.retx", Style: Bars}
		ack := Series{Name: "graph.ack", Style: Steps}
		sack := Series{Name: "graph.sack", Style: Bars}
		win := Series{Name: "graph.rwin", Style: Steps}
		var cov segments.Coverage
		for _, r := range rows {
			if r.From != d || r.Len == 0 {
				continue
			}
			p := Point{X: ms(r.TS), Y0: rel(r.Seq), Y: rel(r.Seq + uint32(r.Len))}
			// tcptrace's rule: a segment with bytes this capture saw
			// before is sent again, whatever Wireshark calls it (near
			// the sender it calls many of them out-of-order); one filling
			// a hole the capture never saw filled is new here.
			if cov.Add(r.RelSeq, r.RelSeq+uint32(r.Len)) > 0 {
				retx.Points = append(retx.Points, p)
			} else {
				data.Points = append(data.Points, p)
			}
		}
		// The ACK and window lines: the receiver's acknowledged edge
		// (relative, 1 after the SYN), and that edge plus its window.
		edge := 0.0
		for _, r := range rows {
			if r.From == d || r.Flags&flows.FlagACK == 0 || r.Flags&flows.FlagSYN != 0 {
				continue
			}
			edge += float64(r.AckedBytes)
			ack.Points = append(ack.Points, Point{X: ms(r.TS), Y: edge + 1})
			// What the receiver holds above a hole, as tcptrace marks
			// SACK blocks: a bar over the block at the ACK's time.
			for _, b := range r.SACK {
				sack.Points = append(sack.Points, Point{X: ms(r.TS), Y0: rel(b[0]), Y: rel(b[1])})
			}
			win.Points = append(win.Points, Point{X: ms(r.TS), Y: edge + 1 + float64(r.Win)})
		}
		g.Series = []Series{win, ack, sack, data, retx}
	case RTT:
		g.YLabel = "graph.axis.rttms"
		rtt := Series{Name: "graph.rtt", Style: Dots}
		srtt := Series{Name: "graph.srtt", Style: Line}
		for _, r := range rows {
			if r.From == d && r.HasRTT {
				rtt.Points = append(rtt.Points, Point{X: ms(r.TS), Y: float64(r.RTT) / 1e6})
				srtt.Points = append(srtt.Points, Point{X: ms(r.AckTS), Y: float64(r.SRTT) / 1e6})
			}
		}
		g.Series = []Series{rtt, srtt}
	case Window:
		g.YLabel = "graph.axis.bytes"
		win := Series{Name: "graph.win", Style: Steps}
		flight := Series{Name: "graph.inflight", Style: Steps}
		var next, acked float64
		for _, r := range rows {
			switch {
			case r.From == d && r.Len > 0:
				next = math.Max(next, rel(r.Next))
				flight.Points = append(flight.Points, Point{X: ms(r.TS), Y: math.Max(0, next-acked-1)})
			case r.From != d && r.Flags&flows.FlagACK != 0 && r.Flags&flows.FlagSYN == 0:
				acked += float64(r.AckedBytes)
				win.Points = append(win.Points, Point{X: ms(r.TS), Y: float64(r.Win)})
				flight.Points = append(flight.Points, Point{X: ms(r.TS), Y: math.Max(0, next-acked-1)})
			}
		}
		g.Series = []Series{win, flight}
	case Throughput:
		g.YLabel = "graph.axis.kbps"
		tp := Series{Name: "graph.throughput", Style: Line}
		var lastTS int64
		for _, r := range rows {
			lastTS = max(lastTS, r.TS)
		}
		span := float64(lastTS-first) / 1e6
		bucket := math.Max(1, span/50) // ms
		sums := map[int]float64{}
		top := 0
		// Bytes seen for the first time (tcptrace's unique bytes): a
		// segment counts only those the capture had not seen before.
		var cov segments.Coverage
		for _, r := range rows {
			if r.From != d || r.Len == 0 {
				continue
			}
			seen := cov.Add(r.RelSeq, r.RelSeq+uint32(r.Len))
			if n := r.Len - int(seen); n > 0 {
				b := int(ms(r.TS) / bucket)
				sums[b] += float64(n)
				top = max(top, b)
			}
		}
		for b := 0; b <= top; b++ {
			// bytes in the bucket, as kbit/s
			tp.Points = append(tp.Points, Point{X: (float64(b) + 0.5) * bucket, Y: sums[b] * 8 / bucket})
		}
		g.Series = []Series{tp}
	default:
		return nil, msg.E("cli.kind", kind)
	}
	return g, nil
}
