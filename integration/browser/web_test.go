package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The browser page (cmd/synfin-web): built as make web builds it, opened
// from file:// in headless Chromium, given captures through its file
// input, and held to what the command line prints for the same files.

var page struct {
	once sync.Once
	path string
	err  error
}

// webPage builds dist/synfin.html into a temporary directory, once per
// test binary: the module with GOOS=js GOARCH=wasm, then mkpage.
func webPage(t *testing.T) string {
	t.Helper()
	page.once.Do(func() {
		dir, err := os.MkdirTemp("", "synfin-web-")
		if err != nil {
			page.err = err
			return
		}
		wasm := filepath.Join(dir, "synfin.wasm")
		build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, "./cmd/synfin-web")
		build.Dir = "../.."
		build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		if out, err := build.CombinedOutput(); err != nil {
			page.err = &buildError{"GOOS=js GOARCH=wasm go build ./cmd/synfin-web", out}
			return
		}
		page.path = filepath.Join(dir, "synfin.html")
		root, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			page.err = err
			return
		}
		glue := filepath.Join(strings.TrimSpace(string(root)), "lib", "wasm", "wasm_exec.js")
		mk := exec.Command("go", "run", "./cmd/synfin-page", "-wasm", wasm, "-exec", glue, "-o", page.path)
		mk.Dir = "../.."
		if out, err := mk.CombinedOutput(); err != nil {
			page.err = &buildError{"go run ./cmd/synfin-page", out}
		}
	})
	if page.err != nil {
		t.Fatal(page.err)
	}
	return page.path
}

type buildError struct {
	what string
	out  []byte
}

func (e *buildError) Error() string { return e.what + ": " + string(e.out) }

// openPage opens the page in a fresh tab, counting every network request
// it makes other than loading itself.
func openPage(t *testing.T, width, height int) (context.Context, func() []string) {
	t.Helper()
	path := webPage(t)
	ctx := browser(t, width, height)
	var mu sync.Mutex
	var requests []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	url := fileURL(t, path)
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`))); err != nil {
		t.Fatalf("opening the page: %v", err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		var others []string
		for _, u := range requests {
			if u != url {
				others = append(others, u)
			}
		}
		return others
	}
}

// load gives the page files through its file input and waits for the
// n-th analysis to be shown.
func load(t *testing.T, ctx context.Context, n int, files ...string) {
	t.Helper()
	var abs []string
	for _, f := range files {
		a, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		abs = append(abs, a)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#files"), abs),
		chromedp.WaitVisible(chromedp.CSS(`body[data-loaded="`+strconv.Itoa(n)+`"]`))); err != nil {
		t.Fatalf("loading %v: %v", files, err)
	}
}

// evalJSON evaluates a script in the page and decodes its JSON result.
func evalJSON(t *testing.T, ctx context.Context, script string, v any) {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("%s: %v in %.200s", script, err, s)
	}
}

// cli runs synfin as a user would and returns its standard output.
func cli(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	run(t, args, &out, &errb)
	return out.String()
}

// webRow is the part of a record the page's table shows, as both sides
// give it.
type webRow struct {
	Conn      int      `json:"conn"`
	State     string   `json:"state"`
	Handshake string   `json:"handshake"`
	RTTms     *float64 `json:"rtt_ms"`
	ClientISN *uint32  `json:"client_isn"`
	ServerISN *uint32  `json:"server_isn"`
	Teardown  string   `json:"teardown"`
}

func cliRows(t *testing.T, file string) map[int]webRow {
	t.Helper()
	rows := map[int]webRow{}
	for _, line := range strings.Split(strings.TrimSpace(cli(t, "-f", "jsonl", file)), "\n") {
		var r struct {
			Conn      int    `json:"conn"`
			State     string `json:"state"`
			Handshake struct {
				Status    string   `json:"status"`
				RTTms     *float64 `json:"rtt_ms"`
				ClientISN *uint32  `json:"client_isn"`
				ServerISN *uint32  `json:"server_isn"`
			} `json:"handshake"`
			Teardown struct {
				Kind string `json:"kind"`
			} `json:"teardown"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		rows[r.Conn] = webRow{r.Conn, r.State, r.Handshake.Status, r.Handshake.RTTms, r.Handshake.ClientISN, r.Handshake.ServerISN, r.Teardown.Kind}
	}
	return rows
}

