package oracle

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// TCP flag bits as printed in tshark's tcp.flags column.
const (
	flagFIN = 0x01
	flagSYN = 0x02
	flagRST = 0x04
	flagACK = 0x10
)

// TsharkLog is one parsed oracles/tshark/<capture>.tsv file.
type TsharkLog struct {
	// Capture is the capture the file describes (the file name without .tsv).
	Capture string
	// Conns holds one entry per tcp.stream, in stream order.
	Conns []TsharkConn
	// Skipped lists the rows left out, with the reason (see the package doc).
	Skipped []SkippedRow
}

// SkippedRow is a tshark row that was not used.
type SkippedRow struct {
	Line   int    // 1-based line in the file
	Frame  string // frame.number as printed
	Reason string
}

// TsharkSegment holds what tshark showed for one SYN or SYN-ACK.
type TsharkSegment struct {
	Frame int
	Time  time.Time
	// MSS is tcp.options.mss_val; nil when the segment had no MSS option.
	MSS *int
	// WScale is tcp.options.wscale.shift; nil when absent.
	WScale *int
	// Layout is tcp.option_kind exactly as printed ("2,4,8,1,3"; "" for a
	// segment without options); nil when unknown (two TCP headers in the row).
	Layout *string
	// SackPerm is true when tcp.options.sack_perm is present.
	SackPerm bool
	// TSVal is tcp.options.timestamp.tsval; nil when absent.
	TSVal *uint32
	// Window is tcp.window_size_value, the raw (unscaled) window.
	Window *int
}

// TsharkConn is what the tshark oracle says about one tcp.stream.
type TsharkConn struct {
	Capture string
	Stream  int
	// Client and Server: the sender of the first SYN without ACK, else the
	// receiver of the first SYN-ACK (ClientBy "syn" or "synack"). With
	// neither, ClientBy is "" and Client/Server are the source and
	// destination of the stream's first row, an arbitrary orientation.
	Client, Server netip.AddrPort
	ClientBy       string
	// ClientISN is tcp.seq_raw of the first SYN without ACK; ServerISN that
	// of the first SYN-ACK. Nil when that segment is not in the oracle.
	ClientISN, ServerISN *uint32
	// Syn and SynAck are the first SYN (without ACK) and first SYN-ACK; nil
	// when not seen.
	Syn, SynAck *TsharkSegment
	// SynCount counts SYNs without ACK from the client with the client ISN;
	// SynAckCount SYN-ACKs from the server with the server ISN.
	SynCount, SynAckCount int
	// IRTTMs is the first non-empty tcp.analysis.initial_rtt, in ms.
	IRTTMs *float64
	// Completeness is tcp.completeness (the final per-stream value: -2).
	Completeness *int
	// Refused: a SYN was seen, no SYN-ACK, and the server sent a RST+ACK.
	// tshark reports an iRTT for it; synfin does not.
	Refused bool
	// FirstTime is the time of the stream's first row in the oracle, i.e.
	// of its first SYN, FIN or RST (the oracle holds no other packets).
	FirstTime time.Time
	// Rows is the number of oracle rows of the stream; SYNs, FINs and RSTs
	// count the rows with each flag set.
	Rows, SYNs, FINs, RSTs int
	// Tunnelled is true when an address field held several values or both
	// IPv4 and IPv6 addresses (see the package doc).
	Tunnelled bool
}

// ID names the stream for reports ("stream 3").
func (c TsharkConn) ID() string { return "stream " + strconv.Itoa(c.Stream) }

// tsharkRow is one usable row of a tshark TSV.
type tsharkRow struct {
	line, frame  int
	t            time.Time
	stream       int
	src, dst     netip.AddrPort
	tunnelled    bool
	flags        uint16
	seq          *uint32
	irtt         string
	seg          TsharkSegment
	completeness *int
}

