package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/internal/batch"
	"github.com/synfin/synfin/internal/inputs"
)

// batchTree builds, from real test captures, what a batch meets: a
// directory tree with a plain, a pcapng and a gzip capture and a text
// file, a plain tar, a tar.gz holding captures (one zstd-compressed, one cut short) and
// a text file, and a ZIP holding a capture and a gzip-compressed one. It
// returns the tree's root and, for each capture, the bytes synfin conns
// reads, by the name records give it.
func batchTree(t *testing.T) (string, map[string][]byte) {
	t.Helper()
	root := t.TempDir()
	read := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join("../../testdata", p))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	write := func(p string, b []byte) string {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return full
	}
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	captures := map[string][]byte{}
	add := func(name string, b []byte) { captures[name] = b }

	add(write("tree/a.pcap", read("lab/01_plain_client_close.pcap")), read("lab/01_plain_client_close.pcap"))
	add(write("tree/sub/b.pcapng", read("lab/18_nano_pcapng.pcapng")), read("lab/18_nano_pcapng.pcapng"))
	add(write("tree/sub/c.pcap.gz", gz(read("lab/11_simultaneous_close.pcap"))), read("lab/11_simultaneous_close.pcap"))
	write("tree/sub/notes.txt", []byte("not a capture\n"))

	var tbuf bytes.Buffer
	gw := gzip.NewWriter(&tbuf)
	tw := tar.NewWriter(gw)
	tarMembers := []struct {
		name string
		data []byte
	}{
		{"caps/refused.pcap", read("lab/06_refused.pcap")},
		{"caps/demo.pcap.zst", read("compressed/demo.pcap.zst")},
		{"caps/cut.pcap", read("bad/demo-cut.pcap")},
		{"README.txt", []byte("what these are\n")},
	}
	for _, m := range tarMembers {
		tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.data)), Typeflag: tar.TypeReg})
		tw.Write(m.data)
	}
	tw.Close()
	gw.Close()
	tarPath := write("tree/archive.tar.gz", tbuf.Bytes())
	add(tarPath+inputs.MemberSep+"caps/refused.pcap", read("lab/06_refused.pcap"))
	add(tarPath+inputs.MemberSep+"caps/demo.pcap.zst", read("compressed/demo.pcap.zst"))
	add(tarPath+inputs.MemberSep+"caps/cut.pcap", read("bad/demo-cut.pcap"))

	// A plain tar too, with one capture.
	var pbuf bytes.Buffer
	ptw := tar.NewWriter(&pbuf)
	vlan := read("lab/16_vlan.pcap")
	ptw.WriteHeader(&tar.Header{Name: "vlan.pcap", Mode: 0o644, Size: int64(len(vlan)), Typeflag: tar.TypeReg})
	ptw.Write(vlan)
	ptw.Close()
	plainTar := write("tree/plain.tar", pbuf.Bytes())
	add(plainTar+inputs.MemberSep+"vlan.pcap", vlan)

	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for _, m := range []struct {
		name string
		data []byte
	}{{"half.pcap", read("lab/12_half_close.pcap")}, {"demo.pcap.gz", read("compressed/demo.pcap.gz")}} {
		w, _ := zw.Create(m.name)
		w.Write(m.data)
	}
	zw.Close()
	zipPath := write("tree/more.zip", zbuf.Bytes())
	add(zipPath+inputs.MemberSep+"half.pcap", read("lab/12_half_close.pcap"))
	add(zipPath+inputs.MemberSep+"demo.pcap.gz", read("compressed/demo.pcap.gz"))
	return filepath.Join(root, "tree"), captures
}