func TestWebPageAgreesWithCLI(t *testing.T) {
	ctx, others := openPage(t, 1280, 900)
	files := []string{
		"../../cmd/synfin/demo/demo.pcap",          // the demo capture
		"../../testdata/lab/04_syn_dropped.pcap",   // a lab capture whose SYN was retransmitted
		"../../testdata/pcapng/le__test300.pcapng", // pcapng with three interfaces
		"../../testdata/compressed/demo.pcap.gz",   // gzip
	}
	for i, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			load(t, ctx, i+1, f)
			var got []webRow
			evalJSON(t, ctx, `JSON.stringify(state.analysis.rows)`, &got)
			want := cliRows(t, f)
			if len(got) != len(want) || len(got) == 0 {
				t.Fatalf("the page shows %d connections, synfin -f jsonl %d", len(got), len(want))
			}
			for _, g := range got {
				w := want[g.Conn]
				gj, _ := json.Marshal(g)
				wj, _ := json.Marshal(w)
				if string(gj) != string(wj) {
					t.Errorf("connection %d: page %s, synfin %s", g.Conn, gj, wj)
				}
			}
			// The first row clicked: the ladder and the walkthrough are
			// the command line's.
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#conns tbody tr`)),
				chromedp.WaitVisible(chromedp.CSS(`body[data-detail="0:`+strconv.Itoa(got[0].Conn)+`"]`))); err != nil {
				t.Fatal(err)
			}
			explain, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("explain").textContent`))
			if err != nil {
				t.Fatal(err)
			}
			conn := strconv.Itoa(got[0].Conn)
			wantSVG := strings.ReplaceAll(cli(t, "ladder", "-f", "svg", "-c", conn, f), f, filepath.Base(f))
			var saved string
			evalJSON(t, ctx, `synfin.view("ladder-svg", [state.files[0]], `+conn+`, "en").then(o => JSON.stringify(new TextDecoder().decode(o.bytes)))`, &saved)
			if saved != wantSVG {
				t.Errorf("ladder of connection %s differs from synfin ladder -f svg:\npage %.300s\ncli  %.300s", conn, saved, wantSVG)
			}
			// What the page shows is that SVG: the same elements, the
			// same words (the browser spells the markup its own way).
			var shown, parsed [2]string
			quoted, _ := json.Marshal(wantSVG)
			evalJSON(t, ctx, `(() => { const s = document.querySelector("#ladder svg"); return JSON.stringify([String(s.querySelectorAll("*").length), s.textContent]); })()`, &shown)
			evalJSON(t, ctx, `(() => { const s = new DOMParser().parseFromString(`+string(quoted)+`, "image/svg+xml").documentElement; return JSON.stringify([String(s.querySelectorAll("*").length), s.textContent]); })()`, &parsed)
			if shown != parsed || shown[0] == "0" {
				t.Errorf("the page's ladder has %s elements, synfin's SVG %s; or their text differs", shown[0], parsed[0])
			}
			wantExplain := cli(t, "explain", "-c", conn, f)
			if strings.TrimSpace(explain) != strings.TrimSpace(strings.ReplaceAll(wantExplain, f, filepath.Base(f))) {
				t.Errorf("walkthrough differs from synfin explain:\npage %.400s\ncli  %.400s", explain, wantExplain)
			}
			// What the download buttons save is what synfin writes.
			for _, d := range []struct{ kind, flag string }{{"csv", "csv"}, {"jsonl", "jsonl"}} {
				var saved string
				evalJSON(t, ctx, `synfin.view("`+d.kind+`", state.files, 0, "en").then(o => JSON.stringify(new TextDecoder().decode(o.bytes)))`, &saved)
				if wantOut := strings.ReplaceAll(cli(t, "-f", d.flag, f), f, filepath.Base(f)); saved != wantOut {
					t.Errorf("%s download differs from synfin -f %s:\npage %.300s\ncli  %.300s", d.kind, d.flag, saved, wantOut)
				}
			}
		})
	}
	if o := others(); len(o) > 0 {
		t.Errorf("the page made network requests: %v", o)
	}
}

func TestWebPageChineseAndDamaged(t *testing.T) {
	ctx, others := openPage(t, 1280, 900)
	load(t, ctx, 1, "../../cmd/synfin/demo/demo.pcap")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang`)),
		chromedp.WaitVisible(chromedp.CSS(`body[data-loaded="2"]`))); err != nil {
		t.Fatal(err)
	}
	if shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		keepShot(t, "web-zh.png", shot)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	summary, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("summary").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "浏览器") || !strings.Contains(summary, "三次握手") {
		t.Errorf("after 中文 the title is %q and the summary %.200q", title, summary)
	}
	// A damaged capture: what was read is shown, with synfin's message.
	load(t, ctx, 3, "../../testdata/bad/demo-cut.pcap")
	messages, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("messagetext").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`state.analysis.rows.length`))
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	run(t, []string{"--lang", "zh", "../../testdata/bad/demo-cut.pcap"}, &bytes.Buffer{}, &errb)
	want := strings.ReplaceAll(strings.TrimSpace(errb.String()), "../../testdata/bad/", "")
	if n == 0 || want == "" || !strings.Contains(messages, want) {
		t.Errorf("damaged capture: %d connections shown, messages %q, want them to hold synfin's %q", n, messages, want)
	}
	// A file that is no capture: nothing shown but why, in synfin's words.
	load(t, ctx, 4, "../../testdata/bad/not-a-capture.txt")
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[3]string](`[document.getElementById("status").textContent, document.getElementById("messagetext").textContent, String(document.getElementById("results").hidden)]`))
	if err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	run(t, []string{"--lang", "zh", "../../testdata/bad/not-a-capture.txt"}, &bytes.Buffer{}, &errb)
	want = strings.ReplaceAll(strings.TrimSpace(errb.String()), "../../testdata/bad/", "")
	if got[0] != "synfin 无法读取 not-a-capture.txt。" || want == "" || !strings.Contains(got[1], want) || got[2] != "true" {
		t.Errorf("not a capture: status %q, messages %q (synfin says %q), results hidden %s", got[0], got[1], want, got[2])
	}
	if o := others(); len(o) > 0 {
		t.Errorf("the page made network requests: %v", o)
	}
}

