package msg

import (
	"regexp"
	"strings"
	"testing"
)

// allowedWords are the words of Latin letters a Chinese message may hold
// besides codes, flags and call names (see englishWords): formats,
// compressions, protocols and tools, names of programs and people, which
// a reader types or searches for as they are.
var allowedWords = map[string]bool{
	"pcap": true, "pcapng": true, "gzip": true, "zstd": true, "xz": true, "lz4": true, "bzip2": true,
	"tar": true, "7-Zip": true, "IPv4": true, "IPv6": true, "ICMPv6": true, "PPPoE": true, "GTP-U": true,
	"Zeek": true, "tshark": true, "Wireshark": true, "editcap": true, "synfin": true, "Linux": true,
	"Kuznetsov": true, "flate": true, "MiB": true,
	"size": true, "path": true, // --shard-by's values, typed as they are
}

var (
	// verbs are fmt's verbs, with their flags, widths and argument indexes.
	verbs = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?(\[\d+\])?[a-zA-Z]`)
	// words are runs of Latin letters, with the digits, hyphens, dots and
	// underscores inside a name (IPv4, 7-Zip, SO_LINGER, archive/tar).
	words = regexp.MustCompile(`-{0,2}[A-Za-z0-9][A-Za-z0-9_]*(?:[-./][A-Za-z0-9_]+)*(\(\))?`)
)

// englishWords lists the English words of a Chinese message zh: every run
// of Latin letters that is not a code, an acronym or a metavariable in
// capitals (ENOENT, TCP, SO_LINGER, I/N), a flag (--linger, -F), a call
// name (connect()), a number (0x0031, 802.2), a fmt verb, or one of
// allowedWords. A test of the catalogue's keys of any prefix calls it on
// their zh text.
func englishWords(zh string) []string {
	var found []string
	for _, w := range words.FindAllString(verbs.ReplaceAllString(zh, " "), -1) {
		switch {
		case strings.HasPrefix(w, "-"), strings.HasSuffix(w, "()"):
			continue // a flag, a call
		case w[0] >= '0' && w[0] <= '9' && !strings.HasPrefix(w, "7-"):
			continue // a number, in any base
		case w == strings.ToUpper(w):
			continue // a code, an acronym, a metavariable (I/N)
		case allowedWords[w]:
			continue
		}
		found = append(found, w)
	}
	return found
}

// TestProblemsInChinese: the lower layers' errors and notes (problem.*)
// hold no English word in Chinese but codes, flags, call names and the
// names of formats, protocols and tools.
func TestProblemsInChinese(t *testing.T) {
	n := 0
	for _, k := range Keys() {
		if !strings.HasPrefix(k, "problem.") {
			continue
		}
		n++
		if w := englishWords(ZH.T(k)); len(w) > 0 {
			t.Errorf("%s: English %q in %q", k, w, ZH.T(k))
		}
	}
	if n < 100 {
		t.Errorf("only %d problem.* keys", n)
	}
}

// TestEnglishWords: the helper finds English and lets codes, flags and
// calls be.
func TestEnglishWords(t *testing.T) {
	for _, c := range []struct {
		zh   string
		want string
	}{
		{"文件或目录不存在（ENOENT）", ""},
		{"请先用 editcap -F pcap 转换", ""},
		{"connect() 失败：ECONNREFUSED；--linger 0；SO_LINGER", ""},
		{"类型为 0x%x 的 pcapng 块长 %d 字节；%[2]s；802.2 LLC", ""},
		{"看起来是 7-Zip 或 IPv6 的 text file", "text file"},
		{"the 报文 is cut short", "the is cut short"},
	} {
		if got := strings.Join(englishWords(c.zh), " "); got != c.want {
			t.Errorf("%q: %q, want %q", c.zh, got, c.want)
		}
	}
}

// TestCommandLineInChinese: the command line's own errors and notes
// (cli.*), the fitting notes (fit.*) and the lab's socket calls
// (lab.call.*) hold no English word in Chinese but codes, flags, call
// names, the views' and formats' names a user types, and the names of
// formats and tools.
func TestCommandLineInChinese(t *testing.T) {
	// What the command line's messages name as typed: views, formats,
	// columns offered to --sort, and the values of -f.
	typed := map[string]bool{"conns": true, "handshakes": true, "teardowns": true, "options": true, "summary": true,
		"ladder": true, "report": true, "explain": true, "isn": true, "batch": true, "lab": true, "demo": true,
		"completion": true, "table": true, "markdown": true, "csv": true, "json": true, "jsonl": true, "html": true,
		"svg": true, "parquet": true, "en": true, "zh": true, "bash": true, "zsh": true, "fish": true, "sudo": true,
		"Markdown": true, "Parquet": true, "JSON": true, "Lines": true, "DuckDB": true, "read_parquet": true,
		"name-": true, "out.parquet": true, "conns.parquet": true, "etc/bash_completion.d/synfin": true,
		"name": true, "s": true, "m": true, "h": true, "true": true, "false": true, "root": true,
		"shutdown": true, // the call shutdown(SHUT_WR)
		"graph":    true, "tseq": true, "rtt": true, "window": true, "throughput": true, "segments": true, "graph.svg": true}
	n := 0
	for _, k := range Keys() {
		if !strings.HasPrefix(k, "cli.") && !strings.HasPrefix(k, "fit.") && !strings.HasPrefix(k, "lab.call.") {
			continue
		}
		n++
		for _, w := range englishWords(ZH.T(k)) {
			if !typed[w] {
				t.Errorf("%s: English %q in %q", k, w, ZH.T(k))
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d cli.*, fit.* and lab.call.* keys", n)
	}
}
