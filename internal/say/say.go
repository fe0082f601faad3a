// Package say puts the errors and notes of the layers below the command
// line (capture files, the pipeline's statistics, inputs and archives, the
// operating system) in the user's language, from their types, never by
// parsing their English.
//
// In English, every message is the lower layer's own (its Error or
// String), byte for byte. In another language it is made from the value's
// fields with the catalogue's "problem." keys; a cause whose type say does
// not know (a library's own error) is kept in English inside the
// translated sentence.
package say

import (
	"archive/tar"
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"syscall"

	"github.com/gopacket/gopacket/layers"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"

	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
)

// Error is err in lang: a capture's, the pipeline's, an input's or the
// system's error whose type it knows, in the catalogue's words; any other
// as its Error says.
func Error(lang msg.Lang, err error) string {
	if err == nil {
		return ""
	}
	if lang == msg.EN {
		return err.Error()
	}
	return in(lang, err)
}

// NoteLabel is the word before a note: "note: ", "注意：".
func NoteLabel(lang msg.Lang) string { return lang.T("problem.note") }

// Note is one of the pipeline's notes or problems in lang.
func Note(lang msg.Lang, n pipeline.Note) string {
	if lang == msg.EN {
		return n.String()
	}
	switch n.Kind {
	case pipeline.NoteDamaged:
		return in(lang, n.Err)
	case pipeline.NoteMoreDamaged:
		return lang.F("problem.more.damaged", n.File, n.N)
	case pipeline.NoteSkippedLink:
		return tidy(lang.F("problem.skipped.link", n.File, n.N, linkName(lang, n.Link)))
	case pipeline.NoteFinishedEarly:
		if n.Shards > 1 {
			return lang.F("problem.early.sharded", n.File, n.N, n.Max, n.PerShard, n.Shards)
		}
		return lang.F("problem.early", n.File, n.N, n.Max)
	case pipeline.NoteNotDecoded:
		return tidy(lang.F("problem.notdecoded", n.File, n.N, linkName(lang, n.Link), tally(lang, n)))
	case pipeline.NoteNoTCP:
		return lang.F("problem.notcp", n.File, n.N, tally(lang, n))
	case pipeline.NoteFragsIncomplete:
		return lang.F("problem.frags.incomplete", n.File, n.N)
	case pipeline.NoteFragsEvicted:
		return lang.F("problem.frags.evicted", n.File, n.N, flows.MaxFragDatagrams, flows.MaxFragBytes>>20)
	case pipeline.NoteFragsInvalid:
		return lang.F("problem.frags.invalid", n.File, n.N)
	case pipeline.NoteFragsOverlap:
		return lang.F("problem.frags.overlap", n.File, n.N)
	case pipeline.NoteFragsDropped:
		return lang.F("problem.frags.dropped", n.File, n.N)
	case pipeline.NoteLate:
		why := "--linger 0"
		switch {
		case n.LingerOff:
		case n.Shards > 1:
			why = lang.F("problem.linger.shards", n.PerShard, n.Shards, n.Max)
		default:
			why = lang.F("problem.linger", n.Max)
		}
		return lang.F("problem.late", n.File, n.N, why)
	}
	return n.String()
}

// Notes are st's notes about the capture name (pipeline.Stats.Notes) in
// lang.
func Notes(lang msg.Lang, name string, st *pipeline.Stats) []string {
	return all(lang, st.NoteValues(name))
}

// Problems are st's problems with the capture name, and whether they count
// as damage (pipeline.Stats.Problems), in lang.
func Problems(lang msg.Lang, name string, st *pipeline.Stats) (lines []string, damaged bool) {
	notes, damaged := st.ProblemNotes(name)
	return all(lang, notes), damaged
}

