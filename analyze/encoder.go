package analyze

// Encoder appends a record's encoding, one line of JSON Lines or CSV, to
// dst, or nothing to leave the record out. An Encoder serves one
// goroutine; several encode a large capture's records at once.
type Encoder interface {
	AppendRecord(dst []byte, r *Record) []byte
}

// Encoders makes an Encoder for each goroutine that encodes.
type Encoders interface {
	NewEncoder() Encoder
}