// A screenshot of the page with the demo capture, at a desktop's width
// and a narrow one, is not blank (SYNFIN_SHOTS keeps them to look at).
func TestWebPageScreenshots(t *testing.T) {
	for _, w := range []int{1280, 800} {
		ctx, _ := openPage(t, w, 1000)
		load(t, ctx, 1, "../../cmd/synfin/demo/demo.pcap")
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		keepShot(t, "web-"+strconv.Itoa(w)+".png", shot)
		blank(t, shot, w)
		// The connection clicked: its table row, ladder and walkthrough.
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#conns tbody tr`)),
			chromedp.WaitVisible(chromedp.CSS(`body[data-detail="0:0"]`)),
			chromedp.Evaluate[chromedp.Void](`document.querySelector("#results h2:nth-of-type(2)").scrollIntoView()`)); err != nil {
			t.Fatal(err)
		}
		shot, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		keepShot(t, "web-"+strconv.Itoa(w)+"-detail.png", shot)
		blank(t, shot, w)
		// Its data phase: the time-sequence and RTT graphs, within the
		// page's width.
		graphs, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[...document.querySelectorAll("#dataphase:not([hidden]) #graphs svg")].map(s => Math.round(s.getBoundingClientRect().width))`))
		if err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("#graphs").scrollIntoView()`)); err != nil {
			t.Fatal(err)
		}
		if len(graphs) != 2 || graphs[0] < 300 || graphs[0] > w {
			t.Errorf("width %d: graphs %v px wide, want two within the page", w, graphs)
		}
		shot, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		keepShot(t, "web-"+strconv.Itoa(w)+"-graphs.png", shot)
		blank(t, shot, w)
	}
}

// blank fails the test when a screenshot w pixels wide is blank or narrow.
func blank(t *testing.T, shot []byte, w int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot at %d px: %v", w, err)
	}
	colours := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r>>12<<8|g>>12<<4|bl>>12] = true
		}
	}
	if len(colours) < 8 || b.Dx() < w-20 {
		t.Errorf("screenshot at %d px is %dx%d with %d colours: blank?", w, b.Dx(), b.Dy(), len(colours))
	}
}

// SYNFIN_WEB_CAPTURE=FILE loads a big capture into the page and logs how
// long it took beside the command line (a measurement for the README, run
// by hand: go test -run WebPageBig -v); it checks that the page lived and
// counted what synfin counts.
func TestWebPageBigCapture(t *testing.T) {
	f := os.Getenv("SYNFIN_WEB_CAPTURE")
	if f == "" {
		t.Skip("SYNFIN_WEB_CAPTURE names no capture")
	}
	ctx, _ := openPage(t, 1280, 900)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	load(t, ctx, 1, f)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[3]string](`[document.body.dataset.packets, document.body.dataset.seconds, document.body.dataset.startms]`))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Packets struct {
			N    int     `json:"n"`
			Mean float64 `json:"mean"`
		} `json:"packets"`
	}
	if err := json.Unmarshal([]byte(cli(t, "summary", "-f", "json", f)), &sum); err != nil {
		t.Fatal(err)
	}
	want := int(sum.Packets.Mean*float64(sum.Packets.N) + 0.5)
	if got[0] != strconv.Itoa(want) {
		t.Errorf("the page read %s TCP packets, synfin %d", got[0], want)
	}
	secs, _ := strconv.ParseFloat(got[1], 64)
	t.Logf("page ready %s ms after navigation; %d packets in %.2f s, %.2f Mpkt/s", got[2], want, secs, float64(want)/secs/1e6)
}

