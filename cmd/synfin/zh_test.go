package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// zhAllowed are the Latin words a Chinese reader sees in synfin's zh
// views on purpose: protocol names, flags, option and state codes, RFC
// state names, socket calls and units, written so in Chinese textbooks too.
var zhAllowed = map[string]bool{
	"SYN": true, "ACK": true, "FIN": true, "RST": true, "PSH": true, "URG": true, "ECE": true, "CWR": true,
	"TCP": true, "MSS": true, "SACK": true, "ISN": true, "RTT": true, "ECN": true, "TFO": true, "RFC": true,
	"ms": true, "SF": true, "REJ": true, "RSTO": true, "RSTR": true, "S0": true, "S1": true, "OTH": true,
	"Linux": true, "ESTABLISHED": true, "CLOSED": true, "LISTEN": true, "SENT": true, "RECEIVED": true,
	"WAIT": true, "TIME": true, "CLOSE": true, "LAST": true, "CLOSING": true, "ECONNREFUSED": true,
	"connect": true, "listen": true, "accept": true, "close": true, "shutdown": true, "ISN.": true,
	"n": true, "min": true, "max": true, "mean": true, "median": true, "p95": true, "SYN数": true,
	"FIN1": true, "FIN2": true, "ack": true, // the teardown's FINs; ack=N as Wireshark writes the field
}

// TestChineseViews: the people's views in zh (tables, summary, isn,
// explain) leave no English word: every Latin word is a code, a flag or
// a name in zhAllowed; history strings (ShADadFf) and Zeek states stay.
func TestChineseViews(t *testing.T) {
	lab, _ := filepath.Glob("../../testdata/lab/0[1-6]*.pcap")
	word := regexp.MustCompile(`[A-Za-z][A-Za-z0-9_]*`)
	history := regexp.MustCompile(`^[ShADadFfRrTtWwCcGgIiQq^]+$`)
	for _, args := range [][]string{
		{"conns"}, {"handshakes"}, {"teardowns"}, {"options"}, {"summary"}, {"isn"}, {"explain"},
	} {
		var out, errb bytes.Buffer
		run(append(append(args, "--lang", "zh"), lab[0]), strings.NewReader(""), &out, &errb)
		for _, in := range lab[1:] {
			run(append(append(args, "--lang", "zh"), in), strings.NewReader(""), &out, &errb)
		}
		left := map[string]bool{}
		for _, w := range word.FindAllString(out.String(), -1) {
			if !zhAllowed[w] && !history.MatchString(w) && !regexp.MustCompile(`^S\d+F\d+$|^[A-Z]{2,}$`).MatchString(w) {
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
