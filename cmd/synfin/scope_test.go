package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synfin/synfin/internal/tty"
)

// TestFlagOutOfPlace: every flag the issue found taken and ignored is
// now refused, in one line naming the flag and the views that read it,
// exit status 2, before anything is read or written.
func TestFlagOutOfPlace(t *testing.T) {
	const lab = "../../testdata/lab/06_refused.pcap"
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--shard", "0/2", "-f", "jsonl", "../../testdata/lab"}, "--shard is a batch flag, not one of conns: synfin batch --shard 0/2 …"},
		{[]string{"--resume", filepath.Join(dir, "m"), lab}, "--resume is a batch flag"},
		{[]string{"-w", filepath.Join(dir, "x"), lab}, "--write is a lab flag"},
		{[]string{"--server-close", lab}, "--server-close is a lab flag"},
		{[]string{"--reset", lab}, "--reset is a lab flag"},
		{[]string{"summary", "--limit", "2", lab}, "--limit is not read by the summary view; it is for conns, handshakes, teardowns, options"},
		{[]string{"ladder", "--packets", lab}, "--packets is a conns flag, not one of ladder"},
		{[]string{"report", "--packets", lab}, "--packets is a conns flag, not one of report"},
		{[]string{"explain", "--packets", lab}, "--packets is a conns flag, not one of explain"},
		{[]string{"ladder", "--host", "10.77.0.1", lab}, "--host is not read by the ladder view"},
		{[]string{"report", "-f", "table", lab}, "--format table: the report view writes markdown or html, not table"},
		{[]string{"lab", "-f", "csv"}, "--format csv: the lab view writes table or markdown, not csv"},
		{[]string{"lab", "-o", filepath.Join(dir, "x.txt")}, "--output is not read by the lab view"},
		{[]string{"-f", "svg", lab}, "the conns view writes table, markdown, csv, json or jsonl, not svg (SVG comes from ladder or graph)"},
		{[]string{"--packets", "--sort", "rtt_ms", lab}, "--sort does not apply to --packets"},
		{[]string{"graph", "-f", "csv", "-c", "0", "-c", "1", lab}, "-c: the graph view draws one connection; give one -c N, not 2"},
		{[]string{"graph", "--kind", "seq", "-f", "csv", lab}, "--kind seq: want tseq, rtt, window or throughput"},
		{[]string{"--kind", "rtt", lab}, "--kind is a graph flag, not one of conns"},
		{[]string{"segments", "--kind", "rtt", lab}, "--kind is a graph flag, not one of segments"},
		{[]string{"--streams", dir, "--limit", "2", lab}, "--limit does not apply"},
		{[]string{"--app", lab}, "--app adds fields to records, which -f table does not show"},
		{[]string{"-f", "csv", "--wide", lab}, "--wide is for terminal tables and ladders (-f table), not -f csv"},
		{[]string{"-", "-"}, "- (standard input) is named twice: it can be read once"},
		{[]string{"batch", "--summary-only", "--resume", filepath.Join(dir, "m"), "../../testdata/lab"}, "--summary-only writes no records, so --resume has nothing to record"},
		{[]string{"--formt", "csv", lab}, "unknown flag --formt; did you mean --format?"},
		{[]string{"--sort", "-rtt", lab}, "--sort rtt: no such column in the conns view; did you mean rtt_ms?"},
		{[]string{"isn", "--sort", "samplez", lab}, "--sort samplez: no such column in the isn view; did you mean samples?"},
		{[]string{"--limit", "99999999999999999999", lab}, "--limit 99999999999999999999: too large (at most 9223372036854775807)"},
		{[]string{"lab", "--state", "SF"}, "--state is not read by the lab view"},
	} {
		var out, errb bytes.Buffer
		code := run(c.args, strings.NewReader(""), &out, &errb)
		lines := strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n")
		if code != exitNothing || !strings.Contains(lines[0], c.want) || len(lines) != 2 || out.Len() > 0 {
			t.Errorf("synfin %s: exit %d, stdout %d bytes, stderr %q; want exit 2, nothing on stdout, and one line saying %q", strings.Join(c.args, " "), code, out.Len(), errb.String(), c.want)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("refused runs wrote %v", left)
	}
}

