package inputs

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
)

// Identity names one input file as it is now: a resumed batch skips what
// it finished only if the file is still the same (same size, same
// modification time, same first MiB).
type Identity struct {
	Size  int64  `json:"size"`
	MTime int64  `json:"mtime_ns"`
	Head  string `json:"head_sha256"` // of the first MiB
}

// Identify reads an open file's Identity; it reads with ReadAt, so
// the file's offset is where it was.
func Identify(f *os.File) (Identity, error) {
	fi, err := f.Stat()
	if err != nil {
		return Identity{}, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, 1<<20)); err != nil {
		return Identity{}, err
	}
	return Identity{fi.Size(), fi.ModTime().UnixNano(), hex.EncodeToString(h.Sum(nil))}, nil
}