// The table sorts and filters; the report buttons save the command
// line's reports; a button click really saves a file past the page's
// Content-Security-Policy.
func TestWebPageTableAndDownloads(t *testing.T) {
	ctx, others := openPage(t, 1280, 900)
	const f = "../../cmd/synfin/demo/demo.pcap"
	load(t, ctx, 1, f)
	shown := func() []string {
		t.Helper()
		rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#conns tbody tr")].map(tr => tr.dataset.conn + " " + tr.cells[3].textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	if got := strings.Join(shown(), ", "); got != "0 SF, 1 REJ, 2 RSTO" {
		t.Errorf("rows %q", got)
	}
	for _, step := range []struct{ script, want string }{
		{`document.querySelector('#conns th[data-key="state"]').click()`, "1 REJ, 2 RSTO, 0 SF"},
		{`document.querySelector('#conns th[data-key="state"]').click()`, "0 SF, 2 RSTO, 1 REJ"},
		{`(() => { const p = document.getElementById("fport"); p.value = "8080"; p.dispatchEvent(new Event("input")); })()`, "0 SF, 2 RSTO"},
		{`(() => { const h = document.getElementById("fhost"); h.value = "10.77.0.9"; h.dispatchEvent(new Event("input")); })()`, ""},
		{`(() => { const h = document.getElementById("fhost"); h.value = "10.77.0.1"; h.dispatchEvent(new Event("input"));
			const s = document.getElementById("fstate"); s.value = "RSTO"; s.dispatchEvent(new Event("change")); })()`, "2 RSTO"},
	} {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](step.script)); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(shown(), ", "); got != step.want {
			t.Errorf("after %s: rows %q, want %q", step.script, got, step.want)
		}
	}
	for _, r := range []struct{ kind, format string }{{"report-html", "html"}, {"report-md", "markdown"}} {
		var saved string
		evalJSON(t, ctx, `synfin.view("`+r.kind+`", state.files, 0, "en").then(o => JSON.stringify(new TextDecoder().decode(o.bytes)))`, &saved)
		if want := strings.ReplaceAll(cli(t, "report", "-f", r.format, f), f, filepath.Base(f)); saved != want {
			t.Errorf("%s differs from synfin report -f %s:\npage %.300s\ncli  %.300s", r.kind, r.format, saved, want)
		}
	}
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[data-dl="csv"]`))); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "demo.csv")
	var got []byte
	for i := 0; i < 100 && got == nil; i++ {
		time.Sleep(100 * time.Millisecond)
		got, _ = os.ReadFile(path)
	}
	if want := strings.ReplaceAll(cli(t, "-f", "csv", f), f, filepath.Base(f)); string(got) != want {
		t.Errorf("the CSV button saved %q, synfin -f csv writes %q", got, want)
	}
	if o := others(); len(o) > 0 {
		t.Errorf("the page made network requests: %v", o)
	}
}

// A capture dropped on the page is read as one chosen is, and the
// progress bar ends full.
func TestWebPageDrop(t *testing.T) {
	ctx, _ := openPage(t, 1280, 900)
	abs, err := filepath.Abs("../../testdata/compressed/demo.pcap.zst")
	if err != nil {
		t.Fatal(err)
	}
	// A file input the page does not listen to holds the file; the drop
	// carries it, as a file dragged from the desktop would be.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const i = document.createElement("input"); i.type = "file"; i.id = "spare"; document.body.append(i); })()`),
		chromedp.SetUploadFiles(chromedp.CSS("#spare"), []string{abs}),
		chromedp.Evaluate[chromedp.Void](`(() => { const dt = new DataTransfer(); dt.items.add(document.getElementById("spare").files[0]);
			document.getElementById("open").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true})); })()`),
		chromedp.WaitVisible(chromedp.CSS(`body[data-loaded="1"]`))); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[3]string](`[state.analysis.files[0], String(state.analysis.rows.length), String(document.getElementById("bar").value)]`))
	if err != nil {
		t.Fatal(err)
	}
	if got != [3]string{"demo.pcap.zst", "3", "1"} {
		t.Errorf("after the drop: file, connections, progress = %q, want demo.pcap.zst, 3, 1", got)
	}
}
