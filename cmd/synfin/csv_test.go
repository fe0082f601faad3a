package main

import (
	"bytes"
	"encoding/csv"
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
