//go:build !linux

package main

import (
	"os"
	"time"
)

// waitDrained gives the reader of a pipe time to take what was written.
func waitDrained(*os.File) { time.Sleep(time.Second) }
