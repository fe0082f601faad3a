package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// csvText are the CSV columns that hold words, not numbers or booleans.
var csvText = map[string]bool{
	"file": true, "client": true, "server": true, "state": true, "history": true,
	"handshake": true, "teardown": true, "closer": true, "sf": true, "status": true,
	"capture_point": true, "kind": true, "rst_by": true, "syn_layout": true,
	"synack_layout": true, "notes": true,
}

var csvBools = map[string]bool{"ack_ok": true, "sack": true, "ts": true, "ecn": true, "tfo": true}

// TestCSVReadsBack: CSV, read back with encoding/csv as pandas or a
// spreadsheet would, has one value per cell of the type its header says
// (numbers that parse, true/false, an empty cell where a value is
// missing), nothing a spreadsheet takes for a date, and the same header
// for one input as for several.
func TestCSVReadsBack(t *testing.T) {
	caps, _ := filepath.Glob("../../testdata/lab/*.pcap")
	caps = append(caps, "../../testdata/app/http-simple-get.pcap")
	datelike := regexp.MustCompile(`^\d+/\d+$`)
	for _, view := range []string{"conns", "handshakes", "teardowns", "options"} {
		var header []string
		missing := 0
		for _, in := range [][]string{caps[:1], caps} {
			var out, errb bytes.Buffer
			if code := run(append([]string{view, "-f", "csv"}, in...), strings.NewReader(""), &out, &errb); code != 0 {
				t.Fatalf("%s -f csv: exit %d: %s", view, code, errb.String())
			}
			rows, err := csv.NewReader(&out).ReadAll()
			if err != nil {
				t.Fatalf("%s: encoding/csv cannot read it back: %v", view, err)
			}
			if len(rows) < 2 {
				t.Fatalf("%s: %d rows", view, len(rows))
			}
			if header == nil {
				header = rows[0]
			} else if strings.Join(header, ",") != strings.Join(rows[0], ",") {
				t.Errorf("%s: header for one input\n%v\nfor several\n%v", view, header, rows[0])
			}
			if header[0] != "file" {
				t.Errorf("%s: header starts %q, not file", view, header[0])
			}
			for _, row := range rows[1:] {
				for i, cell := range row {
					name := rows[0][i]
					switch {
					case cell == "":
						missing++
					case cell == "-" || datelike.MatchString(cell) || strings.HasPrefix(cell, "+"):
						t.Errorf("%s %s: cell %q", view, name, cell)
					case csvBools[name]:
						if cell != "true" && cell != "false" {
							t.Errorf("%s %s: %q is not true or false", view, name, cell)
						}
					case !csvText[name]:
						if _, err := strconv.ParseFloat(cell, 64); err != nil {
							t.Errorf("%s %s: %q is not a number", view, name, cell)
						}
					}
				}
			}
		}
		if missing == 0 {
			// The refused and dropped-SYN captures leave RTTs, teardown
			// times and negotiated options unknown; empty cells show it.
			t.Errorf("%s: no empty cell", view)
		}
	}
}

// TestSummaryOnlyProblems: batch --summary-only's problems column says
// what went wrong without naming again the file its row names, and its
// packets column counts all packets.
func TestSummaryOnlyProblems(t *testing.T) {
	var out, errb bytes.Buffer
	run([]string{"batch", "--summary-only", "--no-progress", "-f", "csv", "../../testdata/bad"}, strings.NewReader(""), &out, &errb)
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) < 10 {
		t.Fatalf("read back: %v, %d rows; stderr %s", err, len(rows), errb.String())
	}
	said := 0
	for _, r := range rows[1:] {
		file, problems := r[0], r[3]
		if strings.Contains(problems, file) {
			t.Errorf("%s: problems repeat the path: %q", file, problems)
		}
		if problems != "" {
			said++
		}
		// packets counts every packet read, as capinfos -c does (21),
		// not only those that decoded to TCP (20).
		if strings.HasSuffix(file, "/damaged-ip.pcap") && r[1] != "21" {
			t.Errorf("%s: %s packets; capinfos counts 21", file, r[1])
		}
	}
	if said < 10 {
		t.Errorf("only %d of %d damaged captures have a problem said", said, len(rows)-1)
	}
}

// TestCutArchive: an archive cut inside a member (head -c N a.tar) still
// gives the members before the cut whole and the cut member up to the
// cut, as many packets as the same capture cut as a plain file, and names
// the cut: member, packet and byte.
func TestCutArchive(t *testing.T) {
	dir := t.TempDir()
	first, second := "../../testdata/lab/01_plain_client_close.pcap", "../../testdata/app/http-simple-get.pcap"
	var tarball bytes.Buffer
	tw := tar.NewWriter(&tarball)
	var cutAt int
	for _, p := range []string{first, second} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		tw.WriteHeader(&tar.Header{Name: filepath.Base(p), Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg})
		tw.Flush()
		if p == second {
			cutAt = tarball.Len() + 3000 // 3,000 bytes into the second member
			os.WriteFile(filepath.Join(dir, "plain-cut.pcap"), b[:3000], 0o644)
		}
		tw.Write(b)
	}
	tw.Close()
	cut := tarball.Bytes()[:cutAt]
	os.WriteFile(filepath.Join(dir, "cut.tar"), cut, 0o644)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(cut)
	zw.Close()
	os.WriteFile(filepath.Join(dir, "cut.tar.gz"), gz.Bytes(), 0o644)

	summary := func(in string) [][]string {
		var out, errb bytes.Buffer
		run([]string{"batch", "--summary-only", "--no-progress", "-f", "csv", filepath.Join(dir, in)}, strings.NewReader(""), &out, &errb)
		rows, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		return rows[1:]
	}
	plain := summary("plain-cut.pcap")
	for _, in := range []string{"cut.tar", "cut.tar.gz"} {
		rows := summary(in)
		if len(rows) != 2 {
			t.Fatalf("%s: %d members, want 2: %v", in, len(rows), rows)
		}
		if !strings.HasSuffix(rows[0][0], "!/01_plain_client_close.pcap") || rows[0][1] != "12" || rows[0][3] != "" {
			t.Errorf("%s: first member %v, want it whole: 12 packets, no problem", in, rows[0])
		}
		if !strings.HasSuffix(rows[1][0], "!/http-simple-get.pcap") || rows[1][1] != plain[0][1] || rows[1][2] != plain[0][2] {
			t.Errorf("%s: cut member %v; the same capture cut as a plain file gives %v", in, rows[1], plain[0])
		}
		if want := "packet 7 at byte offset 2136: cut short at byte 3000 of"; !strings.Contains(rows[1][3], want) {
			t.Errorf("%s: cut member's problem %q, want %q", in, rows[1][3], want)
		}
	}
}
