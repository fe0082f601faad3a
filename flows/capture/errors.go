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
