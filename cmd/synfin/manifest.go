package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// identity names one input file as it is now: a resumed batch skips what
// it finished only if the file is still the same (same size, same
// modification time, same first MiB).
type identity struct {
	Size  int64  `json:"size"`
	MTime int64  `json:"mtime_ns"`
	Head  string `json:"head_sha256"` // of the first MiB
}

// identifyFile reads an open file's identity; it reads with ReadAt, so
// the file's offset is where it was.
func identifyFile(f *os.File) (identity, error) {
	fi, err := f.Stat()
	if err != nil {
		return identity{}, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, 1<<20)); err != nil {
		return identity{}, err
	}
	return identity{fi.Size(), fi.ModTime().UnixNano(), hex.EncodeToString(h.Sum(nil))}, nil
}

// manifestEntry is one line of a resume manifest: a capture (a file, or a
// member of an archive) whose records are all in the output.
type manifestEntry struct {
	Input  string `json:"input"`
	Member string `json:"member,omitempty"`
	identity
}

func (e manifestEntry) key() string {
	return e.Input + "\x00" + e.Member + "\x00" + strconv.FormatInt(e.Size, 10) + "\x00" + strconv.FormatInt(e.MTime, 10) + "\x00" + e.Head
}

// manifest is the --resume file: JSON Lines, one entry per finished
// capture, appended and flushed as each capture's records are written.
type manifest struct {
	done map[string]bool
	f    *os.File
	w    *bufio.Writer
}

// openManifest reads the entries of path, if it exists, and opens it to
// append more.
func openManifest(path string) (*manifest, error) {
	m := &manifest{done: map[string]bool{}}
	if b, err := os.ReadFile(path); err == nil {
		// A last line a crash cut short names nothing: cut it off, so
		// that what is appended next starts a line of its own.
		if i := bytes.LastIndexByte(b, '\n'); len(b) > 0 && i < len(b)-1 {
			b = b[:i+1]
			if err := os.Truncate(path, int64(len(b))); err != nil {
				return nil, fmt.Errorf("--resume %s: %w", path, err)
			}
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			var e manifestEntry
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				return nil, fmt.Errorf("--resume %s: line %d: %v", path, i+1, err)
			}
			m.done[e.key()] = true
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("--resume %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("--resume %s: %w", path, err)
	}
	m.f, m.w = f, bufio.NewWriter(f)
	return m, nil
}

// has reports whether the capture was finished by an earlier run.
func (m *manifest) has(e manifestEntry) bool { return m != nil && m.done[e.key()] }

// add records a finished capture. Its records must already be written.
func (m *manifest) add(e manifestEntry) error {
	if m == nil {
		return nil
	}
	b, _ := json.Marshal(e)
	m.w.Write(b)
	m.w.WriteByte('\n')
	return m.w.Flush()
}

func (m *manifest) close() {
	if m != nil {
		m.w.Flush()
		m.f.Close()
	}
}

// shard is a deterministic share of the inputs: input I of N takes the
// files whose path hashes to I (FNV-1a, 64 bits, of the path as listed).
type shard struct{ i, n uint64 }

func parseShard(s string) (shard, error) {
	if s == "" {
		return shard{0, 1}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.ParseUint(a, 10, 32)
	n, err2 := strconv.ParseUint(b, 10, 32)
	if !ok || err1 != nil || err2 != nil || n == 0 || i >= n {
		return shard{}, fmt.Errorf("--shard %s: want I/N with 0 ≤ I < N, e.g. 0/4", s)
	}
	return shard{i, n}, nil
}

func (s shard) takes(path string) bool {
	if s.n <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(path))
	return h.Sum64()%s.n == s.i
}