// runBatchArgs runs synfin with args and returns its exit status and
// standard error.
func runBatchArgs(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, errb.String()
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// TestBatchEqualsConns: every record of a batch over the tree is the
// record synfin conns gives for that capture alone, the damaged member and
// the text files are reported, and --jobs 1 and --jobs 4 write the same
// bytes.
func TestBatchEqualsConns(t *testing.T) {
	tree, captures := batchTree(t)
	dir := t.TempDir()
	out1, out4 := filepath.Join(dir, "j1.jsonl"), filepath.Join(dir, "j4.jsonl")
	code, stderr := runBatchArgs(t, "batch", "-q", "-j", "1", "-o", out1, tree)
	if code != exitDamaged {
		t.Errorf("exit %d, want %d (a member is cut short); stderr:\n%s", code, exitDamaged, stderr)
	}
	if !strings.Contains(stderr, "caps/cut.pcap") || !strings.Contains(stderr, "README.txt") {
		t.Errorf("stderr does not name the damaged member and the text member:\n%s", stderr)
	}
	if code4, _ := runBatchArgs(t, "batch", "-q", "-j", "4", "-o", out4, tree); code4 != code {
		t.Errorf("--jobs 4 exit %d, --jobs 1 %d", code4, code)
	}
	b1, _ := os.ReadFile(out1)
	b4, _ := os.ReadFile(out4)
	if !bytes.Equal(b1, b4) {
		t.Error("--jobs 1 and --jobs 4 wrote different output")
	}

	got := map[string][]string{}
	for _, line := range readLines(t, out1) {
		var r analyze.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		got[r.File] = append(got[r.File], line)
	}
	for name, data := range captures {
		single := filepath.Join(t.TempDir(), "one")
		os.WriteFile(single, data, 0o644)
		var out, errb bytes.Buffer
		run([]string{"-f", "jsonl", single}, strings.NewReader(""), &out, &errb)
		var want []string
		for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
			if line == "" {
				continue
			}
			// The same record, named as the batch names it.
			want = append(want, strings.Replace(line, `"file":`+quote(single), `"file":`+quote(name), 1))
		}
		if len(want) == 0 {
			t.Fatalf("%s: synfin conns gave no records", name)
		}
		if !reflect.DeepEqual(got[name], want) {
			t.Errorf("%s: batch records differ from synfin conns:\n got %d: %.300s\nwant %d: %.300s", name, len(got[name]), got[name], len(want), want)
		}
		delete(got, name)
	}
	for name := range got {
		t.Errorf("records of %s, which is not a capture of the tree", name)
	}
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestBatchShards: shards 0, 1 and 2 of 3 together hold exactly the
// records of the unsharded batch (as a set: each shard is in input order).
func TestBatchShards(t *testing.T) {
	tree, _ := batchTree(t)
	dir := t.TempDir()
	all := filepath.Join(dir, "all.jsonl")
	runBatchArgs(t, "batch", "-q", "-o", all, tree)
	var union []string
	for i := range 3 {
		part := filepath.Join(dir, "part"+strconv.Itoa(i)+".jsonl")
		runBatchArgs(t, "batch", "-q", "--shard", strconv.Itoa(i)+"/3", "-o", part, tree)
		if b, _ := os.ReadFile(part); len(b) > 0 {
			union = append(union, readLines(t, part)...)
		}
	}
	want := readLines(t, all)
	sort.Strings(union)
	sort.Strings(want)
	if !reflect.DeepEqual(union, want) {
		t.Errorf("shards hold %d records, the whole batch %d", len(union), len(want))
	}
	if code, stderr := runBatchArgs(t, "batch", "--shard", "3/3", tree); code != exitNothing || !strings.Contains(stderr, "0 ≤ I < N") {
		t.Errorf("--shard 3/3: exit %d, %s", code, stderr)
	}
}

// TestBatchResume: a batch cancelled after two captures, then resumed
// with the same manifest, leaves the output an uninterrupted batch writes,
// byte for byte, and the resumed run reads only what was left.
func TestBatchResume(t *testing.T) {
	tree, captures := batchTree(t)
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.jsonl")
	runBatchArgs(t, "batch", "-q", "-o", whole, tree)

	out, man := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "manifest.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	written := 0
	afterWrite := func() {
		if written++; written == 2 {
			cancel()
		}
	}
	code, stderr, _ := runBatchWith(ctx, func(c *batch.Config) { c.AfterWrite = afterWrite }, "batch", "-q", "-j", "2", "--resume", man, "-o", out, tree)
	if code != exitInterrupted {
		t.Fatalf("interrupted batch: exit %d, want %d; %s", code, exitInterrupted, stderr)
	}
	first := len(readLines(t, man))
	if first < 2 || first >= len(captures) {
		t.Fatalf("the interrupted batch finished %d of %d captures", first, len(captures))
	}
	code, stderr = runBatchArgs(t, "batch", "-j", "2", "--resume", man, "-o", out, tree)
	if code != exitDamaged {
		t.Errorf("resumed batch: exit %d; %s", code, stderr)
	}
	if !strings.Contains(stderr, strconv.Itoa(first)+" skipped as done") {
		t.Errorf("resumed batch does not say it skipped %d: %s", first, stderr)
	}
	a, _ := os.ReadFile(whole)
	b, _ := os.ReadFile(out)
	if !bytes.Equal(a, b) {
		t.Errorf("interrupted and resumed output (%d bytes) differs from the whole batch's (%d bytes)", len(b), len(a))
	}
}

// TestBatchParquet: the Parquet file read back with the same library holds
// the records of the JSON Lines output.
func TestBatchParquet(t *testing.T) {
	tree, _ := batchTree(t)
	dir := t.TempDir()
	js, pq := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "out.parquet")
	runBatchArgs(t, "batch", "-q", "-o", js, tree)
	if code, stderr := runBatchArgs(t, "batch", "-q", "-o", pq, tree); code != exitDamaged {
		t.Fatalf("parquet batch: exit %d; %s", code, stderr)
	}
	f, err := os.Open(pq)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := parquet.NewGenericReader[analyze.Record](f)
	defer r.Close()
	recs := make([]analyze.Record, r.NumRows())
	if n, err := r.Read(recs); n != len(recs) || (err != nil && err != io.EOF) {
		t.Fatalf("read %d of %d rows: %v", n, len(recs), err)
	}
	lines := readLines(t, js)
	if len(lines) != len(recs) {
		t.Fatalf("%d Parquet rows, %d JSON lines", len(recs), len(lines))
	}
	for i := range recs {
		if got := string(recs[i].AppendJSON(nil)); got != lines[i] {
			t.Fatalf("row %d differs:\n got %s\nwant %s", i, got, lines[i])
		}
	}
}