// TestFlagsInPlace: the flags a view reads are taken (the refusals above
// are not a blanket one).
func TestFlagsInPlace(t *testing.T) {
	const lab = "../../testdata/lab/06_refused.pcap"
	for _, args := range [][]string{
		{"isn", "--sort", "-samples", lab},
		{"handshakes", "--sort", "-rtt_ms", "--limit", "1", "--host", "10.77.0.1", lab},
		{"-f", "jsonl", "--app", "--ja4t", lab},
		{"ladder", "-c", "0", "--ascii", "--raw-seq", lab},
		{"report", "-f", "html", "--state", "REJ", lab},
		{"--packets", "-f", "csv", "--port", "5001", lab},
		{"summary", "--wide", lab},
	} {
		var out, errb bytes.Buffer
		if code := run(args, strings.NewReader(""), &out, &errb); code != exitOK || out.Len() == 0 {
			t.Errorf("synfin %s: exit %d, %d bytes out, stderr %q", strings.Join(args, " "), code, out.Len(), errb.String())
		}
	}
}

// TestStreamsHonourFilters: --streams writes the streams of the
// connections the view shows, not of every connection.
func TestStreamsHonourFilters(t *testing.T) {
	capture := "../../cmd/synfin/demo/demo.pcap" // three connections, two with payload
	all, some := t.TempDir(), t.TempDir()
	run([]string{"--streams", all, capture}, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	var out bytes.Buffer
	run([]string{"--streams", some, "--state", "SF", capture}, strings.NewReader(""), &out, &bytes.Buffer{})
	a, _ := os.ReadDir(all)
	s, _ := os.ReadDir(some)
	if len(a) != 4 || len(s) != 2 {
		t.Fatalf("--streams wrote %d files for every connection and %d for --state SF; want 4 (two connections with data, both directions) and 2", len(a), len(s))
	}
	for _, f := range s {
		if !strings.Contains(f.Name(), "_0000_") {
			t.Errorf("--state SF wrote %s; only connection 0 is SF", f.Name())
		}
	}
	if strings.Count(out.String(), "| SF ") != 1 {
		t.Errorf("the table shows %q", out.String())
	}
}

// TestNoMatchNote: a filter that lets nothing through prints its empty
// table and says so on stderr, in the user's language.
func TestNoMatchNote(t *testing.T) {
	const lab = "../../testdata/lab/06_refused.pcap"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--host", "10.0.0.1", lab}, "synfin: note: no connection matches --host 10.0.0.1 (1 in the capture)\n"},
		{[]string{"summary", "-c", "99", lab, lab}, "synfin: note: no connection matches -c 99 (2 in the 2 captures)\n"},
		{[]string{"--lang", "zh", "--state", "SF", lab}, "synfin: 提示：没有连接符合 --state SF（抓包中共 1 个连接）\n"},
	} {
		var out, errb bytes.Buffer
		if code := run(c.args, strings.NewReader(""), &out, &errb); code != exitOK || errb.String() != c.want || out.Len() == 0 {
			t.Errorf("synfin %s: exit %d, stderr %q; want 0, the table and %q", strings.Join(c.args, " "), code, errb.String(), c.want)
		}
	}
}

// TestViewHelpOwnFlags: a view's --help lists the flags it takes, with
// its own defaults, and none it refuses.
func TestViewHelpOwnFlags(t *testing.T) {
	for _, view := range []string{"conns", "summary", "ladder", "explain", "report", "batch", "lab", "isn", "demo"} {
		var out bytes.Buffer
		run([]string{view, "--help"}, strings.NewReader(""), &out, &bytes.Buffer{})
		ok := takes(view)
		for _, f := range []string{"shard", "resume", "write", "limit", "packets", "host", "output", "summary-only", "sort", "app"} {
			if listed := strings.Contains(out.String(), "--"+f+" ") || strings.Contains(out.String(), "--"+f+"\n"); listed != ok[f] {
				t.Errorf("%s --help lists --%s: %v; the view takes it: %v", view, f, listed, ok[f])
			}
		}
	}
	var out bytes.Buffer
	run([]string{"batch", "--help"}, strings.NewReader(""), &out, &bytes.Buffer{})
	flat := strings.Join(strings.Fields(out.String()), " ") // wherever the lines wrap
	for _, want := range []string{"jsonl, csv or parquet (default: from -o's extension, else jsonl)", "(default: all cores)", "--rotate ROWS,DURATION"} {
		if !strings.Contains(flat, want) {
			t.Errorf("batch --help lacks %q", want)
		}
	}
}

