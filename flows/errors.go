package flows

import "errors"

// ErrUnsupportedLink means the packet's link type has no decoder. It is a
// decoding error, so it lives here with the Decoder; the errors of opening
// and reading a capture are package capture's. Callers test for it with
// errors.Is.
var ErrUnsupportedLink = errors.New("unsupported link type")
