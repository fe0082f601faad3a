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

	"github.com/synfin/synfin/analyze"
)

// captureOf is the capture name of a record: the base name of its file,
// which is how oracle files are named.
func captureOf(r *analyze.Record) string { return captureKey(r.File) }

// ReadRecords decodes synfin's JSON Lines output (a file written by synfin
// -f jsonl) into records: one JSON object per line; blank lines are
// ignored. An error names the 1-based line.
func ReadRecords(r io.Reader) ([]analyze.Record, error) {
	br := bufio.NewReader(r)
	var recs []analyze.Record
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			var rec analyze.Record
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
