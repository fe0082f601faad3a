package interrupt

import (
	"bytes"
	"io"
	"os"
	"testing"
	"time"
)

// TestReaderEndsABlockedPipe: a read blocked on a pipe with nothing to
// say (tcpdump between packets) returns end of input as soon as the input
// is ended, after everything written before was read.
func TestReaderEndsABlockedPipe(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	defer pr.Close()
	s := New()
	r := s.Reader(pr)
	pw.Write([]byte("hello"))
	got := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(r)
		got <- b
	}()
	time.Sleep(100 * time.Millisecond)
	s.Stop()
	select {
	case b := <-got:
		if string(b) != "hello" {
			t.Errorf("read %q, want hello", b)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the read did not end after Stop")
	}
}

// TestReaderKeepsWhatItRead: a read that returned more than a later,
// shorter read asks for gives the rest to the reads after it.
func TestReaderKeepsWhatItRead(t *testing.T) {
	pr, pw, _ := os.Pipe()
	defer pr.Close()
	r := New().Reader(pr).(*reader)
	pw.Write([]byte("0123456789"))
	pw.Close()
	r.pending = true
	r.buf = make([]byte, 10)
	go func() {
		n, err := pr.Read(r.buf)
		r.res <- result{n, err}
	}()
	var out bytes.Buffer
	small := make([]byte, 3)
	for {
		n, err := r.Read(small)
		out.Write(small[:n])
		if err != nil {
			break
		}
	}
	if out.String() != "0123456789" {
		t.Errorf("read %q, want 0123456789", out.String())
	}
}

// TestCheckedFile: a regular file is read directly, and ends at Stop.
func TestCheckedFile(t *testing.T) {
	f, err := os.Open("interrupt.go")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := New()
	r := s.Reader(f)
	if _, ok := r.(*checked); !ok {
		t.Fatalf("a regular file got %T", r)
	}
	buf := make([]byte, 10)
	if n, err := r.Read(buf); n != 10 || err != nil {
		t.Fatalf("read %d, %v", n, err)
	}
	s.Stop()
	if n, err := r.Read(buf); n != 0 || err != io.EOF {
		t.Errorf("after Stop: %d, %v; want 0, EOF", n, err)
	}
}
