// Package manpage writes synfin(1) in roff from the texts and flags synfin's
// --help prints from, given as a Command, so the page cannot drift from them.
package manpage

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/pflag"
)

// Command is what the page is written from: the texts --help and each
// view's --help print, the flag set synfin parses and which views take
// each flag, and the exit statuses.
type Command struct {
	Version      string
	Usage        string            // --help's text
	DefaultView  string            // the view without an operand
	Views        []string          // the views help documents, in order
	ViewHelp     map[string]string // synfin help VIEW
	ViewExamples map[string]string // each view's example command
	ViewFlags    map[string][]string
	TakenBy      func(flag string) []string // the views that take a flag
	Shells       []string                   // what synfin completion writes for
	Flags        *pflag.FlagSet
	Exits        []Exit
}

// Exit is an exit status and what it means.
type Exit struct {
	Code int
	What string
}

// Write writes the page. The texts are laid out for a terminal; here
// they become filled roff text (paragraphs, .TP lists) that man wraps to
// the reader's width, and only short commands are set with .nf.
func Write(w io.Writer, c *Command) error {
	var b bytes.Buffer
	m := &roff{b: &b, fs: c.Flags, c: c}
	use := parseUsage(c.Usage)

	fmt.Fprintf(&b, ".TH SYNFIN 1 \"\" \"synfin %s\" \"User Commands\"\n", roffEscape(c.Version))
	// Left-aligned and unhyphenated: a hyphen added at a line's end would
	// read as part of a column or flag name.
	b.WriteString(".ad l\n.nh\n")

	b.WriteString(".SH NAME\n")
	m.line("synfin \\- " + roffEscape(use.name))

	b.WriteString(".SH SYNOPSIS\n")
	m.synopsis(use.synopsis)

	b.WriteString(".SH DESCRIPTION\n")
	for i, p := range use.paragraphs {
		if i > 0 {
			b.WriteString(".PP\n")
		}
		m.text(p)
	}
	b.WriteString(".PP\n")
	m.text("The first operand names the view; without one, synfin shows " + c.DefaultView + ". " +
		"Each view takes only its own flags (OPTIONS says which); any other is a usage error " +
		"(exit status 2) that names the views taking it. The views:")
	m.tpList(use.views, true)

	b.WriteString(".SH VIEWS\n")
	m.text("What each view shows, column by column, as synfin help VIEW prints it.")
	for _, v := range c.Views {
		m.view(v, c.ViewHelp[v])
	}

	b.WriteString(".SH OPTIONS\n")
	m.options()

	b.WriteString(".SH EXIT STATUS\n")
	for _, e := range c.Exits {
		fmt.Fprintf(&b, ".TP\n.B %d\n", e.Code)
		m.text(e.What)
	}

	b.WriteString(".SH ENVIRONMENT\n.TP\n.B NO_COLOR\n")
	m.text("Set to anything, terminal output has no colour (https://no-color.org); so has output that is not a terminal, or a terminal whose TERM is dumb.")

	b.WriteString(".SH FILES\n")
	m.text("synfin reads the inputs it is given and writes to standard output, or to the file -o names: " +
		"written to a temporary file in the same directory and renamed over it once complete, " +
		"so the file is never seen half-written. " +
		"Shell completion scripts come from synfin completion:")
	m.completionFiles()

	b.WriteString(".SH EXAMPLES\n")
	m.examples(use.examples)

	b.WriteString(".SH SEE ALSO\n.BR tcpdump (8),\n.BR tcptrace (1),\n.BR tshark (1),\n.BR zeek (8)\n")

	_, err := w.Write(b.Bytes())
	return err
}

// usageParts are the pieces of --help's text the page sets in its own
// sections.
type usageParts struct {
	name       string      // "how every TCP connection in a capture was opened and closed"
	synopsis   []string    // "synfin [VIEW] [flags] INPUT..."
	paragraphs []string    // the prose between the blocks
	views      [][2]string // view, one-line summary
	examples   [][2]string // command, comment
}

// usageHeading is a block heading of usageText: "Views:", "Examples:".
var usageHeading = regexp.MustCompile(`^[A-Z][A-Za-z ]*:$`)

