package tty

import (
	"bytes"
	"testing"
)

// TestColourFor: colour on a terminal only, never with NO_COLOR set to
// anything or on a dumb terminal.
func TestColourFor(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		terminal bool
		env      func(string) string
		want     bool
	}{
		{true, env("TERM", "xterm-256color"), true},
		{false, env("TERM", "xterm-256color"), false},
		{true, env("NO_COLOR", "1"), false},
		{true, env("NO_COLOR", "0"), false}, // any value
		{true, env("TERM", "dumb"), false},
	} {
		if got := colourFor(c.terminal, c.env); got != c.want {
			t.Errorf("terminal %v: colour %v, want %v", c.terminal, got, c.want)
		}
	}
	var buf bytes.Buffer
	if ColourWanted(&buf) {
		t.Error("colour wanted for a buffer")
	}
}
