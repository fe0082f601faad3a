package table

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/synfin/synfin/analyze"
)

// Packet is one packet carrying tcp.analysis flags (--packets).
type Packet struct {
	File  string       `json:"file"`
	Frame int          `json:"frame"`
	TS    analyze.Time `json:"ts"`
	Conn  int          `json:"conn"`
	From  string       `json:"from"` // client or server
	Flags []string     `json:"flags"`
}

// WritePackets lists flagged packets (--packets): a table, Markdown, CSV,
// JSON or JSON Lines; multi adds the file column.
func WritePackets(w io.Writer, format Format, pkts []Packet, multi bool) error {
	switch format {
	case JSON, JSONL:
		if format == JSON {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			if pkts == nil {
				pkts = []Packet{}
			}
			return enc.Encode(pkts)
		}
		enc := json.NewEncoder(w)
		for _, p := range pkts {
			if err := enc.Encode(p); err != nil {
				return err
			}
		}
		return nil
	}
	header := []string{"frame", "time", "conn", "from", "flags"}
	if multi {
		header = append([]string{"file"}, header...)
	}
	rows := make([][]string, len(pkts))
	for i, p := range pkts {
		r := []string{itoa(p.Frame), p.TS.String(), itoa(p.Conn), p.From, strings.Join(p.Flags, ",")}
		if multi {
			r = append([]string{p.File}, r...)
		}
		rows[i] = r
	}
	text := -1
	if multi {
		text = 0
	}
	return WriteGrid(w, format, header, rows, text)
}
