package outfile

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/synfin/synfin/internal/msg"
)

// Series is an output written as numbered files: -o conns-%04d.parquet
// names conns-0000.parquet, conns-0001.parquet and so on. Each file is
// written as File writes one, beside its name, and put in place whole: a
// reader listing conns-*.parquet never sees one half written.
type Series struct {
	dir, prefix, suffix string // the name around the number; dir is its directory, "" for .
	width               int    // digits, zero-padded; 0: as many as the number has
	next                int    // the number of the next file
	taken               map[string]bool
}

// ParseSeries reads a name holding one number verb, %d or %0Nd (N from 1
// to 9); %% stands for a percent sign. A name without a verb is no series
// (nil, nil); a % that is neither, or two verbs, is refused.
func ParseSeries(name string) (*Series, error) {
	if !strings.Contains(name, "%") {
		return nil, nil
	}
	var s Series
	var before, after strings.Builder
	found := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c != '%' {
			if found {
				after.WriteByte(c)
			} else {
				before.WriteByte(c)
			}
			continue
		}
		rest := name[i+1:]
		switch {
		case strings.HasPrefix(rest, "%"):
			if found {
				after.WriteByte('%')
			} else {
				before.WriteByte('%')
			}
			i++
		case strings.HasPrefix(rest, "d") && !found:
			found = true
			i++
		case len(rest) >= 3 && rest[0] == '0' && rest[1] >= '1' && rest[1] <= '9' && rest[2] == 'd' && !found:
			found, s.width = true, int(rest[1]-'0')
			i += 3
		default:
			return nil, msg.E("cli.out.series", name)
		}
	}
	if !found {
		return nil, nil // only %% escapes: one file, its name with % signs
	}
	s.prefix, s.suffix = before.String(), after.String()
	if strings.ContainsRune(s.suffix, filepath.Separator) {
		return nil, msg.E("cli.out.series", name) // the number is in a directory's name
	}
	s.dir, s.prefix = filepath.Split(s.prefix)
	return &s, nil
}

// Name is the file numbered n.
func (s *Series) Name(n int) string {
	num := strconv.Itoa(n)
	if pad := s.width - len(num); pad > 0 {
		num = strings.Repeat("0", pad) + num
	}
	return filepath.Join(s.dir, s.prefix+num+s.suffix)
}

// Existing are the numbers of the series' files there now, in order.
func (s *Series) Existing() ([]int, error) {
	dir := s.dir
	if dir == "" {
		dir = "."
	}
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var nums []int
	for _, e := range ents {
		num, ok := strings.CutPrefix(e.Name(), s.prefix)
		if !ok {
			continue
		}
		if num, ok = strings.CutSuffix(num, s.suffix); !ok || num == "" || len(num) < s.width {
			continue
		}
		if n, err := strconv.Atoi(num); err == nil && n >= 0 && s.Name(n) == filepath.Join(s.dir, e.Name()) {
			nums = append(nums, n)
		}
	}
	sort.Ints(nums)
	return nums, nil
}

// ContinueAfter makes the next file the one after the series' highest
// already there, so that a resumed run adds files and overwrites none.
func (s *Series) ContinueAfter(existing []int) {
	if len(existing) > 0 {
		s.next = existing[len(existing)-1] + 1
	}
}

// Taken passes over names a resumed run's manifest gives to files that a
// run stopped before putting them in place: written now, they would
// seem to hold what the manifest says.
func (s *Series) Taken(names []string) {
	if s.taken == nil {
		s.taken = map[string]bool{}
	}
	for _, n := range names {
		s.taken[n] = true
	}
}

// Next starts writing the series' next file. A number whose file is
// there (made since the series was listed) or taken is passed over,
// never overwritten.
func (s *Series) Next() (*File, error) {
	for {
		_, err := os.Lstat(s.Name(s.next))
		if err != nil && !s.taken[s.Name(s.next)] {
			break
		}
		s.next++
	}
	f, err := Create(s.Name(s.next))
	if err == nil {
		s.next++
	}
	return f, err
}
