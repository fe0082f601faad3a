package pipeline

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
)

// TestEncodingWorkersSameBytes: with its shards shared out to 1, 2, 4 or
// 8 workers, every capture of testdata gives byte for byte the JSON Lines
// that one goroutine owning every shard gives, whether the workers encode
// the records (with a filter applied in the encoders leaving out the same
// ones) or the merger analyses and emits them. The captures of hundreds
// of connections (the scan, the lab's 200) fill several rounds.
func TestEncodingWorkersSameBytes(t *testing.T) {
	var paths []string
	filepath.WalkDir("../../testdata", func(path string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			paths = append(paths, path)
		}
		return nil
	})
	odd := func(r *analyze.Record) bool { return r.Conn%2 == 1 }
	runs, records := 0, 0
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		wantSt, wantErr := Run(path, bytes.NewReader(b), Options{Stages: InOne}, func(r *analyze.Record) {
			want.Write(append(r.AppendJSON(nil), '\n'))
			records++
		})
		if wantErr != nil && want.Len() == 0 {
			continue // not a capture, or nothing read
		}
		for _, keep := range []func(*analyze.Record) bool{nil, odd} {
			var wantKept bytes.Buffer
			Run(path, bytes.NewReader(b), Options{Stages: InOne, Encoding: &Encoding{Format: jsonLines{keep}, Out: &wantKept}}, nil)
			if keep == nil && !bytes.Equal(wantKept.Bytes(), want.Bytes()) {
				t.Fatalf("%s: the one-goroutine encoder differs from emit", path)
			}
			for _, workers := range []int{1, 2, 4, 8} {
				var got bytes.Buffer
				st, err := Run(path, bytes.NewReader(b), Options{Stages: Staged, Workers: workers, Encoding: &Encoding{Format: jsonLines{keep}, Out: &got}}, nil)
				if !bytes.Equal(got.Bytes(), wantKept.Bytes()) {
					t.Errorf("%s, %d workers, filter %v: %d bytes, one goroutine %d", path, workers, keep != nil, got.Len(), wantKept.Len())
				}
				// The damage that ended a file, and the counts, are the same too.
				if fmt.Sprint(err) != fmt.Sprint(wantErr) || st.Packets != wantSt.Packets || st.Segments != wantSt.Segments || st.Damaged != wantSt.Damaged || st.Late != wantSt.Late {
					t.Errorf("%s, %d workers: %v, %+v; one goroutine %v, %+v", path, workers, err, st, wantErr, wantSt)
				}
				runs++
			}
		}
		for _, workers := range []int{1, 3} {
			var got bytes.Buffer
			Run(path, bytes.NewReader(b), Options{Stages: Staged, Workers: workers}, func(r *analyze.Record) {
				got.Write(append(r.AppendJSON(nil), '\n'))
			})
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%s, %d workers emitting: %d bytes, one goroutine %d", path, workers, got.Len(), want.Len())
			}
		}
	}
	if runs < 400 || records < 500 {
		t.Fatalf("only %d runs over %d records", runs, records)
	}
	t.Logf("%d runs over %d captures' %d records", runs, len(paths), records)
}

// TestEncodingWorkersNoDeadlock runs two and eight workers over a capture
// of some forty rounds again and again, the writer slow now and then, so
// that workers drift apart: the run must end (the reader, the numberer,
// the workers and the merger each wait on another) with the same bytes
// every time.
func TestEncodingWorkersNoDeadlock(t *testing.T) {
	b := manyCopies(t, "../../testdata/scan/nmap-syn.pcap", 12)
	var want []byte
	runs := 200
	if testing.Short() {
		runs = 20 // the soak is make test's; -short checks the shape
	}
	for i := range runs {
		workers := 2 + 6*(i%2)
		var got bytes.Buffer
		writes := 0
		ran := make(chan struct{})
		var err error
		go func() {
			defer close(ran)
			_, err = Run("scan", bytes.NewReader(b), Options{Stages: Staged, Workers: workers, Encoding: &Encoding{Format: jsonLines{},
				Out: writerFunc(func(p []byte) {
					if writes++; (writes+i)%3 == 0 {
						time.Sleep(50 * time.Microsecond)
					}
					got.Write(p)
				})}}, nil)
		}()
		select {
		case <-ran:
		case <-time.After(20 * time.Second):
			t.Fatalf("run %d with %d workers has not ended after 20 s: a deadlock", i, workers)
		}
		if err != nil {
			t.Fatalf("run %d with %d workers: %v", i, workers, err)
		}
		if i == 0 {
			want = bytes.Clone(got.Bytes())
			if n := bytes.Count(want, []byte("\n")); n < 2000 {
				t.Fatalf("%d records, want over 2,000", n)
			}
		} else if !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("run %d: %d bytes, the first run %d", i, got.Len(), len(want))
		}
	}
}