// parseUsage splits usageText at blank lines: the first line is the
// title, a block under a heading ("Usage:", "Views:", "Examples:") is a
// list, and any other block is a paragraph of the description. "Flags:"
// is dropped: OPTIONS is written from the flag set itself.
func parseUsage(text string) usageParts {
	var u usageParts
	title, rest, _ := strings.Cut(text, "\n")
	u.name = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(title), "synfin: "), ".")
	for _, block := range strings.Split(rest, "\n\n") {
		lines := strings.Split(strings.Trim(block, "\n"), "\n")
		if len(lines) == 0 || strings.TrimSpace(lines[0]) == "" {
			continue
		}
		if !usageHeading.MatchString(lines[0]) {
			u.paragraphs = append(u.paragraphs, joinLines(lines))
			continue
		}
		for _, l := range lines[1:] {
			l = strings.TrimSpace(l)
			if l == "" {
				continue
			}
			switch lines[0] {
			case "Usage:":
				u.synopsis = append(u.synopsis, l)
			case "Views:":
				u.views = append(u.views, splitGap(l))
			case "Examples:":
				// A comment follows a gap ("trace.pcap     # …"); a "#" in a
				// command is part of it.
				cmd, comment, _ := strings.Cut(l, "  #")
				u.examples = append(u.examples, [2]string{strings.TrimSpace(cmd), strings.TrimSpace(comment)})
			}
		}
	}
	return u
}

// gap is the run of spaces that separates a name from its explanation in
// the help texts' lists.
var gap = regexp.MustCompile(`\s{2,}`)

// splitGap splits "handshake    complete, no_ack, …" at its first gap of
// two spaces or more; a line without one is all explanation.
func splitGap(l string) [2]string {
	if loc := gap.FindStringIndex(l); loc != nil {
		return [2]string{l[:loc[0]], l[loc[1]:]}
	}
	return [2]string{"", l}
}

func joinLines(lines []string) string {
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, " ")
}

// roff builds the page.
type roff struct {
	b  *bytes.Buffer
	fs *pflag.FlagSet
	c  *Command
}