// Stop is where the decoding of packets without TCP stopped, in lang
// (flows.Stop.String in English).
func Stop(lang msg.Lang, s flows.Stop) string {
	if lang == msg.EN {
		return s.String()
	}
	switch s.Kind() {
	case flows.StopNoLink:
		return lang.T("problem.stop.nolink")
	case flows.StopEtherType:
		return lang.F("problem.stop.ethertype", s.Proto)
	case flows.StopPPP:
		return lang.F("problem.stop.ppp", s.Proto)
	case flows.StopLoopback:
		return lang.F("problem.stop.loopback", s.Proto)
	case flows.StopLaterFragments:
		return lang.T("problem.stop.fragments")
	case flows.StopIPv6Fragment:
		return lang.T("problem.stop.ipv6frag")
	case flows.StopIPProto:
		return lang.F("problem.stop.ipproto", s.Proto)
	case flows.StopUDPPort:
		return lang.F("problem.stop.udpport", s.Proto)
	case flows.StopLLC:
		return lang.F("problem.stop.llc", s.Proto)
	case flows.StopGRE:
		return lang.F("problem.stop.gre", s.Proto)
	}
	return s.String()
}

func all(lang msg.Lang, notes []pipeline.Note) []string {
	var lines []string
	for _, n := range notes {
		lines = append(lines, Note(lang, n))
	}
	return lines
}

func tally(lang msg.Lang, n pipeline.Note) string {
	var parts []string
	for _, c := range n.Tally {
		parts = append(parts, lang.F("problem.tally", Stop(lang, c.Stop), c.N))
	}
	if n.MoreKinds > 0 {
		parts = append(parts, lang.F("problem.tally.more", n.MoreKinds))
	}
	return strings.Join(parts, lang.T("problem.sep"))
}

// linkName names a link type: its number, and gopacket's name for it when
// gopacket knows it.
func linkName(lang msg.Lang, lt layers.LinkType) string {
	if s := lt.String(); !strings.HasPrefix(s, "Unknown") {
		return lang.F("problem.link", int(lt), s)
	}
	return fmt.Sprint(int(lt))
}

// tidy drops the space a sentence puts around a link type's name where
// the name ends in a full-width parenthesis: "9（PPP）的", not "9（PPP） 的".
func tidy(s string) string { return strings.ReplaceAll(s, "） ", "）") }

// in is err in lang, which is not English.
func in(lang msg.Lang, err error) string {
	switch e := err.(type) {
	case *capture.OpenError:
		return lang.F("problem.file", e.File, in(lang, e.Err))
	case *capture.PacketError:
		if e.Offset >= 0 {
			return lang.F("problem.packet.at", e.File, e.Index, e.Offset, in(lang, e.Err))
		}
		return lang.F("problem.packet", e.File, e.Index, in(lang, e.Err))
	case *capture.Error:
		return captureError(lang, e)
	case *flows.HeaderError:
		return headerError(lang, e)
	case *pipeline.UnusableError:
		switch {
		case e.Links == 1 && e.N == 1:
			return tidy(lang.F("problem.unusable.one", e.File, linkName(lang, e.Link)))
		case e.Links == 1:
			return tidy(lang.F("problem.unusable.all", e.File, e.N, linkName(lang, e.Link)))
		}
		return lang.F("problem.unusable.none", e.File)
	case *inputs.NoMatchError:
		return lang.F("problem.nomatch", e.Pattern)
	case *inputs.EmptyDirError:
		return lang.F("problem.emptydir", e.Dir)
	case *inputs.FileError:
		cause := e.Err
		var pe *fs.PathError
		if errors.As(cause, &pe) {
			cause = pe.Err
		}
		return lang.F("problem.file", e.Name, in(lang, cause))
	case *inputs.ArchiveError:
		switch e.Fault {
		case inputs.ZipUnreadable:
			return lang.F("problem.zip.archive", in(lang, e.Err))
		case inputs.ZipMember:
			return lang.F("problem.zip.member", in(lang, e.Err))
		case inputs.TarDamaged:
			return lang.F("problem.tar.damaged", in(lang, e.Err))
		case inputs.TarCutBetween:
			return lang.F("problem.tar.cut", e.N)
		}
		return lang.F("problem.member.spool", e.Member, in(lang, e.Err))
	case *inputs.CutError:
		if e.Err == nil {
			return lang.F("problem.member.cut", e.At, e.Size)
		}
		return lang.F("problem.member.damaged", e.At, e.Size, in(lang, e.Err))
	case *fs.PathError:
		// The call's name and the path, as the system says them; what
		// went wrong in lang.
		return e.Op + " " + e.Path + ": " + in(lang, e.Err)
	case flate.CorruptInputError:
		return lang.F("problem.err.flate", int64(e))
	case msg.Text:
		// A lower layer's message in the catalogue: its errors put in
		// lang too.
		args := make([]any, len(e.Args))
		for i, a := range e.Args {
			if ae, ok := a.(error); ok {
				a = in(lang, ae)
			}
			args[i] = a
		}
		return lang.Say(msg.Text{Key: e.Key, Args: args})
	case syscall.Errno:
		if key, ok := errnoKeys[e]; ok {
			return lang.T(key)
		}
		return e.Error()
	}
	for _, s := range sentinels {
		if err == s.err {
			return lang.T(s.key)
		}
	}
	return err.Error()
}