// TestMistakesInChinese: under --lang zh the same refusals are one
// Chinese line and the usage line in Chinese; flags, codes, file names and
// format names stay as typed. --lang is read before the flags are parsed,
// so a mistyped flag is told in Chinese too.
func TestMistakesInChinese(t *testing.T) {
	const lab = "../../testdata/lab/06_refused.pcap"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--lang", "zh", "--formt", "csv", lab}, "synfin: 错误：没有 --formt 这个选项；是不是想用 --format？"},
		{[]string{"--formt", "csv", "--lang=zh", lab}, "synfin: 错误：没有 --formt 这个选项；是不是想用 --format？"},
		{[]string{"--lang", "zh", "--shard", "0/2", lab}, "synfin: 错误：--shard 是 batch 视图的选项，不属于 conns：synfin batch --shard 0/2 …"},
		{[]string{"--lang", "zh", "summary", "--limit", "2", lab}, "synfin: 错误：summary 视图不使用 --limit；用到它的视图：conns、handshakes、teardowns、options"},
		{[]string{"--lang", "zh", "-o", lab, lab}, "synfin: 错误：-o " + lab + " 同时也是输入：写入它会在读取之前抹掉这个抓包；请换一个输出文件"},
		{[]string{"--lang", "zh", "-f", "svg", lab}, "synfin: 错误：--format svg：conns 视图可输出 table、markdown、csv、json 或 jsonl，不能输出 svg（SVG 由 ladder 或 graph 输出）"},
		{[]string{"--lang", "zh", "--limit", "99999999999999999999", lab}, "synfin: 错误：--limit 99999999999999999999：太大（最大 9223372036854775807）"},
		{[]string{"--lang", "zh", "isn", "--sort", "samplez", lab}, "synfin: 错误：--sort samplez：isn 视图没有这一列；是不是想用 samples？（可选：role、scope、of、samples、verdict）"},
		{[]string{"--lang", "zh", "batch", "--summary-only", "--resume", "m", "../../testdata/lab"}, "synfin: 错误：--summary-only 不写出记录，--resume 也就无可记录：请分开运行"},
		{[]string{"--lang", "zh", "-", "-"}, "synfin: 错误：- （标准输入）出现了两次：它只能读取一次"},
	} {
		var out, errb bytes.Buffer
		code := run(c.args, strings.NewReader(""), &out, &errb)
		want := c.want + "\n用法：synfin [视图] [选项] 输入...   （详见 synfin --help；试试 synfin demo）\n"
		if code != exitNothing || errb.String() != want {
			t.Errorf("synfin %s: exit %d, stderr\n%s\nwant exit 2 and\n%s", strings.Join(c.args, " "), code, errb.String(), want)
		}
	}
}

// TestViewHelpAfterFlags: a flag's value before the view is no operand,
// so the view's help is the one shown; and every line of a view's help
// fits an 80-column terminal.
func TestViewHelpAfterFlags(t *testing.T) {
	for _, args := range [][]string{{"--lang", "zh", "conns", "--help"}, {"-f", "csv", "conns", "--help"}, {"-qf", "csv", "conns", "--help"}, {"--lang=zh", "conns", "--help"}} {
		var out bytes.Buffer
		run(args, strings.NewReader(""), &out, &bytes.Buffer{})
		if !strings.HasPrefix(out.String(), "conns: one line per TCP connection.") {
			t.Errorf("synfin %s: %q…", strings.Join(args, " "), firstLine(out.String()))
		}
	}
	for _, view := range helpViews() {
		var out bytes.Buffer
		run([]string{view, "--help"}, strings.NewReader(""), &out, &bytes.Buffer{})
		for i, l := range strings.Split(out.String(), "\n") {
			if n := tty.Cells(l); n > 80 {
				t.Errorf("synfin %s --help line %d is %d cells wide: %q", view, i+1, n, l)
			}
		}
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
