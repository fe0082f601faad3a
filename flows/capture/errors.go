package capture

import (
	"errors"
	"fmt"
)

// Sentinel errors of opening a capture. Callers test for them with
// errors.Is.
var (
	// ErrNotCapture means the input is neither pcap nor pcapng (after any
	// decompression): nothing could be read.
	ErrNotCapture = errors.New("not a pcap or pcapng capture")
	// ErrUnsupportedFormat means a capture format synfin recognises but
	// cannot read (for example the modified-pcap variant).
	ErrUnsupportedFormat = errors.New("unsupported capture format")
)

// PacketError reports damage in a capture: the packet index (1-based, as
// Wireshark numbers frames), the byte offset of that packet's record in the
// (decompressed) stream, and the cause. Everything before it was analysed.
type PacketError struct {
	File   string
	Index  int   // 1-based number of the packet that could not be read
	Offset int64 // byte offset of its record header, -1 if unknown
	Err    error
}

func (e *PacketError) Error() string {
	if e.Offset >= 0 {
		return fmt.Sprintf("%s: packet %d at byte offset %d: %v", e.File, e.Index, e.Offset, e.Err)
	}
	return fmt.Sprintf("%s: packet %d: %v", e.File, e.Index, e.Err)
}

// Unwrap returns the cause.
func (e *PacketError) Unwrap() error { return e.Err }

// OpenError reports an input that could not be opened as a capture at all.
type OpenError struct {
	File string
	Err  error
}

func (e *OpenError) Error() string { return fmt.Sprintf("%s: %v", e.File, e.Err) }

// Unwrap returns the cause.
func (e *OpenError) Unwrap() error { return e.Err }

// Reason is what is wrong with a capture that could not be opened, or
// could not be read to its end: a closed set, so that a message in another
// language is made from an *Error's values, never from its English.
type Reason uint8

const (
	_ Reason = iota
	// NotCapture: neither pcap nor pcapng; Look says what it looks like
	// instead, Compression names the stream it was found in, if any.
	NotCapture
	// StreamEndsEarly: the Compression stream ends early; BeforeFirst
	// when no packet could be read at all.
	StreamEndsEarly
	// StreamDamaged: the Compression stream is damaged; Err is the
	// decompressor's error.
	StreamDamaged
	// StreamUnreadable: the decompressor refused the Compression stream's
	// header; Err says why.
	StreamUnreadable
	// HeaderCutShort: the Format's file header (pcap) or section header
	// block (pcapng) is cut short: Have of Want bytes.
	HeaderCutShort
	// HeaderDamaged: the Format's file or section header is damaged; Err
	// says how (an *Error of the version reasons, or pcapgo's error).
	HeaderDamaged
	// Modified: the modified (Kuznetsov) pcap variant, which synfin does
	// not read.
	Modified
	// RecordCutShort: the file ends in the middle of a packet record.
	RecordCutShort
	// RecordTooLarge: a packet record (Format pcap) or a pcapng block of
	// type Block claims Claim bytes, more than Limit.
	RecordTooLarge
	// BadBlockLength: a pcapng block of type Block has length Claim, not a
	// whole number of 32-bit words of at least 12.
	BadBlockLength
	// PcapngVersion: a pcapng section header of a version other than 1.0.
	PcapngVersion
	// PcapngByteOrder: a pcapng section header whose byte-order mark is
	// neither order.
	PcapngByteOrder
	// PcapVersion: pcap major version N, where pcap has 2.
	PcapVersion
	// PcapMinorVersion: pcap minor version N, where pcap has 4.
	PcapMinorVersion
)

// Look is what an input that is not a capture looks like, from its first
// bytes.
type Look uint8

const (
	LookBinary        Look = iota // none of the others: Error.Head holds its first bytes
	LookEmpty                     // no bytes at all
	LookZip                       // a ZIP archive
	LookTar                       // a tar archive
	LookRar7z                     // a RAR or 7-Zip archive
	LookProgram                   // an ELF or Windows program
	LookPDF                       // a PDF document
	LookDamagedPcapng             // pcapng's magic, its section header damaged
	LookHTML                      // an HTML page
	LookJSON                      // JSON text
	LookText                      // text
)

// Error is a capture's damage or an input that is not a capture, by
// Reason, with the values its message names. Its Error is synfin's English;
// package say gives it in other languages from the same fields.
type Error struct {
	Reason      Reason
	Format      string // "pcap" or "pcapng": whose header or record
	Compression string // the compressed stream it concerns
	Look        Look   // NotCapture: what the input looks like instead
	Head        []byte // LookBinary: the input's first bytes (at most 8)
	BeforeFirst bool   // StreamEndsEarly: before the first packet
	Have, Want  int    // HeaderCutShort: bytes there, bytes needed
	Block       uint32 // pcapng block type
	Claim       uint64 // RecordTooLarge, BadBlockLength: the length claimed
	Limit       uint64 // RecordTooLarge: the most a record may hold here
	N           int    // PcapVersion, PcapMinorVersion: the version found
	Err         error  // the cause, for StreamDamaged, StreamUnreadable, HeaderDamaged
}

