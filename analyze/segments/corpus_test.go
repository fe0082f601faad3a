package segments

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
	"github.com/synfin/synfin/analyze/pipeline"
	"github.com/synfin/synfin/flows"
)

// ttConn is one connection block of tcptrace -l -n's output: its two
// hosts and, per field, the a→b and b→a columns.
type ttConn struct {
	n      int
	a, b   netip.AddrPort
	fields map[string][2]string
	text   string
}

var (
	ttConnRe  = regexp.MustCompile(`(?m)^TCP connection (\d+):\n\s+host \w+:\s+(\S+)\n\s+host \w+:\s+(\S+)\n`)
	ttFieldRe = regexp.MustCompile(`(?m)^\s+([a-zA-Z0-9 /]+?):\s+(\S+).*?\s{2,}([a-zA-Z0-9 /]+?):\s+(\S+)`)
	ttSeenRe  = regexp.MustCompile(`(?m)^\d+ packets seen, \d+ TCP packets traced$`)
)

// ttAddrPort reads tcptrace's host column: an IPv4 or IPv6 address (its
// own spelling, ::1 printed as ":0001"), a colon and the port.
func ttAddrPort(s string) (netip.AddrPort, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return netip.AddrPort{}, false
	}
	port, err := strconv.ParseUint(s[i+1:], 10, 16)
	if err != nil {
		return netip.AddrPort{}, false
	}
	h := s[:i]
	a, err := netip.ParseAddr(h)
	if err != nil && strings.HasPrefix(h, ":") {
		a, err = netip.ParseAddr(":" + h)
	}
	if err != nil {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(a.Unmap(), uint16(port)), true
}

// readTcptrace reads a tcptrace -l -n output; ok is false when tcptrace
// did not run on the capture (no "packets seen" line: an unsupported link
// type, or editcap could not convert it).
func readTcptrace(out []byte) (conns []ttConn, ok bool) {
	if !ttSeenRe.Match(out) {
		return nil, false
	}
	idx := ttConnRe.FindAllSubmatchIndex(out, -1)
	for k, m := range idx {
		end := len(out)
		if k+1 < len(idx) {
			end = idx[k+1][0]
		}
		block := string(out[m[0]:end])
		c := ttConn{fields: map[string][2]string{}, text: block}
		c.n, _ = strconv.Atoi(string(out[m[2]:m[3]]))
		var okA, okB bool
		c.a, okA = ttAddrPort(string(out[m[4]:m[5]]))
		c.b, okB = ttAddrPort(string(out[m[6]:m[7]]))
		if !okA || !okB {
			c.a, c.b = netip.AddrPort{}, netip.AddrPort{}
		}
		for _, f := range ttFieldRe.FindAllStringSubmatch(block, -1) {
			if f[1] == f[3] {
				c.fields[f[1]] = [2]string{f[2], f[4]}
			}
		}
		conns = append(conns, c)
	}
	return conns, true
}

// pairKey names a connection by its two endpoints, in either order.
func pairKey(x, y netip.AddrPort) string {
	a, b := x.String(), y.String()
	if a > b {
		a, b = b, a
	}
	return a + " " + b
}

// corpusField is one field of tcptrace -l compared with Summarize.
type corpusField struct {
	label string // tcptrace's
	// receiver: the figure is about the windows the other side advertised,
	// so it is in the column of the host that did not send the data.
	receiver bool
	get      func(*Summary) float64
	tol      float64
}

var corpusFields = []corpusField{
	{"unique bytes sent", false, func(s *Summary) float64 { return float64(s.Unique) }, 0},
	{"rexmt data pkts", false, func(s *Summary) float64 { return float64(s.SentAgain) }, 0},
	{"actual data pkts", false, func(s *Summary) float64 { return float64(s.Segments) }, 0},
	{"actual data bytes", false, func(s *Summary) float64 { return float64(s.Bytes) }, 0},
	{"throughput", false, func(s *Summary) float64 { return math.Round(s.Throughput) }, 1},
	{"min win adv", true, func(s *Summary) float64 { return float64(s.MinWin) }, 0},
	{"max win adv", true, func(s *Summary) float64 { return float64(s.MaxWin) }, 0},
	{"zero win adv", true, func(s *Summary) float64 { return float64(s.ZeroWins) }, 0},
}