// errnoKeys are the system's errors a person meets reading and writing
// files, by their codes.
var errnoKeys = map[syscall.Errno]string{
	syscall.ENOENT:       "problem.os.ENOENT",
	syscall.EACCES:       "problem.os.EACCES",
	syscall.EPERM:        "problem.os.EPERM",
	syscall.EISDIR:       "problem.os.EISDIR",
	syscall.ENOTDIR:      "problem.os.ENOTDIR",
	syscall.ENOSPC:       "problem.os.ENOSPC",
	syscall.EROFS:        "problem.os.EROFS",
	syscall.ELOOP:        "problem.os.ELOOP",
	syscall.ENAMETOOLONG: "problem.os.ENAMETOOLONG",
	syscall.EMFILE:       "problem.os.EMFILE",
	syscall.ENFILE:       "problem.os.ENFILE",
	syscall.EIO:          "problem.os.EIO",
	syscall.EEXIST:       "problem.os.EEXIST",
	syscall.ENXIO:        "problem.os.ENXIO",
	syscall.EBUSY:        "problem.os.EBUSY",
	syscall.EFBIG:        "problem.os.EFBIG",
	syscall.EDQUOT:       "problem.os.EDQUOT",
	syscall.EPIPE:        "problem.os.EPIPE",
	syscall.EINVAL:       "problem.os.EINVAL",
	syscall.EXDEV:        "problem.os.EXDEV",
}

// sentinels are the standard readers' errors, compared as values (a
// wrapped one is reached through the type that wraps it).
var sentinels = []struct {
	err error
	key string
}{
	{fs.ErrNotExist, "problem.err.notexist"},
	{fs.ErrPermission, "problem.err.permission"},
	{fs.ErrExist, "problem.err.exist"},
	{fs.ErrClosed, "problem.err.closed"},
	{io.ErrUnexpectedEOF, "problem.err.eof"},
	{gzip.ErrHeader, "problem.err.gzip.header"},
	{gzip.ErrChecksum, "problem.err.gzip.sum"},
	{zip.ErrFormat, "problem.err.zip.format"},
	{zip.ErrAlgorithm, "problem.err.zip.algo"},
	{zip.ErrChecksum, "problem.err.zip.sum"},
	{tar.ErrHeader, "problem.err.tar.header"},
}

