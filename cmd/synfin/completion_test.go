package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// writeCompletion is what synfin completion shell prints, written to a
// file in a test's directory.
func writeCompletion(t *testing.T, shell string) (string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run([]string{"completion", shell}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("completion %s: exit %d: %s", shell, code, errb.String())
	}
	path := filepath.Join(t.TempDir(), "synfin."+shell)
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, out.String()
}

// TestCompletion: bash, run on the script synfin completion bash prints,
// completes views, flags, the values of --state, --format and --lang, the
// views synfin help takes, the shells synfin completion takes, and --sort's
// columns of the view named on the line; another shell is refused with
// exit 2.
func TestCompletion(t *testing.T) {
	script, _ := writeCompletion(t, "bash")
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	// The view that takes no --sort (summary today): completing its
	// --sort offers nothing, since synfin would refuse the flag.
	noSort := ""
	for _, v := range viewNames {
		if v != "help" && v != "completion" && sortColumns(v) == nil {
			noSort = v
			break
		}
	}
	if noSort == "" {
		t.Fatal("every view takes --sort; the test needs one that does not")
	}
	for _, c := range []struct {
		words []string // COMP_WORDS; the last is the word being completed
		want  []string
	}{
		{[]string{"synfin", "hand"}, []string{"handshakes"}},
		{[]string{"synfin", "--sta"}, []string{"--state"}},
		{[]string{"synfin", "--state", "RST"}, []string{"RSTO", "RSTR", "RSTOS0", "RSTRH"}},
		{[]string{"synfin", "conns", "-f", "j"}, []string{"json", "jsonl"}},
		{[]string{"synfin", "--lang", "z"}, []string{"zh"}},
		{[]string{"synfin", "help", ""}, helpViews()},
		{[]string{"synfin", "help", "t"}, []string{"teardowns"}},
		{[]string{"synfin", "completion", ""}, []string{"bash", "zsh", "fish"}},
		{[]string{"synfin", "completion", "z"}, []string{"zsh"}},
		{[]string{"synfin", "handshakes", "--sort", ""}, []string{"conn", "client", "server", "status", "syns", "synacks", "syn_synack_ms", "synack_ack_ms", "rtt_ms", "setup_ms", "capture_point", "client_isn", "server_isn", "ack_ok"}},
		{[]string{"synfin", "handshakes", "--sort", "rt"}, []string{"rtt_ms"}},
		{[]string{"synfin", "handshakes", "--sort", "-rt"}, []string{"-rtt_ms"}},
		// bash splits --sort=rt at "=".
		{[]string{"synfin", "handshakes", "--sort", "=", "rt"}, []string{"rtt_ms"}},
		{[]string{"synfin", "teardowns", "--sort", "fin1"}, []string{"fin1", "fin1_ack"}},
		// No view named: conns's columns; a flag's value (-o x.csv) is
		// not the view, and a first operand that is no view is an input.
		{[]string{"synfin", "--sort", "hi"}, []string{"history"}},
		{[]string{"synfin", "-o", "x.csv", "handshakes", "--sort", "syn_"}, []string{"syn_synack_ms"}},
		{[]string{"synfin", "trace.pcap", "--sort", "dur"}, []string{"duration_ms"}},
		{[]string{"synfin", noSort, "--sort", ""}, nil},
	} {
		quoted := make([]string, len(c.words))
		for i, w := range c.words {
			quoted[i] = shQuote(w)
		}
		prog := "source " + script + "; COMP_WORDS=(" + strings.Join(quoted, " ") + "); COMP_CWORD=" + strconv.Itoa(len(c.words)-1) + "; _synfin; echo \"${COMPREPLY[*]}\""
		got, err := exec.Command(bash, "-c", prog).CombinedOutput()
		if err != nil || !slices.Equal(strings.Fields(string(got)), c.want) {
			t.Errorf("%q completes to %q (%v), want %q", c.words, got, err, c.want)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"completion", "tcsh"}, strings.NewReader(""), &out, &errb); code != 2 || !strings.Contains(errb.String(), "want bash, zsh or fish") {
		t.Errorf("completion tcsh: exit %d, %q", code, errb.String())
	}
}

