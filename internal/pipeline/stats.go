package pipeline

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
)

// Stats counts what one capture held, for the summary and for notes.
type Stats struct {
	Packets  int
	Segments int // TCP segments and ICMP errors about TCP segments (ICMPErrors)
	NotTCP   int
	// ICMPErrors counts the ICMP and ICMPv6 errors that quote a TCP
	// segment, tied to its connection by the table.
	ICMPErrors int
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
	// Frag is what IP reassembly did: datagrams reassembled, fragments
	// overlapping, datagrams dropped or never completed.
	Frag flows.FragStats
}

// maxExamples is how many damaged packets of one file are named; the rest
// are counted.
const maxExamples = 3

// count files one packet's decoding outcome and says whether it gave a
// segment.
func (st *Stats) count(name string, pkt *capture.Packet, dec *flows.Decoder, seg *flows.Segment, derr error) bool {
	switch {
	case derr == nil:
		if seg.ICMP.IsError() {
			st.ICMPErrors++
		}
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

// NoteKind is what a Note says: a closed set, so that a message in another
// language is made from the Note's values, never from its English.
type NoteKind uint8

const (
	_ NoteKind = iota
	// NoteDamaged: a damaged packet, Err.
	NoteDamaged
	// NoteMoreDamaged: N damaged packets more than those named.
	NoteMoreDamaged
	// NoteSkippedLink: N packets of link type Link skipped, without a
	// decoder.
	NoteSkippedLink
	// NoteFinishedEarly: N connections finished early, more than Max
	// (--max-conns) being open at once; kept as PerShard in each of
	// Shards shards when Shards > 1.
	NoteFinishedEarly
	// NoteNotDecoded: N packets of link type Link not decoded to IP,
	// what they were in Tally.
	NoteNotDecoded
	// NoteNoTCP: no TCP in the capture's N packets, what they were in
	// Tally.
	NoteNoTCP
	// NoteLate: N late segments of connections already closed and
	// reported: with LingerOff, --linger 0 let none linger; otherwise more
	// than Max closed connections lingered at once (PerShard in one of
	// Shards shards when Shards > 1).
	NoteLate
	// NoteFragsIncomplete: N fragmented IP datagrams not whole within
	// 30 s of their first fragment or by the end of the capture.
	NoteFragsIncomplete
	// NoteFragsEvicted: N fragmented IP datagrams given up to bound
	// memory.
	NoteFragsEvicted
	// NoteFragsInvalid: N fragmented IP datagrams whose fragments'
	// lengths disagree.
	NoteFragsInvalid
	// NoteFragsOverlap: N IPv4 fragments overlapped bytes already held;
	// the first to arrive were kept.
	NoteFragsOverlap
	// NoteFragsDropped: N IPv6 datagrams dropped because their fragments
	// overlapped (RFC 5722).
	NoteFragsDropped
)

// StopCount is one kind of packet without TCP and how many there were.
type StopCount struct {
	Stop flows.Stop
	N    int
}

// Note is one line of what went wrong in a file (Problems) or what a
// reader would otherwise wonder about (Notes), as values. String gives it
// in English; package say, in the user's language.
type Note struct {
	Kind      NoteKind
	File      string
	N         int
	Link      layers.LinkType
	Tally     []StopCount // the most common first, at most five
	MoreKinds int         // kinds of packets beyond Tally's
	Max       int
	PerShard  int
	Shards    int
	LingerOff bool
	Err       *capture.PacketError
}

// String is the note in English, naming its file.
func (n Note) String() string {
	switch n.Kind {
	case NoteDamaged:
		return n.Err.Error()
	case NoteMoreDamaged:
		return fmt.Sprintf("%s: %d more damaged packets", n.File, n.N)
	case NoteSkippedLink:
		return fmt.Sprintf("%s: %d packets of link type %s skipped: synfin has no decoder for it", n.File, n.N, linkName(n.Link))
	case NoteFinishedEarly:
		if n.Shards > 1 {
			return fmt.Sprintf("%s: %s finished early: more than %d (--max-conns) were open at once (kept as %d in each of %d shards, by address hash)", n.File, connections(n.N), n.Max, n.PerShard, n.Shards)
		}
		return fmt.Sprintf("%s: %s finished early: more than %d (--max-conns) were open at once", n.File, connections(n.N), n.Max)
	case NoteNotDecoded:
		return fmt.Sprintf("%s: %s of link type %s not decoded to IP: %s", n.File, packets(n.N), linkName(n.Link), n.tally())
	case NoteNoTCP:
		return fmt.Sprintf("%s: no TCP in its %s: %s", n.File, packets(n.N), n.tally())
	case NoteFragsIncomplete:
		return fmt.Sprintf("%s: %s never completed: not all the fragments are in the capture within 30 s of the first", n.File, count(n.N, "fragmented IP datagram"))
	case NoteFragsEvicted:
		return fmt.Sprintf("%s: %s given up to bound memory (more than %d at once, or %d MiB held)", n.File, count(n.N, "fragmented IP datagram"), flows.MaxFragDatagrams, flows.MaxFragBytes>>20)
	case NoteFragsInvalid:
		return fmt.Sprintf("%s: %s given up: the fragments' lengths disagree or pass 65,535 bytes", n.File, count(n.N, "fragmented IP datagram"))
	case NoteFragsOverlap:
		return fmt.Sprintf("%s: %s overlapped bytes already received; the first to arrive were kept", n.File, count(n.N, "IPv4 fragment"))
	case NoteFragsDropped:
		return fmt.Sprintf("%s: %s dropped: the fragments overlapped (RFC 5722)", n.File, count(n.N, "IPv6 datagram"))
	case NoteLate:
		why := "--linger 0"
		if !n.LingerOff {
			why = lingerCap(n.Max, n.PerShard, n.Shards)
		}
		return fmt.Sprintf("%s: %d late segments belonged to connections already closed and reported (%s)", n.File, n.N, why)
	}
	return n.File
}

// tally lists the kinds of packets with their counts.
func (n Note) tally() string {
	var parts []string
	for _, c := range n.Tally {
		parts = append(parts, fmt.Sprintf("%s (%d)", c.Stop, c.N))
	}
	if n.MoreKinds > 0 {
		parts = append(parts, fmt.Sprintf("%d kinds more", n.MoreKinds))
	}
	return strings.Join(parts, ", ")
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
	return lingerCap(flows.DefaultMaxLinger, perShard(flows.DefaultMaxLinger, max(1, st.Shards)), st.Shards)
}

func lingerCap(all, each, shards int) string {
	if shards > 1 {
		return fmt.Sprintf("more than %d closed connections lingered at once in one of the capture's %d shards, %d in all", each, shards, all)
	}
	return fmt.Sprintf("more than %d closed connections lingered at once", all)
}

// LateNote is the note about st.Late late segments, nil when there were
// none; lingerOff when --linger 0 let no closed connection linger.
func (st *Stats) LateNote(name string, lingerOff bool) *Note {
	if st.Late == 0 {
		return nil
	}
	n := &Note{Kind: NoteLate, File: name, N: st.Late, LingerOff: lingerOff, Max: flows.DefaultMaxLinger, Shards: st.Shards}
	if st.Shards > 1 {
		n.PerShard = perShard(flows.DefaultMaxLinger, st.Shards)
	}
	return n
}

// Problems lists what went wrong in one file, each line naming the file,
// and whether it counts as damage (exit status 1).
func (st *Stats) Problems(name string) (lines []string, damaged bool) {
	notes, damaged := st.ProblemNotes(name)
	return english(notes), damaged
}

// ProblemNotes is Problems as values.
func (st *Stats) ProblemNotes(name string) (notes []Note, damaged bool) {
	for _, e := range st.Examples {
		notes = append(notes, Note{Kind: NoteDamaged, File: name, Err: e})
	}
	if more := st.Damaged - len(st.Examples); more > 0 {
		notes = append(notes, Note{Kind: NoteMoreDamaged, File: name, N: more})
	}
	var kinds []Note
	for lt, n := range st.Unsupported {
		kinds = append(kinds, Note{Kind: NoteSkippedLink, File: name, N: n, Link: lt})
	}
	// In the order of their English lines, as they always were.
	slices.SortFunc(kinds, func(a, b Note) int { return strings.Compare(a.String(), b.String()) })
	notes = append(notes, kinds...)
	if st.EarlyFinish > 0 {
		n := Note{Kind: NoteFinishedEarly, File: name, N: st.EarlyFinish, Max: st.MaxConns, Shards: st.Shards}
		if st.Shards > 1 {
			n.PerShard = perShard(st.MaxConns, st.Shards)
		}
		notes = append(notes, n)
	}
	return notes, st.Damaged > 0 || len(st.Unsupported) > 0
}

// Notes say what the packets without TCP were where a reader would
// otherwise wonder: packets of an encapsulation synfin could not decode to
// IP (never silently), and, when a capture held no TCP at all, what it did
// hold. Each line names the file.
func (st *Stats) Notes(name string) []string { return english(st.NoteValues(name)) }

// NoteValues is Notes as values.
func (st *Stats) NoteValues(name string) []Note {
	var notes []Note
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
		note := Note{Kind: NoteNotDecoded, File: name, N: n, Link: lt}
		note.Tally, note.MoreKinds = st.tally(stops)
		notes = append(notes, note)
	}
	for _, f := range []struct {
		kind NoteKind
		n    int
	}{{NoteFragsIncomplete, st.Frag.Incomplete}, {NoteFragsEvicted, st.Frag.Evicted}, {NoteFragsInvalid, st.Frag.Invalid},
		{NoteFragsOverlap, st.Frag.Overlapping}, {NoteFragsDropped, st.Frag.Dropped}} {
		if f.n > 0 {
			notes = append(notes, Note{Kind: f.kind, File: name, N: f.n})
		}
	}
	// "No TCP" is said only of what was decoded far enough to know: the
	// packets of an encapsulation not decoded have their own note above,
	// and may carry TCP.
	if st.Segments-st.ICMPErrors == 0 && st.NotTCP > 0 {
		var known []flows.Stop
		n := 0
		for s, c := range st.Stops {
			if s.ReachedIP() || s.Expected() {
				known = append(known, s)
				n += c
			}
		}
		if len(known) > 0 {
			note := Note{Kind: NoteNoTCP, File: name, N: n}
			note.Tally, note.MoreKinds = st.tally(known)
			notes = append(notes, note)
		}
	}
	return notes
}

// english is notes in English, one line each.
func english(notes []Note) []string {
	var lines []string
	for _, n := range notes {
		lines = append(lines, n.String())
	}
	return lines
}

// tally counts stops, the most common first, at most five, and says how
// many kinds more there were.
func (st *Stats) tally(stops []flows.Stop) (counts []StopCount, more int) {
	slices.SortFunc(stops, func(a, b flows.Stop) int {
		if c := st.Stops[b] - st.Stops[a]; c != 0 {
			return c
		}
		return strings.Compare(a.String(), b.String())
	})
	for i, s := range stops {
		if i == 5 {
			return counts, len(stops) - 5
		}
		counts = append(counts, StopCount{s, st.Stops[s]})
	}
	return counts, 0
}

// UnusableError is a file that opened but gave nothing to analyse: every
// packet had a link type synfin cannot decode. With one such link type,
// Link names it and N counts its packets; Links counts the link types.
type UnusableError struct {
	File  string
	N     int
	Link  layers.LinkType
	Links int
}

func (e *UnusableError) Error() string {
	switch {
	case e.Links == 1 && e.N == 1:
		return fmt.Sprintf("%s: nothing synfin can read: its one packet has link type %s, which it cannot decode", e.File, linkName(e.Link))
	case e.Links == 1:
		return fmt.Sprintf("%s: nothing synfin can read: all %d packets have link type %s, which it cannot decode", e.File, e.N, linkName(e.Link))
	}
	return fmt.Sprintf("%s: nothing synfin can read: no packet has a link type it can decode", e.File)
}

// Unusable reports why a file that opened gave nothing to analyse, as an
// *UnusableError, or nil.
func (st *Stats) Unusable(name string) error {
	if st.Segments > 0 || st.NotTCP > 0 || st.Damaged > 0 || len(st.Unsupported) == 0 {
		return nil
	}
	e := &UnusableError{File: name, Links: len(st.Unsupported)}
	for lt, n := range st.Unsupported {
		e.Link, e.N = lt, n
	}
	return e
}

// linkName names a link type for messages, without gopacket's placeholder
// for types it does not know.
func linkName(lt layers.LinkType) string {
	if s := lt.String(); !strings.HasPrefix(s, "Unknown") {
		return fmt.Sprintf("%d (%s)", int(lt), s)
	}
	return strconv.Itoa(int(lt))
}

// count is n of thing in words: "1 IPv6 datagram", "3 IPv6 datagrams".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}

func packets(n int) string {
	if n == 1 {
		return "1 packet"
	}
	return strconv.Itoa(n) + " packets"
}
