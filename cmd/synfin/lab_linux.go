//go:build linux

package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
	"golang.org/x/net/bpf"
)

// labCapture captures loopback traffic with an AF_PACKET socket (pcapgo's
// EthernetHandle, no libpcap) while fn runs, and returns the frames.
func labCapture(fn func() error) ([]labFrame, error) {
	h, err := pcapgo.NewEthernetHandle("lo")
	if err != nil {
		if errors.Is(err, syscall.EPERM) || errors.Is(err, os.ErrPermission) || isPermission(err) {
			return nil, errNeedRoot
		}
		return nil, fmt.Errorf("%w: %v", errNoCapture, err)
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
		return nil, fmt.Errorf("%w: capture filter: %v", errNoCapture, err)
	}
	var (
		frames []labFrame
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
			frames = append(frames, labFrame{data, ci})
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
	return errors.As(err, &errno) && (errno == syscall.EPERM || errno == syscall.EACCES)
}

// labConn runs one connection of the variant on 127.0.0.1 and logs the
// socket calls it makes, in order, with their times.
func labConn(v labVariant, port int, log func(client bool, call string)) (int, error) {
	if v == labRefused {
		// A port nothing listens on: bind one, note it, let it go.
		l, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			return 0, err
		}
		port = l.Addr().(*net.TCPAddr).Port
		l.Close()
		log(true, "connect()")
		c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			return port, errors.New("the refused variant found a listener")
		}
		log(true, "connect() fails: ECONNREFUSED")
		return port, nil
	}
	l, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return 0, err
	}
	defer l.Close()
	port = l.Addr().(*net.TCPAddr).Port
	log(false, "socket(), bind(), listen()")
	served := make(chan error, 1)
	go func() {
		s, err := l.Accept()
		if err != nil {
			served <- err
			return
		}
		log(false, "accept() returns")
		defer s.Close()
		buf := make([]byte, 64)
		n, _ := s.Read(buf)
		log(false, fmt.Sprintf("read() gets %d bytes", n))
		s.Write([]byte("hello, client\n"))
		log(false, "write()")
		switch v {
		case labServerClose:
			s.Close()
			log(false, "close()")
		case labHalfClose:
			io.Copy(io.Discard, s) // until the client's FIN
			log(false, "read() returns 0: the client shut down its side")
			s.Write([]byte("more after your FIN\n"))
			log(false, "write()")
			s.Close()
			log(false, "close()")
		default:
			io.Copy(io.Discard, s)
			log(false, "read() returns 0 (end of stream), or fails after an RST")
			s.Close()
			log(false, "close()")
		}
		served <- nil
	}()
	log(true, "connect()")
	c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
	if err != nil {
		return port, err
	}
	tc := c.(*net.TCPConn)
	log(true, "connect() returns")
	tc.Write([]byte("hello, server\n"))
	log(true, "write()")
	buf := make([]byte, 64)
	n, _ := tc.Read(buf)
	log(true, fmt.Sprintf("read() gets %d bytes", n))
	switch v {
	case labReset:
		tc.SetLinger(0)
		tc.Close()
		log(true, "close() with SO_LINGER 0")
	case labServerClose:
		io.Copy(io.Discard, tc)
		log(true, "read() returns 0: the server closed")
		tc.Close()
		log(true, "close()")
	case labHalfClose:
		tc.CloseWrite()
		log(true, "shutdown(SHUT_WR)")
		io.Copy(io.Discard, tc)
		log(true, "read() returns 0: the server closed")
		tc.Close()
		log(true, "close()")
	default:
		tc.Close()
		log(true, "close()")
	}
	select {
	case err := <-served:
		return port, err
	case <-time.After(2 * time.Second):
		return port, errors.New("the server side did not finish")
	}
}
