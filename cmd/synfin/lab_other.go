//go:build !linux

package main

import "errors"

var errLabLinux = errors.New("synfin lab captures with a Linux AF_PACKET socket; on this system try synfin demo")

func labCapture(func() error) ([]labFrame, error) { return nil, errLabLinux }

func labConn(labVariant, int, func(bool, string)) (int, error) { return 0, errLabLinux }
