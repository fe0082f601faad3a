package batch

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/synfin/synfin/internal/corpus"

	"github.com/synfin/synfin/internal/inputs"
)

// TestShardsBalanceBytes divides the shared corpus (testdata without it)
// among N = 4, 16 and 64 shards both ways: each file is taken by exactly
// one shard, and by size the largest shard holds at most 1.5 times the
// mean, or its one largest file where that alone is more.
func TestShardsBalanceBytes(t *testing.T) {
	var names []string
	if c := corpus.Path("captures"); c != "" {
		names, _ = filepath.Glob(filepath.Join(c, "*"))
	}
	if len(names) == 0 {
		filepath.Walk("../../testdata", func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.Mode().IsRegular() {
				names = append(names, p)
			}
			return nil
		})
	}
	sizes := map[string]int64{}
	var files []inputs.File
	var total, largest int64
	for _, n := range names {
		fi, err := os.Stat(n)
		if err != nil {
			t.Fatal(err)
		}
		sizes[n] = fi.Size()
		total += fi.Size()
		largest = max(largest, fi.Size())
		files = append(files, inputs.File{Name: n})
	}
	size := func(n string) int64 { return sizes[n] }
	for _, n := range []uint64{4, 16, 64} {
		mean := float64(total) / float64(n)
		for _, by := range []ShardBy{BySize, ByPath} {
			taken := map[string]int{}
			var most int64
			for i := range n {
				var bytes int64
				for _, f := range (Shard{i, n, by}).Pick(files, size) {
					taken[f.Name]++
					bytes += sizes[f.Name]
				}
				most = max(most, bytes)
			}
			for _, f := range files {
				if taken[f.Name] != 1 {
					t.Fatalf("N=%d by %s: %s taken %d times", n, ShardByNames[by], f.Name, taken[f.Name])
				}
			}
			t.Logf("N=%2d by %-4s: %d files, %d bytes; the largest shard holds %.2f× the mean (the largest file alone %.2f×)",
				n, ShardByNames[by], len(files), total, float64(most)/mean, float64(largest)/mean)
			if by == BySize && float64(most) > max(1.5*mean, float64(largest)) {
				t.Errorf("N=%d by size: the largest shard holds %.2f× the mean", n, float64(most)/mean)
			}
		}
	}
}

// TestShardBySizeIgnoresListingOrder: machines that list the same files
// in another order take the same shares.
func TestShardBySizeIgnoresListingOrder(t *testing.T) {
	files := []inputs.File{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}, {Name: "e"}}
	size := func(n string) int64 { return map[string]int64{"a": 5, "b": 5, "c": 9, "d": 1, "e": 3}[n] }
	rev := []inputs.File{files[4], files[3], files[2], files[1], files[0]}
	for i := range uint64(3) {
		s := Shard{i, 3, BySize}
		x, y := s.Pick(files, size), s.Pick(rev, size)
		if len(x) != len(y) {
			t.Fatalf("shard %d: %v listed in order, %v reversed", i, x, y)
		}
		for _, f := range x {
			found := false
			for _, g := range y {
				found = found || f == g
			}
			if !found {
				t.Errorf("shard %d: %v listed in order, %v reversed", i, x, y)
			}
		}
	}
}
