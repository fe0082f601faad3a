package main

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestFrameNumbers: ladders and walkthroughs number each packet as
// Wireshark numbers frames, so a student can find it in the capture. The
// capture has three connections whose packets interleave and UDP datagrams
// between them, so a frame number is not a packet's place in its connection.
// The oracle is tshark 4.0's frame.number for each tcp.stream:
//
//	tshark -r testdata/frames/loopback-interleaved.pcap -T fields -e frame.number -e tcp.stream
func TestFrameNumbers(t *testing.T) {
	const path = "../../testdata/frames/loopback-interleaved.pcap"
	tshark := map[int][]int{
		0: {2, 3, 4, 5, 6, 7, 8, 25, 26, 31, 32, 37, 38, 39},
		1: {10, 11, 12, 13, 14, 15, 16, 27, 28, 33, 34, 40, 41, 42},
		2: {18, 19, 20, 21, 22, 23, 24, 29, 30, 35, 36, 43, 44, 45},
	}
	ladderRow := regexp.MustCompile(`(?m)^ *(\d+) +\d+\.\d{3} +│`)
	explainItem := regexp.MustCompile(`(?m)^ *\d+\. \[frames? (\d+)(?:–(\d+))?, `)
	for conn, want := range tshark {
		c := strconv.Itoa(conn)
		var got []int
		for _, m := range ladderRow.FindAllStringSubmatch(string(runOK(t, "ladder", "--full", "-c", c, path)), -1) {
			n, _ := strconv.Atoi(m[1])
			got = append(got, n)
		}
		if !slices.Equal(got, want) {
			t.Errorf("ladder of connection %d: frames %v, tshark %v", conn, got, want)
		}
		// A walkthrough tells some packets one by one and runs of data
		// packets as one item: every frame it names is one of the
		// connection's, in order, from its first to its last.
		items := explainItem.FindAllStringSubmatch(string(runOK(t, "explain", "-c", c, path)), -1)
		var named []int
		for _, m := range items {
			for _, s := range m[1:] {
				if s != "" {
					n, _ := strconv.Atoi(s)
					named = append(named, n)
				}
			}
		}
		if len(named) < 2 || named[0] != want[0] || named[len(named)-1] != want[len(want)-1] || !slices.IsSorted(named) {
			t.Errorf("explain of connection %d names frames %v; tshark's are %v", conn, named, want)
		}
		for _, n := range named {
			if !slices.Contains(want, n) {
				t.Errorf("explain of connection %d names frame %d, not one of its own %v", conn, n, want)
			}
		}
	}
	// Chinese says it the Chinese way.
	if zh := string(runOK(t, "explain", "--lang", "zh", "-c", "1", path)); !strings.Contains(zh, "[第 10 帧，0.000 毫秒]") {
		t.Errorf("zh walkthrough without 第 10 帧:\n%s", zh)
	}
}
