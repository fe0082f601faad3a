// Package corpus finds the shared corpus the tests compare synfin with:
// public captures (captures/), the lab's kernel captures with their ground
// truth (lab/), and what tshark, Zeek, tcptrace and Arkime made of them
// (oracles/). It is $SYNFIN_CORPUS (make corpus sets it from CORPUS), or
// ../shared/corpus beside the repository. A fresh clone has none: tests
// that need it skip.
package corpus

import (
	"os"
	"path/filepath"
	"sync"
)

// Dir is the corpus's directory, or "" when there is none.
func Dir() string {
	once.Do(func() { dir = find() })
	return dir
}

var (
	once sync.Once
	dir  string
)

func find() string {
	if d := os.Getenv("SYNFIN_CORPUS"); d != "" {
		return d
	}
	// The module's root is the first directory up from here with go.mod;
	// a test runs in its package's directory.
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			c := filepath.Join(filepath.Dir(d), "shared", "corpus")
			if fi, err := os.Stat(c); err == nil && fi.IsDir() {
				return c
			}
			return ""
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Path is name inside the corpus (Path("captures")), or "" when there is
// no corpus.
func Path(name ...string) string {
	d := Dir()
	if d == "" {
		return ""
	}
	return filepath.Join(append([]string{d}, name...)...)
}

// Requested is the corpus when the run asks for the whole comparison with
// it (make corpus sets SYNFIN_CORPUS), or "": those tests take minutes.
func Requested() string {
	if os.Getenv("SYNFIN_CORPUS") == "" {
		return ""
	}
	return Dir()
}
