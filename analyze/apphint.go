package analyze

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/synfin/synfin/flows"
)

// AppHint names the application protocol from the first payload bytes of
// each direction (docs/spec.md §6, when asked): an HTTP/1 request line and Host and
// the status line; a TLS ClientHello's version, SNI and ALPN; SSH banners.
// It returns "" when the bytes say none of these. Text taken from the
// payload is escaped (control characters and non-UTF-8 as \xNN) and cut.
func AppHint(a *flows.AppBytes) string {
	if a == nil {
		return ""
	}
	cli, srv := a.Data[flows.DirClient], a.Data[flows.DirServer]
	var parts []string
	switch {
	case isHTTPRequest(cli):
		line := firstLine(cli)
		parts = append(parts, "http "+clean(line, 120))
		if h := header(cli, "host"); h != "" {
			parts = append(parts, "host="+clean([]byte(h), 80))
		}
		if bytes.HasPrefix(srv, []byte("HTTP/1.")) {
			parts = append(parts, "status "+clean(firstLine(srv), 80))
		}
	case len(cli) > 0 && cli[0] == 0x16:
		if h := clientHello(cli); h != "" {
			parts = append(parts, h)
		}
	case bytes.HasPrefix(cli, []byte("SSH-")) || bytes.HasPrefix(srv, []byte("SSH-")):
		if bytes.HasPrefix(cli, []byte("SSH-")) {
			parts = append(parts, "ssh client="+clean(firstLine(cli), 80))
		}
		if bytes.HasPrefix(srv, []byte("SSH-")) {
			parts = append(parts, "ssh server="+clean(firstLine(srv), 80))
		}
	case bytes.HasPrefix(srv, []byte("HTTP/1.")):
		parts = append(parts, "http status "+clean(firstLine(srv), 80))
	default:
		// TLS after a preamble: STARTTLS, a PostgreSQL SSLRequest, SOCKS.
		if i := findClientHello(cli); i > 0 {
			if h := clientHello(cli[i:]); h != "" {
				parts = append(parts, h+" (after "+strconv.Itoa(i)+" bytes)")
			}
		}
	}
	return strings.Join(parts, "; ")
}

// findClientHello returns where a TLS record holding a ClientHello starts
// in b, or -1.
func findClientHello(b []byte) int {
	for i := 0; i+6 <= len(b); i++ {
		if b[i] == 0x16 && b[i+1] == 0x03 && b[i+2] <= 0x04 && b[i+5] == 0x01 {
			return i
		}
	}
	return -1
}

var httpMethods = []string{"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "}

func isHTTPRequest(b []byte) bool {
	line := firstLine(b)
	if !bytes.Contains(line, []byte(" HTTP/1.")) {
		return false
	}
	for _, m := range httpMethods {
		if bytes.HasPrefix(b, []byte(m)) {
			return true
		}
	}
	return false
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return bytes.TrimRight(b, "\r")
}

// header returns the value of the first header named name (lower case)
// in an HTTP/1 head.
func header(b []byte, name string) string {
	for _, line := range bytes.Split(b, []byte("\n"))[1:] {
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if ok && strings.EqualFold(string(bytes.TrimSpace(k)), name) {
			return string(bytes.TrimSpace(v))
		}
	}
	return ""
}

// clean escapes what a terminal, CSV or JSON reader should not be handed
// raw and cuts the text to max runes.
func clean(b []byte, max int) string {
	var out strings.Builder
	n := 0
	for len(b) > 0 && n < max {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size <= 1, r < 0x20, r == 0x7f:
			out.WriteString(`\x` + strconv.FormatUint(uint64(b[0])>>4, 16) + strconv.FormatUint(uint64(b[0])&0xf, 16))
		default:
			out.WriteRune(r)
		}
		b = b[size:]
		n++
	}
	if len(b) > 0 {
		out.WriteString("…")
	}
	return out.String()
}

// clientHello reads a TLS ClientHello from the start of a stream: the
// version it offers (the highest of supported_versions when present), the
// server name and the ALPN protocols. A hello longer than the bytes kept
// gives what its first part holds.
func clientHello(b []byte) string {
	// Record header: type 22, version, length; handshake: type 1, length.
	if len(b) < 9 || b[0] != 0x16 || b[5] != 0x01 {
		return ""
	}
	p := b[9:]
	if len(p) < 2+32+1 {
		return "tls"
	}
	version := binary.BigEndian.Uint16(p)
	p = p[2+32:] // client_version, random
	skip := func(lenBytes int) bool {
		if len(p) < lenBytes {
			return false
		}
		n := 0
		for _, x := range p[:lenBytes] {
			n = n<<8 | int(x)
		}
		if len(p) < lenBytes+n {
			return false
		}
		p = p[lenBytes+n:]
		return true
	}
	var sni string
	var alpn []string
	if skip(1) && skip(2) && skip(1) && len(p) >= 2 { // session id, cipher suites, compression
		ext := p[2:]
		if n := int(binary.BigEndian.Uint16(p)); n < len(ext) {
			ext = ext[:n]
		}
		for len(ext) >= 4 {
			typ, n := binary.BigEndian.Uint16(ext), int(binary.BigEndian.Uint16(ext[2:]))
			body := ext[4:]
			if n > len(body) {
				break
			}
			body = body[:n]
			switch typ {
			case 0: // server_name: list length, type 0, name length, name
				if len(body) >= 5 && body[2] == 0 {
					if l := int(binary.BigEndian.Uint16(body[3:])); 5+l <= len(body) {
						sni = clean(body[5:5+l], 100)
					}
				}
			case 16: // ALPN: list length, then length-prefixed names
				for q := body[min(2, len(body)):]; len(q) > 0 && int(q[0]) < len(q); q = q[1+int(q[0]):] {
					alpn = append(alpn, clean(q[1:1+int(q[0])], 20))
				}
			case 43: // supported_versions: the highest offered
				if len(body) >= 1 {
					for q := body[1:min(len(body), 1+int(body[0]))]; len(q) >= 2; q = q[2:] {
						if v := binary.BigEndian.Uint16(q); v&0x0f0f != 0x0a0a && v > version { // not GREASE
							version = v
						}
					}
				}
			}
			ext = ext[4+n:]
		}
	}
	out := "tls " + tlsVersion(version)
	if sni != "" {
		out += " sni=" + sni
	}
	if len(alpn) > 0 {
		out += " alpn=" + strings.Join(alpn, ",")
	}
	return out
}

func tlsVersion(v uint16) string {
	switch v {
	case 0x0300:
		return "ssl3.0"
	case 0x0301:
		return "1.0"
	case 0x0302:
		return "1.1"
	case 0x0303:
		return "1.2"
	case 0x0304:
		return "1.3"
	}
	return "0x" + strconv.FormatUint(uint64(v), 16)
}
