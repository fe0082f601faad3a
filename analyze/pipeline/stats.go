package pipeline

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
)

// Stats counts what one capture held, for the summary and for notes.
type Stats struct {
	Packets  int
	Segments int
	NotTCP   int
	// Stops counts the packets without TCP by where their decoding
	// stopped: before IP (an encapsulation synfin cannot decode, or
	// traffic that is not IP) or at IP (UDP, ICMP, …).
	Stops       map[flows.Stop]int
	Unsupported map[layers.LinkType]int
	Damaged     int                    // packets whose headers are cut short or inconsistent
	Examples    []*capture.PacketError // the first few of them
	Format      string
	Compression string
	EarlyFinish int // connections finished early because of Options.MaxConns
	MaxConns    int
	// Shards is how many virtual shards the connections were split over;
	// the caps were kept in each.
	Shards int
	Late   int // segments of connections finished early, absorbed by their tombstones
}

// maxExamples is how many damaged packets of one file are named; the rest
// are counted.
const maxExamples = 3

// count files one packet's decoding outcome and says whether it gave a
// segment.
func (st *Stats) count(name string, pkt *capture.Packet, dec *flows.Decoder, derr error) bool {
	switch {
	case derr == nil:
		return true
	case errors.Is(derr, flows.ErrUnsupportedLink):
		st.Unsupported[pkt.Link]++
	case flows.IsDamage(derr):
		st.Damaged++
		if len(st.Examples) < maxExamples {
			st.Examples = append(st.Examples, &capture.PacketError{File: name, Index: pkt.Index, Offset: pkt.Offset, Err: flows.InWords(derr)})
		}
	default:
		st.NotTCP++
		st.Stops[dec.Stopped()]++
	}
	return false
}

// connections counts connections in words: "1 connection", "3 connections".
func connections(n int) string {
	if n == 1 {
		return "1 connection"
	}
	return strconv.Itoa(n) + " connections"
}

// LingerCap says why closed connections were reported before their
// linger ended: too many lingered at once.
func (st *Stats) LingerCap() string {
	if st.Shards > 1 {
		return fmt.Sprintf("more than %d closed connections lingered at once in one of the capture's %d shards, %d in all", perShard(flows.DefaultMaxLinger, st.Shards), st.Shards, flows.DefaultMaxLinger)
	}
	return fmt.Sprintf("more than %d closed connections lingered at once", flows.DefaultMaxLinger)
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
		if st.Shards > 1 {
			lines = append(lines, fmt.Sprintf("%s: %s finished early: more than %d (--max-conns) were open at once (kept as %d in each of %d shards, by address hash)", name, connections(st.EarlyFinish), st.MaxConns, perShard(st.MaxConns, st.Shards), st.Shards))
		} else {
			lines = append(lines, fmt.Sprintf("%s: %s finished early: more than %d (--max-conns) were open at once", name, connections(st.EarlyFinish), st.MaxConns))
		}
	}
	return lines, st.Damaged > 0 || len(st.Unsupported) > 0
}

// Notes say what the packets without TCP were where a reader would
// otherwise wonder: packets of an encapsulation synfin could not decode to
// IP (never silently), and, when a capture held no TCP at all, what it did
// hold. Each line names the file.
func (st *Stats) Notes(name string) []string {
	var lines []string
	byLink := map[layers.LinkType][]flows.Stop{}
	var links []layers.LinkType
	for s := range st.Stops {
		if s.ReachedIP() || s.Expected() {
			continue
		}
		if byLink[s.Link] == nil {
			links = append(links, s.Link)
		}
		byLink[s.Link] = append(byLink[s.Link], s)
	}
	slices.Sort(links)
	for _, lt := range links {
		stops := byLink[lt]
		n := 0
		for _, s := range stops {
			n += st.Stops[s]
		}
		lines = append(lines, fmt.Sprintf("%s: %s of link type %s not decoded to IP: %s", name, packets(n), linkName(lt), st.tally(stops)))
	}
	if st.Segments == 0 && st.NotTCP > 0 {
		all := make([]flows.Stop, 0, len(st.Stops))
		for s := range st.Stops {
			all = append(all, s)
		}
		lines = append(lines, fmt.Sprintf("%s: no TCP in its %s: %s", name, packets(st.Packets), st.tally(all)))
	}
	return lines
}

// tally lists stops with their counts, the most common first, at most
// five.
func (st *Stats) tally(stops []flows.Stop) string {
	slices.SortFunc(stops, func(a, b flows.Stop) int {
		if c := st.Stops[b] - st.Stops[a]; c != 0 {
			return c
		}
		return strings.Compare(a.String(), b.String())
	})
	var parts []string
	for i, s := range stops {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("%d kinds more", len(stops)-5))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%d)", s, st.Stops[s]))
	}
	return strings.Join(parts, ", ")
}

// Unusable reports why a file that opened gave nothing to analyse: every
// packet had a link type synfin cannot decode.
func (st *Stats) Unusable(name string) error {
	if st.Segments > 0 || st.NotTCP > 0 || st.Damaged > 0 || len(st.Unsupported) == 0 {
		return nil
	}
	for lt, n := range st.Unsupported {
		if len(st.Unsupported) == 1 {
			if n == 1 {
				return fmt.Errorf("%s: nothing synfin can read: its one packet has link type %s, which it cannot decode", name, linkName(lt))
			}
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

func packets(n int) string {
	if n == 1 {
		return "1 packet"
	}
	return strconv.Itoa(n) + " packets"
}
