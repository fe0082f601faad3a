package browser

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// demoPath is the capture synfin demo shows.
const demoPath = "../../cmd/synfin/demo/demo.pcap"

// TestReportScreenshot renders the Chinese HTML report in headless
// Chromium where it is installed and checks the picture is not blank.
func TestReportScreenshot(t *testing.T) {
	ctx := browser(t, 1100, 1600)
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, runOK(t, "report", "-f", "html", "--lang", "zh", demoPath), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(fileURL(t, page))); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	keepShot(t, "report-zh.png", shot)
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	ink := 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xc000 || g < 0xc000 || bl < 0xc000 {
				ink++
			}
		}
	}
	total := (b.Dx() / 2) * (b.Dy() / 2)
	if frac := float64(ink) / float64(total); frac < 0.02 {
		t.Errorf("screenshot is nearly blank: %.2f%% of pixels dark", 100*frac)
	}
}

// labCaptures are the lab's captures taken next to the client (the
// .server.pcap copies left out).
func labCaptures(t *testing.T) []string {
	t.Helper()
	paths, _ := filepath.Glob("../../testdata/lab/*.pcap")
	var out []string
	for _, p := range paths {
		if !strings.HasSuffix(p, ".server.pcap") {
			out = append(out, p)
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d lab captures", len(out))
	}
	return out
}

// TestReportFitsPage: opened in Chromium 1200 and 800 pixels wide, the
// HTML report of every lab capture never scrolls sideways as a page: each
// table, chart and ladder ends inside the page's column; a table wider than
// the column (the connections table, at 800 px) scrolls inside its own box,
// so its last column ("sf") is still there to scroll to; at 1200 px it fits.
func TestReportFitsPage(t *testing.T) {
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, runOK(t, append([]string{"report", "-f", "html"}, labCaptures(t)...)...), 0o644); err != nil {
		t.Fatal(err)
	}
	const check = `(() => {
		const body = document.body, cs = getComputedStyle(body);
		const right = body.getBoundingClientRect().right - parseFloat(cs.paddingRight);
		const bad = [];
		if (document.documentElement.scrollWidth > window.innerWidth) bad.push("the page scrolls sideways: " + document.documentElement.scrollWidth + " px");
		document.querySelectorAll("table, svg, pre, p").forEach((el, i) => {
			const r = el.getBoundingClientRect();
			if (r.right > right + 1) bad.push(el.tagName + " #" + i + " ends at " + Math.round(r.right) + " px, the column at " + Math.round(right));
		});
		let conns = [...document.querySelectorAll("h2")].find(h => h.textContent == "Connections");
		while (conns && conns.tagName != "TABLE") conns = conns.nextElementSibling;
		const last = conns.querySelector("tr th:last-child");
		conns.previousElementSibling.scrollIntoView(); // for the screenshot
		return {bad: bad, lastHead: last ? last.textContent : "", scrolls: conns.scrollWidth > conns.clientWidth, overflow: getComputedStyle(conns).overflowX, need: conns.scrollWidth, have: conns.clientWidth};
	})()`
	for _, width := range []int{1200, 800} {
		ctx := browser(t, width, 900)
		type layout struct {
			Bad      []string `json:"bad"`
			LastHead string   `json:"lastHead"`
			Scrolls  bool     `json:"scrolls"`
			Overflow string   `json:"overflow"`
			Need     int      `json:"need"`
			Have     int      `json:"have"`
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(fileURL(t, page))); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[layout](check))
		if err != nil {
			t.Fatal(err)
		}
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		keepShot(t, fmt.Sprintf("report-conns-%d.png", width), shot)
		t.Logf("%d px: the connections table needs %d px, has %d", width, got.Need, got.Have)
		for _, b := range got.Bad {
			t.Errorf("%d px: %s", width, b)
		}
		if got.LastHead != "sf" {
			t.Errorf("%d px: the connections table's last heading is %q, not sf", width, got.LastHead)
		}
		if width >= 1200 && got.Scrolls {
			t.Errorf("%d px: the connections table needs %d px and has %d: it should fit", width, got.Need, got.Have)
		}
		if got.Scrolls && got.Overflow != "auto" {
			t.Errorf("%d px: the connections table is wider than its box and does not scroll (overflow-x %s)", width, got.Overflow)
		}
	}
}