func captureError(lang msg.Lang, e *capture.Error) string {
	switch e.Reason {
	case capture.NotCapture:
		if e.Compression != "" {
			return lang.F("problem.notcapture.stream", e.Compression, look(lang, e))
		}
		return lang.F("problem.notcapture", look(lang, e))
	case capture.StreamEndsEarly:
		if e.BeforeFirst {
			return lang.F("problem.stream.early.first", e.Compression)
		}
		return lang.F("problem.stream.early", e.Compression)
	case capture.StreamDamaged:
		return lang.F("problem.stream.damaged", e.Compression, in(lang, e.Err))
	case capture.StreamUnreadable:
		return lang.F("problem.stream.unreadable", e.Compression, in(lang, e.Err))
	case capture.HeaderCutShort:
		if e.Format == "pcapng" {
			return lang.F("problem.header.short.pcapng", e.Have, e.Want)
		}
		return lang.F("problem.header.short.pcap", e.Have, e.Want)
	case capture.HeaderDamaged:
		if e.Format == "pcapng" {
			return lang.F("problem.header.damaged.pcapng", in(lang, e.Err))
		}
		return lang.F("problem.header.damaged.pcap", in(lang, e.Err))
	case capture.Modified:
		return lang.T("problem.modified")
	case capture.RecordCutShort:
		return lang.T("problem.record.cut")
	case capture.RecordTooLarge:
		if e.Format == "pcapng" {
			return lang.F("problem.record.large.pcapng", e.Block, e.Claim, e.Limit)
		}
		return lang.F("problem.record.large.pcap", e.Claim, e.Limit)
	case capture.BadBlockLength:
		return lang.F("problem.block.length", e.Block, e.Claim)
	case capture.PcapngVersion:
		return lang.T("problem.pcapng.version")
	case capture.PcapngByteOrder:
		return lang.T("problem.pcapng.order")
	case capture.PcapVersion:
		return lang.F("problem.pcap.version", e.N)
	case capture.PcapMinorVersion:
		return lang.F("problem.pcap.minor", e.N)
	}
	return lang.T("problem.capture.damaged")
}

// lookKeys name what an input that is not a capture looks like.
var lookKeys = map[capture.Look]string{
	capture.LookEmpty: "problem.look.empty", capture.LookZip: "problem.look.zip", capture.LookTar: "problem.look.tar",
	capture.LookRar7z: "problem.look.rar7z", capture.LookProgram: "problem.look.program", capture.LookPDF: "problem.look.pdf",
	capture.LookDamagedPcapng: "problem.look.pcapng", capture.LookHTML: "problem.look.html", capture.LookJSON: "problem.look.json",
	capture.LookText: "problem.look.text",
}

// look says what an input that is not a capture looks like.
func look(lang msg.Lang, e *capture.Error) string {
	if key, ok := lookKeys[e.Look]; ok {
		return lang.T(key)
	}
	return lang.F("problem.look.binary", fmt.Sprintf("% x", e.Head))
}

func headerError(lang msg.Lang, e *flows.HeaderError) string {
	switch e.Damage {
	case flows.DamageCutShort:
		return lang.F("problem.hdr.cut", e.Layer)
	case flows.DamageDataOffset:
		return lang.T("problem.hdr.offset")
	case flows.DamageIPv4HeaderLength:
		return lang.F("problem.hdr.ipv4.hlen", e.A, 4*e.A)
	case flows.DamageIPv4TotalLength:
		return lang.F("problem.hdr.ipv4.tlen", e.A)
	case flows.DamageIPv4Longer:
		return lang.F("problem.hdr.ipv4.long", e.A, e.B)
	case flows.DamageIPv4Ends:
		return lang.T("problem.hdr.ipv4.ends")
	case flows.DamageIPv4Short:
		return lang.F("problem.hdr.ipv4.cut", e.A)
	case flows.DamageIPv6Short:
		return lang.F("problem.hdr.ipv6.cut", e.A)
	case flows.DamageJumbogram:
		return lang.T("problem.hdr.jumbo")
	case flows.DamageIPv4Option:
		return lang.F("problem.hdr.ipv4.opt", e.A, e.B)
	case flows.DamageSLLAddress:
		return lang.F("problem.hdr.sll", e.A)
	case flows.DamageLoopbackFamily:
		return lang.F("problem.hdr.loopback", e.S)
	case flows.DamageGTPShort:
		return lang.F("problem.hdr.gtp", e.A)
	}
	return lang.T("problem.hdr.damaged")
}
