package main

import (
	"errors"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLayers: imports point down only. Each package of synfin may import
// the synfin packages listed for it and no others (tests aside), so that a
// newcomer can read the layers from the bottom: bytes → packets
// (flows/capture) → connections (flows) → records (analyze) → one capture
// (analyze/pipeline) → the command's packages → main.
func TestLayers(t *testing.T) {
	// Paths relative to the module, which TestLayers prefixes.
	const in = "internal/"
	allowed := map[string][]string{
		"flows/capture":    {},
		"flows":            {"flows/capture"},
		"analyze":          {"flows"},
		"analyze/ladder":   {"flows"},
		"analyze/evidence": {"analyze/ladder", "flows"},
		"analyze/segments": {"analyze", "analyze/ladder", "flows"},
		"analyze/isn":      {"analyze"},
		in + "oracle":      {"analyze"},
		in + "pipeline":    {"analyze", "flows", "flows/capture"},
		in + "tty":         {},
		in + "msg":         {},
		in + "gcfloor":     {},
		in + "corpus":      {}, // tests only: where the shared corpus is
		in + "manpage":     {},
		in + "completion":  {},
		in + "interrupt":   {},
		in + "graph":       {"analyze/segments", "flows", in + "msg"},
		in + "say":         {in + "pipeline", "flows", "flows/capture", in + "inputs", in + "msg"},
		in + "outfile":     {in + "msg", in + "table"},
		in + "inputs":      {"flows/capture"},
		in + "streams":     {"analyze", "flows"},
		in + "table":       {"analyze", "analyze/isn", in + "msg", in + "tty"},
		in + "draw":        {"analyze", "analyze/evidence", "analyze/ladder", "analyze/segments", "flows", in + "msg", in + "table", in + "tty"},
		in + "report":      {"analyze", "analyze/ladder", "analyze/segments", "flows", in + "draw", in + "graph", in + "msg", in + "table", in + "tty"},
		in + "lab":         {"analyze", "analyze/ladder", in + "pipeline", "flows", in + "msg"},
		in + "batch":       {"analyze", "analyze/ladder", in + "pipeline", "flows", "flows/capture", in + "inputs", in + "interrupt", in + "msg", in + "say", in + "streams", in + "tty"},
		in + "views":       {"analyze", "analyze/ladder", in + "pipeline", "flows", in + "batch", in + "draw", in + "inputs", in + "interrupt", in + "lab", in + "msg", in + "outfile", in + "report", in + "say", in + "table", in + "tty", "analyze/segments", in + "graph"},
		in + "web":         {"analyze", in + "batch", in + "inputs", in + "msg", in + "table", in + "views"},
		// The browser page's program (js/wasm only), and what writes the page.
		"cmd/synfin-web":  {in + "gcfloor", in + "inputs", in + "msg", in + "web"},
		"cmd/synfin-page": {},
	}
	// Every system's files: a package's _other.go may import what its
	// _unix.go does not.
	var contexts []build.Context
	for _, goos := range []string{"linux", "darwin", "windows", "js"} {
		c := build.Default
		c.GOOS = goos
		if goos == "js" {
			c.GOARCH = "wasm"
		}
		contexts = append(contexts, c)
	}
	const module = "github.com/synfin/synfin/"
	for pkg, ok := range allowed {
		built := 0
		for _, c := range contexts {
			p, err := c.ImportDir(filepath.Join("../..", pkg), 0)
			var none *build.NoGoError
			if errors.As(err, &none) {
				continue // a package for other systems (cmd/synfin-web is js/wasm only)
			}
			if err != nil {
				t.Fatalf("%s (%s): %v", pkg, c.GOOS, err)
			}
			built++
			for _, imp := range p.Imports {
				below, ours := strings.CutPrefix(imp, module)
				if ours && !slices.Contains(ok, below) {
					t.Errorf("%s (%s) imports %s, which is not below it", pkg, c.GOOS, imp)
				}
			}
		}
		if built == 0 {
			t.Errorf("%s: no Go files for any system", pkg)
		}
	}
	// Every package of the module has a rule, but main (which may import
	// anything below it) and the benchmark capture maker.
	var pkgs []string
	filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil || !d.IsDir():
			return nil
		case path != "../.." && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")):
			return filepath.SkipDir
		}
		if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && path != "../.." {
			return filepath.SkipDir // another module (integration/browser): not synfin's packages
		}
		if m, _ := filepath.Glob(filepath.Join(path, "*.go")); len(m) > 0 {
			pkgs = append(pkgs, filepath.ToSlash(strings.TrimPrefix(path, "../../")))
		}
		return nil
	})
	if len(pkgs) < len(allowed) {
		t.Fatalf("found %d packages: %v", len(pkgs), pkgs)
	}
	for _, p := range pkgs {
		if _, listed := allowed[p]; !listed && p != "cmd/synfin" && p != "cmd/gencap" {
			t.Errorf("%s: no rule for what it may import", p)
		}
	}
}
