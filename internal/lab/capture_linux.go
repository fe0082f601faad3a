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
		h.Close()
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
	h.Close()
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
		l.Close()
		log(flows.DirClient, Connect, 0)
		c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			return port, errors.New("the refused variant found a listener")
		}
		log(flows.DirClient, ConnectRefused, 0)
		return port, nil
	}
	l, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return 0, err
	}
	defer l.Close()
	port = l.Addr().(*net.TCPAddr).Port
	log(flows.DirServer, Listen, 0)
	served := make(chan error, 1)
	go func() {
		s, err := l.Accept()
		if err != nil {
			served <- err
			return
		}
		log(flows.DirServer, Accept, 0)
		defer s.Close()
		buf := make([]byte, 64)
		n, _ := s.Read(buf)
		log(flows.DirServer, Read, n)
		log(flows.DirServer, Write, 0)
		s.Write([]byte("hello, client\n"))
		switch v {
		case ServerClose:
			log(flows.DirServer, Close, 0)
			s.Close()
		case HalfClose:
			io.Copy(io.Discard, s) // until the client's FIN
			log(flows.DirServer, ReadEOFClientShut, 0)
			log(flows.DirServer, Write, 0)
			s.Write([]byte("more after your FIN\n"))
			log(flows.DirServer, Close, 0)
			s.Close()
		default:
			io.Copy(io.Discard, s)
			log(flows.DirServer, ReadEOFOrReset, 0)
			log(flows.DirServer, Close, 0)
			s.Close()
		}
		served <- nil
	}()
	log(flows.DirClient, Connect, 0)
	c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
	if err != nil {
		return port, err
	}
	tc := c.(*net.TCPConn)
	log(flows.DirClient, ConnectReturns, 0)
	log(flows.DirClient, Write, 0)
	tc.Write([]byte("hello, server\n"))
	buf := make([]byte, 64)
	n, _ := tc.Read(buf)
	log(flows.DirClient, Read, n)
	switch v {
	case Reset:
		tc.SetLinger(0)
		log(flows.DirClient, CloseLinger0, 0)
		tc.Close()
	case ServerClose:
		io.Copy(io.Discard, tc)
		log(flows.DirClient, ReadEOFServerClosed, 0)
		log(flows.DirClient, Close, 0)
		tc.Close()
	case HalfClose:
		log(flows.DirClient, ShutdownWrite, 0)
		tc.CloseWrite()
		io.Copy(io.Discard, tc)
		log(flows.DirClient, ReadEOFServerClosed, 0)
		log(flows.DirClient, Close, 0)
		tc.Close()
	default:
		log(flows.DirClient, Close, 0)
		tc.Close()
	}
	select {
	case err := <-served:
		return port, err
	case <-time.After(2 * time.Second):
		return port, errors.New("the server side did not finish")
	}
}
