package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"synfin/analyze"
	"synfin/analyze/ladder"
	"synfin/cmd/synfin/msg"
	"synfin/flows"
)

// synfin lab: one real connection on the loopback interface, made by this
// process (a tiny server and client), captured by this process with an
// AF_PACKET socket, and explained packet by packet with the socket call
// behind each packet. Bounded: one connection, a few hundred bytes, about
// a tenth of a second.

type labVariant int

const (
	labClientClose labVariant = iota // the client closes first (the default)
	labServerClose
	labReset
	labHalfClose
	labRefused
)

// errNoCapture: the loopback interface could not be captured for another
// reason (no lo, a kernel without AF_PACKET).
var errNoCapture = errors.New("cannot capture on the loopback interface")

var errNeedRoot = errors.New("synfin lab captures loopback traffic with an AF_PACKET socket, which needs root or CAP_NET_RAW: run it with sudo, or try synfin demo, which explains a recorded capture")

// labCall is one socket call the lab's programs made.
type labCall struct {
	at     time.Time
	client bool
	call   string
}

// labResult is what a lab run gave.
type labResult struct {
	port   int
	calls  []labCall
	frames []labFrame
	pcapng []byte // the frames of the lab's connection, as pcapng
	ladder *ladder.Ladder
	record *analyze.Record
}

// runLabOnce makes, captures and analyses one connection of variant v.
func runLabOnce(v labVariant, port int) (*labResult, error) {
	res := &labResult{}
	var mu sync.Mutex
	log := func(client bool, call string) {
		mu.Lock()
		res.calls = append(res.calls, labCall{time.Now(), client, call})
		mu.Unlock()
	}
	frames, err := labCapture(func() error {
		p, err := labConn(v, port, log)
		res.port = p
		return err
	})
	if err != nil {
		return nil, err
	}
	res.frames = frames
	var buf bytes.Buffer
	if err := writeLabPcapng(&buf, frames); err != nil {
		return nil, err
	}
	// Analyse what was captured; the lab's connection is the one to its
	// port (other loopback traffic may have passed meanwhile).
	rec := ladder.NewRecorder()
	var recs []analyze.Record
	if _, err := analyzeCapture("lab", bytes.NewReader(buf.Bytes()), limits{trace: rec.Trace},
		func(r *analyze.Record) { recs = append(recs, r.Clone()) }); err != nil {
		return nil, err
	}
	want := ":" + strconv.Itoa(res.port)
	for i := range recs {
		if strings.HasSuffix(recs[i].Server, want) && strings.HasPrefix(recs[i].Server, "127.0.0.1") {
			res.record = &recs[i]
			res.ladder = rec.Ladder(recs[i].Conn)
		}
	}
	if res.record == nil {
		return nil, fmt.Errorf("the capture holds no connection to port %d (%d frames captured)", res.port, len(frames))
	}
	// Keep only that connection's frames for -w.
	var keep []labFrame
	frames1 := map[int]bool{}
	for _, s := range res.ladder.Steps {
		frames1[s.Frame] = true
	}
	for i, f := range frames {
		if frames1[i+1] {
			keep = append(keep, f)
		}
	}
	buf.Reset()
	if err := writeLabPcapng(&buf, keep); err != nil {
		return nil, err
	}
	res.pcapng = buf.Bytes()
	return res, nil
}

// runLab is the lab view.
func runLab(o *options, lang msg.Lang, out, stderr io.Writer) int {
	v := labClientClose
	set := 0
	for _, f := range []struct {
		on bool
		v  labVariant
	}{{o.lab.serverClose, labServerClose}, {o.lab.reset, labReset}, {o.lab.halfClose, labHalfClose}, {o.lab.refused, labRefused}} {
		if f.on {
			v, set = f.v, set+1
		}
	}
	if set > 1 {
		return usageError(stderr, "choose one of --server-close, --reset, --half-close, --refused")
	}
	port := 0
	if len(o.ports) > 0 {
		port = o.ports[0]
	}
	res, err := runLabOnce(v, port)
	if errors.Is(err, errNeedRoot) {
		say(stderr, "synfin: error: %v", err)
		return exitNothing
	}
	if err != nil {
		say(stderr, "synfin: error: lab: %v", err)
		return exitNothing
	}
	markdown := o.format == "markdown"
	t0 := res.calls[0].at
	if markdown {
		fmt.Fprintf(out, "### %s\n\n", lang.T("lab.calls"))
	} else {
		fmt.Fprintf(out, "%s\n", lang.T("lab.calls"))
	}
	for _, c := range res.calls {
		line := fmt.Sprintf("%9.3f ms  %-7s %s", float64(c.at.Sub(t0).Microseconds())/1e3, who(lang, c.client), c.call)
		if markdown {
			fmt.Fprintf(out, "    %s\n", line)
		} else {
			fmt.Fprintf(out, "  %s\n", line)
		}
	}
	fmt.Fprintln(out)
	format := "table"
	if markdown {
		format = "markdown"
	}
	explainConnWith(out, res.ladder, res.record, lang, format, labNote(lang, res))
	if o.lab.write != "" {
		if err := os.WriteFile(o.lab.write, res.pcapng, 0o644); err != nil {
			say(stderr, "synfin: error: %v", err)
			return exitNothing
		}
		fmt.Fprintf(out, "\n%s\n", lang.F("lab.written", o.lab.write))
	}
	return exitOK
}

// labNote names the socket call (or the kernel's own doing) behind each
// packet of the lab's connection.
func labNote(lang msg.Lang, res *labResult) func(*ladder.Step) string {
	last := func(client bool, words ...string) string {
		for i := len(res.calls) - 1; i >= 0; i-- {
			c := res.calls[i]
			if c.client != client {
				continue
			}
			for _, w := range words {
				if strings.Contains(c.call, w) {
					return c.call
				}
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
		case f&flows.FlagRST != 0 && res.record.Handshake.Status == "rejected":
			return lang.T("lab.by.nolistener")
		case f&flows.FlagRST != 0:
			return last(s.FromCli, "SO_LINGER", "close")
		case f&flows.FlagFIN != 0:
			return last(s.FromCli, "shutdown", "close")
		case s.Len > 0:
			return "write()"
		}
		return lang.T("lab.by.kernel")
	}
}

// labFrame is one captured frame.
type labFrame struct {
	data []byte
	ci   gopacket.CaptureInfo
}

// writeLabPcapng writes frames as a pcapng file Wireshark opens.
func writeLabPcapng(w io.Writer, frames []labFrame) error {
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