// corpusDiff is one disagreement.
type corpusDiff struct {
	capture        string
	conn, ttConn   int
	dir            flows.Dir
	field          string
	synfin, oracle float64
	rule           string // the exception rule that covers it, if any
}

// corpusResult is what one capture gave.
type corpusResult struct {
	skipped  string // why the whole capture was left out
	conns    int    // connections compared
	unpaired int    // synfin connections without exactly one tcptrace block
	compared map[string]int
	agree    map[string]int
	diffs    []corpusDiff
}

// corpusDir is the shared corpus: $SYNFIN_CORPUS, or ../shared/corpus
// beside the repository (make corpus's default).
func corpusDir() string {
	if d := os.Getenv("SYNFIN_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "corpus")
}

// compareCapture runs synfin on one capture and compares every connection
// that matches exactly one tcptrace block.
func compareCapture(path, oraclePath string) corpusResult {
	res := corpusResult{compared: map[string]int{}, agree: map[string]int{}}
	name := filepath.Base(path)
	out, err := os.ReadFile(oraclePath)
	if err != nil {
		res.skipped = "no tcptrace output"
		return res
	}
	tconns, ok := readTcptrace(out)
	if !ok {
		res.skipped = "tcptrace failed"
		return res
	}
	blocks := map[string][]int{}
	for i, c := range tconns {
		if c.a.IsValid() {
			k := pairKey(c.a, c.b)
			blocks[k] = append(blocks[k], i)
		}
	}
	fh, err := os.Open(path)
	if err != nil {
		res.skipped = err.Error()
		return res
	}
	defer fh.Close()
	rec := ladder.NewRecorder()
	var recs []analyze.Record
	if _, err := pipeline.Run(path, fh, pipeline.Options{Trace: rec.Trace}, func(r *analyze.Record) { recs = append(recs, r.Clone()) }); err != nil && len(recs) == 0 {
		res.skipped = "synfin: " + err.Error()
		return res
	}
	type conn struct {
		r          *analyze.Record
		l          *ladder.Ladder
		cli, srv   netip.AddrPort
		key        string
		usable     bool
		clientIsA  bool
		tcptraceIx int
	}
	var cs []conn
	mine := map[string]int{}
	for i := range recs {
		l := rec.Ladder(recs[i].Conn)
		if l == nil {
			continue
		}
		cli, err1 := netip.ParseAddrPort(l.Client)
		srv, err2 := netip.ParseAddrPort(l.Server)
		if err1 != nil || err2 != nil {
			continue
		}
		cli = netip.AddrPortFrom(cli.Addr().Unmap(), cli.Port())
		srv = netip.AddrPortFrom(srv.Addr().Unmap(), srv.Port())
		k := pairKey(cli, srv)
		mine[k]++
		cs = append(cs, conn{r: &recs[i], l: l, cli: cli, srv: srv, key: k})
	}
	for _, c := range cs {
		b := blocks[c.key]
		if len(b) != 1 || mine[c.key] != 1 || c.l.Dropped > 0 {
			res.unpaired++
			res.diffs = append(res.diffs, corpusDiff{capture: name, conn: c.r.Conn, field: "UNPAIRED " + c.key, synfin: float64(mine[c.key]), oracle: float64(len(b)), ttConn: c.l.Dropped})
			continue
		}
		tc := &tconns[b[0]]
		rows := Of(c.l, Shifts(c.r))
		res.conns++
		if os.Getenv("TTDUMP") == name+":"+strconv.Itoa(c.r.Conn) {
			fmt.Printf("shifts %v client %v first a %v\n%s\n", Shifts(c.r), c.cli, tc.a, tc.text)
			for _, r := range rows {
				fmt.Printf("%d %d %v %v seq=%d rel=%d len=%d win=%d raw=%d ack? an=%v\n", r.Frame, r.TS, r.From, r.Flags, r.Seq, r.RelSeq, r.Len, r.Win, r.WinRaw, r.Analysis)
			}
		}
		for _, d := range []flows.Dir{flows.DirClient, flows.DirServer} {
			s := Summarize(rows, d)
			col := 0 // tcptrace's column of d as the sender
			if (d == flows.DirClient) != (tc.a == c.cli) {
				col = 1
			}
			for _, f := range corpusFields {
				cc := col
				if f.receiver {
					cc = 1 - col
				}
				v, ok := tc.fields[f.label]
				if !ok {
					continue
				}
				want, err := strconv.ParseFloat(v[cc], 64)
				if err != nil {
					continue
				}
				got := f.get(&s)
				res.compared[f.label]++
				if math.Abs(got-want) <= f.tol {
					res.agree[f.label]++
					continue
				}
				res.diffs = append(res.diffs, corpusDiff{capture: name, conn: c.r.Conn, ttConn: tc.n, dir: d, field: f.label, synfin: got, oracle: want})
			}
		}
	}
	return res
}

// TestSummaryAgainstTcptraceCorpus compares Summarize with tcptrace -l -n
// on every connection of the shared corpus that tcptrace traced as one
// block (SYNFIN_CORPUS, or ../shared/corpus; skipped without it).
func TestSummaryAgainstTcptraceCorpus(t *testing.T) {
	dir := corpusDir()
	captures, _ := filepath.Glob(filepath.Join(dir, "captures", "*"))
	if len(captures) == 0 {
		t.Skipf("no corpus at %s (set SYNFIN_CORPUS)", dir)
	}
	results := make([]corpusResult, len(captures))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				name := filepath.Base(captures[i])
				results[i] = compareCapture(captures[i], filepath.Join(dir, "oracles", "tcptrace", name+".tcptrace.txt"))
			}
		}()
	}
	for i := range captures {
		next <- i
	}
	close(next)
	wg.Wait()

	compared, agree := map[string]int{}, map[string]int{}
	var diffs []corpusDiff
	conns, unpaired, skipped := 0, 0, 0
	for _, r := range results {
		if r.skipped != "" {
			skipped++
			continue
		}
		conns += r.conns
		unpaired += r.unpaired
		for k, v := range r.compared {
			compared[k] += v
		}
		for k, v := range r.agree {
			agree[k] += v
		}
		diffs = append(diffs, r.diffs...)
	}
	t.Logf("%d captures (%d left out: tcptrace did not run), %d connections compared, %d not paired with exactly one tcptrace block", len(captures), skipped, conns, unpaired)
	for _, f := range corpusFields {
		n, a := compared[f.label], agree[f.label]
		t.Logf("%-18s %5d compared %5d agree %7.2f%%", f.label, n, a, 100*float64(a)/float64(max(n, 1)))
	}
	for i, d := range diffs {
		if i == 30 {
			break
		}
		t.Logf("%s conn %d (tcptrace %d) %s %s: synfin %v, tcptrace %v", d.capture, d.conn, d.ttConn, d.dir, d.field, d.synfin, d.oracle)
	}
	if p := os.Getenv("SYNFIN_TCPTRACE_DIFFS"); p != "" {
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		sort.SliceStable(diffs, func(i, j int) bool { return diffs[i].field < diffs[j].field })
		for _, d := range diffs {
			fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%s\t%v\t%v\n", d.field, d.conn, d.ttConn, d.dir, d.capture, d.synfin, d.oracle)
		}
		w.Flush()
		os.WriteFile(p, b.Bytes(), 0o644)
	}
}
