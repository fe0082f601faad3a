//go:build linux

package lab

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/synfin/synfin/flows"

	"github.com/gopacket/gopacket/pcapgo"
	"golang.org/x/net/bpf"
)

// captureLoopback captures loopback traffic with an AF_PACKET socket (pcapgo's
// EthernetHandle, no libpcap) while fn runs, and returns the frames.
func captureLoopback(fn func() error) ([]frame, error) {
	h, err := pcapgo.NewEthernetHandle("lo")
	if err != nil {
		if errors.Is(err, syscall.EPERM) || errors.Is(err, os.ErrPermission) || isPermission(err) {
			return nil, ErrNeedRoot
		}
		return nil, fmt.Errorf("%w: %v", ErrNoCapture, err)
	}
	// On lo every packet passes twice, going out and coming in: keep the
	// incoming copy only, as tcpdump does (skb->pkt_type 4 is outgoing).
	prog, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadExtension{Num: bpf.ExtType},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 4, SkipTrue: 1},
		bpf.RetConstant{Val: 262144},
		bpf.RetConstant{Val: 0},
	})
	if err == nil {
		err = h.SetBPF(prog)
	}
	if err != nil {
		_ = h.Close() // the handle never captured
		return nil, fmt.Errorf("%w: capture filter: %v", ErrNoCapture, err)
	}
	var (
		frames []frame
		mu     sync.Mutex
		done   = make(chan struct{})
	)
	go func() {
		defer close(done)
		for {
			data, ci, err := h.ReadPacketData()
			if err != nil {
				return
			}
			mu.Lock()
			frames = append(frames, frame{data, ci})
			mu.Unlock()
		}
	}()
	ferr := fn()
	time.Sleep(50 * time.Millisecond) // the last packets reach the socket
	_ = h.Close()                     // ends the reading loop; what it read is kept
	<-done
	mu.Lock()
	defer mu.Unlock()
	return frames, ferr
}

func isPermission(err error) bool {
	var errno syscall.Errno
	if errors.As(err, &errno) && (errno == syscall.EPERM || errno == syscall.EACCES) {
		return true
	}
	// pcapgo words some failures itself ("couldn't open packet socket:
	// operation not permitted") without wrapping the errno.
	msg := err.Error()
	return strings.Contains(msg, "operation not permitted") || strings.Contains(msg, "permission denied")
}

// connect runs one connection of the variant on 127.0.0.1 and logs the
// socket calls it makes, in order, with their times: a call that sends
// (write, shutdown, close) is logged as it is made, before the packets it
// causes; one that waits (accept, read) when it returns.
func connect(v Variant, port int, log func(by flows.Dir, what Act, n int)) (int, error) {
	if v == Refused {
		// A port nothing listens on: bind one, note it, let it go.
		l, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			return 0, err
		}
		port = l.Addr().(*net.TCPAddr).Port
		if err := l.Close(); err != nil {
			return port, err
		}
		log(flows.DirClient, Connect, 0)
		c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			_ = c.Close() // the variant failed already
			return port, errors.New("the refused variant found a listener")
		}
		log(flows.DirClient, ConnectRefused, 0)
		return port, nil
	}
	l, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }() // a listener that served its one connection
	port = l.Addr().(*net.TCPAddr).Port
	log(flows.DirServer, Listen, 0)
	served := make(chan error, 1)
	go func() {
		s, err := l.Accept()
		if err != nil {
			served <- err
			return
		}
		// The calls the log names must have happened: the first that
		// fails ends the lab with its error, rather than explaining a
		// call that was not made.
		var serr calls
		log(flows.DirServer, Accept, 0)
		buf := make([]byte, 64)
		n, _ := s.Read(buf) // the client's request, or nothing if it reset
		log(flows.DirServer, Read, n)
		log(flows.DirServer, Write, 0)
		serr.n(s.Write([]byte("hello, client\n")))
		switch v {
		case ServerClose:
			log(flows.DirServer, Close, 0)
		case HalfClose:
			serr.n64(io.Copy(io.Discard, s)) // until the client's FIN
			log(flows.DirServer, ReadEOFClientShut, 0)
			log(flows.DirServer, Write, 0)
			serr.n(s.Write([]byte("more after your FIN\n")))
			log(flows.DirServer, Close, 0)
		default:
			_, _ = io.Copy(io.Discard, s) // until a FIN or the client's RST: either ends it
			log(flows.DirServer, ReadEOFOrReset, 0)
			log(flows.DirServer, Close, 0)
		}
		serr.did(s.Close())
		served <- serr.err
	}()
	log(flows.DirClient, Connect, 0)
	c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
	if err != nil {
		return port, err
	}
	tc := c.(*net.TCPConn)
	var cerr calls
	log(flows.DirClient, ConnectReturns, 0)
	log(flows.DirClient, Write, 0)
	cerr.n(tc.Write([]byte("hello, server\n")))
	buf := make([]byte, 64)
	n, _ := tc.Read(buf)
	log(flows.DirClient, Read, n)
	switch v {
	case Reset:
		cerr.did(tc.SetLinger(0))
		log(flows.DirClient, CloseLinger0, 0)
	case ServerClose:
		cerr.n64(io.Copy(io.Discard, tc))
		log(flows.DirClient, ReadEOFServerClosed, 0)
		log(flows.DirClient, Close, 0)
	case HalfClose:
		log(flows.DirClient, ShutdownWrite, 0)
		cerr.did(tc.CloseWrite())
		cerr.n64(io.Copy(io.Discard, tc))
		log(flows.DirClient, ReadEOFServerClosed, 0)
		log(flows.DirClient, Close, 0)
	default:
		log(flows.DirClient, Close, 0)
	}
	cerr.did(tc.Close())
	select {
	case err := <-served:
		if cerr.err != nil {
			return port, cerr.err
		}
		return port, err
	case <-time.After(2 * time.Second):
		return port, errors.New("the server side did not finish")
	}
}

// calls keeps the first error of a run of socket calls.
type calls struct{ err error }

func (c *calls) did(err error) {
	if c.err == nil {
		c.err = err
	}
}

func (c *calls) n(_ int, err error) { c.did(err) }

func (c *calls) n64(_ int64, err error) { c.did(err) }