// runBatchWith runs synfin batch with args (the view's name first) in
// ctx, its configuration adjusted by tune; it returns the configuration,
// to see what the run still holds.
func runBatchWith(ctx context.Context, tune func(*batch.Config), args ...string) (int, string, *batch.Config) {
	var o options
	var errb bytes.Buffer
	fs := newFlagSet(&o, &errb)
	if err := fs.Parse(args); err != nil || fs.Arg(0) != "batch" {
		return -1, fmt.Sprintf("bad test arguments %q: %v", args, err), nil
	}
	var cfg *batch.Config
	code := runBatch(ctx, func(c *batch.Config) {
		cfg = c
		if tune != nil {
			tune(c)
		}
	}, &o, fs.Changed("format"), fs.Changed("jobs"), fs.Args()[1:], io.Discard, &errb)
	return code, errb.String(), cfg
}

// TestBatchManyArchives: a batch over many archives and captures side by
// side, where workers find the archives and read them one after another
// in input order, writes the same bytes with one job and with four, and
// stopped after any number of captures it ends (no worker or archive
// reader left waiting) with exactly the captures before the stop written.
func TestBatchManyArchives(t *testing.T) {
	tree, captures := batchTree(t)
	many := t.TempDir()
	names, _ := filepath.Glob(filepath.Join(tree, "*"))
	var copies int
	for i := range 4 {
		for _, n := range names {
			if fi, err := os.Stat(n); err != nil || fi.IsDir() {
				continue
			}
			b, _ := os.ReadFile(n)
			os.WriteFile(filepath.Join(many, strconv.Itoa(i)+"-"+filepath.Base(n)), b, 0o644)
			copies++
		}
	}
	top := 1 // units at the top of the tree: the tar's text member, and
	// the captures by themselves or in archives
	for name := range captures {
		if !strings.Contains(strings.TrimPrefix(name, tree+"/"), "/") || strings.Contains(name, inputs.MemberSep) {
			top++
		}
	}
	dir := t.TempDir()
	out1, out4 := filepath.Join(dir, "j1.jsonl"), filepath.Join(dir, "j4.jsonl")
	code, stderr := runBatchArgs(t, "batch", "-j", "1", "-o", out1, many)
	if want := "synfin: batch: " + strconv.Itoa(4*top); !strings.Contains(stderr, want) {
		t.Errorf("exit %d; stderr does not say %q:\n%s", code, want, stderr)
	}
	runBatchArgs(t, "batch", "-q", "-j", "4", "-o", out4, many)
	b1, _ := os.ReadFile(out1)
	b4, _ := os.ReadFile(out4)
	if len(b1) == 0 || !bytes.Equal(b1, b4) {
		t.Fatalf("--jobs 1 (%d bytes) and --jobs 4 (%d bytes) wrote different output", len(b1), len(b4))
	}

	before := runtime.NumGoroutine()
	// With a window of one capture per worker, the writer's next capture
	// must still be handed out whatever is in flight.
	for _, window := range []int{1, 2} {
		out := filepath.Join(dir, "small-window.jsonl")
		runBatchWith(context.Background(), func(c *batch.Config) { c.Window = window }, "batch", "-q", "-j", "3", "-o", out, many)
		if b, _ := os.ReadFile(out); !bytes.Equal(b1, b) {
			t.Fatalf("a window of %d: the output differs from --jobs 1", window)
		}
	}

	for stopAt := 1; stopAt <= 4*top; stopAt += 3 {
		ctx, cancel := context.WithCancel(context.Background())
		written := 0
		afterWrite := func() {
			if written++; written == stopAt {
				cancel()
			}
		}
		out := filepath.Join(dir, "stopped.jsonl")
		code, stderr, cfg := runBatchWith(ctx, func(c *batch.Config) { c.AfterWrite = afterWrite }, "batch", "-q", "-j", "3", "-o", out, many)
		cancel()
		if code != exitInterrupted || !strings.Contains(stderr, "synfin: batch: "+strconv.Itoa(stopAt)+" capture") {
			t.Fatalf("stopped after %d captures: exit %d, stderr:\n%s", stopAt, code, stderr)
		}
		b, _ := os.ReadFile(out)
		if !bytes.HasPrefix(b1, b) {
			t.Fatalf("stopped after %d captures: the output is not the start of the whole batch's", stopAt)
		}
		// What held records and tar members is given back, written or not.
		held, members := cfg.Leftover()
		if held != 0 {
			t.Errorf("stopped after %d captures: %d bytes of records still counted as held", stopAt, held)
		}
		if members != 0 {
			t.Errorf("stopped after %d captures: %d bytes of tar members not given back", stopAt, members)
		}
	}

	// A write error stops the batch with the error, not with exit 130.
	if _, err := os.Stat("/dev/full"); err == nil {
		code, stderr, cfg := runBatchWith(context.Background(), nil, "batch", "-j", "3", "-o", "/dev/full", many)
		if code != exitNothing || !strings.Contains(stderr, "writing output") {
			t.Errorf("-o /dev/full: exit %d, stderr:\n%s", code, stderr)
		}
		if h, _ := cfg.Leftover(); h != 0 {
			t.Errorf("-o /dev/full: %d bytes of records still counted as held", h)
		}
	}
	// Every goroutine of the stopped batches ends (the chain of archive
	// turns included): wait for the last of them a moment.
	for i := 0; runtime.NumGoroutine() > before; i++ {
		if i == 200 {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines before the stopped batches, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
