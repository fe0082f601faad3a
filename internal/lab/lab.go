package lab

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
)

// Variant is the kind of connection a lab run makes.
type Variant int

const (
	ClientClose Variant = iota // the client closes first (the default)
	ServerClose
	Reset
	HalfClose
	Refused
)

// ErrNoCapture: the loopback interface could not be captured for another
// reason (no lo, a kernel without AF_PACKET).
var ErrNoCapture = errors.New("cannot capture on the loopback interface")

// ErrNeedRoot: capturing needs root or CAP_NET_RAW.
var ErrNeedRoot = errors.New("synfin lab captures loopback traffic with an AF_PACKET socket, which needs root or CAP_NET_RAW: run it with sudo, or try synfin demo, which explains a recorded capture")

// Call is one socket call the lab's programs made.
type Call struct {
	At   time.Time
	By   flows.Dir // the client or the server
	What Act
	N    int // bytes, for Read
}

// Act is what a socket call did: a closed set, told in words by Words.
type Act int

const (
	_                   Act = iota
	Listen                  // socket(), bind(), listen()
	Connect                 // connect() called
	ConnectReturns          // connect() returned: the handshake is done
	ConnectRefused          // connect() failed with ECONNREFUSED
	Accept                  // accept() returned
	Read                    // read() returned N bytes
	Write                   // write()
	ShutdownWrite           // shutdown(SHUT_WR)
	Close                   // close()
	CloseLinger0            // close() with SO_LINGER 0: an RST
	ReadEOFClientShut       // read() returned 0 after the client's shutdown
	ReadEOFServerClosed     // read() returned 0 after the server's close
	ReadEOFOrReset          // read() returned 0, or failed after an RST
)

// actKeys are the catalogue's words for each act (msg: lab.call.*).
var actKeys = map[Act]string{
	Listen: "listen", Connect: "connect", ConnectReturns: "connect.returns", ConnectRefused: "connect.refused",
	Accept: "accept", Read: "read", Write: "write", ShutdownWrite: "shutdown", Close: "close",
	CloseLinger0: "close.linger0", ReadEOFClientShut: "read.eof.clientshut", ReadEOFServerClosed: "read.eof.serverclosed",
	ReadEOFOrReset: "read.eof.orreset",
}

// Words is the call in lang, its system call names kept as they are.
func (c Call) Words(lang msg.Lang) string {
	if c.What == Read {
		return lang.F("lab.call.read", c.N)
	}
	return lang.T("lab.call." + actKeys[c.What])
}

// Result is what a lab run gave.
type Result struct {
	Port   int    // the server's
	Calls  []Call // in the order they were made
	Pcapng []byte // the frames of the lab's connection, as pcapng
	Ladder *ladder.Ladder
	Record *analyze.Record
}

// Run makes, captures and analyses one connection of variant v.
func Run(v Variant, port int) (*Result, error) {
	res := &Result{}
	var mu sync.Mutex
	log := func(by flows.Dir, what Act, n int) {
		mu.Lock()
		res.Calls = append(res.Calls, Call{time.Now(), by, what, n})
		mu.Unlock()
	}
	frames, err := captureLoopback(func() error {
		p, err := connect(v, port, log)
		res.Port = p
		return err
	})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := writePcapng(&buf, frames); err != nil {
		return nil, err
	}
	// Analyse what was captured; the lab's connection is the one to its
	// port (other loopback traffic may have passed meanwhile).
	rec := ladder.NewRecorder()
	var recs []analyze.Record
	if _, err := pipeline.Run("lab", bytes.NewReader(buf.Bytes()), pipeline.Options{Trace: rec.Trace},
		func(r *analyze.Record) { recs = append(recs, r.Clone()) }); err != nil {
		return nil, err
	}
	want := ":" + strconv.Itoa(res.Port)
	for i := range recs {
		if strings.HasSuffix(recs[i].Server, want) && strings.HasPrefix(recs[i].Server, "127.0.0.1") {
			res.Record = &recs[i]
			res.Ladder = rec.Ladder(recs[i].Conn)
		}
	}
	if res.Record == nil {
		return nil, fmt.Errorf("the capture holds no connection to port %d (%d frames captured)", res.Port, len(frames))
	}
	// Keep only that connection's frames for -w.
	var keep []frame
	frames1 := map[int]bool{}
	for _, s := range res.Ladder.Steps {
		frames1[s.Frame] = true
	}
	for i, f := range frames {
		if frames1[i+1] {
			keep = append(keep, f)
		}
	}
	buf.Reset()
	if err := writePcapng(&buf, keep); err != nil {
		return nil, err
	}
	res.Pcapng = buf.Bytes()
	return res, nil
}

// Note names the socket call (or the kernel's own doing) behind each
// packet of the lab's connection.
func Note(lang msg.Lang, res *Result) func(*ladder.Step) string {
	// last is the latest call of by, made before the packet at ts, that
	// is one of acts: what sent the packet.
	last := func(by flows.Dir, ts int64, acts ...Act) string {
		for i := len(res.Calls) - 1; i >= 0; i-- {
			c := res.Calls[i]
			if c.By != by || c.At.UnixNano() > ts {
				continue
			}
			if slices.Contains(acts, c.What) {
				return c.Words(lang)
			}
		}
		return ""
	}
	return func(s *ladder.Step) string {
		f := s.Flags
		switch {
		case f&flows.FlagSYN != 0 && f&flows.FlagACK == 0:
			return "connect()"
		case f&flows.FlagSYN != 0:
			return lang.T("lab.by.listen")
		case f&flows.FlagRST != 0 && res.Record.Handshake.Status == analyze.HandshakeRejected:
			return lang.T("lab.by.nolistener")
		case f&flows.FlagRST != 0:
			return last(s.Dir, s.TS, CloseLinger0, Close)
		case f&flows.FlagFIN != 0:
			return last(s.Dir, s.TS, ShutdownWrite, Close, CloseLinger0)
		case s.Len > 0:
			return "write()"
		}
		return lang.T("lab.by.kernel")
	}
}

// frame is one captured frame.
type frame struct {
	data []byte
	ci   gopacket.CaptureInfo
}

// writePcapng writes frames as a pcapng file Wireshark opens.
func writePcapng(w io.Writer, frames []frame) error {
	nw, err := pcapgo.NewNgWriter(w, layers.LinkTypeEthernet)
	if err != nil {
		return err
	}
	for _, f := range frames {
		ci := f.ci
		ci.InterfaceIndex = 0 // the one interface the file describes
		if err := nw.WritePacket(ci, f.data); err != nil {
			return err
		}
	}
	return nw.Flush()
}
