package main

import (
	"errors"
	"math"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/internal/graph"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/tty"
)

// flagError turns pflag's error into one line naming the flag and what it
// takes, without Go's words (strconv.Atoi, invalid syntax), from pflag's
// typed errors.
func flagError(fs *pflag.FlagSet, err error) error {
	var (
		notExist *pflag.NotExistError
		needs    *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &notExist) && notExist.GetSpecifiedShortnames() != "":
		return msg.E("cli.flag.shorthand", notExist.GetSpecifiedName(), notExist.GetSpecifiedShortnames())
	case errors.As(err, &notExist):
		name := notExist.GetSpecifiedName()
		if near := nearFlag(fs, name); near != "" {
			return msg.E("cli.flag.near", name, near)
		}
		return msg.E("cli.flag.unknown", name)
	case errors.As(err, &needs):
		return msg.E("cli.flag.needs", "--"+needs.GetFlag().Name)
	case errors.As(err, &syntax):
		return msg.E("cli.flag.syntax", syntax.GetSpecifiedFlag())
	case !errors.As(err, &invalid):
		return err
	}
	f, value := invalid.GetFlag(), invalid.GetValue()
	name := "--" + f.Name
	switch f.Value.Type() {
	case "int", "intSlice":
		if v := strings.TrimSpace(value); wholeNumber.MatchString(v) { // digits that do not fit an int
			if strings.HasPrefix(v, "-") {
				return msg.E("cli.flag.small", name, value, math.MinInt)
			}
			return msg.E("cli.flag.large", name, value, math.MaxInt)
		}
		return msg.E("cli.flag.whole", name, value)
	case "duration":
		return msg.E("cli.flag.duration", name, value)
	case "bool":
		return msg.E("cli.flag.bool", name, value)
	}
	return msg.E("cli.flag.value", name, value)
}

// wholeNumber is a value pflag could not take although it is an integer:
// one too large for an int.
var wholeNumber = regexp.MustCompile(`^[-+]?[0-9]+$`)

// nearFlag is the flag a mistyped name most likely meant (--formt,
// --hosts, --form), or "".
func nearFlag(fs *pflag.FlagSet, name string) string {
	var names []string
	fs.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	return tty.Nearest(name, names)
}

// checkValues refuses values the flags parse but no view can use: one
// line naming the flag and what is allowed.
func (o *options) checkValues() error {
	switch {
	case o.Limit < 0:
		return msg.E("cli.limit", o.Limit)
	case o.Jobs < 1:
		return msg.E("cli.jobs", o.Jobs)
	case o.IdleTimeout <= 0:
		return msg.E("cli.idle", o.IdleTimeout.String())
	case o.Linger < 0:
		return msg.E("cli.linger", o.Linger.String())
	case o.Workers < 0 || o.Workers > flows.MaxShards:
		return msg.E("cli.workers", o.Workers, flows.MaxShards)
	case o.MaxConns < 1:
		return msg.E("cli.maxconns")
	}
	if !slices.Contains(graph.Kinds, o.Graph) {
		return msg.E("cli.kind", o.Graph)
	}
	for _, p := range o.Ports {
		if p < 0 || p > 65535 {
			return msg.E("cli.port", p)
		}
	}
	for _, c := range o.Conns {
		if c < 0 {
			return msg.E("cli.conn", c)
		}
	}
	for _, s := range o.States {
		if !analyze.KnownState(s) {
			return msg.E("cli.state", s, msg.List(analyze.StateNames()))
		}
	}
	for i, h := range o.Hosts {
		a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"))
		if err != nil {
			return msg.E("cli.host", h)
		}
		o.Hosts[i] = a.String() // "[2001:db8::1]", as synfin prints it, is one too
	}
	return nil
}
