package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/gopacket/gopacket/layers"

	"synfin/analyze"
	"synfin/flows"
)

// fileStats counts what one capture held, for the summary and for notes.
type fileStats struct {
	Packets     int
	Segments    int
	NotTCP      int
	Unsupported map[layers.LinkType]int
	Format      string
	Compression string
}

// analyzeCapture reads one capture and calls emit for every connection as
// it finishes (closed and lingered, idle, or at the end of input). It
// returns a *flows.OpenError when nothing could be read and a
// *flows.PacketError when the file is damaged after some packets.
func analyzeCapture(name string, r io.Reader, idle time.Duration, emit func(analyze.Record)) (fileStats, error) {
	st := fileStats{Unsupported: map[layers.LinkType]int{}}
	capt, err := flows.Open(name, r)
	if err != nil {
		return st, err
	}
	defer capt.Close()
	st.Format, st.Compression = capt.Format, capt.Compression
	table := flows.NewTable(func(c *flows.Conn) { emit(analyze.Analyze(name, c)) })
	if idle > 0 {
		table.IdleTimeout = idle
	}
	dec := flows.NewDecoder()
	var pkt flows.Packet
	var seg flows.Segment
	for {
		err = capt.Next(&pkt)
		if err != nil {
			break
		}
		st.Packets++
		if derr := dec.Decode(&pkt, &seg); derr != nil {
			if errors.Is(derr, flows.ErrUnsupportedLink) {
				st.Unsupported[pkt.Link]++
			} else {
				st.NotTCP++
			}
			continue
		}
		st.Segments++
		table.Observe(&seg)
	}
	table.Flush()
	if err == io.EOF {
		err = nil
	}
	return st, err
}

// sortRecords orders records by input order, then connection number.
func sortRecords(recs []analyze.Record, fileOrder map[string]int) {
	sort.SliceStable(recs, func(i, j int) bool {
		fi, fj := fileOrder[recs[i].File], fileOrder[recs[j].File]
		if fi != fj {
			return fi < fj
		}
		return recs[i].Conn < recs[j].Conn
	})
}

func (st fileStats) notes(name string) []string {
	var out []string
	for lt, n := range st.Unsupported {
		out = append(out, fmt.Sprintf("%s: %d packets of link type %d (%s) skipped: no decoder", name, n, int(lt), lt))
	}
	sort.Strings(out)
	return out
}
