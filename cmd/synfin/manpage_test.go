package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/spf13/pflag"
)

// manSections are the page's sections, in order.
var manSections = []string{"NAME", "SYNOPSIS", "DESCRIPTION", "VIEWS", "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"}

func manSource(t *testing.T) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run([]string{"manpage"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("manpage: exit %d: %s", code, errb.String())
	}
	return out.String()
}

// TestManPage: make man's roff has its sections in order, a heading for
// every view synfin help documents and an entry for every flag of the flag
// set, and no line of text is taken for a roff request.
func TestManPage(t *testing.T) {
	page := manSource(t)
	if !strings.HasPrefix(page, ".TH SYNFIN 1 ") {
		t.Errorf("page starts %q", page[:min(40, len(page))])
	}
	requests := map[string]bool{".TH": true, ".SH": true, ".SS": true, ".TP": true, ".IP": true, ".PP": true,
		".RS": true, ".RE": true, ".nf": true, ".fi": true, ".br": true, ".ad": true, ".nh": true, ".PD": true, ".BR": true, ".B": true}
	var sections []string
	lines := strings.Split(page, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".") && !requests[strings.Fields(l)[0]] || strings.HasPrefix(l, "'") {
			t.Errorf("text read as a roff request: %q", l)
		}
		if s, ok := strings.CutPrefix(l, ".SH "); ok {
			sections = append(sections, s)
		}
		if l == ".SS" && i+1 < len(lines) {
			lines[i] = ".SS " + lines[i+1] // the heading is the next line
		}
	}
	if !slices.Equal(sections, manSections) {
		t.Errorf("sections %q, want %q", sections, manSections)
	}
	for _, v := range helpViews() {
		if !slices.ContainsFunc(lines, func(l string) bool { return l == ".SS "+v || strings.HasPrefix(l, ".SS "+v+" ") }) {
			t.Errorf("VIEWS has no heading for %s", v)
		}
	}
	_, optionsSrc, _ := strings.Cut(page, ".SH OPTIONS\n")
	optionsSrc, _, _ = strings.Cut(optionsSrc, ".SH ")
	newFlagSet(&options{}, &bytes.Buffer{}).VisitAll(func(f *pflag.Flag) {
		tag := `\fB\-\-` + strings.ReplaceAll(f.Name, "-", `\-`) + `\fR`
		if f.Shorthand != "" {
			tag = `\fB\-` + f.Shorthand + `\fR, ` + tag
		}
		if !strings.Contains(optionsSrc, ".TP\n"+tag) {
			t.Errorf("OPTIONS has no entry %q", tag)
		}
	})
	// The source stays ASCII: characters beyond it are named (\[u2026]).
	for i, r := range page {
		if r > 0x7e {
			t.Errorf("non-ASCII %q at %d", r, i)
			break
		}
	}
}

// backspaced is nroff's overstrike (bold "a\ba", underline "_\ba") and
// sgr an ANSI escape, either of which man may keep.
var (
	backspaced = regexp.MustCompile(".\x08")
	sgr        = regexp.MustCompile("\x1b\\[[0-9;]*m")
)

