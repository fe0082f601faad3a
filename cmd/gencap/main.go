// Command gencap writes a synthetic benchmark capture of realistic shape
// for make bench, so that a fresh machine without root (no network
// namespaces, no tcpdump) can measure synfin: many short connections with
// handshakes, a request and a response, and mixed closes, a quarter over
// IPv6, a few concurrent at a time, client ports reused. The packets are
// synthetic (built here, not captured) and say so in the file name; tests
// never use it, only benchmarks. Real captures for the same purpose come
// from shared/tools/perfcap.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand"
	"net"
	"os"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

func main() {
	out := flag.String("o", "synfin-bench.synthetic.pcap", "output file")
	conns := flag.Int("conns", 300000, "connections")
	conc := flag.Int("concurrent", 16, "connections open at once")
	bulk := flag.Int("bulk", 0, "if > 0: this many bulk connections of -bulk-mb each instead")
	bulkMB := flag.Int("bulk-mb", 256, "megabytes per bulk connection")
	snap := flag.Int("snaplen", 262144, "snaplen (96 for bulk captures as in perfcap)")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := pcapgo.NewWriter(bw)
	if err := w.WriteFileHeader(uint32(*snap), layers.LinkTypeEthernet); err != nil {
		panic(err)
	}
	g := &gen{w: w, snap: *snap, rng: rand.New(rand.NewSource(2026)), now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	if *bulk > 0 {
		for i := 0; i < *bulk; i++ {
			g.conn(i, false, *bulkMB<<20)
		}
	} else {
		g.many(*conns, *conc)
	}
	if err := bw.Flush(); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
	fmt.Printf("%s: %d packets\n", *out, g.pkts)
}

type gen struct {
	w    *pcapgo.Writer
	snap int
	rng  *rand.Rand
	now  time.Time
	pkts int
	buf  gopacket.SerializeBuffer
}

type step struct {
	fromClient bool
	flags      string
	payload    int
}

func (g *gen) many(n, conc int) {
	active := make([]*flowState, 0, conc)
	started := 0
	for started < n || len(active) > 0 {
		for len(active) < conc && started < n {
			active = append(active, g.newFlow(started))
			started++
		}
		k := g.rng.Intn(len(active))
		fs := active[k]
		g.emit(fs, fs.script[fs.i])
		fs.i++
		if fs.i == len(fs.script) {
			active[k] = active[len(active)-1]
			active = active[:len(active)-1]
		}
	}
}

type flowState struct {
	cli, srv     net.IP
	cport, sport uint16
	cseq, sseq   uint32
	script       []step
	i            int
	v6           bool
}

func (g *gen) newFlow(i int) *flowState {
	fs := &flowState{sport: 8080, cport: uint16(1024 + i%60000), cseq: g.rng.Uint32(), sseq: g.rng.Uint32()}
	fs.v6 = i%4 == 3
	if fs.v6 {
		fs.cli, fs.srv = net.ParseIP(fmt.Sprintf("fd00:18::%x", 0x10+i%2)), net.ParseIP("fd00:18::1")
	} else {
		fs.cli, fs.srv = net.IPv4(198, 18, 0, byte(10+i%8)), net.IPv4(198, 18, 0, 1)
	}
	switch r := g.rng.Intn(1000); {
	case r < 5: // refused
		fs.script = []step{{true, "S", 0}, {false, "RA", 0}}
	default:
		s := []step{{true, "S", 0}, {false, "SA", 0}, {true, "A", 0}, {true, "PA", 120}, {false, "A", 0}, {false, "PA", 600}, {true, "A", 0}}
		switch {
		case r < 705:
			s = append(s, step{true, "FA", 0}, step{false, "FA", 0}, step{true, "A", 0})
		case r < 905:
			s = append(s, step{false, "FA", 0}, step{true, "FA", 0}, step{false, "A", 0})
		default:
			s = append(s, step{true, "RA", 0})
		}
		fs.script = s
	}
	return fs
}

func (g *gen) emit(fs *flowState, st step) {
	g.now = g.now.Add(time.Duration(5+g.rng.Intn(30)) * time.Microsecond)
	src, dst, sp, dp := fs.cli, fs.srv, fs.cport, fs.sport
	seq, ack := &fs.cseq, fs.sseq
	if !st.fromClient {
		src, dst, sp, dp = dst, src, dp, sp
		seq, ack = &fs.sseq, fs.cseq
	}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: *seq, Window: 502}
	for _, c := range st.flags {
		switch c {
		case 'S':
			tcp.SYN = true
		case 'A':
			tcp.ACK = true
		case 'F':
			tcp.FIN = true
		case 'R':
			tcp.RST = true
		case 'P':
			tcp.PSH = true
		}
	}
	if tcp.ACK {
		tcp.Ack = ack
	}
	if tcp.SYN {
		tcp.Window = 64240
		tcp.Options = []layers.TCPOption{
			{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{5, 0xb4}},
			{OptionType: layers.TCPOptionKindSACKPermitted, OptionLength: 2},
			{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: make([]byte, 8)},
			{OptionType: layers.TCPOptionKindNop},
			{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{7}},
		}
	}
	g.write(src, dst, tcp, st.payload, fs.v6)
	adv := uint32(st.payload)
	if tcp.SYN || tcp.FIN {
		adv++
	}
	*seq += adv
}

func (g *gen) conn(i int, _ bool, size int) {
	fs := &flowState{sport: 5001, cport: uint16(40000 + i), cseq: g.rng.Uint32(), sseq: g.rng.Uint32(),
		cli: net.IPv4(198, 18, 0, 10), srv: net.IPv4(198, 18, 0, 1)}
	for _, st := range []step{{true, "S", 0}, {false, "SA", 0}, {true, "A", 0}} {
		g.emit(fs, st)
	}
	for sent := 0; sent < size; sent += 1448 {
		g.emit(fs, step{true, "A", 1448})
		if (sent/1448)%2 == 1 {
			g.emit(fs, step{false, "A", 0})
		}
	}
	for _, st := range []step{{true, "FA", 0}, {false, "FA", 0}, {true, "A", 0}} {
		g.emit(fs, st)
	}
}

var mac1, mac2 = net.HardwareAddr{2, 0, 0, 0, 0, 1}, net.HardwareAddr{2, 0, 0, 0, 0, 2}

func (g *gen) write(src, dst net.IP, tcp *layers.TCP, payload int, v6 bool) {
	if g.buf == nil {
		g.buf = gopacket.NewSerializeBuffer()
	}
	eth := &layers.Ethernet{SrcMAC: mac1, DstMAC: mac2, EthernetType: layers.EthernetTypeIPv4}
	var net gopacket.SerializableLayer
	if v6 {
		eth.EthernetType = layers.EthernetTypeIPv6
		ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolTCP, SrcIP: src, DstIP: dst}
		_ = tcp.SetNetworkLayerForChecksum(ip) // fails only for a layer that is not IP
		net = ip
	} else {
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: src.To4(), DstIP: dst.To4(), Flags: layers.IPv4DontFragment}
		_ = tcp.SetNetworkLayerForChecksum(ip) // fails only for a layer that is not IP
		net = ip
	}
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(g.buf, opts, eth, net, tcp, gopacket.Payload(make([]byte, payload))); err != nil {
		panic(err)
	}
	data := g.buf.Bytes()
	ci := gopacket.CaptureInfo{Timestamp: g.now, Length: len(data), CaptureLength: min(len(data), g.snap)}
	if err := g.w.WritePacket(ci, data[:ci.CaptureLength]); err != nil {
		panic(err)
	}
	g.pkts++
}