func (e *Error) Error() string {
	switch e.Reason {
	case NotCapture:
		if e.Compression != "" {
			return fmt.Sprintf("%v: %s stream holds no capture; it %s", ErrNotCapture, e.Compression, e.looks())
		}
		return fmt.Sprintf("%v: it %s", ErrNotCapture, e.looks())
	case StreamEndsEarly:
		if e.BeforeFirst {
			return fmt.Sprintf("%s stream ends early, before the first packet: the file is cut short", e.Compression)
		}
		return fmt.Sprintf("%s stream ends early: the file is cut short", e.Compression)
	case StreamDamaged:
		return fmt.Sprintf("%s stream is damaged: %v", e.Compression, e.Err)
	case StreamUnreadable:
		return fmt.Sprintf("%s stream: %v", e.Compression, e.Err)
	case HeaderCutShort:
		if e.Format == "pcapng" {
			return fmt.Sprintf("the pcapng section header block is cut short: %d of at least %d bytes", e.Have, e.Want)
		}
		return fmt.Sprintf("the pcap file header is cut short: %d of %d bytes", e.Have, e.Want)
	case HeaderDamaged:
		if e.Format == "pcapng" {
			return fmt.Sprintf("pcapng section header is damaged: %v", e.Err)
		}
		return fmt.Sprintf("pcap file header is damaged: %v", e.Err)
	case Modified:
		return fmt.Sprintf("%v: modified (Kuznetsov) pcap; convert it with editcap -F pcap", ErrUnsupportedFormat)
	case RecordCutShort:
		return "file ends in the middle of a packet record (cut short)"
	case RecordTooLarge:
		what := "packet record"
		if e.Format == "pcapng" {
			what = fmt.Sprintf("pcapng block of type 0x%x", e.Block)
		}
		return fmt.Sprintf("%s claims %d bytes, more than the %d a record may hold here; reading stops", what, e.Claim, e.Limit)
	case BadBlockLength:
		return fmt.Sprintf("pcapng block of type 0x%x has length %d, which is not a whole number of 32-bit words of at least 12; reading stops", e.Block, e.Claim)
	case PcapngVersion:
		return "a pcapng section header of a version other than 1.0"
	case PcapngByteOrder:
		return "a pcapng section header whose byte-order mark is neither order"
	case PcapVersion:
		return fmt.Sprintf("pcap version %d, where pcap has version 2", e.N)
	case PcapMinorVersion:
		return fmt.Sprintf("pcap minor version %d, where pcap has 4", e.N)
	}
	return "damaged capture"
}

// looks says what the input looks like, after "it".
func (e *Error) looks() string {
	switch e.Look {
	case LookEmpty:
		return "is empty"
	case LookZip:
		return "looks like a ZIP archive (extract the capture first)"
	case LookTar:
		return "looks like a tar archive (extract the capture first)"
	case LookRar7z:
		return "looks like a RAR or 7-Zip archive (extract the capture first)"
	case LookProgram:
		return "looks like a program, not a capture"
	case LookPDF:
		return "looks like a PDF document"
	case LookDamagedPcapng:
		return "starts like pcapng but its section header is damaged"
	case LookHTML:
		return "looks like an HTML page"
	case LookJSON:
		return "looks like JSON text"
	case LookText:
		return "looks like a text file"
	}
	return fmt.Sprintf("is not a capture (first bytes % x)", e.Head)
}

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is makes an input that is not a capture ErrNotCapture, and the modified
// pcap ErrUnsupportedFormat, for errors.Is.
func (e *Error) Is(target error) bool {
	return target == ErrNotCapture && e.Reason == NotCapture || target == ErrUnsupportedFormat && e.Reason == Modified
}

// inWords gives an error of pcapgo's reader in synfin's words where it
// knows it (ok), and returns err itself where it does not.
// InputError is an error of the reader a capture is opened on, such as an
// archive's member cut short: it is said as it is, also from under a
// decompressor, not as damage to the compression stream.
type InputError interface {
	error
	InputError()
}

func inWords(err error) (_ error, ok bool) {
	msg := err.Error()
	var v int
	switch {
	case msg == "Unknown pcapng Version in Section Header":
		return &Error{Reason: PcapngVersion}, true
	case msg == "Wrong byte order value in Section Header":
		return &Error{Reason: PcapngByteOrder}, true
	case scanInt(msg, "Unknown major version %d", &v):
		return &Error{Reason: PcapVersion, N: v}, true
	case scanInt(msg, "Unknown minor version %d", &v):
		return &Error{Reason: PcapMinorVersion, N: v}, true
	}
	return err, false
}

func scanInt(msg, format string, v *int) bool {
	n, err := fmt.Sscanf(msg, format, v)
	return err == nil && n == 1
}

// plain is err in synfin's words where inWords knows it.
func plain(err error) error {
	w, _ := inWords(err)
	return w
}
