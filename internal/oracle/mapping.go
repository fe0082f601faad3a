package oracle

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Baseline is one row of oracles/zeek/mapping.tsv: a Zeek test baseline
// conn.log, the test it comes from and how Zeek was run.
type Baseline struct {
	Trace        string // trace path in Zeek's Traces directory
	CorpusFile   string // capture name in the corpus
	Test         string // btest name
	BaselineFile string // file name of the baseline (conn.log, conn-2.log, ...)
	BaselinePath string // path of the baseline in the Zeek repository
	CopiedTo     string // path relative to the oracles directory
	Role         string // "primary" or "alternate"
	TestScript   string
	ZeekCommand  string
	Notes        string // " | "-separated notes
}

// mappingColumns are the mapping.tsv columns, in the file's order.
var mappingColumns = []string{"trace", "corpus_file", "test", "baseline_file", "baseline_path",
	"copied_to", "role", "test_script", "zeek_command", "notes"}

// ReadMappingFile reads oracles/zeek/mapping.tsv.
func ReadMappingFile(name string) ([]Baseline, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	bs, err := ReadMapping(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return bs, nil
}

// ReadMapping parses mapping.tsv: a header row naming the columns, then
// tab-separated rows, read verbatim (the commands hold quotes of their own).
func ReadMapping(r io.Reader) ([]Baseline, error) {
	br := bufio.NewReader(r)
	var pos map[string]int
	var bs []Baseline
	for line := 1; ; line++ {
		s, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if s = strings.TrimRight(s, "\r\n"); s != "" {
			rec := strings.Split(s, "\t")
			if pos == nil {
				pos = map[string]int{}
				for i, h := range rec {
					pos[h] = i
				}
				for _, c := range mappingColumns {
					if _, ok := pos[c]; !ok {
						return nil, fmt.Errorf("header has no %s column", c)
					}
				}
			} else {
				g := func(c string) string {
					if i := pos[c]; i < len(rec) {
						return rec[i]
					}
					return ""
				}
				bs = append(bs, Baseline{
					Trace: g("trace"), CorpusFile: g("corpus_file"), Test: g("test"),
					BaselineFile: g("baseline_file"), BaselinePath: g("baseline_path"),
					CopiedTo: g("copied_to"), Role: g("role"), TestScript: g("test_script"),
					ZeekCommand: g("zeek_command"), Notes: g("notes"),
				})
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if pos == nil {
		return nil, errors.New("empty file: no header row")
	}
	return bs, nil
}

// LogPath is the conn.log's path under the oracles directory.
func (b Baseline) LogPath(oraclesDir string) string {
	return filepath.Join(oraclesDir, filepath.FromSlash(b.CopiedTo))
}

// NoteItems splits Notes at " | ".
func (b Baseline) NoteItems() []string {
	var out []string
	for _, n := range strings.Split(b.Notes, "|") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// Usable reports whether the baseline may be compared with synfin: it has
// no SkipReasons.
func (b Baseline) Usable() bool { return len(b.SkipReasons()) == 0 }

// SkipReasons lists why a baseline must not be compared; empty when usable.
// The rule:
//   - role is not "primary" (alternates are other tests on the same trace);
//   - the notes name script redefinitions ("redefs:"), or the Zeek command
//     line assigns a variable (name=value or name+=value);
//   - a packet filter is involved: -f/--filter on the command line, or
//     "filter" in the notes or the test name (e.g. the NetControl
//     packet-filter test, which cuts connections short);
//   - columns were cut (btest-diff-cut) so that the kept columns lack part
//     of the 5-tuple (rows cannot be matched) or both conn_state and history
//     (nothing to compare).
//
// Checksum handling is not a reason: see ChecksumNote.
func (b Baseline) SkipReasons() []string {
	var why []string
	if b.Role != "primary" {
		why = append(why, "role "+b.Role+" (not primary)")
	}
	if strings.Contains(b.Notes, "redefs:") {
		why = append(why, "test script redefines settings")
	}
	cmd := zeekInvocation(b.ZeekCommand)
	if cmd.assigns {
		why = append(why, "command line redefines settings")
	}
	if cmd.filter {
		why = append(why, "packet filter on the command line (-f)")
	}
	if strings.Contains(strings.ToLower(b.Notes), "filter") || strings.Contains(strings.ToLower(b.Test), "filter") {
		why = append(why, "packet filter named in the notes or test name")
	}
	if cut, ok := b.cutSpec(); ok {
		kept := func(c string) bool { return cut.keeps(c) }
		if !(kept("id.orig_h") && kept("id.orig_p") && kept("id.resp_h") && kept("id.resp_p")) {
			why = append(why, "columns cut: no 5-tuple")
		}
		if !kept("conn_state") && !kept("history") {
			why = append(why, "columns cut: neither conn_state nor history")
		}
	}
	return why
}

// ChecksumsIgnored reports whether Zeek ran with -C (bad checksums kept).
func (b Baseline) ChecksumsIgnored() bool { return zeekInvocation(b.ZeekCommand).checksums }

// ChecksumNote is the mapping's note on checksum handling ("no -C: packets
// with bad checksums are dropped by zeek" or "-C: checksums ignored"), to
// explain differences on captures with bad checksums; "" if none.
func (b Baseline) ChecksumNote() string {
	for _, n := range b.NoteItems() {
		if strings.Contains(strings.ToLower(n), "checksum") {
			return n
		}
	}
	return ""
}

// cutSpec is a parsed "btest-diff-cut [-flags] col... file" note.
type cutSpec struct {
	negate bool
	cols   map[string]bool
}

// keeps reports whether column c survives the cut.
func (s cutSpec) keeps(c string) bool {
	if s.negate {
		return !s.cols[c]
	}
	return len(s.cols) == 0 || s.cols[c]
}

// cutSpec finds the "columns cut: btest-diff-cut ..." note.
func (b Baseline) cutSpec() (cutSpec, bool) {
	for _, n := range b.NoteItems() {
		_, cmd, ok := strings.Cut(n, "btest-diff-cut")
		if !ok {
			continue
		}
		spec := cutSpec{cols: map[string]bool{}}
		args := strings.Fields(cmd)
		if len(args) > 0 && !strings.HasPrefix(args[len(args)-1], "-") {
			args = args[:len(args)-1] // the file being cut
		}
		for _, a := range args {
			if strings.HasPrefix(a, "-") {
				spec.negate = spec.negate || strings.Contains(a, "n")
				continue
			}
			spec.cols[a] = true
		}
		return spec, true
	}
	return cutSpec{}, false
}

// zeekCmd is what matters of a Zeek command line.
type zeekCmd struct {
	assigns, filter, checksums bool
}

var assignRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_:]*\s*[+-]?=`)

// zeekInvocation finds the zeek command of a shell line (pipelines and &&
// chains allowed) and reads its options: -f/--filter (packet filter), -C /
// --no-checksums, and name=value arguments (redefinitions).
func zeekInvocation(line string) zeekCmd {
	var z zeekCmd
	in := false
	for _, t := range shellWords(line) {
		switch {
		case t.op:
			in = false
			continue
		case !in:
			if !t.quoted && (t.s == "zeek" || strings.HasSuffix(t.s, "/zeek")) {
				in = true
			}
			continue
		}
		s := t.s
		switch {
		case t.quoted:
			// Arguments of options, or script code: only assignments matter.
		case s == "--filter" || strings.HasPrefix(s, "--filter="):
			z.filter = true
			continue
		case s == "--no-checksums":
			z.checksums = true
			continue
		case strings.HasPrefix(s, ">") || strings.HasPrefix(s, "<") || strings.HasPrefix(s, "2>"):
			continue
		case len(s) > 1 && s[0] == '-' && s[1] != '-':
			z.filter = z.filter || strings.ContainsRune(s[1:], 'f')
			z.checksums = z.checksums || strings.ContainsRune(s[1:], 'C')
			continue
		}
		if assignRE.MatchString(s) {
			z.assigns = true
		}
	}
	return z
}

// shellWord is a word of a shell line; op marks |, ||, && and ;.
type shellWord struct {
	s      string
	quoted bool
	op     bool
}

// shellWords splits a shell line into words, honouring single and double
// quotes (no escapes; enough for the mapping's commands).
func shellWords(line string) []shellWord {
	var out []shellWord
	var cur strings.Builder
	quoted, have := false, false
	var q byte
	flush := func() {
		if have {
			out = append(out, shellWord{s: cur.String(), quoted: quoted})
		}
		cur.Reset()
		quoted, have = false, false
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			q, quoted, have = c, true, true
		case c == ' ' || c == '\t':
			flush()
		case c == '|' || c == ';' || (c == '&' && i+1 < len(line) && line[i+1] == '&'):
			flush()
			if i+1 < len(line) && (line[i+1] == '|' || line[i+1] == '&') {
				i++
			}
			out = append(out, shellWord{s: string(c), op: true})
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	flush()
	return out
}