// roffEscape makes text print as itself: a backslash is roff's escape,
// a plain "-" may print as a hyphen that does not paste into a shell, and
// characters beyond ASCII ("…") are named, for formatters not told the
// page is UTF-8.
func roffEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\e`)
		case r == '-':
			b.WriteString(`\-`)
		case r > 0x7e:
			fmt.Fprintf(&b, `\[u%04X]`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// line writes one line of text: one starting with "." or "'" would be
// read as a request, so it starts with the zero-width \& instead.
func (m *roff) line(l string) {
	if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
		l = `\&` + l
	}
	m.b.WriteString(l + "\n")
}

// flagWord is a flag as the texts write it: "--sort", "-c".
var flagWord = regexp.MustCompile(`(^|[\s(\[|,/])(--?[a-zA-Z][\w-]*)`)

// text writes prose to be filled, with the names of synfin's flags in
// bold.
func (m *roff) text(s string) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return
	}
	var out strings.Builder
	last := 0
	for _, loc := range flagWord.FindAllStringSubmatchIndex(s, -1) {
		start, end := loc[4], loc[5]
		if !m.isFlag(s[start:end]) {
			continue
		}
		out.WriteString(roffEscape(s[last:start]))
		out.WriteString(`\fB` + roffEscape(s[start:end]) + `\fR`)
		last = end
	}
	out.WriteString(roffEscape(s[last:]))
	m.line(out.String())
}

// isFlag says whether word ("--sort", "-c") names a flag of the set.
func (m *roff) isFlag(word string) bool {
	if name, ok := strings.CutPrefix(word, "--"); ok {
		return m.fs.Lookup(name) != nil || name == "help"
	}
	short := strings.TrimPrefix(word, "-")
	return len(short) == 1 && (m.fs.ShorthandLookup(short) != nil || short == "h")
}

// synopsis sets the usage lines: synfin and the words in lower case in
// bold (typed as they are), the words in capitals in italics (replaced).
func (m *roff) synopsis(lines []string) {
	for i, l := range lines {
		if i > 0 {
			m.b.WriteString(".br\n")
		}
		var words []string
		for _, w := range strings.Fields(l) {
			core := strings.Trim(w, "[].|")
			pre, post, _ := strings.Cut(w, core)
			switch {
			case core == "":
				words = append(words, roffEscape(w))
			case core == "flags":
				words = append(words, roffEscape(pre)+`\fIOPTION\fR`+roffEscape(post)+"...")
			case strings.ToUpper(core) == core:
				words = append(words, roffEscape(pre)+`\fI`+roffEscape(core)+`\fR`+roffEscape(post))
			default:
				words = append(words, roffEscape(pre)+`\fB`+roffEscape(core)+`\fR`+roffEscape(post))
			}
		}
		m.line(strings.Join(words, " "))
	}
	m.b.WriteString(".br\n")
	m.line(`\fBsynfin help\fR [\fIVIEW\fR]`)
	m.b.WriteString(".br\n")
	m.line(`\fBsynfin completion\fR ` + strings.Join(mapStrings(m.c.Shells, func(s string) string { return `\fB` + s + `\fR` }), "|"))
}

func mapStrings(s []string, f func(string) string) []string {
	out := make([]string, len(s))
	for i := range s {
		out[i] = f(s[i])
	}
	return out
}

// tpList sets name/explanation pairs as a tagged list that wraps under
// its explanations. The indent fits the longer names, up to a limit past
// which a name stands on a line of its own above its explanation. A
// compact list (the index of views, as --help has it) has no blank lines
// between its items.
func (m *roff) tpList(items [][2]string, compact bool) {
	width := 0
	for _, it := range items {
		if n := len([]rune(it[0])); n <= 16 {
			width = max(width, n)
		}
	}
	for i, it := range items {
		if i == 0 {
			fmt.Fprintf(m.b, ".TP %d\n", width+2)
		} else {
			m.b.WriteString(".TP\n")
		}
		m.line(`\fB` + roffEscape(it[0]) + `\fR`)
		m.text(it[1])
		if compact && i == 0 {
			m.b.WriteString(".PD 0\n") // from the second item on
		}
	}
	if compact {
		m.b.WriteString(".PD\n")
	}
}

// nfRoom is the width a command set with .nf may have: man fills to two
// columns short of an 80-column terminal, sections are indented 7 and
// commands 4 more. A longer command is set as filled text, which wraps.
const nfRoom = 80 - 2 - 7 - 4

// commands sets command lines, indented, each on its own line.
func (m *roff) commands(cmds []string) {
	fits := true
	for _, c := range cmds {
		fits = fits && len([]rune(c)) <= nfRoom
	}
	m.b.WriteString(".RS 4\n")
	if fits {
		m.b.WriteString(".nf\n")
	}
	for i, c := range cmds {
		if !fits && i > 0 {
			m.b.WriteString(".br\n")
		}
		m.line(`\fB` + roffEscape(c) + `\fR`)
	}
	if fits {
		m.b.WriteString(".fi\n")
	}
	m.b.WriteString(".RE\n")
}

// helpBlock is a piece of a view's help: prose, a list of columns (or
// other names) with their meanings, or commands.
type helpBlock struct {
	prose    string
	items    [][2]string
	indent   int // of the items' names
	commands []string
}

// parseHelp reads a view's help as --help lays it out for a terminal:
// unindented lines are prose, an indented line with a gap of two spaces
// is a name and its meaning, a line indented past a name continues its
// meaning, and an indented line starting "synfin " is a command.
func parseHelp(text string) []helpBlock {
	var blocks []helpBlock
	last := func() *helpBlock {
		if len(blocks) == 0 {
			return nil
		}
		return &blocks[len(blocks)-1]
	}
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		indent := len(l) - len(strings.TrimLeft(l, " "))
		b := last()
		switch {
		case indent > 0 && strings.HasPrefix(t, "synfin "):
			if b == nil || b.commands == nil {
				blocks = append(blocks, helpBlock{})
				b = last()
			}
			b.commands = append(b.commands, t)
		case indent > 0 && b != nil && b.items != nil && indent > b.indent:
			b.items[len(b.items)-1][1] += " " + t
		case indent > 0 && gap.MatchString(t):
			if b == nil || b.items == nil || indent != b.indent {
				blocks = append(blocks, helpBlock{indent: indent})
				b = last()
			}
			b.items = append(b.items, splitGap(t))
		case b != nil && b.items != nil && indent > 0:
			b.items[len(b.items)-1][1] += " " + t
		case b != nil && b.items == nil && b.commands == nil:
			b.prose += " " + t
		default:
			blocks = append(blocks, helpBlock{prose: t})
		}
	}
	return blocks
}

// view sets one view's help: its first words ("ladder -c N FILE") as the
// heading, then its prose, column list and commands, its flags and its
// example.
func (m *roff) view(v, help string) {
	heading := v
	if head, rest, ok := strings.Cut(help, ": "); ok && !strings.Contains(head, "\n") && strings.HasPrefix(head, v) {
		heading, help = head, rest
	}
	m.b.WriteString(".SS\n")
	m.line(roffEscape(heading))
	for i, b := range parseHelp(help) {
		switch {
		case b.items != nil:
			m.tpList(b.items, false)
		case b.commands != nil:
			m.b.WriteString(".PP\n")
			m.commands(b.commands)
		default:
			if i > 0 {
				m.b.WriteString(".PP\n")
			}
			m.text(b.prose)
		}
	}
	if names := m.c.ViewFlags[v]; len(names) > 0 {
		var flags []string
		for _, n := range names {
			if f := m.fs.Lookup(n); f != nil {
				flags = append(flags, "--"+f.Name)
			}
		}
		m.b.WriteString(".PP\n")
		m.text("Flags of " + v + ": " + strings.Join(flags, ", ") + ".")
	}
	// The example, unless the help's own commands hold it (completion).
	if ex := m.c.ViewExamples[v]; ex != "" && !strings.Contains(help, ex) {
		m.b.WriteString(".PP\nExample:\n")
		m.commands([]string{ex})
	}
}

// options sets every flag of the flag set, as --help lists them, each
// with the views that take it.
func (m *roff) options() {
	m.fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name, usage := pflag.UnquoteUsage(f)
		tag := `\fB\-\-` + roffEscape(f.Name) + `\fR`
		if f.Shorthand != "" {
			tag = `\fB\-` + roffEscape(f.Shorthand) + `\fR, ` + tag
		}
		if f.Value.Type() != "bool" && name != "" {
			value := `\fI` + roffEscape(strings.ToUpper(name)) + `\fR`
			if f.NoOptDefVal != "" {
				value = "[=" + value + "]"
			}
			tag += " " + value
		}
		// The default as --help gives it (flagLines): not for booleans,
		// zeros and empty lists, nor for --format, whose usage says it.
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "[]" && f.Value.Type() != "bool" && f.Name != "format" {
			usage += fmt.Sprintf(" (default %s)", d)
		}
		m.b.WriteString(".TP\n")
		m.line(tag)
		m.text(sentence(usage))
		m.b.WriteString(".IP\n")
		m.text(m.viewsSentence(f.Name))
	})
	m.b.WriteString(".TP\n")
	m.line(`\fB\-h\fR, \fB\-\-help\fR`)
	m.text("Print synfin's usage and exit; after a view (synfin handshakes --help), that view's help and flags.")
}

// sentence ends a flag's usage with a full stop: the usages are phrases
// ("sort tables by COLUMN") and the page adds a sentence after them.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// viewsSentence says which views take flag (what the command line
// enforces).
func (m *roff) viewsSentence(flag string) string {
	if views := m.c.TakenBy(flag); len(views) > 0 {
		return "Views: " + strings.Join(views, ", ") + "."
	}
	return "Given without a view."
}

// completionScript is a line of the completion view's help that installs
// a script: "synfin completion bash > /etc/bash_completion.d/synfin".
var completionScript = regexp.MustCompile(`^synfin completion (\w+) > (\S.*)$`)

// completionFiles lists where the completion view's help puts each
// shell's script.
func (m *roff) completionFiles() {
	var items [][2]string
	for _, l := range strings.Split(m.c.ViewHelp["completion"], "\n") {
		if s := completionScript.FindStringSubmatch(strings.TrimSpace(l)); s != nil {
			items = append(items, [2]string{s[2], s[1] + " completion (synfin completion " + s[1] + ")."})
		}
	}
	if items == nil {
		m.b.WriteString(".PP\n")
		m.text("synfin completion " + strings.Join(m.c.Shells, "|") + " prints the script for a shell.")
		return
	}
	m.b.WriteString(".TP\n")
	for i, it := range items {
		if i > 0 {
			m.b.WriteString(".TP\n")
		}
		m.line(`\fI` + roffEscape(it[0]) + `\fR`)
		m.text(it[1])
	}
}

// examples sets --help's examples: those without a comment together, one
// with a comment after its comment.
func (m *roff) examples(exs [][2]string) {
	var run []string
	flush := func() {
		if run != nil {
			m.b.WriteString(".PP\n")
			m.commands(run)
			run = nil
		}
	}
	for _, ex := range exs {
		if ex[1] == "" {
			run = append(run, ex[0])
			continue
		}
		flush()
		m.b.WriteString(".PP\n")
		r := []rune(ex[1])
		m.text(strings.ToUpper(string(r[:1])) + string(r[1:]) + ":")
		m.commands([]string{ex[0]})
	}
	flush()
	m.b.WriteString(".PP\n")
	m.text("Each view's section under VIEWS ends with an example of it.")
}

// UsageViews are the views --help's text lists, each with its one-line
// summary, as the page sets them (the fish completion describes views
// with them too).
func UsageViews(usage string) [][2]string { return parseUsage(usage).views }