// TestCompletionFishText: fish's script names every flag with its usage,
// without the backticks that mark a value's name in the flag set
// ("`COLUMN`"), which fish would show as they are; the values of --state
// come with the value's name, not the flag's usage again.
func TestCompletionFishText(t *testing.T) {
	_, text := writeCompletion(t, "fish")
	if i := strings.IndexByte(text, '`'); i >= 0 {
		t.Errorf("fish script has a backtick: %q", text[max(0, i-60):min(len(text), i+20)])
	}
	for _, want := range []string{
		"complete -c synfin -l sort -x -a '(__synfin_sort_columns)' -d 'sort tables by COLUMN",
		`complete -c synfin -l state -x -a '(printf \'%s\\tSTATE\\n\' S0 S1 SF REJ`,
		"complete -c synfin -n '__synfin_after completion' -x -a 'bash zsh fish'",
		"complete -c synfin -n 'test (count (__synfin_operands)) -eq 0' -a handshakes -d 'SYN, SYN-ACK, ACK: counts, both legs, RTT, ISNs'",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("fish script has no %q", want)
		}
	}
}

// TestCompletionFish runs fish's own completion (complete -C) on the
// script, when fish is installed.
func TestCompletionFish(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("no fish (apt-get install fish); TestCompletionFishText checks the script's text")
	}
	script, _ := writeCompletion(t, "fish")
	for line, want := range map[string][]string{
		"synfin help t":                    {"teardowns"},
		"synfin completion ":               {"bash", "fish", "zsh"},
		"synfin handshakes --sort rt":      {"rtt_ms\tcolumn of handshakes"},
		"synfin --sort hi":                 {"history\tcolumn of conns"},
		"synfin -o x.csv options --sort w": {"wscale\tcolumn of options"},
		"synfin --state RSTR":              {"RSTR\tSTATE", "RSTRH\tSTATE"},
		"synfin hands":                     {"handshakes\tSYN, SYN-ACK, ACK: counts, both legs, RTT, ISNs"},
		"synfin --sor":                     {"--sort\tsort tables by COLUMN (any column name of the view; prefix - for descending)"},
	} {
		got, err := exec.Command(fish, "--no-config", "-c", "source "+script+"; complete -C "+shQuote(line)).CombinedOutput()
		lines := strings.Split(strings.TrimRight(string(got), "\n"), "\n")
		if err != nil || !slices.Equal(lines, want) {
			t.Errorf("fish: %q completes to %q (%v), want %q", line, lines, err, want)
		}
	}
}

// TestCompletionZsh types Tab in an interactive zsh (through zsh's zpty
// module) with the script installed as _synfin in $fpath, as synfin help
// completion says: the first Tab of a session must complete too, not
// only define the functions.
func TestCompletionZsh(t *testing.T) {
	long(t, "runs zsh")
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("no zsh (apt-get install zsh)")
	}
	script, text := writeCompletion(t, "zsh")
	if !strings.HasPrefix(text, "#compdef synfin\n") || !strings.Contains(text, "bashcompinit") {
		t.Fatalf("zsh script does not start as a completion function: %q", text[:min(80, len(text))])
	}
	fpath := filepath.Join(t.TempDir(), "fpath")
	os.Mkdir(fpath, 0o755)
	if err := os.Rename(script, filepath.Join(fpath, "_synfin")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ typed, want string }{
		{"synfin completion z", "synfin completion zsh"},
		{"synfin handshakes --sort rtt", "synfin handshakes --sort rtt_ms"},
		{"synfin help teard", "synfin help teardowns"},
	} {
		prog := `zmodload zsh/zpty
zpty z 'env PS1="> " TERM=dumb zsh -f -i'
zpty -w z 'fpath=(` + fpath + ` $fpath); autoload -U compinit; compinit -u -D; setopt nobeep'
zpty -w -n z ` + shQuote(c.typed) + `$'\t'
sleep 1
out=""
while zpty -r -t z line; do out+=$line; done
zpty -d z
print -r -- "$out"`
		cmd := exec.Command(zsh, "-f", "-c", prog)
		done := make(chan struct{})
		timer := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill(); close(done) })
		got, err := cmd.CombinedOutput()
		timer.Stop()
		select {
		case <-done:
			t.Fatalf("zsh: %q: no answer in 30 s", c.typed)
		default:
		}
		// The line as zsh redraws it after the Tab, completed.
		if err != nil || !strings.Contains(strings.ReplaceAll(string(got), "\r", ""), c.want+" ") {
			t.Errorf("zsh: %q + Tab: %q (%v), want %q", c.typed, got, err, c.want)
		}
	}
}

// shQuote quotes s for bash and zsh.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
