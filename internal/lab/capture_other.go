//go:build !linux

package lab

import (
	"errors"

	"github.com/synfin/synfin/flows"
)

var errNotLinux = errors.New("synfin lab captures with a Linux AF_PACKET socket; on this system try synfin demo")

func captureLoopback(func() error) ([]frame, error) { return nil, errNotLinux }

func connect(Variant, int, func(flows.Dir, Act, int)) (int, error) { return 0, errNotLinux }
