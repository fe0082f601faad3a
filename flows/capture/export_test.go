package capture

// SetDecompressLimit sets decompressLimit for the fuzz harness, which is an
// external test package (it decodes packets with package flows, which
// imports this one) and so cannot set the unexported knob itself. It exists
// only in test builds.
func SetDecompressLimit(n int64) { decompressLimit = n }
