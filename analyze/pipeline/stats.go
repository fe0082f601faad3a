package pipeline

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket/layers"

	"synfin/flows"
	"synfin/flows/capture"
)

// Stats counts what one capture held, for the summary and for notes.
type Stats struct {
	Packets     int
	Segments    int
	NotTCP      int
	Unsupported map[layers.LinkType]int
	Damaged     int                    // packets whose headers are cut short or inconsistent
	Examples    []*capture.PacketError // the first few of them
	Format      string
	Compression string
	EarlyFinish int // connections finished early because of Options.MaxConns
	MaxConns    int
	Late        int // segments of connections finished early, absorbed by their tombstones
}

// maxExamples is how many damaged packets of one file are named; the rest
// are counted.
const maxExamples = 3

// count files one packet's decoding outcome and says whether it gave a
// segment.
func (st *Stats) count(name string, pkt *capture.Packet, derr error) bool {
	switch {
	case derr == nil:
		return true
	case errors.Is(derr, flows.ErrUnsupportedLink):
		st.Unsupported[pkt.Link]++
	case flows.IsDamage(derr):
		st.Damaged++
		if len(st.Examples) < maxExamples {
			st.Examples = append(st.Examples, &capture.PacketError{File: name, Index: pkt.Index, Offset: pkt.Offset, Err: derr})
		}
	default:
		st.NotTCP++
	}
	return false
}

// Problems lists what went wrong in one file, each line naming the file,
// and whether it counts as damage (exit status 1).
func (st *Stats) Problems(name string) (lines []string, damaged bool) {
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

// Unusable reports why a file that opened gave nothing to analyse: every
// packet had a link type synfin cannot decode.
func (st *Stats) Unusable(name string) error {
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

// linkName names a link type for messages, without gopacket's placeholder
// for types it does not know.
func linkName(lt layers.LinkType) string {
	if s := lt.String(); !strings.HasPrefix(s, "Unknown") {
		return fmt.Sprintf("%d (%s)", int(lt), s)
	}
	return strconv.Itoa(int(lt))
}
