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
	"strconv"
	"strings"

	"github.com/synfin/synfin/cmd/synfin/internal/inputs"
	"github.com/synfin/synfin/cmd/synfin/internal/msg"
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
				return nil, msg.E("problem.resume.line", path, i+1, err)
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
		m.w.Flush()
		m.f.Close()
	}
}

// Shard is a deterministic share of the inputs: input I of N takes the
// files whose path hashes to I (FNV-1a, 64 bits, of the path as listed).
type Shard struct{ i, n uint64 }

// String is " (shard I/N)", or "" for the whole.
func (s Shard) String() string {
	if s.n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (shard %d/%d)", s.i, s.n)
}

// ParseShard reads I/N; "" is the whole (0/1).
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{0, 1}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.ParseUint(a, 10, 32)
	n, err2 := strconv.ParseUint(b, 10, 32)
	if !ok || err1 != nil || err2 != nil || n == 0 || i >= n {
		return Shard{}, msg.E("problem.shard", s)
	}
	return Shard{i, n}, nil
}

// takes says whether the shard takes the file at path.
func (s Shard) takes(path string) bool {
	if s.n <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(path))
	return h.Sum64()%s.n == s.i
}
