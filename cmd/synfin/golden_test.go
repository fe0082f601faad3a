package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// td is the test data directory as the golden cases name it: they run from
// the repository root, so that paths in the output read as a user's would.
const td = "testdata"

// TestGolden runs the command as a user would and compares standard output,
// standard error and the exit status with files a person has read.
// make golden (go test -run Golden -update) rewrites them.
func TestGolden(t *testing.T) {
	t.Chdir("../..")
	lab := func(s string) string { return filepath.Join(td, "lab", s) }
	bad := func(s string) string { return filepath.Join(td, "bad", s) }
	cases := []struct {
		name string
		args []string
		exit int
	}{
		{"demo", []string{"demo"}, 0},
		{"demo-markdown", []string{"demo", "-f", "markdown"}, 0},
		{"demo-jsonl", []string{"demo", "-f", "jsonl"}, 0},
		{"demo-csv", []string{"demo", "-f", "csv"}, 0},
		{"demo-zh", []string{"demo", "--lang", "zh"}, 0},
		{"handshakes-synack-dropped", []string{"handshakes", lab("05_synack_dropped.pcap")}, 0},
		{"teardowns-lab", []string{"teardowns", lab("01_plain_client_close.pcap"), lab("11_simultaneous_close.pcap"), lab("12_half_close.pcap"), lab("22_rst_after_fin.pcap")}, 0},
		{"options-lab", []string{"options", lab("08d_no_ts_sack_wscale.pcap"), lab("09_ecn.pcap"), lab("10_tfo.pcap")}, 0},
		{"conns-port-reuse", []string{lab("03_port_reuse.pcap")}, 0},
		{"summary-load", []string{"summary", lab("14_load_200.pcap")}, 0},
		{"filter-state", []string{"--state", "REJ", lab("26_port_scan.pcap")}, 0},
		{"sort-limit", []string{"handshakes", "--sort", "-rtt_ms", "--limit", "3", lab("14_load_200.pcap")}, 0},
		{"compressed", []string{"-q", filepath.Join(td, "compressed")}, 0},
		{"cut-short", []string{filepath.Join(td, "bad", "demo-cut.pcap")}, 1},
		{"not-a-capture", []string{filepath.Join(td, "bad", "not-a-capture.txt")}, 2},
		{"no-input", []string{}, 2},
		{"bad-format", []string{"-f", "yaml", "x.pcap"}, 2},
		{"help-handshakes", []string{"help", "handshakes"}, 0},
		// Every kind of bad input, with its exact message (issue 3).
		{"bad-empty", []string{bad("empty.pcap")}, 2},
		{"bad-zip", []string{bad("demo.zip")}, 2},
		{"bad-html", []string{bad("page.html")}, 2},
		{"bad-gzip-of-text", []string{bad("notes.txt.gz")}, 2},
		{"bad-gzip-cut", []string{bad("demo-cut.pcap.gz")}, 1},
		{"bad-zstd-cut", []string{bad("demo-cut.pcap.zst")}, 2},
		{"bad-huge-record", []string{bad("huge-record.pcap")}, 1},
		{"bad-huge-block", []string{bad("huge-block.pcapng")}, 1},
		{"bad-block-length", []string{bad("bad-block-length.pcapng")}, 1},
		{"bad-unknown-link", []string{bad("unknown-link.pcap")}, 2},
		{"bad-damaged-ip", []string{bad("damaged-ip.pcap")}, 1},
		{"bad-swapped-magic", []string{bad("swapped-magic.pcap")}, 2},
		{"bad-missing-file", []string{bad("no-such-file.pcap")}, 2},
		{"bad-some-inputs", []string{"-f", "csv", bad("page.html"), bad("demo-cut.pcap")}, 1},
		{"dir-with-other-files", []string{bad("dir")}, 0},
		{"max-conns", []string{"--max-conns", "2", "summary", lab("14_load_200.pcap")}, 0},
		{"usage-bad-flag", []string{"--no-such-flag", "x.pcap"}, 2},
		// Ladders and reports (issue 5), in both languages.
		{"ladder-client-close", []string{"ladder", lab("01_plain_client_close.pcap")}, 0},
		{"ladder-syn-retx-zh", []string{"ladder", "--lang", "zh", lab("04_syn_dropped.pcap")}, 0},
		{"ladder-half-close-ascii", []string{"ladder", "--ascii", lab("12_half_close.pcap")}, 0},
		{"ladder-simultaneous-raw", []string{"ladder", "--raw-seq", lab("11_simultaneous_close.pcap")}, 0},
		{"ladder-loss-folded", []string{"ladder", lab("27_bidir_loss.pcap")}, 0},
		{"ladder-refused-svg", []string{"ladder", "-f", "svg", "-c", "1", filepath.Join("cmd", "synfin", "demo", "demo.pcap")}, 0},
		{"ladder-refused-svg-zh", []string{"ladder", "-f", "svg", "--lang", "zh", lab("06_refused.pcap")}, 0},
		{"ladder-markdown", []string{"ladder", "-f", "markdown", "-c", "2", filepath.Join("cmd", "synfin", "demo", "demo.pcap")}, 0},
		{"ladder-no-such-conn", []string{"ladder", "-c", "99", lab("01_plain_client_close.pcap")}, 2},
		{"ladder-bad-format", []string{"ladder", "-f", "csv", lab("01_plain_client_close.pcap")}, 2},
		{"report-markdown", []string{"report", filepath.Join("cmd", "synfin", "demo", "demo.pcap")}, 0},
		{"report-markdown-zh", []string{"report", "--lang", "zh", lab("04_syn_dropped.pcap"), lab("06_refused.pcap"), lab("12_half_close.pcap"), lab("13_abortive_close.pcap")}, 0},
		{"report-html", []string{"report", "-f", "html", filepath.Join("cmd", "synfin", "demo", "demo.pcap")}, 0},
		{"report-html-zh", []string{"report", "-f", "html", "--lang", "zh", filepath.Join("cmd", "synfin", "demo", "demo.pcap")}, 0},
		{"report-bad-format", []string{"report", "-f", "csv", lab("01_plain_client_close.pcap")}, 2},
		{"summary-zh", []string{"summary", "--lang", "zh", lab("14_load_200.pcap")}, 0},
		{"bad-lang", []string{"--lang", "fr", lab("01_plain_client_close.pcap")}, 2},
		// ISN analysis (issue 7).
		{"isn-lab", []string{"isn", lab("03_port_reuse.pcap"), lab("14_load_200.pcap")}, 0},
		{"isn-lab-zh", []string{"isn", "--lang", "zh", "-f", "markdown", lab("03_port_reuse.pcap")}, 0},
		{"packets-lab", []string{"--packets", lab("24_keepalive.pcap"), lab("05_synack_dropped.pcap")}, 0},
		// Walkthroughs (issue 8), in both languages.
		{"explain-client-close", []string{"explain", lab("01_plain_client_close.pcap")}, 0},
		{"explain-server-close-zh", []string{"explain", "--lang", "zh", lab("02_plain_server_close.pcap")}, 0},
		{"explain-refused", []string{"explain", lab("06_refused.pcap")}, 0},
		{"segments", []string{"segments", "-c", "0", lab("01_plain_client_close.pcap")}, 0},
		{"segments-csv", []string{"segments", "-f", "csv", lab("24_keepalive.pcap")}, 0},
		{"segments-jsonl-raw", []string{"segments", "-f", "jsonl", "--raw-seq", lab("04_syn_dropped.pcap")}, 0},
		{"graph-tseq-csv", []string{"graph", "-f", "csv", lab("01_plain_client_close.pcap")}, 0},
		{"graph-rtt-jsonl-zh", []string{"graph", "--kind", "rtt", "-f", "jsonl", "--lang", "zh", lab("02_plain_server_close.pcap")}, 0},
		{"graph-nodata", []string{"graph", "-f", "csv", lab("06_refused.pcap")}, 2},
		{"explain-refused-zh", []string{"explain", "--lang", "zh", lab("06_refused.pcap")}, 0},
		{"explain-syn-retx", []string{"explain", lab("04_syn_dropped.pcap")}, 0},
		{"explain-simultaneous-close-zh", []string{"explain", "--lang", "zh", lab("11_simultaneous_close.pcap")}, 0},
		{"explain-half-close-markdown", []string{"explain", "-f", "markdown", lab("12_half_close.pcap")}, 0},
		{"explain-reset", []string{"explain", lab("13_abortive_close.pcap")}, 0},
		{"explain-client-close-zh", []string{"explain", "--lang", "zh", lab("01_plain_client_close.pcap")}, 0},
		{"explain-server-close", []string{"explain", lab("02_plain_server_close.pcap")}, 0},
		{"explain-syn-retx-zh", []string{"explain", "--lang", "zh", lab("04_syn_dropped.pcap")}, 0},
		{"explain-simultaneous-close", []string{"explain", lab("11_simultaneous_close.pcap")}, 0},
		{"explain-half-close-zh", []string{"explain", "--lang", "zh", lab("12_half_close.pcap")}, 0},
		{"explain-reset-zh", []string{"explain", "--lang", "zh", lab("13_abortive_close.pcap")}, 0},
		{"explain-bad-format", []string{"explain", "-f", "svg", lab("01_plain_client_close.pcap")}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(c.args, strings.NewReader(""), &out, &errb)
			if code != c.exit {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, c.exit, errb.String())
			}
			got := "$ synfin " + strings.Join(c.args, " ") + "\n" + out.String()
			if errb.Len() > 0 {
				got += "--- stderr\n" + errb.String()
			}
			golden := filepath.Join(td, "golden", c.name+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run make golden to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (make golden rewrites it after you read the diff):\n%s", golden, diff(string(want), got))
			}
		})
	}
}

// diff shows the first differing lines.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n- " + a + "\n+ " + b
		}
	}
	return ""
}

// TestReadmeGraph: the time-sequence graph the README shows is what synfin
// draws of that capture today (make golden redraws it; look at it first).
func TestReadmeGraph(t *testing.T) {
	t.Chdir("../..")
	args := []string{"graph", "-f", "svg", filepath.Join(td, "lab", "27_bidir_loss.pcap")}
	var out, errb bytes.Buffer
	if code := run(args, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("synfin %v: exit %d, %s", args, code, errb.String())
	}
	path := "docs/img/graph-tseq.svg"
	if *update {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, out.Bytes()) {
		t.Errorf("%s is not what synfin graph draws now (make golden redraws it)", path)
	}
}
