package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
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
