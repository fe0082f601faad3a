package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// zhAllowed are the Latin words, beyond all-capital codes (SYN, SF,
// ESTABLISHED, RFC), that a Chinese reader sees in synfin's zh views on
// purpose: socket calls, units and statistics symbols, Zeek's S0/S1, the
// teardown's FIN1/FIN2, ack=N as Wireshark writes the field, and TFO's
// cookie, which Chinese texts leave in English.
var zhAllowed = map[string]bool{
	"connect": true, "listen": true, "accept": true, "close": true, "shutdown": true, "Linux": true, "Windows": true,
	"ms": true, "n": true, "min": true, "max": true, "mean": true, "median": true, "p95": true,
	"S0": true, "S1": true, "FIN1": true, "FIN2": true, "ack": true, "cookie": true,
}

// TestChineseViews: the people's views in zh (tables, summary, isn,
// explain) leave no English word: every Latin word is an all-capital
// code, an S<n>F<m> count, a history string (ShADadFf) or in zhAllowed.
func TestChineseViews(t *testing.T) {
	// The first six, and the ECN and TFO captures, whose option notes are
	// named in the options view.
	lab, _ := filepath.Glob("../../testdata/lab/0[1-6]*.pcap")
	lab = append(lab, "../../testdata/lab/09_ecn.pcap", "../../testdata/lab/10_tfo.pcap")
	word := regexp.MustCompile(`[A-Za-z][A-Za-z0-9_]*`)
	code := regexp.MustCompile(`^[ShADadFfRrTtWwCcGgIiQq^]+$|^S\d+F\d+$|^[A-Z]{2,}$`)
	for _, args := range [][]string{
		{"conns"}, {"handshakes"}, {"teardowns"}, {"options"}, {"summary"}, {"isn"}, {"explain"},
	} {
		var out, errb bytes.Buffer
		for _, in := range lab {
			run(append(append(args, "--lang", "zh"), in), strings.NewReader(""), &out, &errb)
		}
		left := map[string]bool{}
		for _, w := range word.FindAllString(out.String(), -1) {
			if !zhAllowed[w] && !code.MatchString(w) {
				left[w] = true
			}
		}
		if len(left) > 0 {
			t.Errorf("synfin %s --lang zh leaves English: %v", strings.Join(args, " "), keys(left))
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
