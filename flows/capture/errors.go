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

// inWords gives an error of pcapgo's reader in synfin's words where it
// knows it (ok), and returns err itself where it does not.
func inWords(err error) (_ error, ok bool) {
	msg := err.Error()
	var v int
	switch {
	case msg == "Unknown pcapng Version in Section Header":
		return errors.New("a pcapng section header of a version other than 1.0"), true
	case msg == "Wrong byte order value in Section Header":
		return errors.New("a pcapng section header whose byte-order mark is neither order"), true
	case scanInt(msg, "Unknown major version %d", &v):
		return fmt.Errorf("pcap version %d, where pcap has version 2", v), true
	case scanInt(msg, "Unknown minor version %d", &v):
		return fmt.Errorf("pcap minor version %d, where pcap has 4", v), true
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
