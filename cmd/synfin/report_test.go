package main

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"synfin/analyze"
	"synfin/analyze/ladder"
	"synfin/cmd/synfin/msg"
	"synfin/flows"
)

const demoPath = "demo/demo.pcap"

func runOK(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(args, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("synfin %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.Bytes()
}

// wellFormedXML fails the test unless b is one well-formed XML document.
func wellFormedXML(t *testing.T, what string, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", what, err)
		}
	}
}

// TestLadderSVGIsXML: every lab capture's first connection draws as SVG a
// browser and an XML parser accept, in both languages.
func TestLadderSVGIsXML(t *testing.T) {
	for _, p := range labCaptures(t) {
		for _, lang := range []string{"en", "zh"} {
			out := runOK(t, "ladder", "-f", "svg", "--lang", lang, p)
			if !bytes.HasPrefix(out, []byte("<svg ")) || bytes.Count(out, []byte("<line ")) < 3 {
				t.Errorf("%s: not an SVG with arrows:\n%.300s", p, out)
			}
			wellFormedXML(t, p, out)
		}
	}
}

// TestReportHTMLIsSelfContained: the HTML report parses, references nothing
// outside itself (no scripts, stylesheets, images, frames or links to
// fetch), and its inline SVG images are well-formed XML.
func TestReportHTMLIsSelfContained(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		page := runOK(t, "report", "-f", "html", "--lang", lang, demoPath, "../../testdata/lab/04_syn_dropped.pcap")
		doc, err := html.Parse(bytes.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		svgs := 0
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				switch n.Data {
				case "script", "link", "img", "iframe", "object", "embed", "video", "audio", "source":
					t.Errorf("%s: report has a <%s> element", lang, n.Data)
				case "svg":
					svgs++
				}
				for _, a := range n.Attr {
					if a.Key == "src" || (a.Key == "href" && !strings.HasPrefix(a.Val, "#")) || strings.Contains(a.Val, "url(http") {
						t.Errorf("%s: <%s %s=%q> points outside the page", lang, n.Data, a.Key, a.Val)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		// States bars, RTT histogram, timeline, and a ladder per pick.
		if svgs < 5 {
			t.Errorf("%s: %d inline SVG images, want at least 5", lang, svgs)
		}
		// The only address in the page is the SVG namespace, which names
		// and fetches nothing.
		rest := bytes.ReplaceAll(page, []byte(`xmlns="http://www.w3.org/2000/svg"`), nil)
		if bytes.Contains(rest, []byte("@import")) || bytes.Contains(rest, []byte("http://")) || bytes.Contains(rest, []byte("https://")) {
			t.Errorf("%s: report refers to something outside itself", lang)
		}
		for _, part := range bytes.Split(page, []byte("<svg "))[1:] {
			end := bytes.Index(part, []byte("</svg>"))
			wellFormedXML(t, "inline svg", append([]byte("<svg "), part[:end+len("</svg>")]...))
		}
		if lang == "zh" && !bytes.Contains(page, []byte("三次握手")) {
			t.Error("zh report does not say 三次握手")
		}
	}
}

// TestRepresentatives: the demo capture's three connections are each the
// first of a kind: a textbook one, a refused one, a reset one.
func TestRepresentatives(t *testing.T) {
	recs := readRecords(t, demoPath)
	var got []string
	for _, p := range representatives(recs) {
		got = append(got, itoa(p.rec.Conn)+":"+p.reason)
	}
	want := "0:report.pick.complete 1:report.pick.refused 2:report.pick.reset"
	if strings.Join(got, " ") != want {
		t.Errorf("picks %v, want %s", got, want)
	}
}

// TestLadderSteps: the plain client close of the lab (ground truth in its
// truth file: 11 packets, four-way close) follows the textbook: SYN with
// relative seq 0, SYN-ACK acknowledging 1, the ACK, then the close.
func TestLadderSteps(t *testing.T) {
	f, err := os.Open("../../testdata/lab/01_plain_client_close.pcap")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec := ladder.NewRecorder(0)
	if _, err := analyzeCapture("01", f, limits{trace: rec.Trace}, func(*analyze.Record) {}); err != nil {
		t.Fatal(err)
	}
	l := rec.Ladder(0)
	if l == nil {
		t.Fatal("no ladder for connection 0")
	}
	var flags, phases []string
	for _, s := range l.Steps {
		flags = append(flags, ladder.FlagNames(s.Flags))
		phases = append(phases, itoa(int(s.Phase)))
	}
	if got := strings.Join(flags[:3], " | "); got != "SYN | SYN, ACK | ACK" {
		t.Errorf("handshake flags %q", got)
	}
	s0, s1 := l.Steps[0], l.Steps[1]
	if !s0.FromCli || s1.FromCli || s0.RelSeq != 0 || s1.RelSeq != 0 || s1.RelAck != 1 || s1.Ack != s0.Seq+1 {
		t.Errorf("SYN %+v, SYN-ACK %+v", s0, s1)
	}
	if s0.Options == "" || !strings.Contains(s0.Options, "mss=") {
		t.Errorf("SYN options %q", s0.Options)
	}
	if phases[0] != "0" || phases[2] != "0" || phases[len(phases)-1] != itoa(int(ladder.Teardown)) {
		t.Errorf("phases %v", phases)
	}
	fins := 0
	for _, s := range l.Steps {
		if s.Flags&flows.FlagFIN != 0 {
			fins++
			if s.Phase != ladder.Teardown {
				t.Errorf("FIN in phase %d", s.Phase)
			}
		}
	}
	if fins != 2 {
		t.Errorf("%d FINs, want 2", fins)
	}
}

// TestEveryValueExplained: every state, handshake status and teardown kind
// that synfin reports on the lab captures has its sentence in the
// catalogue, and so do the values the code can produce.
func TestEveryValueExplained(t *testing.T) {
	keys := []string{}
	for _, s := range []string{"S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH"} {
		keys = append(keys, "state."+s)
	}
	for _, s := range []string{"complete", "no_ack", "no_reply", "rejected", "simultaneous", "synack_only", "not_seen"} {
		keys = append(keys, "handshake."+s)
	}
	for _, s := range []string{"four_way", "three_way", "simultaneous", "half_closed", "reset", "open"} {
		keys = append(keys, "teardown."+s)
	}
	for _, n := range analyze.AllNotes {
		keys = append(keys, "note."+n)
	}
	paths, _ := filepath.Glob("../../testdata/lab/*.pcap")
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		analyzeCapture(p, f, limits{}, func(r *analyze.Record) {
			keys = append(keys, "state."+r.State, "handshake."+r.Handshake.Status, "teardown."+r.Teardown.Kind)
		})
		f.Close()
	}
	for _, k := range keys {
		if !msg.Has(k) {
			t.Errorf("no message for %s", k)
		}
	}
}

// TestReportScreenshot renders the Chinese HTML report in headless
// Chromium where it is installed and checks the picture is not blank.
func TestReportScreenshot(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, runOK(t, "report", "-f", "html", "--lang", "zh", demoPath), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "shot.png")
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--window-size=1100,1600", "--screenshot="+shot, "file://"+page)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("chromium could not run here: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
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
