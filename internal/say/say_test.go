package say

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/flows"
	"github.com/synfin/synfin/flows/capture"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
)

// read runs one capture of testdata/bad through the pipeline and says, in
// lang, what the batch session would print after "synfin: ": the error,
// else why nothing could be read, else its problems.
func read(t *testing.T, lang msg.Lang, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("../../testdata/bad", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := pipeline.Run(name, f, pipeline.Options{}, func(*analyze.Record) {})
	var lines []string
	if err != nil {
		lines = append(lines, Error(lang, err))
	}
	if uerr := st.Unusable(name); uerr != nil {
		return append(lines, Error(lang, uerr))
	}
	problems, _ := Problems(lang, name, &st)
	lines = append(lines, problems...)
	for _, n := range Notes(lang, name, &st) {
		lines = append(lines, NoteLabel(lang)+n)
	}
	return lines
}

// TestDamagedCaptures: every damaged capture of testdata/bad, read as
// synfin reads it, is told in English exactly as before (the lower
// layers' own words) and in Chinese from the same values.
func TestDamagedCaptures(t *testing.T) {
	for _, c := range []struct{ file, en, zh string }{
		{"empty.pcap",
			"empty.pcap: not a pcap or pcapng capture: it is empty",
			"empty.pcap：不是 pcap 或 pcapng 抓包文件：内容为空"},
		{"demo.zip",
			"demo.zip: not a pcap or pcapng capture: it looks like a ZIP archive (extract the capture first)",
			"demo.zip：不是 pcap 或 pcapng 抓包文件：看起来是 ZIP 压缩包（请先从中解压出抓包文件）"},
		{"page.html",
			"page.html: not a pcap or pcapng capture: it looks like an HTML page",
			"page.html：不是 pcap 或 pcapng 抓包文件：看起来是 HTML 网页"},
		{"not-a-capture.txt",
			"not-a-capture.txt: not a pcap or pcapng capture: it looks like a text file",
			"not-a-capture.txt：不是 pcap 或 pcapng 抓包文件：看起来是文本文件"},
		{"notes.txt.gz",
			"notes.txt.gz: not a pcap or pcapng capture: gzip stream holds no capture; it looks like a text file",
			"notes.txt.gz：不是 pcap 或 pcapng 抓包文件：gzip 数据流中没有抓包，看起来是文本文件"},
		{"demo-cut.pcap",
			"demo-cut.pcap: packet 13 at byte offset 1433: file ends in the middle of a packet record (cut short)",
			"demo-cut.pcap：第 13 个报文（字节偏移 1433）：文件在一条报文记录的中间结束（被截断）"},
		{"demo-cut.pcap.gz",
			"demo-cut.pcap.gz: packet 6 at byte offset 485: gzip stream ends early: the file is cut short",
			"demo-cut.pcap.gz：第 6 个报文（字节偏移 485）：gzip 数据流提前结束：文件被截断"},
		{"demo-cut.pcap.zst",
			"demo-cut.pcap.zst: zstd stream ends early, before the first packet: the file is cut short",
			"demo-cut.pcap.zst：zstd 数据流在第一个报文之前就结束了：文件被截断"},
		{"huge-record.pcap",
			"huge-record.pcap: packet 5 at byte offset 403: packet record claims 2147483647 bytes, more than the 262144 a record may hold here; reading stops",
			"huge-record.pcap：第 5 个报文（字节偏移 403）：报文记录声称长 2147483647 字节，超过此处一条记录最多可容纳的 262144 字节；停止读取"},
		{"unknown-link.pcap",
			"unknown-link.pcap: nothing synfin can read: all 21 packets have link type 147, which it cannot decode",
			"unknown-link.pcap：没有 synfin 能读取的内容：全部 21 个报文的链路类型都是 147，无法解码"},
		{"damaged-ip.pcap",
			"damaged-ip.pcap: packet 4 at byte offset 286: IPv4 header length field 2 (8 bytes), below the minimum of 5 (20 bytes)",
			"damaged-ip.pcap：第 4 个报文（字节偏移 286）：IPv4 首部长度字段为 2（8 字节），小于最小值 5（20 字节）"},
		{"swapped-magic.pcap",
			"swapped-magic.pcap: pcap file header is damaged: pcap version 512, where pcap has version 2",
			"swapped-magic.pcap：pcap 文件头已损坏：pcap 主版本号为 512，而 pcap 的主版本号应为 2"},
		{"huge-block.pcapng",
			"huge-block.pcapng: packet 4 at byte offset 456: pcapng block of type 0x6 claims 1073741824 bytes, more than the 327680 a record may hold here; reading stops",
			"huge-block.pcapng：第 4 个报文（字节偏移 456）：类型为 0x6 的 pcapng 块声称长 1073741824 字节，超过此处一条记录最多可容纳的 327680 字节；停止读取"},
		{"bad-block-length.pcapng",
			"bad-block-length.pcapng: packet 4 at byte offset 456: pcapng block of type 0x6 has length 13, which is not a whole number of 32-bit words of at least 12; reading stops",
			"bad-block-length.pcapng：第 4 个报文（字节偏移 456）：类型为 0x6 的 pcapng 块长度为 13：块长度应为 4 的整数倍且不小于 12；停止读取"},
	} {
		t.Run(c.file, func(t *testing.T) {
			if got := strings.Join(read(t, msg.EN, c.file), "\n"); got != c.en {
				t.Errorf("en:\n got %s\nwant %s", got, c.en)
			}
			if got := strings.Join(read(t, msg.ZH, c.file), "\n"); got != c.zh {
				t.Errorf("zh:\n got %s\nwant %s", got, c.zh)
			}
		})
	}
}

// TestInputs: what Expand finds wrong with the operands, and the system's
// errors under them, by their codes.
func TestInputs(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pcap")
	_, problems := inputs.Expand([]string{missing, filepath.Join(dir, "*.pcapng"), empty})
	want := []struct{ en, zh string }{
		{missing + ": no such file or directory", missing + "：文件或目录不存在（ENOENT）"},
		{dir + "/*.pcapng: no file matches", dir + "/*.pcapng：没有匹配的文件"},
		{empty + ": no captures found: the directory holds no files", empty + "：没有找到抓包文件：目录中没有文件"},
	}
	if len(problems) != len(want) {
		t.Fatalf("problems %q, want %d", problems, len(want))
	}
	for i, p := range problems {
		if got := Error(msg.EN, p); got != want[i].en || got != p.Error() {
			t.Errorf("en %q, want %q", got, want[i].en)
		}
		if got := Error(msg.ZH, p); got != want[i].zh {
			t.Errorf("zh %q, want %q", got, want[i].zh)
		}
	}
	// A directory read as a capture: the system's EISDIR under the file's name.
	_, err := os.ReadFile(dir)
	fe := &inputs.FileError{Name: dir, Err: err}
	if got, want := Error(msg.ZH, fe), dir+"：是一个目录（EISDIR）"; got != want {
		t.Errorf("zh %q, want %q", got, want)
	}
	if got, want := Error(msg.EN, fe), dir+": is a directory"; got != want {
		t.Errorf("en %q, want %q", got, want)
	}
}

// TestNotes: the pipeline's notes and problems, as values, in both
// languages; the English is Stats.Notes' and Stats.Problems', unchanged.
func TestNotes(t *testing.T) {
	st := pipeline.Stats{Packets: 40, NotTCP: 40, Stops: map[flows.Stop]int{
		{Link: layers.LinkTypePPP, Layer: layers.LayerTypePPP, Proto: 0x0031}:   12,
		{Link: layers.LinkTypeEthernet, Layer: layers.LayerTypeIPv4, Proto: 17}: 20,
	}}
	check := func(what string, en, zh, old []string) {
		t.Helper()
		if strings.Join(en, "\n") != strings.Join(old, "\n") {
			t.Errorf("%s: say's English\n%q\nis not the pipeline's\n%q", what, en, old)
		}
		_ = zh
	}
	en, zh := Notes(msg.EN, "x.pcap", &st), Notes(msg.ZH, "x.pcap", &st)
	check("notes", en, zh, st.Notes("x.pcap"))
	wantZH := []string{
		"x.pcap：12 个链路类型为 9（PPP）的报文未能解码到 IP 层：PPP 协议 0x0031（12）",
		"x.pcap：其中的 20 个报文里没有 TCP：UDP（20）",
	}
	if strings.Join(zh, "\n") != strings.Join(wantZH, "\n") {
		t.Errorf("zh notes\n%s\nwant\n%s", strings.Join(zh, "\n"), strings.Join(wantZH, "\n"))
	}

	sharded := pipeline.Stats{EarlyFinish: 3, MaxConns: 100_000, Shards: flows.MaxShards, Late: 7,
		Damaged: 5, Examples: []*capture.PacketError{{File: "x.pcap", Index: 9, Offset: -1, Err: flows.InWords(errors.New("Not all IP header bytes available"))}},
		Unsupported: map[layers.LinkType]int{147: 2}}
	en, _ = Problems(msg.EN, "x.pcap", &sharded)
	old, _ := sharded.Problems("x.pcap")
	check("problems", en, nil, old)
	zh, damaged := Problems(msg.ZH, "x.pcap", &sharded)
	wantZH = []string{
		"x.pcap：第 9 个报文：IPv4 首部被截断：抓到的数据在首部中间结束",
		"x.pcap：另有 4 个损坏的报文",
		"x.pcap：跳过了 2 个链路类型为 147 的报文：synfin 没有这种链路类型的解码器",
		"x.pcap：3 个连接被提前结束：同时打开的连接超过了 100000 个（--max-conns；按地址哈希分成 64 个分片，每个分片保留 1563 个）",
	}
	if !damaged || strings.Join(zh, "\n") != strings.Join(wantZH, "\n") {
		t.Errorf("zh problems (damaged %v)\n%s\nwant\n%s", damaged, strings.Join(zh, "\n"), strings.Join(wantZH, "\n"))
	}
	late := sharded.LateNote("x.pcap", false)
	if got, want := Note(msg.EN, *late), "x.pcap: 7 late segments belonged to connections already closed and reported ("+sharded.LingerCap()+")"; got != want {
		t.Errorf("en late %q, want %q", got, want)
	}
	if got, want := Note(msg.ZH, *late), "x.pcap：7 个迟到的报文段属于已关闭并已报告的连接（抓包的 64 个分片之一中同时滞留的已关闭连接超过了 157 个，总上限为 10000 个）"; got != want {
		t.Errorf("zh late %q, want %q", got, want)
	}
	one := pipeline.Stats{Late: 1}
	if got, want := Note(msg.ZH, *one.LateNote("x.pcap", true)), "x.pcap：1 个迟到的报文段属于已关闭并已报告的连接（--linger 0）"; got != want {
		t.Errorf("zh late, --linger 0: %q, want %q", got, want)
	}
	if got, want := Note(msg.EN, *one.LateNote("x.pcap", false)), "x.pcap: 1 late segments belonged to connections already closed and reported (more than 10000 closed connections lingered at once)"; got != want {
		t.Errorf("en late, one table: %q, want %q", got, want)
	}
}

// TestEveryValueInChinese: every value of the closed sets say renders
// (capture.Reason and Look, flows.Damage and StopKind) has its own
// Chinese, not a fallback, and not the English.
func TestEveryValueInChinese(t *testing.T) {
	seen := map[string]string{}
	distinct := func(what, zh, en string) {
		t.Helper()
		if zh == en {
			t.Errorf("%s: zh is the English %q", what, en)
		}
		if prev, ok := seen[zh]; ok {
			t.Errorf("%s: zh %q is %s's too", what, zh, prev)
		}
		seen[zh] = what
	}
	for r := capture.NotCapture; r <= capture.PcapMinorVersion; r++ {
		e := &capture.Error{Reason: r, Format: "pcap", Compression: "gzip", N: 3, Have: 1, Want: 24, Claim: 13, Limit: 12, Err: errors.New("x")}
		distinct("capture reason "+e.Error(), Error(msg.ZH, e), e.Error())
	}
	for l := capture.LookBinary; l <= capture.LookText; l++ {
		e := &capture.Error{Reason: capture.NotCapture, Look: l, Head: []byte{1, 2}}
		distinct("look "+e.Error(), Error(msg.ZH, e), e.Error())
	}
	for d := flows.DamageCutShort; d <= flows.DamageGTPShort; d++ {
		e := &flows.HeaderError{Damage: d, Layer: "PPP", A: 3, B: 4, S: "ab"}
		distinct("damage "+e.Error(), Error(msg.ZH, e), e.Error())
	}
	for _, s := range []flows.Stop{
		{},
		{Layer: layers.LayerTypeEthernet, Proto: 0x1234},
		{Layer: layers.LayerTypePPP, Proto: 0x31},
		{Layer: layers.LayerTypeLoopback, Proto: 7},
		{Layer: layers.LayerTypeIPv4, Proto: 6},
		{Layer: layers.LayerTypeIPv6, Proto: 44},
		{Layer: layers.LayerTypeIPv4, Proto: 200},
		{Layer: layers.LayerTypeUDP, Proto: 53},
	} {
		distinct("stop "+s.String(), Stop(msg.ZH, s), s.String())
	}
	if s := (flows.Stop{Layer: layers.LayerTypeIPv4, Proto: 17}); Stop(msg.ZH, s) != "UDP" || s.Kind() != flows.StopNamed {
		t.Errorf("UDP: %q, kind %d", Stop(msg.ZH, s), s.Kind())
	}
}
