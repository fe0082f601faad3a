package pipeline_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"

	"github.com/synfin/synfin/internal/corpus"

	"strings"
	"testing"
	"time"
)

// sharedCorpus is the corpus beside the repository ($SYNFIN_CORPUS when
// set), or "" when it is absent.
func sharedCorpus() string {
	dir := corpus.Dir()
	if _, err := os.Stat(filepath.Join(dir, "oracles", "conv")); dir == "" || err != nil {
		return ""
	}
	return dir
}

// notFound are the corpus captures where tshark finds TCP conversations
// and synfin finds fewer, each with the reason, read from the packets.
var notFound = map[string]string{
	"tcpdump__bgp-bgp_capabilities_print-oobr-1.pcap": "fuzzed: MF and DF both set at offset 0; Wireshark reads the TCP of a first fragment whose IP checksum is bad",
	"tcpdump__bgp-bgp_capabilities_print-oobr-2.pcap": "fuzzed: as oobr-1",
	"tcpdump__bgp_pmsi_tunnel-oobr.pcap":              "fuzzed: as oobr-1",
	"tcpdump__rpki-rtr-oobr.pcap":                     "fuzzed: as oobr-1",
	"tcpdump__arcnet-rfc1051-arp-icmp-http.pcap":      "link type 129 (ARCNET, RFC 1051) not decoded",
	"tcpdump__arcnet-rfc1201-arp-icmp-http.pcap":      "link type 129 (ARCNET, RFC 1201) not decoded",
	"tcpdump__bgp-aigp.pcap":                          "link type 178 not decoded",
	"tcpdump__ipoib.pcap":                             "link type 242 (IP over InfiniBand) not decoded",
}

// otherISNs are the captures where a SYN of tshark's carries a sequence
// number that is no connection's ISN in synfin, and why.
var otherISNs = map[string]string{
	// The server answers the same SYN with SYN-ACKs of two ISNs
	// (3212050950, then 97572840 in frames 14, 17, 20): one connection for
	// both tools; the record gives the first SYN-ACK's ISN.
	"suricata-verify__tcp-fastopen-10-syn-data-ignore__input.pcap": "two SYN-ACK ISNs in one connection",
}

// TestCorpusConnectionsFound: on every capture of the shared corpus where
// tshark finds TCP conversations (tshark -z conv,tcp), synfin finds at
// least as many, but for notFound, whose reasons must still hold (each
// still finds fewer); and every sequence number of a SYN or SYN-ACK in
// tshark's oracle is an ISN of synfin's, but for otherISNs. Skipped
// without the corpus.
func TestCorpusConnectionsFound(t *testing.T) {
	dir := sharedCorpus()
	if dir == "" {
		t.Skip("no shared corpus beside the repository")
	}
	convs, _ := filepath.Glob(filepath.Join(dir, "oracles", "conv", "*.conv.txt"))
	checked, fewer, isnChecked := 0, 0, 0
	for _, conv := range convs {
		name := strings.TrimSuffix(filepath.Base(conv), ".conv.txt")
		want := conversations(t, conv)
		if want == 0 {
			continue
		}
		recs, err := analyzeWithDeadline(filepath.Join(dir, "captures", name), 60*time.Second)
		if err == errDeadline {
			t.Errorf("%s: did not finish", name)
			continue
		}
		// Every ISN tshark saw on a SYN is one of synfin's.
		isns := map[uint32]bool{}
		for _, r := range recs {
			for _, p := range []*uint32{r.Handshake.ClientISN, r.Handshake.ServerISN} {
				if p != nil {
					isns[*p] = true
				}
			}
		}
		for _, isn := range synISNs(t, filepath.Join(dir, "oracles", "tshark", name+".tsv")) {
			isnChecked++
			if !isns[isn] && notFound[name] == "" && otherISNs[name] == "" {
				t.Errorf("%s: tshark's SYN with sequence number %d is in no synfin connection", name, isn)
			}
		}
		checked++
		why, excused := notFound[name]
		switch {
		case len(recs) < want && !excused:
			t.Errorf("%s: synfin finds %d connections, tshark %d", name, len(recs), want)
		case len(recs) < want:
			fewer++
		case excused:
			t.Errorf("%s: excused (%s) but synfin now finds %d of tshark's %d: take it off the list", name, why, len(recs), want)
		}
	}
	t.Logf("%d captures with TCP conversations in tshark; synfin finds fewer in %d, each named in notFound; %d SYN sequence numbers of tshark's found among synfin's ISNs", checked, fewer, isnChecked)
	if checked < 700 {
		t.Errorf("only %d captures checked", checked)
	}
}

// conversations counts the TCP conversations of tshark -q -z conv,tcp.
func conversations(t *testing.T, path string) int {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "<->") {
			n++
		}
	}
	return n
}

// synISNs are the sequence numbers of the SYNs (with or without ACK) in
// tshark's oracle of a capture (oracles/tshark: tcp.flags and
// tcp.seq_raw), none when there is no oracle.
func synISNs(t *testing.T, path string) []uint32 {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []uint32
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	col := map[string]int{}
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(col) == 0 {
			for i, h := range fields {
				col[h] = i
			}
			continue
		}
		fl, sq := col["tcp.flags"], col["tcp.seq_raw"]
		if fl >= len(fields) || sq >= len(fields) {
			continue
		}
		flags, err1 := strconv.ParseUint(strings.TrimPrefix(fields[fl], "0x"), 16, 16)
		seq, err2 := strconv.ParseUint(fields[sq], 10, 32)
		if err1 == nil && err2 == nil && flags&0x02 != 0 {
			out = append(out, uint32(seq))
		}
	}
	return out
}
