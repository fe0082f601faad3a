package capture

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// TestPcapngSuite reads gopacket's pcapng format suite (both byte orders:
// several sections, many interfaces, mixed link types, if_tsresol, every
// block type) and checks the packet count against capinfos.
func TestPcapngSuite(t *testing.T) {
	f, err := os.Open("../../testdata/pcapng/packets.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		name, want, _ := strings.Cut(sc.Text(), "\t")
		n++
		t.Run(name, func(t *testing.T) {
			fh, err := os.Open(filepath.Join("../../testdata/pcapng", name))
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			c, err := Open(name, fh)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			var p Packet
			got := 0
			for {
				err = c.Next(&p)
				if err != nil {
					break
				}
				got++
				if p.Offset < 0 {
					t.Errorf("packet %d: no byte offset", p.Index)
				}
			}
			if strings.HasSuffix(want, "then error") {
				var pe *PacketError
				if !errors.As(err, &pe) || pe.Index != got+1 || pe.Offset <= 0 {
					t.Errorf("after %d packets: %v, want a PacketError naming packet %d and its offset", got, err, got+1)
				}
				want = strings.Fields(want)[0]
			} else if err != io.EOF {
				t.Errorf("after %d packets: %v, want EOF", got, err)
			}
			if w, _ := strconv.Atoi(want); got != w {
				t.Errorf("read %d packets, capinfos reads %d", got, w)
			}
		})
	}
	if n < 40 {
		t.Fatalf("only %d files listed", n)
	}
}

// TestMixedLinkTypes: a pcapng whose interfaces have different link types
// yields every packet with its own interface's link type (pcapgo drops them
// without WantMixedLinkType).
func TestMixedLinkTypes(t *testing.T) {
	fh, err := os.Open("../../testdata/pcapng/le__test202.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	c, err := Open("test202", fh)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[layers.LinkType]int{}
	var p Packet
	for c.Next(&p) == nil {
		seen[p.Link]++
	}
	if len(seen) < 2 {
		t.Errorf("link types seen %v, want at least two", seen)
	}
}

// TestPcapOffsets checks the byte offsets of classic pcap records: 24-byte
// file header, then a 16-byte record header and the data of each packet.
func TestPcapOffsets(t *testing.T) {
	b, err := os.ReadFile("../../cmd/synfin/demo/demo.pcap")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Open("demo", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	var p Packet
	want := int64(24)
	for c.Next(&p) == nil {
		if p.Offset != want {
			t.Fatalf("packet %d at offset %d, want %d", p.Index, p.Offset, want)
		}
		want += 16 + int64(len(p.Data))
	}
	if want != int64(len(b)) {
		t.Errorf("records end at %d, file is %d bytes", want, len(b))
	}
}
