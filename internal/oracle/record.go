package oracle

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"path"
	"strings"
	"time"
)

// Record is the subset of a synfin JSON Lines record (docs/spec.md §7) that the
// comparisons need. Values that the schema allows to be JSON null are
// pointers and decode to nil.
type Record struct {
	Schema       int       `json:"schema"`
	File         string    `json:"file"`
	Conn         int       `json:"conn"`
	Client       string    `json:"client"`
	Server       string    `json:"server"`
	ClientBy     string    `json:"client_by"`
	State        *string   `json:"state"`
	History      *string   `json:"history"`
	Completeness *int      `json:"completeness"`
	Handshake    Handshake `json:"handshake"`
	Teardown     Teardown  `json:"teardown"`
	Stats        Stats     `json:"stats"`
}

// Handshake is the handshake object of a Record.
type Handshake struct {
	Status        string   `json:"status"`
	SynTS         *string  `json:"syn_ts"`
	SynAckTS      *string  `json:"synack_ts"`
	AckTS         *string  `json:"ack_ts"`
	SynCount      *int     `json:"syn_count"`
	SynAckCount   *int     `json:"synack_count"`
	RTTMs         *float64 `json:"rtt_ms"`
	IRTTMs        *float64 `json:"irtt_ms"`
	SynSynAckMs   *float64 `json:"syn_synack_ms"`
	SynAckAckMs   *float64 `json:"synack_ack_ms"`
	ClientISN     *uint32  `json:"client_isn"`
	ServerISN     *uint32  `json:"server_isn"`
	SynOptions    *Options `json:"syn_options"`
	SynAckOptions *Options `json:"synack_options"`
}

// Options is the option summary of a SYN or SYN-ACK in a Record.
type Options struct {
	MSS      *int    `json:"mss"`
	WScale   *int    `json:"wscale"`
	SackPerm *bool   `json:"sack_perm"`
	TSVal    *uint32 `json:"ts_val"`
	TSEcr    *uint32 `json:"ts_ecr"`
	Layout   *string `json:"layout"`
	Window   *int    `json:"window"`
	TTL      *int    `json:"ttl"`
	DF       *bool   `json:"df"`
}

// Teardown is the teardown object of a Record.
type Teardown struct {
	Kind   string  `json:"kind"`
	Closer *string `json:"closer"`
}

// Stats is the part of a Record's stats object used here.
type Stats struct {
	ClientPkts int `json:"client_pkts"`
	ServerPkts int `json:"server_pkts"`
}

// Capture returns the capture name of the record: the base name of File,
// which is how oracle files are named.
func (r Record) Capture() string { return captureKey(r.File) }

// ClientAddr parses Client ("ip:port", IPv6 as "[addr]:port").
func (r Record) ClientAddr() (netip.AddrPort, error) { return parseEndpoint(r.Client) }

// ServerAddr parses Server ("ip:port", IPv6 as "[addr]:port").
func (r Record) ServerAddr() (netip.AddrPort, error) { return parseEndpoint(r.Server) }

// SynTime returns handshake.syn_ts parsed as RFC 3339; ok is false when it
// is null or does not parse.
func (r Record) SynTime() (t time.Time, ok bool) {
	if r.Handshake.SynTS == nil {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, *r.Handshake.SynTS)
	return t, err == nil
}

// ReadRecords decodes synfin's JSON Lines output: one JSON object per line;
// blank lines are ignored. An error names the 1-based line.
func ReadRecords(r io.Reader) ([]Record, error) {
	br := bufio.NewReader(r)
	var recs []Record
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			var rec Record
			if jerr := json.Unmarshal(b, &rec); jerr != nil {
				return recs, fmt.Errorf("line %d: %w", line, jerr)
			}
			recs = append(recs, rec)
		}
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return recs, fmt.Errorf("line %d: %w", line, err)
		}
	}
}

// parseEndpoint parses "ip:port" or "[ipv6]:port" and normalises the address
// (zone dropped) so that it compares equal to one read from an oracle.
func parseEndpoint(s string) (netip.AddrPort, error) {
	ap, err := netip.ParseAddrPort(strings.TrimSpace(s))
	if err != nil {
		return netip.AddrPort{}, err
	}
	return netip.AddrPortFrom(ap.Addr().WithZone(""), ap.Port()), nil
}

// captureKey reduces a file name or path to the name oracle files use.
func captureKey(file string) string {
	if file == "" {
		return ""
	}
	return path.Base(strings.ReplaceAll(file, "\\", "/"))
}
