package batch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
)

// entry is one line of a resume manifest: a capture (a file, or a
// member of an archive) whose records are all in the output.
type entry struct {
	Input  string `json:"input"`
	Member string `json:"member,omitempty"`
	inputs.Identity
	// Output is the numbered file holding the capture's records (-o
	// conns-%04d.parquet). The manifest names a capture before its file
	// is put in place: an entry whose file is not there was written by a
	// run that stopped in between, and names nothing done.
	Output string `json:"output,omitempty"`
}

func (e entry) key() string {
	return e.Input + "\x00" + e.Member + "\x00" + strconv.FormatInt(e.Size, 10) + "\x00" + strconv.FormatInt(e.MTime, 10) + "\x00" + e.Head
}

// Manifest is the --resume file: JSON Lines, one entry per finished
// capture, appended and flushed as each capture's records are written.
type Manifest struct {
	done    map[string]bool
	outputs map[string]bool // the numbered files its entries name, there or not
	f       *os.File
	w       *bufio.Writer
}

// OpenManifest reads the entries of path, if it exists, and opens it to
// append more.
func OpenManifest(path string) (*Manifest, error) {
	m := &Manifest{done: map[string]bool{}, outputs: map[string]bool{}}
	if b, err := os.ReadFile(path); err == nil {
		// A last line a crash cut short names nothing: cut it off, so
		// that what is appended next starts a line of its own.
		if i := bytes.LastIndexByte(b, '\n'); len(b) > 0 && i < len(b)-1 {
			b = b[:i+1]
			if err := os.Truncate(path, int64(len(b))); err != nil {
				return nil, msg.E("problem.resume", path, err)
			}
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			var e entry
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				return nil, msg.E("problem.resume.line", path, i+1)
			}
			if e.Output != "" {
				m.outputs[e.Output] = true
				if _, err := os.Stat(e.Output); err != nil {
					continue
				}
			}
			m.done[e.key()] = true
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, msg.E("problem.resume", path, err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, msg.E("problem.resume", path, err)
	}
	m.f, m.w = f, bufio.NewWriter(f)
	return m, nil
}

// Outputs are the numbered files the manifest's entries name, put in
// place or not: a series continued must not write any of them again.
func (m *Manifest) Outputs() []string {
	var names []string
	for n := range m.outputs {
		names = append(names, n)
	}
	return names
}

// sync makes what was added durable before a file it names is put in
// place.
func (m *Manifest) sync() error {
	if err := m.w.Flush(); err != nil {
		return err
	}
	return m.f.Sync()
}

// has reports whether the capture was finished by an earlier run.
func (m *Manifest) has(e entry) bool { return m != nil && m.done[e.key()] }

// add records a finished capture. Its records must already be written.
func (m *Manifest) add(e entry) error {
	if m == nil {
		return nil
	}
	b, _ := json.Marshal(e)
	m.w.Write(b)
	m.w.WriteByte('\n')
	return m.w.Flush()
}

// Close flushes and closes the manifest; a nil one is fine.
func (m *Manifest) Close() {
	if m != nil {
		// Every entry was flushed as it was added: nothing is lost here.
		_ = m.w.Flush()
		_ = m.f.Close()
	}
}

// Shard is a deterministic share of the inputs: shard I of N. Every
// machine running the same command with I = 0 … N−1 takes a share no
// other takes, and together they take every input.
type Shard struct {
	i, n uint64
	by   ShardBy
}

// ShardBy is how a Shard divides the inputs.
type ShardBy uint8

const (
	// BySize balances bytes: the files, largest first, each go to the
	// shard holding the fewest bytes so far (longest processing time
	// first). The share depends on every file's path and size, so every
	// machine must list the same inputs: finished captures on shared
	// storage.
	BySize ShardBy = iota
	// ByPath takes the files whose path hashes to I (FNV-1a, 64 bits, of
	// the path as listed): a file's shard depends on its path alone, so
	// machines whose listings differ (a directory still being written)
	// never both take, or both leave, a file they all see; it balances
	// the number of files, not their bytes.
	ByPath
)

// ShardByNames are --shard-by's values, in ShardBy order.
var ShardByNames = []string{"size", "path"}

// ParseShardBy reads --shard-by.
func ParseShardBy(s string) (ShardBy, error) {
	for i, n := range ShardByNames {
		if s == n {
			return ShardBy(i), nil
		}
	}
	return 0, msg.E("problem.shardby", s)
}

// String is " (shard I/N)", or "" for the whole.
func (s Shard) String() string {
	if s.n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (shard %d/%d)", s.i, s.n)
}

// ParseShard reads I/N; "" is the whole (0/1).
func ParseShard(s string, by ShardBy) (Shard, error) {
	if s == "" {
		return Shard{0, 1, by}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.ParseUint(a, 10, 32)
	n, err2 := strconv.ParseUint(b, 10, 32)
	if !ok || err1 != nil || err2 != nil || n == 0 || i >= n {
		return Shard{}, msg.E("problem.shard", s)
	}
	return Shard{i, n, by}, nil
}

// Pick is the shard's share of files, in their order. size is a file's
// size in bytes (BySize; a file that cannot be read counts 0 and fails
// when the shard reads it).
func (s Shard) Pick(files []inputs.File, size func(name string) int64) []inputs.File {
	if s.n <= 1 {
		return files
	}
	var mine []inputs.File
	if s.by == ByPath {
		for _, f := range files {
			h := fnv.New64a()
			h.Write([]byte(f.Name))
			if h.Sum64()%s.n == s.i {
				mine = append(mine, f)
			}
		}
		return mine
	}
	shardOf := balance(files, size, int(s.n))
	for k, f := range files {
		if shardOf[k] == int(s.i) {
			mine = append(mine, f)
		}
	}
	return mine
}

// balance gives each file a shard of n: largest first (equal sizes in
// path order, so that the listing's order does not matter), each to the
// shard with the fewest bytes so far, the lowest numbered of equals. The
// largest shard holds at most 4/3 of the best possible (Graham, 1969).
func balance(files []inputs.File, size func(string) int64, n int) []int {
	sizes := make([]int64, len(files))
	order := make([]int, len(files))
	for k, f := range files {
		sizes[k], order[k] = max(0, size(f.Name)), k
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := order[a], order[b]
		if sizes[x] != sizes[y] {
			return sizes[x] > sizes[y]
		}
		return files[x].Name < files[y].Name
	})
	loads := make([]int64, n)
	shardOf := make([]int, len(files))
	for _, k := range order {
		least := 0
		for j := range loads {
			if loads[j] < loads[least] {
				least = j
			}
		}
		shardOf[k] = least
		loads[least] += sizes[k]
	}
	return shardOf
}
