package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCompletion: bash, run on the script synfin completion bash prints,
// completes views, flags and the values of --state and --format; fish and
// zsh get theirs; another shell is refused with exit 2.
func TestCompletion(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"completion", "bash"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("completion bash: exit %d: %s", code, errb.String())
	}
	script := filepath.Join(t.TempDir(), "synfin.bash")
	os.WriteFile(script, out.Bytes(), 0o644)
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	for _, c := range []struct {
		words string
		want  []string
	}{
		{"synfin hand", []string{"handshakes"}},
		{"synfin --sta", []string{"--state"}},
		{"synfin --state RST", []string{"RSTO", "RSTR", "RSTOS0", "RSTRH"}},
		{"synfin conns -f j", []string{"json", "jsonl"}},
		{"synfin --lang z", []string{"zh"}},
	} {
		words := strings.Fields(c.words)
		prog := "source " + script + "; COMP_WORDS=(" + c.words + "); COMP_CWORD=" + strconv.Itoa(len(words)-1) + "; _synfin; echo \"${COMPREPLY[*]}\""
		got, err := exec.Command(bash, "-c", prog).CombinedOutput()
		if err != nil || strings.Join(strings.Fields(string(got)), " ") != strings.Join(c.want, " ") {
			t.Errorf("%q completes to %q (%v), want %q", c.words, got, err, c.want)
		}
	}
	for shell, want := range map[string]string{"fish": "complete -c synfin -l state -x -a \"S0 S1 SF", "zsh": "bashcompinit"} {
		out.Reset()
		if code := run([]string{"completion", shell}, strings.NewReader(""), &out, &errb); code != 0 || !strings.Contains(out.String(), want) {
			t.Errorf("completion %s: exit %d, no %q", shell, code, want)
		}
	}
	errb.Reset()
	if code := run([]string{"completion", "tcsh"}, strings.NewReader(""), &out, &errb); code != 2 || !strings.Contains(errb.String(), "want bash, zsh or fish") {
		t.Errorf("completion tcsh: exit %d, %q", code, errb.String())
	}
}

// TestManPage: make man's page holds every view's help and every flag,
// and no line of the text is taken for a roff request.
func TestManPage(t *testing.T) {
	var out bytes.Buffer
	if code := run([]string{"manpage"}, strings.NewReader(""), &out, &bytes.Buffer{}); code != 0 {
		t.Fatalf("manpage: exit %d", code)
	}
	page := out.String()
	for _, want := range []string{".TH SYNFIN 1", ".SS handshakes", ".SS completion", "--idle-timeout", "--state"} {
		if !strings.Contains(page, want) {
			t.Errorf("man page has no %q", want)
		}
	}
	requests := map[string]bool{".TH": true, ".SH": true, ".SS": true, ".nf": true, ".fi": true, ".B": true, ".BR": true}
	for _, l := range strings.Split(page, "\n") {
		if strings.HasPrefix(l, ".") && !requests[strings.Fields(l)[0]] {
			t.Errorf("text read as a roff request: %q", l)
		}
	}
}
