package main

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"strings"

	"github.com/spf13/pflag"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
)

// pflagBadValue is how pflag words a value its flag could not take.
var pflagBadValue = regexp.MustCompile(`^invalid argument "(.*)" for "(?:-\w, )?(--[\w-]+)" flag: `)

// flagError turns pflag's error into one line naming the flag and what it
// takes, without Go's words (strconv.Atoi, invalid syntax).
func flagError(fs *pflag.FlagSet, err error) string {
	if name, ok := strings.CutPrefix(err.Error(), "unknown flag: --"); ok {
		if near := nearFlag(fs, name); near != "" {
			return fmt.Sprintf("unknown flag --%s; did you mean --%s?", name, near)
		}
		return fmt.Sprintf("unknown flag --%s (synfin --help lists them)", name)
	}
	m := pflagBadValue.FindStringSubmatch(err.Error())
	if m == nil {
		return err.Error() // unknown shorthands and missing values: pflag's words are plain
	}
	value, name := m[1], m[2]
	f := fs.Lookup(strings.TrimPrefix(name, "--"))
	if f == nil {
		return err.Error()
	}
	switch f.Value.Type() {
	case "int", "intSlice":
		if wholeNumber.MatchString(strings.TrimSpace(value)) { // digits that do not fit an int
			if strings.HasPrefix(strings.TrimSpace(value), "-") {
				return fmt.Sprintf("%s %s: too small (at least %d)", name, value, math.MinInt)
			}
			return fmt.Sprintf("%s %s: too large (at most %d)", name, value, math.MaxInt)
		}
		return fmt.Sprintf("%s %q: want a whole number", name, value)
	case "duration":
		return fmt.Sprintf("%s %q: want a duration such as 90s, 10m or 2h", name, value)
	case "bool":
		return fmt.Sprintf("%s=%s: want true or false", name, value)
	}
	return fmt.Sprintf("%s %q: not a value it takes", name, value)
}

// wholeNumber is a value pflag could not take although it is an integer:
// one too large for an int.
var wholeNumber = regexp.MustCompile(`^[-+]?[0-9]+$`)

// nearFlag is the flag a mistyped name most likely meant (--formt,
// --hosts), or "".
func nearFlag(fs *pflag.FlagSet, name string) string {
	best, bestD := "", 3
	fs.VisitAll(func(f *pflag.Flag) {
		d := editDistance(name, f.Name)
		if strings.HasPrefix(f.Name, name) && len(name) >= 3 {
			d = 1 // an abbreviation: --form
		}
		if d < bestD {
			best, bestD = f.Name, d
		}
	})
	return best
}

// checkValues refuses values the flags parse but no view can use: one
// line naming the flag and what is allowed.
func (o *options) checkValues() error {
	switch {
	case o.Limit < 0:
		return fmt.Errorf("--limit %d: want 0 (all) or more", o.Limit)
	case o.Jobs < 1:
		return fmt.Errorf("--jobs %d: at least one capture must be analysed at a time", o.Jobs)
	case o.IdleTimeout <= 0:
		return fmt.Errorf("--idle-timeout %s: want a positive duration, such as 2h", o.IdleTimeout)
	case o.Linger < 0:
		return fmt.Errorf("--linger %s: want 0 (write each record as its connection closes) or a positive duration, such as 60s", o.Linger)
	case o.Workers < 0 || o.Workers > flows.MaxShards:
		return fmt.Errorf("--workers %d: want 1 to %d (the shards a capture's connections are split into), or 0 for the default (one a core; 1 on one or two cores)", o.Workers, flows.MaxShards)
	case o.MaxConns < 1:
		return errors.New("--max-conns must be at least 1")
	}
	for _, p := range o.Ports {
		if p < 0 || p > 65535 {
			return fmt.Errorf("--port %d: want 0 to 65535", p)
		}
	}
	for _, c := range o.Conns {
		if c < 0 {
			return fmt.Errorf("--conn %d: connections are numbered from 0", c)
		}
	}
	for _, s := range o.States {
		if !analyze.KnownState(s) {
			return fmt.Errorf("--state %s: want one of Zeek's states: %s", s, strings.Join(analyze.StateNames(), ", "))
		}
	}
	for i, h := range o.Hosts {
		a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"))
		if err != nil {
			return fmt.Errorf("--host %q is not an IP address", h)
		}
		o.Hosts[i] = a.String() // "[2001:db8::1]", as synfin prints it, is one too
	}
	return nil
}
