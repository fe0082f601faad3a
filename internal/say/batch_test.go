package say_test

import (
	"archive/tar"
	"os"
	"path/filepath"
	"testing"

	"github.com/synfin/synfin/flows/capture"
	"github.com/synfin/synfin/internal/batch"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/say"
)

// TestBatchErrors: the batch's own messages (msg.Text with problem.* keys)
// carry their causes into the language: a manifest line that is no JSON,
// a --shard out of range, a tar member the archive ends inside.
func TestBatchErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "done.jsonl")
	if err := os.WriteFile(path, []byte("{}\nnot json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := batch.OpenManifest(path)
	if got, want := say.Error(msg.EN, err), "--resume "+path+": line 2 is not a manifest entry (a JSON object naming a finished capture): was the file written by synfin batch --resume?"; got != want {
		t.Errorf("en %q, want %q", got, want)
	}
	if got, want := say.Error(msg.ZH, err), "--resume "+path+"：第 2 行不是清单条目（记录已完成抓包的 JSON 对象）：这个文件是 --resume 写的清单吗？"; got != want {
		t.Errorf("zh %q, want %q", got, want)
	}
	_, err = batch.ParseShard("4/4", batch.BySize)
	if got, want := say.Error(msg.EN, err), "--shard 4/4: want I/N with 0 ≤ I < N, e.g. 0/4"; got != want {
		t.Errorf("en %q, want %q", got, want)
	}
	if got, want := msg.ZH.In(err), "--shard 4/4：应为 I/N，且 0 ≤ I < N，例如 0/4"; got != want {
		t.Errorf("zh %q, want %q", got, want)
	}
	cut := &capture.PacketError{File: "a.tar!/x.pcap", Index: 3, Offset: 100, Err: &inputs.CutError{At: 120, Size: 900}}
	if got, want := say.Error(msg.EN, cut), "a.tar!/x.pcap: packet 3 at byte offset 100: cut short at byte 120 of 900 (the archive ends there)"; got != want {
		t.Errorf("en %q, want %q", got, want)
	}
	if got, want := say.Error(msg.ZH, cut), "a.tar!/x.pcap：第 3 个报文（字节偏移 100）：在第 120 字节处被截断，该成员应有 900 字节（归档在此结束）"; got != want {
		t.Errorf("zh %q, want %q", got, want)
	}
	tarErr := &inputs.FileError{Name: "a.tar", Err: &inputs.ArchiveError{Fault: inputs.TarDamaged, Err: tar.ErrHeader}}
	if got, want := say.Error(msg.EN, tarErr), "a.tar: tar archive is damaged after the members read so far: archive/tar: invalid tar header"; got != want {
		t.Errorf("en %q, want %q", got, want)
	}
	if got, want := say.Error(msg.ZH, tarErr), "a.tar：tar 归档在已读取的成员之后损坏：tar 首部无效"; got != want {
		t.Errorf("zh %q, want %q", got, want)
	}
}
