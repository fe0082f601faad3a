package oracle

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Zeek column names, each with the names it is known under when a test
// renames it (Log::default_field_name_map, or JSON-style underscores).
var zeekAliases = map[string][]string{
	"id.orig_h":  {"id.orig_h", "src_ip", "id_orig_h", "orig_h"},
	"id.orig_p":  {"id.orig_p", "src_port", "id_orig_p", "orig_p"},
	"id.resp_h":  {"id.resp_h", "dst_ip", "id_resp_h", "resp_h"},
	"id.resp_p":  {"id.resp_p", "dst_port", "id_resp_p", "resp_p"},
	"uid":        {"uid"},
	"proto":      {"proto"},
	"service":    {"service"},
	"conn_state": {"conn_state"},
	"history":    {"history"},
}

// ZeekLog is one parsed conn.log.
type ZeekLog struct {
	// Capture is the capture the log was made from.
	Capture string
	// Columns are the column names as found in the file.
	Columns []string
	// HasTuple: all four id columns are present (under any alias), so rows
	// can be matched; HasState/HasHistory: the conn_state/history column is
	// present. A log cut by btest-diff-cut may lack any of them.
	HasTuple, HasState, HasHistory bool
	// Note explains how Zeek treated the capture (from the mapping: whether
	// bad-checksum packets were dropped); copied to every connection.
	Note string
	// Conns holds the TCP rows (every row when the log has no proto column).
	Conns []ZeekConn
	// NonTCP counts rows left out because proto was not tcp.
	NonTCP int
}

// Comparable reports whether the log itself allows a comparison: it has the
// 5-tuple and conn_state or history. The mapping does not record every
// column cut (some baselines were cut by the test script itself), so check
// this as well as Baseline.Usable.
func (l *ZeekLog) Comparable() bool { return l.HasTuple && (l.HasState || l.HasHistory) }

// ZeekConn is one conn.log row.
type ZeekConn struct {
	Capture string
	// Line is the 1-based line of the row in the log; rows are in log order.
	Line int
	UID  string
	// Orig and Resp are id.orig_h/p and id.resp_h/p; valid only if HasTuple.
	Orig, Resp netip.AddrPort
	HasTuple   bool
	Proto      string
	Service    string
	// ConnState and History hold the values; HasState/HasHistory say whether
	// the log has a value (the column exists and is not unset "-").
	ConnState, History   string
	HasState, HasHistory bool
	// Note is ZeekLog.Note.
	Note string
}

// ID names the row for reports (its uid, or the line when there is none).
func (c ZeekConn) ID() string {
	if c.UID != "" {
		return c.UID
	}
	return "line " + strconv.Itoa(c.Line)
}

// ReadZeekFile reads a conn.log file; the capture name is the file name
// without its .conn.log suffix (the naming of oracles/zeek).
func ReadZeekFile(name string) (*ZeekLog, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l, err := ReadZeek(f, strings.TrimSuffix(filepath.Base(name), ".conn.log"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return l, nil
}

// ReadZeekBaseline reads the conn.log of a mapping row from the oracles
// directory, with the baseline's corpus file as capture name and its
// checksum note as Note.
func ReadZeekBaseline(oraclesDir string, b Baseline) (*ZeekLog, error) {
	l, err := ReadZeekFile(b.LogPath(oraclesDir))
	if err != nil {
		return nil, err
	}
	l.Capture = b.CorpusFile
	l.Note = b.ChecksumNote()
	for i := range l.Conns {
		l.Conns[i].Capture = l.Capture
		l.Conns[i].Note = l.Note
	}
	return l, nil
}

// ReadZeek parses a Zeek conn.log in ASCII format. The header is the
// #fields line, or, for a log cut by btest-diff-cut -m, the first line that
// does not start with '#'. Lines starting with "###" (btest banners) are
// ignored. Unset values ("-") count as absent, "(empty)" as "".
func ReadZeek(r io.Reader, capture string) (*ZeekLog, error) {
	br := bufio.NewReader(r)
	l := &ZeekLog{Capture: capture}
	sep, unset, empty := "\t", "-", "(empty)"
	var idx map[string]int
	for line := 1; ; line++ {
		s, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		s = strings.TrimRight(s, "\r\n")
		switch {
		case s == "" || strings.HasPrefix(s, "###"):
		case strings.HasPrefix(s, "#separator "):
			sep = unescapeZeek(strings.TrimPrefix(s, "#separator "))
		case strings.HasPrefix(s, "#"):
			key, val, _ := strings.Cut(s[1:], sep)
			switch key {
			case "unset_field":
				unset = val
			case "empty_field":
				empty = val
			case "fields":
				idx = l.setColumns(strings.Split(val, sep))
			}
		case idx == nil:
			idx = l.setColumns(strings.Split(s, sep))
		default:
			f := strings.Split(s, sep)
			val := func(name string) (string, bool) {
				i, ok := idx[name]
				if !ok || i >= len(f) || f[i] == unset {
					return "", false
				}
				if f[i] == empty {
					return "", true
				}
				return f[i], true
			}
			c := ZeekConn{Capture: capture, Line: line}
			c.UID, _ = val("uid")
			c.Proto, _ = val("proto")
			if _, ok := idx["proto"]; ok && c.Proto != "tcp" {
				l.NonTCP++
				break
			}
			c.Service, _ = val("service")
			c.ConnState, c.HasState = val("conn_state")
			c.History, c.HasHistory = val("history")
			if l.HasTuple {
				oh, _ := val("id.orig_h")
				op, _ := val("id.orig_p")
				rh, _ := val("id.resp_h")
				rp, _ := val("id.resp_p")
				o, oerr := hostPort(oh, op)
				p, perr := hostPort(rh, rp)
				if oerr == nil && perr == nil {
					c.Orig, c.Resp, c.HasTuple = o, p, true
				}
			}
			l.Conns = append(l.Conns, c)
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if idx == nil {
		return nil, errors.New("no header (#fields or column line)")
	}
	return l, nil
}

// setColumns records the header and returns canonical name -> index.
func (l *ZeekLog) setColumns(cols []string) map[string]int {
	l.Columns = cols
	pos := map[string]int{}
	for i, c := range cols {
		pos[c] = i
	}
	idx := map[string]int{}
	for canon, names := range zeekAliases {
		for _, n := range names {
			if i, ok := pos[n]; ok {
				idx[canon] = i
				break
			}
		}
	}
	_, a := idx["id.orig_h"]
	_, b := idx["id.orig_p"]
	_, c := idx["id.resp_h"]
	_, d := idx["id.resp_p"]
	l.HasTuple = a && b && c && d
	_, l.HasState = idx["conn_state"]
	_, l.HasHistory = idx["history"]
	return idx
}

// hostPort builds an endpoint from Zeek's address and port columns.
func hostPort(h, p string) (netip.AddrPort, error) {
	a, err := netip.ParseAddr(h)
	if err != nil {
		return netip.AddrPort{}, err
	}
	n, err := strconv.ParseUint(p, 10, 16)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return netip.AddrPortFrom(a.WithZone(""), uint16(n)), nil
}

// unescapeZeek decodes the \xHH escapes of a #separator line.
func unescapeZeek(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
