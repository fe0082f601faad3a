package main

import (
	"bufio"
	"encoding/binary"
	"os"
	"strings"
	"testing"
	"time"
)

// TestLingerZeroStreams: read from a pipe with --linger 0, as from
// `tcpdump -U -w - | synfin -f jsonl --linger 0 -`, a connection's record is
// written as the packet that closes it is read, before the pipe gives the
// next packet. The lab capture of five connections on one port is fed a
// packet at a time; after the final ACK of each connection, the test waits
// for its record before it writes another packet.
func TestLingerZeroStreams(t *testing.T) {
	capture, err := os.ReadFile("../../testdata/lab/03_port_reuse.pcap")
	if err != nil {
		t.Fatal(err)
	}
	if binary.LittleEndian.Uint32(capture) != 0xa1b2c3d4 {
		t.Fatal("not a little-endian microsecond pcap")
	}
	var packets [][]byte // each packet's record, header and data
	for off := 24; off < len(capture); {
		n := 16 + int(binary.LittleEndian.Uint32(capture[off+8:]))
		packets = append(packets, capture[off:off+n])
		off += n
	}
	// Frames that close a connection (its last packet: tshark's
	// tcp.stream of each frame), and the record that must follow each.
	closing := map[int]string{12: `"conn":0,`, 24: `"conn":1,`, 36: `"conn":2,`, 48: `"conn":3,`, 60: `"conn":4,`}
	if len(packets) != 60 {
		t.Fatalf("%d packets, want 60", len(packets))
	}

	inR, inW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	exit := make(chan int, 1)
	go func() {
		exit <- run([]string{"-f", "jsonl", "--linger", "0", "-"}, inR, outW, &stderr)
		outW.Close()
	}()
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(outR)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if _, err := inW.Write(capture[:24]); err != nil {
		t.Fatal(err)
	}
	for i, p := range packets {
		if _, err := inW.Write(p); err != nil {
			t.Fatal(err)
		}
		want, closes := closing[i+1]
		if !closes {
			continue
		}
		select {
		case line := <-lines:
			if !strings.Contains(line, want) {
				t.Fatalf("after frame %d: record %.80s…, want %s", i+1, line, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("frame %d closed %s, and no record came out before the next packet", i+1, want)
		}
	}
	inW.Close()
	if code := <-exit; code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if rest, open := <-lines; open {
		t.Errorf("a record after the last: %.80s", rest)
	}
}
