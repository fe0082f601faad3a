package main

import (
	"os"
	"syscall"
	"time"
	"unsafe"
)

// waitDrained waits until the reader of a pipe has taken every byte
// written to it (FIONREAD on the pipe's read end is 0), or five seconds.
func waitDrained(r *os.File) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		var n int32
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, r.Fd(), syscall.TIOCINQ, uintptr(unsafe.Pointer(&n))); e != 0 || n == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // and has handed them on
}
