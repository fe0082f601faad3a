// Package interrupt makes Ctrl-C end the input, as in tshark: the first
// SIGINT or SIGTERM stops the reading (a live pipe's read returns end of
// input at once, files not yet opened are not read), so every open
// connection is finished and the view's output is written; the run then
// exits with status 130. A second signal exits at once.
package interrupt

import (
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Stop is the end of input a signal (or a test) asks for.
type Stop struct {
	once sync.Once
	done chan struct{}
}

// New is a Stop no signal has asked for yet.
func New() *Stop { return &Stop{done: make(chan struct{})} }

// Stop ends the input.
func (s *Stop) Stop() { s.once.Do(func() { close(s.done) }) }

// Done is closed once the input has been ended.
func (s *Stop) Done() <-chan struct{} { return s.done }

// Stopped reports whether the input has been ended.
func (s *Stop) Stopped() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// Watch turns the first SIGINT or SIGTERM into s.Stop, and the second
// into atExit and an exit with status code at once, for as long as the
// process lives: a second Ctrl-C after the output was written, while the
// process is exiting, ends it with code too, not by the signal.
func Watch(s *Stop, code int, atExit func()) {
	c := make(chan os.Signal, 2)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-c
		s.Stop()
		<-c
		atExit()
		os.Exit(code)
	}()
}

// Reader reads r until the input is ended, then reports end of input. A
// read that may block (a pipe from a live tcpdump with nothing to say)
// happens in a goroutine of its own and is left behind when the input is
// ended, so that the end does not wait for the next packet; a file's
// reads never block, and are only checked.
func (s *Stop) Reader(r io.Reader) io.Reader {
	if f, ok := r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
			return &reader{s: s, r: r, res: make(chan result, 1)}
		}
	}
	return &checked{s: s, r: r}
}

// checked is a reader whose reads do not block.
type checked struct {
	s *Stop
	r io.Reader
}

func (c *checked) Read(p []byte) (int, error) {
	if c.s.Stopped() {
		return 0, io.EOF
	}
	return c.r.Read(p)
}

// Unwrap is the reader below, for those that look at its kind (a small
// file is analysed in one goroutine).
func (c *checked) Unwrap() io.Reader { return c.r }

type result struct {
	n   int
	err error
}

type reader struct {
	s       *Stop
	r       io.Reader
	res     chan result
	pending bool   // a read is under way in its goroutine
	buf     []byte // where that read writes: its own, never the caller's
	left    []byte // what a read gave beyond the caller's buffer
	leftErr error  // and the error that came with it
}

// Unwrap is the reader below, for those that look at its kind.
func (r *reader) Unwrap() io.Reader { return r.r }

func (r *reader) Read(p []byte) (int, error) {
	if len(r.left) > 0 {
		n := copy(p, r.left)
		r.left = r.left[n:]
		if len(r.left) == 0 {
			return n, r.leftErr
		}
		return n, nil
	}
	if r.s.Stopped() && !r.pending {
		return 0, io.EOF
	}
	if !r.pending {
		if cap(r.buf) < len(p) {
			r.buf = make([]byte, len(p))
		}
		buf := r.buf[:len(p)]
		r.pending = true
		go func() {
			n, err := r.r.Read(buf)
			r.res <- result{n, err}
		}()
	}
	select {
	case res := <-r.res:
		return r.deliver(p, res)
	case <-r.s.done:
		// What was read before the end is not dropped.
		select {
		case res := <-r.res:
			return r.deliver(p, res)
		default:
			return 0, io.EOF
		}
	}
}

func (r *reader) deliver(p []byte, res result) (int, error) {
	r.pending = false
	n := copy(p, r.buf[:res.n])
	if n < res.n { // a later, shorter read: keep the rest for the next
		r.left, r.leftErr = r.buf[n:res.n], res.err
		return n, nil
	}
	return n, res.err
}