// ReadTsharkFile reads a tshark TSV file; the capture name is the file name
// without its .tsv suffix.
func ReadTsharkFile(name string) (*TsharkLog, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l, err := ReadTshark(f, strings.TrimSuffix(filepath.Base(name), ".tsv"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return l, nil
}

// ReadTshark parses a tshark TSV (header row; columns named as in the corpus
// README) and derives one TsharkConn per tcp.stream.
func ReadTshark(r io.Reader, capture string) (*TsharkLog, error) {
	br := bufio.NewReader(r)
	log := &TsharkLog{Capture: capture}
	var col map[string]int
	byStream := map[int][]tsharkRow{}
	for line := 1; ; line++ {
		s, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		s = strings.TrimRight(s, "\r\n")
		if s != "" {
			fields := strings.Split(s, "\t")
			if col == nil {
				col = map[string]int{}
				for i, n := range fields {
					col[n] = i
				}
				for _, n := range []string{"frame.number", "frame.time_epoch", "tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.flags"} {
					if _, ok := col[n]; !ok {
						return nil, fmt.Errorf("line %d: header has no %s column", line, n)
					}
				}
			} else {
				row, reason, perr := parseTsharkRow(col, fields, line)
				if perr != nil {
					return nil, perr
				}
				if reason != "" {
					log.Skipped = append(log.Skipped, SkippedRow{Line: line, Frame: get(col, fields, "frame.number"), Reason: reason})
				} else {
					byStream[row.stream] = append(byStream[row.stream], row)
				}
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if col == nil {
		return nil, errors.New("empty file: no header row")
	}
	streams := make([]int, 0, len(byStream))
	for s := range byStream {
		streams = append(streams, s)
	}
	sort.Ints(streams)
	for _, s := range streams {
		log.Conns = append(log.Conns, deriveTsharkConn(capture, s, byStream[s]))
	}
	return log, nil
}

// get returns a column's raw value, "" when the column or value is missing.
func get(col map[string]int, fields []string, name string) string {
	i, ok := col[name]
	if !ok || i >= len(fields) {
		return ""
	}
	return strings.TrimSpace(fields[i])
}

// splitVals splits a comma-joined field; nil for an empty field.
func splitVals(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// last returns the last of the comma-joined values of s ("" if none).
func last(s string) string {
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		return s[i+1:]
	}
	return s
}

// parseTsharkRow parses one data row. A non-empty reason means the row is
// skipped; an error means the file is not a tshark oracle.
func parseTsharkRow(col map[string]int, f []string, line int) (row tsharkRow, reason string, err error) {
	row.line = line
	bad := func(name string, e error) (tsharkRow, string, error) {
		return row, "", fmt.Errorf("line %d: %s: %w", line, name, e)
	}
	streams := splitVals(get(col, f, "tcp.stream"))
	if len(streams) == 0 {
		return row, "no tcp.stream", nil
	}
	for _, s := range streams[1:] {
		if s != streams[0] {
			return row, "several tcp.stream values (two TCP headers in different streams)", nil
		}
	}
	if row.stream, err = strconv.Atoi(streams[0]); err != nil {
		return bad("tcp.stream", err)
	}
	if row.frame, err = strconv.Atoi(last(get(col, f, "frame.number"))); err != nil {
		return bad("frame.number", err)
	}
	if row.t, err = parseEpoch(get(col, f, "frame.time_epoch")); err != nil {
		return bad("frame.time_epoch", err)
	}
	fl, err := strconv.ParseUint(last(get(col, f, "tcp.flags")), 0, 16)
	if err != nil {
		return bad("tcp.flags", err)
	}
	row.flags = uint16(fl)
	sport, err := strconv.ParseUint(last(get(col, f, "tcp.srcport")), 10, 16)
	if err != nil {
		return bad("tcp.srcport", err)
	}
	dport, err := strconv.ParseUint(last(get(col, f, "tcp.dstport")), 10, 16)
	if err != nil {
		return bad("tcp.dstport", err)
	}
	twoTCP := strings.Contains(get(col, f, "tcp.srcport"), ",")

	src, dst, tunnelled, reason, err := rowAddrs(col, f)
	if err != nil {
		return bad("address", err)
	}
	if reason != "" {
		return row, reason, nil
	}
	row.src = netip.AddrPortFrom(src, uint16(sport))
	row.dst = netip.AddrPortFrom(dst, uint16(dport))
	row.tunnelled = tunnelled

	if row.seq, err = optUint32(last(get(col, f, "tcp.seq_raw"))); err != nil {
		return bad("tcp.seq_raw", err)
	}
	row.irtt = last(get(col, f, "tcp.analysis.initial_rtt"))
	seg := TsharkSegment{Frame: row.frame, Time: row.t}
	if seg.MSS, err = optInt(last(get(col, f, "tcp.options.mss_val"))); err != nil {
		return bad("tcp.options.mss_val", err)
	}
	if seg.WScale, err = optInt(last(get(col, f, "tcp.options.wscale.shift"))); err != nil {
		return bad("tcp.options.wscale.shift", err)
	}
	if !twoTCP {
		layout := get(col, f, "tcp.option_kind")
		seg.Layout = &layout
	}
	seg.SackPerm = last(get(col, f, "tcp.options.sack_perm")) != ""
	if seg.TSVal, err = optUint32(last(get(col, f, "tcp.options.timestamp.tsval"))); err != nil {
		return bad("tcp.options.timestamp.tsval", err)
	}
	if seg.Window, err = optInt(last(get(col, f, "tcp.window_size_value"))); err != nil {
		return bad("tcp.window_size_value", err)
	}
	row.seg = seg
	if row.completeness, err = optInt(last(get(col, f, "tcp.completeness"))); err != nil {
		return bad("tcp.completeness", err)
	}
	return row, "", nil
}

// rowAddrs picks the addresses of the TCP header's IP header: the last of
// each comma-joined list, IPv6 over IPv4 when a row has both families. A
// non-empty reason marks an ICMP-quoted header (outer destination = quoted
// source), which is skipped.
func rowAddrs(col map[string]int, f []string) (src, dst netip.Addr, tunnelled bool, reason string, err error) {
	pick := func(sName, dName string) (s, d netip.Addr, n int, quoted bool, err error) {
		ss, ds := splitVals(get(col, f, sName)), splitVals(get(col, f, dName))
		if len(ss) == 0 || len(ds) == 0 {
			return s, d, 0, false, nil
		}
		if s, err = netip.ParseAddr(ss[len(ss)-1]); err != nil {
			return
		}
		if d, err = netip.ParseAddr(ds[len(ds)-1]); err != nil {
			return
		}
		n = max(len(ss), len(ds))
		if len(ss) >= 2 && len(ds) >= 2 && ds[len(ds)-2] == ss[len(ss)-1] {
			quoted = true
		}
		return s, d, n, quoted, nil
	}
	s4, d4, n4, q4, err := pick("ip.src", "ip.dst")
	if err != nil {
		return
	}
	s6, d6, n6, q6, err := pick("ipv6.src", "ipv6.dst")
	if err != nil {
		return
	}
	switch {
	case n6 > 0:
		if q6 {
			return src, dst, false, "ICMPv6 error quoting a TCP header", nil
		}
		return s6, d6, n6 > 1 || n4 > 0, "", nil
	case n4 > 0:
		if q4 {
			return src, dst, false, "ICMP error quoting a TCP header", nil
		}
		return s4, d4, n4 > 1, "", nil
	}
	return src, dst, false, "no IP addresses", nil
}

// parseEpoch parses frame.time_epoch ("1523241953.739049000") exactly.
func parseEpoch(s string) (time.Time, error) {
	s = last(s)
	secs, frac, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	var nsec int64
	if frac != "" {
		if len(frac) > 9 {
			frac = frac[:9]
		}
		frac += strings.Repeat("0", 9-len(frac))
		if nsec, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return time.Time{}, err
		}
	}
	return time.Unix(sec, nsec).UTC(), nil
}

func optInt(s string) (*int, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

func optUint32(s string) (*uint32, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return nil, err
	}
	u := uint32(v)
	return &u, nil
}

// deriveTsharkConn summarises the rows of one stream (in frame order).
func deriveTsharkConn(capture string, stream int, rows []tsharkRow) TsharkConn {
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].frame < rows[j].frame })
	c := TsharkConn{Capture: capture, Stream: stream, Rows: len(rows), FirstTime: rows[0].t}
	var syn, synack *tsharkRow
	for i := range rows {
		r := &rows[i]
		c.Tunnelled = c.Tunnelled || r.tunnelled
		if r.flags&flagSYN != 0 {
			c.SYNs++
		}
		if r.flags&flagFIN != 0 {
			c.FINs++
		}
		if r.flags&flagRST != 0 {
			c.RSTs++
		}
		switch r.flags & (flagSYN | flagACK) {
		case flagSYN:
			if syn == nil {
				syn = r
			}
		case flagSYN | flagACK:
			if synack == nil {
				synack = r
			}
		}
		if c.IRTTMs == nil && r.irtt != "" {
			if v, err := strconv.ParseFloat(r.irtt, 64); err == nil {
				ms := v * 1000
				c.IRTTMs = &ms
			}
		}
		if r.completeness != nil {
			c.Completeness = r.completeness
		}
	}
	switch {
	case syn != nil:
		c.Client, c.Server, c.ClientBy = syn.src, syn.dst, "syn"
	case synack != nil:
		c.Client, c.Server, c.ClientBy = synack.dst, synack.src, "synack"
	default:
		c.Client, c.Server = rows[0].src, rows[0].dst
	}
	if syn != nil {
		c.ClientISN = syn.seq
		seg := syn.seg
		c.Syn = &seg
	}
	if synack != nil {
		c.ServerISN = synack.seq
		seg := synack.seg
		c.SynAck = &seg
	}
	for _, r := range rows {
		switch {
		case r.flags&(flagSYN|flagACK) == flagSYN && r.src == c.Client && eqU32(r.seq, c.ClientISN):
			c.SynCount++
		case r.flags&(flagSYN|flagACK) == flagSYN|flagACK && r.src == c.Server && eqU32(r.seq, c.ServerISN):
			c.SynAckCount++
		case syn != nil && synack == nil && r.flags&(flagRST|flagACK) == flagRST|flagACK && r.src == c.Server:
			c.Refused = true
		}
	}
	return c
}

func eqU32(a, b *uint32) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
