package flows

// Flags is the TCP flags octet (RFC 9293 §3.1, RFC 3168 for ECE and CWR).
type Flags uint8

// TCP flag bits.
const (
	FlagFIN Flags = 1 << iota
	FlagSYN
	FlagRST
	FlagPSH
	FlagACK
	FlagURG
	FlagECE
	FlagCWR
)

// Has reports whether every bit of want is set.
func (f Flags) Has(want Flags) bool { return f&want == want }

// String prints the flags as tcpdump-like letters in wire order, most
// significant first ("CEUAPRSF"), with '.' for unset bits.
func (f Flags) String() string {
	const letters = "FSRPAUEC"
	var b [8]byte
	for i := 0; i < 8; i++ {
		if f&(1<<i) != 0 {
			b[7-i] = letters[i]
		} else {
			b[7-i] = '.'
		}
	}
	return string(b[:])
}
