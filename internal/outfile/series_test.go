package outfile

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestParseSeries(t *testing.T) {
	for _, c := range []struct {
		name  string
		first string // Name(0); "" no series
		bad   bool
	}{
		{"conns.parquet", "", false},
		{"conns-%d.parquet", "conns-0.parquet", false},
		{"out/conns-%04d.parquet", "out/conns-0000.parquet", false},
		{"100%%-%03d.csv", "100%-000.csv", false},
		{"100%%.csv", "", false}, // no number: one file, named as given
		{"a%x.parquet", "", true},
		{"a-%d-%d.parquet", "", true},
		{"a-%4d.parquet", "", true},
		{"run-%d/conns.parquet", "", true}, // a number in a directory's name
		{"trailing%", "", true},
	} {
		s, err := ParseSeries(c.name)
		switch {
		case c.bad && err == nil:
			t.Errorf("%q: no error", c.name)
		case !c.bad && err != nil:
			t.Errorf("%q: %v", c.name, err)
		case c.first == "" && s != nil:
			t.Errorf("%q: a series, want one file", c.name)
		case c.first != "" && (s == nil || s.Name(0) != c.first):
			t.Errorf("%q: first file %v, want %s", c.name, s, c.first)
		}
	}
}

// TestSeriesNeverOverwrites continues after the files there, passes over
// a file made meanwhile and a name taken, and lists only its own files.
func TestSeriesNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"c-0000.parquet", "c-0002.parquet", "c-12.parquet", "c-0003.csv", "d-0009.parquet"} {
		os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644)
	}
	s, err := ParseSeries(filepath.Join(dir, "c-%04d.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Existing()
	if err != nil || !slices.Equal(got, []int{0, 2}) {
		t.Fatalf("Existing = %v, %v; want [0 2]", got, err)
	}
	s.ContinueAfter(got)
	os.WriteFile(filepath.Join(dir, "c-0003.parquet"), []byte("x"), 0o644) // made meanwhile
	s.Taken([]string{filepath.Join(dir, "c-0004.parquet")})
	f, err := s.Next()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "c-0005.parquet"); f.Path() != want {
		t.Errorf("next file %s, want %s", f.Path(), want)
	}
	f.Write([]byte("new"))
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "c-0003.parquet")); string(b) != "x" {
		t.Errorf("c-0003.parquet was overwritten: %q", b)
	}
}
