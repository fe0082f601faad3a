package draw

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/pipeline"
	"github.com/synfin/synfin/internal/tty"
)

// TestLadderColour: a coloured ladder (the lab's SYN retransmission and
// reset captures) is the plain one with colour codes added, nothing moved:
// the handshake is blue, the teardown yellow, the reset red, notes magenta.
func TestLadderColour(t *testing.T) {
	ansi := regexp.MustCompile("\x1b\\[[0-9;]*m")
	for _, c := range []struct {
		file string
		want []string
	}{
		{"04_syn_dropped", []string{string(tty.Blue), string(tty.Yellow), string(tty.Magenta)}},
		{"13_abortive_close", []string{string(tty.Blue), string(tty.Red)}},
	} {
		l, r := firstLadder(t, "../../testdata/lab/"+c.file+".pcap")
		var plain, coloured bytes.Buffer
		st := Style{Lang: msg.EN}
		Text(&plain, l, r, st)
		st.Colour = true
		Text(&coloured, l, r, st)
		if got := ansi.ReplaceAllString(coloured.String(), ""); got != plain.String() {
			t.Errorf("%s: without its colour codes the coloured ladder differs:\n%s\nwant\n%s", c.file, got, plain.String())
		}
		for _, code := range c.want {
			if !strings.Contains(coloured.String(), code) {
				t.Errorf("%s: no %q in\n%s", c.file, code, coloured.String())
			}
		}
		if strings.Contains(plain.String(), "\x1b") {
			t.Errorf("%s: colour codes in the plain ladder", c.file)
		}
	}
}

// TestLadderFitsTerminal: told an 80- or 100-column terminal, every lab
// ladder (English and Chinese, Unicode and ASCII) keeps its lines within it
// where the diagram itself fits, loses no word of its notes, and told no
// width, draws what it always drew.
func TestLadderFitsTerminal(t *testing.T) {
	for _, name := range labCaptures(t) {
		l, r := firstLadder(t, name)
		for _, lang := range []msg.Lang{msg.EN, msg.ZH} {
			for _, ascii := range []bool{false, true} {
				var wide bytes.Buffer
				Text(&wide, l, r, Style{Lang: lang, ASCII: ascii})
				for _, width := range []int{80, 100} {
					var fitted bytes.Buffer
					Text(&fitted, l, r, Style{Lang: lang, ASCII: ascii, Width: width})
					for _, line := range strings.Split(fitted.String(), "\n") {
						// An arrow line is as wide as its label needs; a
						// line over the width is allowed only there.
						if tty.Cells(line) > width && !strings.Contains(line, "seq=") {
							t.Errorf("%s (%d cols): %d cells: %q", name, width, tty.Cells(line), line)
						}
					}
					// Fitting moves text between lines and adds marks and
					// spaces, nothing else.
					if text(fitted.String()) != text(wide.String()) {
						t.Errorf("%s (%d cols): the fitted ladder lost or changed text:\n%s", name, width, fitted.String())
					}
				}
			}
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

// firstLadder is the ladder and record of a capture's connection 0.
func firstLadder(t *testing.T, path string) (*ladder.Ladder, *analyze.Record) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec := ladder.NewRecorder(0)
	var r *analyze.Record
	_, err = pipeline.Run(path, f, pipeline.Options{Trace: rec.Trace}, func(x *analyze.Record) {
		if x.Conn == 0 {
			cl := x.Clone()
			r = &cl
		}
	})
	if err != nil || rec.Ladder(0) == nil || r == nil {
		t.Fatalf("%s: no ladder of connection 0 (%v)", path, err)
	}
	return rec.Ladder(0), r
}

// text is what a ladder says, without its drawing and spacing.
func text(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("│", "", "─", "", "▶", "", "◀", "", "↳", "", "|", "", "-", "", ">", "", "<", "").Replace(s)), "")
}

// TestSVGHeadingsApart: in an SVG ladder the client's address, centred
// over its bar, must not run into the frame and time headings on its left;
// the longest IPv6 address with a port (the case that once overprinted
// "time (ms)") starts right of them instead.
func TestSVGHeadingsApart(t *testing.T) {
	l, r := firstLadder(t, "../../testdata/lab/07_ipv6.pcap")
	addr := regexp.MustCompile(`<text (x="(\d+)"(?: text-anchor="middle")?) y="58">\[`)
	for _, client := range []string{
		l.Client,
		"[2001:470:1f05:17a6:213:72ff:fe0d:a566]:16730",
		"[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535",
	} {
		ll := *l
		ll.Client = client
		var b bytes.Buffer
		SVG(&b, &ll, r, Style{Lang: msg.EN})
		m := addr.FindStringSubmatch(b.String())
		if m == nil {
			t.Fatalf("%s: no client address heading in\n%.1500s", client, b.String())
		}
		left, _ := strconv.Atoi(m[2])
		if strings.Contains(m[1], "middle") {
			left -= svgTextWidth(client) / 2
		}
		if left < svgTimeEnd {
			t.Errorf("%s: label starts at x=%d (%s), into the headings that end at %d", client, left, m[1], svgTimeEnd)
		}
		if right := left + svgTextWidth(client); right > svgServerX-svgTextWidth(ll.Server)/2 {
			t.Errorf("%s: label ends at x=%d, into the server's", client, right)
		}
	}
}
