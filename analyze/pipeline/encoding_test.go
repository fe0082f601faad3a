package pipeline

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/synfin/synfin/analyze"
)

// TestEncodingWorkersSameBytes: analysed and encoded by 1, 2, 4 or 8
// workers, in stages, every capture of testdata gives byte for byte the
// JSON Lines that one goroutine emitting each record gives; a filter
// applied in the encoders leaves out the same records. The captures of
// hundreds of connections (the scan, the lab's 200) fill several batches.
func TestEncodingWorkersSameBytes(t *testing.T) {
	var paths []string
	filepath.WalkDir("../../testdata", func(path string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			paths = append(paths, path)
		}
		return nil
	})
	newEncoder := func(keep func(*analyze.Record) bool) func() func([]byte, *analyze.Record) []byte {
		return func() func([]byte, *analyze.Record) []byte {
			return func(dst []byte, r *analyze.Record) []byte {
				if keep != nil && !keep(r) {
					return dst
				}
				return append(r.AppendJSON(dst), '\n')
			}
		}
	}
	odd := func(r *analyze.Record) bool { return r.Conn%2 == 1 }
	runs, records := 0, 0
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if _, err := Run(path, bytes.NewReader(b), Options{Stages: InOne}, func(r *analyze.Record) {
			want.Write(append(r.AppendJSON(nil), '\n'))
			records++
		}); err != nil && want.Len() == 0 {
			continue // not a capture, or nothing read
		}
		for _, keep := range []func(*analyze.Record) bool{nil, odd} {
			var wantKept bytes.Buffer
			Run(path, bytes.NewReader(b), Options{Stages: InOne, Encoding: &Encoding{NewEncoder: newEncoder(keep),
				Write: func(p []byte) error { wantKept.Write(p); return nil }}}, nil)
			if keep == nil && !bytes.Equal(wantKept.Bytes(), want.Bytes()) {
				t.Fatalf("%s: the one-goroutine encoder differs from emit", path)
			}
			for _, workers := range []int{1, 2, 4, 8} {
				var got bytes.Buffer
				Run(path, bytes.NewReader(b), Options{Stages: Staged, Encoding: &Encoding{NewEncoder: newEncoder(keep),
					Write: func(p []byte) error { got.Write(p); return nil }, Workers: workers}}, nil)
				if !bytes.Equal(got.Bytes(), wantKept.Bytes()) {
					t.Errorf("%s, %d workers, filter %v: %d bytes, one goroutine %d", path, workers, keep != nil, got.Len(), wantKept.Len())
				}
				runs++
			}
		}
	}
	if runs < 400 || records < 500 {
		t.Fatalf("only %d runs over %d records", runs, records)
	}
	t.Logf("%d runs over %d captures' %d records", runs, len(paths), records)
}

// TestEncodingWorkersNoDeadlock runs two and eight workers over a capture
// of some forty batches again and again, the writer slow now and then, so that batches
// finish out of order: the run must end (a worker holding the next batch
// to write once waited for a buffer that later batches held) with the same
// bytes every time.
func TestEncodingWorkersNoDeadlock(t *testing.T) {
	b := manyCopies(t, "../../testdata/scan/nmap-syn.pcap", 12)
	encoder := func() func([]byte, *analyze.Record) []byte {
		return func(dst []byte, r *analyze.Record) []byte { return append(r.AppendJSON(dst), '\n') }
	}
	var want []byte
	for i := range 200 {
		workers := 2 + 6*(i%2)
		var got bytes.Buffer
		writes := 0
		ran := make(chan struct{})
		go func() {
			defer close(ran)
			Run("scan", bytes.NewReader(b), Options{Stages: Staged, Encoding: &Encoding{NewEncoder: encoder, Workers: workers,
				Write: func(p []byte) error {
					if writes++; (writes+i)%3 == 0 {
						time.Sleep(50 * time.Microsecond)
					}
					got.Write(p)
					return nil
				}}}, nil)
		}()
		select {
		case <-ran:
		case <-time.After(20 * time.Second):
			t.Fatalf("run %d with %d workers has not ended after 20 s: a deadlock", i, workers)
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
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
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
