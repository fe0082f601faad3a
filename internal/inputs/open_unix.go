//go:build unix

package inputs

import (
	"os"
	"syscall"
)

// OpenRead opens a file for reading as os.Open does, but without offering
// it to the network poller: a regular file cannot use the poller, and
// os.Open's attempt (epoll_ctl, and fcntl to set and clear O_NONBLOCK)
// costs four system calls more per file, a twentieth of the time of a
// batch over the corpus's 934 small captures.
func OpenRead(path string) (*os.File, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: path, Err: err}
		}
		return os.NewFile(uintptr(fd), path), nil
	}
}