// TestManPageRendered formats the page as man-db shows it in an 80-column
// terminal (MANWIDTH=80 man -l): no line over 80 columns, no warning from
// groff, every section, every view, every flag with the views that take
// it (from viewFlags and commonFlags), the exit statuses, and no roff
// escape left in the text. Skipped without man unless SYNFIN_MAN=required
// (CI).
func TestManPageRendered(t *testing.T) {
	man, err := exec.LookPath("man")
	if err != nil {
		if os.Getenv("SYNFIN_MAN") == "required" {
			t.Fatal("SYNFIN_MAN=required but no man (apt-get install man-db groff-base)")
		}
		t.Skip("no man (apt-get install man-db groff-base)")
	}
	file := filepath.Join(t.TempDir(), "synfin.1")
	if err := os.WriteFile(file, []byte(manSource(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(man, "--warnings", "-l", file)
	var env []string
	for _, e := range os.Environ() {
		if name, _, _ := strings.Cut(e, "="); !slices.Contains([]string{"MAN_KEEP_FORMATTING", "MANWIDTH", "COLUMNS", "MANPAGER", "PAGER", "LANG", "LC_ALL", "MANOPT", "MANROFFOPT"}, name) {
			env = append(env, e)
		}
	}
	cmd.Env = append(env, "MANWIDTH=80", "LC_ALL=C.UTF-8", "MANPAGER=cat", "PAGER=cat", "GROFF_NO_SGR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("man -l: %v: %s", err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("man -l warns: %s", stderr.String())
	}
	text := sgr.ReplaceAllString(backspaced.ReplaceAllString(stdout.String(), ""), "")
	lines := strings.Split(text, "\n")
	widest := 0
	for i, l := range lines {
		n := utf8.RuneCountInString(l)
		widest = max(widest, n)
		if n > 80 {
			t.Errorf("line %d is %d columns: %q", i+1, n, l)
		}
	}
	t.Logf("%d lines, the widest %d columns", len(lines), widest)
	for _, esc := range []string{`\f`, `\-`, `\e`, `\[`, `\&`} {
		if strings.Contains(text, esc) {
			t.Errorf("an escape %q is left in the text", esc)
		}
	}

	// The sections, in order: headings start in column 0, between the
	// header line and the footer ("synfin 0.1.0-dev ... SYNFIN(1)").
	section := map[string][]string{}
	var order []string
	current := ""
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "synfin ") {
			break
		}
		if l != "" && l[0] != ' ' {
			current = l
			order = append(order, l)
			continue
		}
		section[current] = append(section[current], l)
	}
	if !slices.Equal(order, manSections) {
		t.Errorf("rendered sections %q, want %q", order, manSections)
	}
	for _, l := range section["DESCRIPTION"] {
		if h := strings.TrimSpace(l); h == "Usage:" || h == "Flags:" {
			t.Errorf("DESCRIPTION has --help's %q", h)
		}
	}
	for _, v := range helpViews() {
		if !slices.ContainsFunc(section["VIEWS"], func(l string) bool { return strings.HasPrefix(l, "   "+v) }) {
			t.Errorf("VIEWS has no %s", v)
		}
	}

	// Each flag's entry: its tag ("-f, --format FORMAT") in the rendered
	// OPTIONS, then its explanation up to the next tag, naming the views
	// whose --help lists the flag.
	entries := map[string]string{}
	var flags []*pflag.Flag
	newFlagSet(&options{}, &bytes.Buffer{}).VisitAll(func(f *pflag.Flag) { flags = append(flags, f) })
	tagOf := func(l string) string {
		l = strings.TrimSpace(l)
		for _, f := range flags {
			head := "--" + f.Name
			if f.Shorthand != "" {
				head = "-" + f.Shorthand + ", " + head
			}
			if l == head || strings.HasPrefix(l, head+" ") {
				return f.Name
			}
		}
		return ""
	}
	name := ""
	for _, l := range section["OPTIONS"] {
		if strings.HasPrefix(l, "       -") { // a tag, at the section's indent
			name = tagOf(l)
		}
		if name != "" {
			entries[name] += " " + strings.TrimSpace(l)
		}
	}
	for _, f := range flags {
		entry, ok := entries[f.Name]
		if !ok {
			t.Errorf("OPTIONS has no --%s", f.Name)
			continue
		}
		entry = strings.Join(strings.Fields(entry), " ")
		// The views named are exactly those the command line lets take
		// the flag (scope.go).
		m := regexp.MustCompile(`Views: ([a-z, ]+)\.`).FindStringSubmatch(entry)
		var named []string
		if m != nil {
			named = strings.Split(m[1], ", ")
		}
		if by := takenBy(f.Name); !slices.Equal(named, by) && !(len(by) == 0 && strings.Contains(entry, "Given without a view")) {
			t.Errorf("--%s: the entry names views %v, the command line lets %v take it: %q", f.Name, named, by, entry)
		}
	}

	var codes []string
	for _, l := range section["EXIT STATUS"] {
		if m := regexp.MustCompile(`^       (\d+)\s`).FindStringSubmatch(l); m != nil {
			codes = append(codes, m[1])
		}
	}
	if want := []string{"0", "1", "2", "130"}; !slices.Equal(codes, want) {
		t.Errorf("EXIT STATUS lists %q, want %q", codes, want)
	}
	if see := strings.Join(strings.Fields(strings.Join(section["SEE ALSO"], " ")), " "); see != "tcpdump(8), tcptrace(1), tshark(1), zeek(8)" {
		t.Errorf("SEE ALSO: %q", see)
	}
}
