package outfile

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/table"
)

// NotAnInput refuses an output that is one of the inputs: the same file by
// device and inode, so that a symbolic link, a second name or a directory
// input holding it is caught too. An output not there yet cannot be an
// input.
func NotAnInput(output string, inputs []string) error {
	out, err := os.Stat(output)
	if err != nil {
		return nil
	}
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		if fi, err := os.Stat(in); err == nil && os.SameFile(out, fi) {
			if in == output {
				return msg.E("cli.out.input", output)
			}
			return msg.E("cli.out.same", output, in)
		}
	}
	return nil
}

// captureMagic are the first bytes of captures and of the compressed
// files synfin reads as captures: a file that starts so is somebody's
// capture, never overwritten without --force.
var captureMagic = [][]byte{
	{0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4}, // pcap, µs
	{0x4d, 0x3c, 0xb2, 0xa1}, {0xa1, 0xb2, 0x3c, 0x4d}, // pcap, ns
	{0x34, 0xcd, 0xb2, 0xa1}, {0xa1, 0xb2, 0xcd, 0x34}, // modified pcap
	{0x0a, 0x0d, 0x0d, 0x0a},         // pcapng
	{0x1f, 0x8b},                     // gzip
	{0x28, 0xb5, 0x2f, 0xfd},         // zstd
	{0x04, 0x22, 0x4d, 0x18},         // lz4
	{0xfd, '7', 'z', 'X', 'Z', 0x00}, // xz
	{'B', 'Z', 'h'},                  // bzip2
}

// NotACapture refuses to overwrite a file that is a capture, or a
// compressed file that may hold one, unless force is set.
func NotACapture(output string, force bool) error {
	if force {
		return nil
	}
	fi, err := os.Stat(output)
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(output)
	if err != nil {
		return nil // what cannot be read is not known to be a capture; creating it says what is wrong
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	for _, m := range captureMagic {
		if n >= len(m) && bytes.Equal(head[:len(m)], m) {
			return msg.E("cli.out.capture", output)
		}
	}
	return nil
}

// ExtensionFormat is the format an output name's extension names: one
// synfin writes, ok; one it does not (.pdf, .pcap), foreign; none it
// knows (.txt, .out, no extension), neither.
func ExtensionFormat(output string) (f table.Format, ok bool, foreign string) {
	ext := strings.ToLower(filepath.Ext(output))
	switch ext {
	case ".csv":
		return table.CSV, true, ""
	case ".json":
		return table.JSON, true, ""
	case ".jsonl", ".ndjson":
		return table.JSONL, true, ""
	case ".md", ".markdown":
		return table.Markdown, true, ""
	case ".html", ".htm":
		return table.HTML, true, ""
	case ".svg":
		return table.SVG, true, ""
	case ".parquet":
		return table.Parquet, true, ""
	}
	switch ext {
	case ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".doc", ".docx", ".odt", ".rtf",
		".xls", ".xlsx", ".ods", ".tsv", ".xml", ".yaml", ".yml", ".tex",
		".pcap", ".pcapng", ".cap", ".ntar", ".erf",
		".gz", ".zst", ".xz", ".lz4", ".bz2", ".zip", ".tar", ".tgz", ".7z":
		return table.Raw, false, ext
	}
	return table.Raw, false, ""
}

// formatName is how a refusal names a format, in the message's language.
func formatName(f table.Format) msg.Sayer {
	switch f {
	case table.Text, table.Markdown, table.JSONL, table.Parquet:
		return msg.E("cli.fmt." + string(f))
	}
	return msg.E("%s", strings.ToUpper(string(f)))
}

// extensionOf is the usual extension of a format, for advice.
func extensionOf(f table.Format) string {
	switch f {
	case table.Text:
		return ".txt"
	case table.Markdown:
		return ".md"
	}
	return "." + string(f)
}

// MatchesFormat refuses an output name whose extension names another
// format than the one being written (-o r.pdf with Markdown, -f csv -o
// x.json). An extension synfin does not know keeps the format written.
func MatchesFormat(output string, written table.Format) error {
	f, ok, foreign := ExtensionFormat(output)
	renamed := strings.TrimSuffix(output, filepath.Ext(output)) + extensionOf(written)
	switch {
	case foreign != "":
		return msg.E("cli.out.foreign", output, strings.TrimPrefix(foreign, "."), formatName(written), renamed)
	case ok && f != written:
		return msg.E("cli.out.mismatch", output, formatName(f), formatName(written), renamed, string(f))
	}
	return nil
}

// Checks runs every refusal in the order a user meets them.
func Checks(output string, inputs []string, written table.Format, force bool) error {
	if output == "" {
		return nil
	}
	for _, err := range []error{NotAnInput(output, inputs), MatchesFormat(output, written), NotACapture(output, force)} {
		if err != nil {
			return err
		}
	}
	return nil
}
