package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// TestReadmeExamples runs every example of README.md and docs/*.md as a user would
// type it and checks it prints and exits as the README shows. An example
// is a line "$ synfin ARGS" in a fenced block; the lines after it, up to the
// next "$ " line or the end of the block, are what it prints, standard
// output then standard error, as a terminal shows them when the two do not
// interleave. A line "…" stands for any lines (the rest of a long table),
// and "…" inside a line for any text (a time); "[exit N]" as the last line is the exit
// status (0 when absent); "ARGS >/dev/null" drops standard output; "  # …"
// is a comment. Examples run in a directory where testdata/ is the
// repository's, so that files they write (-o, --resume) land in a
// temporary place. A fenced line that starts "synfin " but is no example
// fails the test, unless it is the usage synopsis: every command the README
// shows is run.
func TestReadmeExamples(t *testing.T) {
	docs, _ := filepath.Glob("../../docs/*.md")
	files := append([]string{"../../README.md"}, docs...)
	texts := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts[f] = string(b)
	}
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(testdata, filepath.Join(dir, "testdata")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	total := 0
	for _, f := range files {
		name := strings.TrimPrefix(f, "../../")
		examples := readmeExamples(t, texts[f])
		total += len(examples)
		for _, ex := range examples {
			args := shellWords(ex.command)
			discard := len(args) > 0 && args[len(args)-1] == ">/dev/null"
			if discard {
				args = args[:len(args)-1]
			}
			var stdout, stderr bytes.Buffer
			code := run(args[1:], strings.NewReader(""), &stdout, &stderr)
			got := stderr.String()
			if !discard {
				got = stdout.String() + got
			}
			if code != ex.exit {
				t.Errorf("%s:%d: $ %s\nexit %d, the text says %d; it printed:\n%s", name, ex.line, ex.command, code, ex.exit, got)
				continue
			}
			var lines []string // none when it printed nothing
			if got != "" {
				lines = strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			}
			if msg := matchOutput(ex.output, lines); msg != "" {
				t.Errorf("%s:%d: $ %s\n%s\nit printed:\n%s", name, ex.line, ex.command, msg, got)
			}
		}
	}
	if total < 20 {
		t.Fatalf("only %d examples in README.md and docs/", total)
	}
	t.Logf("%d examples in README.md and %d files of docs/, each run", total, len(docs))
}

type readmeExample struct {
	line    int // of the "$ " line, from 1
	command string
	output  []string
	exit    int
}

var exitLine = regexp.MustCompile(`^\[exit (\d+)\]$`)

// readmeExamples finds the examples of a Markdown text.
func readmeExamples(t *testing.T, text string) []readmeExample {
	var out []readmeExample
	var cur *readmeExample
	fenced := false
	end := func() {
		if cur != nil {
			if n := len(cur.output); n > 0 {
				if m := exitLine.FindStringSubmatch(cur.output[n-1]); m != nil {
					cur.exit, _ = strconv.Atoi(m[1])
					cur.output = cur.output[:n-1]
				}
			}
			out = append(out, *cur)
			cur = nil
		}
	}
	for i, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			end()
			fenced = !fenced
		case !fenced:
		case strings.HasPrefix(line, "$ "):
			end()
			command := strings.TrimPrefix(line, "$ ")
			if i := strings.Index(command, "  #"); i >= 0 {
				command = command[:i]
			}
			command = strings.TrimSpace(command)
			if strings.HasPrefix(command, "synfin ") {
				cur = &readmeExample{line: i + 1, command: command}
			}
		case cur != nil:
			cur.output = append(cur.output, line)
		case strings.HasPrefix(line, "synfin ") && !strings.HasPrefix(line, "synfin [VIEW]"):
			t.Errorf("README.md:%d: %q is a command the README shows but no example (\"$ synfin …\") runs", i+1, line)
		}
	}
	return out
}

// matchOutput compares printed lines with the README's, trailing spaces
// aside, a line "…" standing for any lines (none too); it says how they
// differ, or "".
func matchOutput(want, got []string) string {
	if linesMatch(want, got) {
		return ""
	}
	for i, w := range want {
		switch {
		case w == "…":
			return "the lines around a … differ"
		case i >= len(got):
			return "the README shows more lines: " + w
		case !globMatch(strings.TrimRight(w, " "), strings.TrimRight(got[i], " ")):
			return "line " + strconv.Itoa(i+1) + ": the README shows\n\t" + w + "\nsynfin printed\n\t" + got[i]
		}
	}
	return "synfin printed more lines, from: " + got[len(want)]
}

// linesMatch reports whether got matches want line by line, "…" lines
// matching any run of lines.
func linesMatch(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if want[0] == "…" {
		for skip := 0; skip <= len(got); skip++ {
			if linesMatch(want[1:], got[skip:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && globMatch(strings.TrimRight(want[0], " "), strings.TrimRight(got[0], " ")) && linesMatch(want[1:], got[1:])
}

// globMatch reports whether s is pattern, each "…" in it standing for any
// text.
func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "…")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// shellWords splits a command line as a shell would for the README's
// examples: words apart by spaces, '…' and "…" quoting.
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	in, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// TestReadmeFlagsComplete: the README's table of flags names every flag
// synfin parses.
func TestReadmeFlagsComplete(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "| flag | meaning |")
	if start < 0 {
		t.Fatal("README.md has no table of flags")
	}
	table := text[start:]
	table = table[:strings.Index(table, "\n\n")]
	var o options
	fs := newFlagSet(&o, io.Discard)
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == "help" {
			return
		}
		if !strings.Contains(table, "--"+f.Name) {
			t.Errorf("README.md's table of flags lacks --%s", f.Name)
		}
	})
}

// TestSpecCopy: docs/spec.md is the project's contract as it stands
// (../shared/SPEC.md, where the shared tree is beside the clone): the
// "docs/spec.md §N" comments point at the text that holds.
func TestSpecCopy(t *testing.T) {
	shared, err := os.ReadFile("../../../shared/SPEC.md")
	if err != nil {
		t.Skip("no ../shared/SPEC.md beside the clone")
	}
	ours, err := os.ReadFile("../../docs/spec.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ours, shared) {
		t.Error("docs/spec.md differs from ../shared/SPEC.md: copy the contract again (cp ../shared/SPEC.md docs/spec.md)")
	}
}