// manyCopies is the capture at path repeated n times, each copy between
// other IPv4 addresses (the last byte of both) and a second later,
// so that it holds n times the connections: synthetic, for tests that
// need many batches of them. It keeps Ethernet frames of IPv4 only.
func manyCopies(t *testing.T, path string, n int) []byte {
	r := openPcap(t, path)
	type packet struct {
		ci   gopacket.CaptureInfo
		data []byte
	}
	var pkts []packet
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		if len(data) >= 34 && data[12] == 0x08 && data[13] == 0x00 {
			pkts = append(pkts, packet{ci, data})
		}
	}
	var out bytes.Buffer
	w := pcapgo.NewWriter(&out)
	if err := w.WriteFileHeader(65536, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for k := range n {
		for _, p := range pkts {
			d := bytes.Clone(p.data)
			d[29] += byte(k) // the last byte of both addresses
			d[33] += byte(k)
			ci := p.ci
			ci.Timestamp = ci.Timestamp.Add(time.Duration(k) * time.Second)
			if err := w.WritePacket(ci, d); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out.Bytes()
}

// TestWorkersOneSided: every connection of a synthetic capture falls in
// the shards of one of two workers, each closed by an RST (with Linger
// below zero, its record is made at once), so the other worker sends an
// empty output every round while this one's fill the merger. The merger
// once waited on the idle worker while the busy one's outputs filled
// their channel, and the busy one waited for room: a deadlock. The run
// must end, with the records in the order one goroutine gives.
func TestWorkersOneSided(t *testing.T) {
	var out bytes.Buffer
	w := pcapgo.NewWriter(&out)
	if err := w.WriteFileHeader(65536, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	ts := time.Unix(1_700_000_000, 0)
	write := func(srcPort, dstPort uint16, syn, ack, rst bool, seq uint32) {
		eth := &layers.Ethernet{SrcMAC: []byte{2, 0, 0, 0, 0, 1}, DstMAC: []byte{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: []byte{10, 0, 0, 1}, DstIP: []byte{10, 0, 0, 2}}
		if srcPort == 80 {
			ip.SrcIP, ip.DstIP = ip.DstIP, ip.SrcIP
		}
		tcp := &layers.TCP{SrcPort: layers.TCPPort(srcPort), DstPort: layers.TCPPort(dstPort), SYN: syn, ACK: ack, RST: rst, Seq: seq, Ack: seq + 1, Window: 1000}
		tcp.SetNetworkLayerForChecksum(ip)
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp); err != nil {
			t.Fatal(err)
		}
		ts = ts.Add(time.Millisecond)
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(buf.Bytes()), Length: len(buf.Bytes())}, buf.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	conns := 0
	for port := uint16(1024); conns < 20000; port++ {
		k, _ := flows.KeyOf(netip.MustParseAddrPort(fmt.Sprintf("10.0.0.1:%d", port)), netip.MustParseAddrPort("10.0.0.2:80"))
		if k.Shard(flows.MaxShards)%2 != 1 {
			continue
		}
		write(port, 80, true, false, false, 1000)
		write(80, port, false, true, true, 0)
		conns++
	}
	b := out.Bytes()
	run := func(opt Options) []byte {
		var got bytes.Buffer
		opt.Linger = -1
		opt.Encoding = &Encoding{Format: jsonLines{}, Out: &got}
		ran := make(chan struct{})
		go func() { defer close(ran); Run("one-sided", bytes.NewReader(b), opt, nil) }()
		select {
		case <-ran:
		case <-time.After(20 * time.Second):
			t.Fatalf("%d workers: not ended after 20 s, a deadlock", opt.Workers)
		}
		return got.Bytes()
	}
	want := run(Options{Stages: InOne})
	if n := bytes.Count(want, []byte("\n")); n != conns {
		t.Fatalf("%d records, want %d", n, conns)
	}
	for _, workers := range []int{2, 4} {
		if got := run(Options{Stages: Staged, Workers: workers}); !bytes.Equal(got, want) {
			t.Errorf("%d workers: %d bytes, one goroutine %d", workers, len(got), len(want))
		}
	}
}

// TestWorkersDoNotAllocatePerPacket: the stages, and the reader, the
// workers and the merger, allocate per capture (goroutines, channels) and
// per connection, never per packet: a one-connection capture of thousands of packets
// costs as many allocations as its first fifth.
func TestWorkersDoNotAllocatePerPacket(t *testing.T) {
	r := openPcap(t, "../../testdata/lab/27_bidir_loss.pcap")
	var all, part bytes.Buffer
	wa, wp := pcapgo.NewWriter(&all), pcapgo.NewWriter(&part)
	wa.WriteFileHeader(65536, r.LinkType())
	wp.WriteFileHeader(65536, r.LinkType())
	n := 0
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		wa.WritePacket(ci, data)
		if n < 600 {
			wp.WritePacket(ci, data)
		}
		n++
	}
	if n < 3000 {
		t.Fatalf("%d packets, want thousands", n)
	}
	for _, workers := range []int{1, 2} { // in stages, and sharded
		allocs := func(b []byte) float64 {
			return testing.AllocsPerRun(20, func() {
				Run("lab", bytes.NewReader(b), Options{Stages: Staged, Workers: workers,
					Encoding: &Encoding{Format: jsonLines{}, Out: io.Discard}}, nil)
			})
		}
		whole, fifth := allocs(all.Bytes()), allocs(part.Bytes())
		if whole-fifth > 8 {
			t.Errorf("%d workers, %d packets: %.0f allocations, its first 600: %.0f", workers, n, whole, fifth)
		}
		t.Logf("%d workers, %d packets: %.0f allocations a run, its first 600: %.0f", workers, n, whole, fifth)
	}
}

// jsonLines encodes records as JSON Lines, those keep takes (nil: all).
type jsonLines struct{ keep func(*analyze.Record) bool }

func (j jsonLines) NewEncoder() analyze.Encoder { return j }

func (j jsonLines) AppendRecord(dst []byte, r *analyze.Record) []byte {
	if j.keep != nil && !j.keep(r) {
		return dst
	}
	return append(r.AppendJSON(dst), '\n')
}

// writerFunc is a function as an io.Writer.
type writerFunc func(p []byte)

func (f writerFunc) Write(p []byte) (int, error) { f(p); return len(p), nil }

// openPcap opens a classic pcap file for reading; it is closed when the
// test ends.
func openPcap(t *testing.T, path string) *pcapgo.Reader {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
