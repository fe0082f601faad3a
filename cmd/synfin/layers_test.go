package main

import (
	"go/build"
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
	const in = "synfin/cmd/synfin/internal/"
	allowed := map[string][]string{
		"synfin/flows/capture":    {},
		"synfin/flows":            {"synfin/flows/capture"},
		"synfin/analyze":          {"synfin/flows"},
		"synfin/analyze/ladder":   {"synfin/flows"},
		"synfin/analyze/isn":      {"synfin/analyze"},
		"synfin/analyze/oracle":   {"synfin/analyze"},
		"synfin/analyze/pipeline": {"synfin/analyze", "synfin/flows", "synfin/flows/capture"},
		in + "tty":                {},
		in + "msg":                {},
		in + "gcfloor":            {},
		in + "inputs":             {"synfin/flows/capture"},
		in + "streams":            {"synfin/analyze", "synfin/flows"},
		in + "table":              {"synfin/analyze", "synfin/analyze/isn", in + "msg", in + "tty"},
		in + "draw":               {"synfin/analyze", "synfin/analyze/ladder", "synfin/flows", in + "msg", in + "table", in + "tty"},
		in + "report":             {"synfin/analyze", "synfin/analyze/ladder", in + "draw", in + "msg", in + "table", in + "tty"},
		in + "lab":                {"synfin/analyze", "synfin/analyze/ladder", "synfin/analyze/pipeline", "synfin/flows", in + "msg"},
		in + "batch":              {"synfin/analyze", "synfin/analyze/ladder", "synfin/analyze/pipeline", "synfin/flows", "synfin/flows/capture", in + "inputs", in + "streams", in + "tty"},
		in + "views":              {"synfin/analyze", "synfin/analyze/ladder", "synfin/analyze/pipeline", "synfin/flows", in + "batch", in + "draw", in + "inputs", in + "lab", in + "msg", in + "report", in + "table", in + "tty"},
	}
	for pkg, ok := range allowed {
		dir := filepath.Join("../..", strings.TrimPrefix(pkg, "synfin/"))
		p, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", pkg, err)
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, "synfin/") && !slices.Contains(ok, imp) {
				t.Errorf("%s imports %s, which is not below it", pkg, imp)
			}
		}
	}
	// Every package of the command below main is in the table above.
	dirs, _ := filepath.Glob("internal/*")
	for _, d := range dirs {
		if _, listed := allowed[in+filepath.Base(d)]; !listed {
			t.Errorf("%s: no rule for what it may import", d)
		}
	}
}
