package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
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
	Damaged     int                  // packets whose headers are cut short or inconsistent
	Examples    []*flows.PacketError // the first few of them
	Format      string
	Compression string
	EarlyFinish int // connections finished early because of --max-conns
	MaxConns    int
}

// linkName names a link type for messages, without gopacket's placeholder
// for types it does not know.
func linkName(lt layers.LinkType) string {
	if s := lt.String(); !strings.HasPrefix(s, "Unknown") {
		return fmt.Sprintf("%d (%s)", int(lt), s)
	}
	return strconv.Itoa(int(lt))
}

// maxExamples is how many damaged packets of one file are named on stderr;
// the rest are counted.
const maxExamples = 3

// analyzeCapture reads one capture and calls emit for every connection as
// it finishes (closed and lingered, idle, or at the end of input). It
// returns a *flows.OpenError when nothing could be read and a
// *flows.PacketError when the file is damaged after some packets.
// limits are the resource bounds of one analysis.
type limits struct {
	idle     time.Duration // finish connections idle this long (capture time)
	maxConns int           // connections open at once
}

func analyzeCapture(name string, r io.Reader, lim limits, emit func(analyze.Record)) (fileStats, error) {
	st := fileStats{Unsupported: map[layers.LinkType]int{}}
	capt, err := flows.Open(name, r)
	if err != nil {
		return st, err
	}
	defer capt.Close()
	st.Format, st.Compression = capt.Format, capt.Compression
	table := flows.NewTable(func(c *flows.Conn) { emit(analyze.Analyze(name, c)) })
	if lim.idle > 0 {
		table.IdleTimeout = lim.idle
	}
	if lim.maxConns > 0 {
		table.MaxConns = lim.maxConns
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
			switch {
			case errors.Is(derr, flows.ErrUnsupportedLink):
				st.Unsupported[pkt.Link]++
			case flows.IsDamage(derr):
				st.Damaged++
				if len(st.Examples) < maxExamples {
					st.Examples = append(st.Examples, &flows.PacketError{File: name, Index: pkt.Index, Offset: pkt.Offset, Err: derr})
				}
			default:
				st.NotTCP++
			}
			continue
		}
		st.Segments++
		table.Observe(&seg)
	}
	table.Flush()
	st.EarlyFinish, st.MaxConns = table.EarlyFinished, table.MaxConns
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

// problems lists what went wrong in one file, each line naming the file,
// and whether it counts as damage (exit status 1).
func (st fileStats) problems(name string) (lines []string, damaged bool) {
	for _, e := range st.Examples {
		lines = append(lines, e.Error())
	}
	if more := st.Damaged - len(st.Examples); more > 0 {
		lines = append(lines, fmt.Sprintf("%s: %d more damaged packets", name, more))
	}
	var kinds []string
	for lt, n := range st.Unsupported {
		kinds = append(kinds, fmt.Sprintf("%s: %d packets of link type %s skipped: synfin has no decoder for it", name, n, linkName(lt)))
	}
	sort.Strings(kinds)
	lines = append(lines, kinds...)
	if st.EarlyFinish > 0 {
		lines = append(lines, fmt.Sprintf("%s: %d connections finished early: more than %d (--max-conns) were open at once", name, st.EarlyFinish, st.MaxConns))
	}
	return lines, st.Damaged > 0 || len(st.Unsupported) > 0
}

// unusable reports why a file that opened gave nothing to analyse: every
// packet had a link type synfin cannot decode.
func (st fileStats) unusable(name string) error {
	if st.Segments > 0 || st.NotTCP > 0 || st.Damaged > 0 || len(st.Unsupported) == 0 {
		return nil
	}
	for lt, n := range st.Unsupported {
		if len(st.Unsupported) == 1 {
			return fmt.Errorf("%s: nothing synfin can read: all %d packets have link type %s, which it cannot decode", name, n, linkName(lt))
		}
	}
	return fmt.Errorf("%s: nothing synfin can read: no packet has a link type it can decode", name)
}
