package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/synfin/synfin/analyze"
)

// DuckDB reads what synfin writes: real DuckDB (npm's @duckdb/node-api,
// driven by integration/duckdb/query.mjs, so this module stays pure Go)
// runs docs/batch.md's query and others over synfin's Parquet, and each
// answer is checked against the same computation over the JSON Lines of
// the same run. Skipped without node and npm, unless
// SYNFIN_DUCKDB=required (CI).

// duckdb runs sql and returns its rows.
func duckdb(t *testing.T, sql string) []map[string]any {
	t.Helper()
	out, err := exec.Command("node", "../../integration/duckdb/query.mjs", sql).CombinedOutput()
	if err != nil {
		t.Fatalf("duckdb: %s: %v\n%s", sql, err, out)
	}
	var rows []map[string]any
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatalf("duckdb: %s: %v\n%s", sql, err, out)
	}
	return rows
}

// needDuckDB installs DuckDB from npm when needed, or skips.
func needDuckDB(t *testing.T) {
	t.Helper()
	long(t, "runs DuckDB")
	_, nodeErr := exec.LookPath("node")
	_, npmErr := exec.LookPath("npm")
	if nodeErr != nil || npmErr != nil {
		if os.Getenv("SYNFIN_DUCKDB") == "required" {
			t.Fatal("node or npm not found, and SYNFIN_DUCKDB=required")
		}
		t.Skip("node and npm needed for DuckDB (npm's @duckdb/node-api)")
	}
	if _, err := os.Stat("../../integration/duckdb/node_modules/@duckdb/node-api"); err != nil {
		cmd := exec.Command("npm", "ci", "--silent", "--no-audit", "--no-fund")
		cmd.Dir = "../../integration/duckdb"
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci: %v\n%s", err, out)
		}
	}
}

// median is DuckDB's median: the middle value, or the mean of the two
// middle ones.
func median(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

func TestDuckDBReadsParquet(t *testing.T) {
	needDuckDB(t)
	bin, tree := sweep(t)
	dir := t.TempDir()
	runLine(t, bin, dir, "synfin batch -q -o all.parquet "+tree+"; synfin batch -q -o all.jsonl "+tree)
	runLine(t, bin, dir, "for i in 0 1 2; do synfin batch -q --shard $i/3 -o conns-$i.parquet "+tree+"; done")
	var recs []analyze.Record
	for _, l := range recordsOf(t, filepath.Join(dir, "all.jsonl")) {
		var r analyze.Record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	all := filepath.Join(dir, "all.parquet")

	// docs/batch.md's query, over the shards' files.
	var readme string
	for _, l := range docLines(t, "duckdb -c ") {
		readme = strings.TrimSuffix(strings.TrimPrefix(l, `duckdb -c "`), `"`)
	}
	if !strings.Contains(readme, "read_parquet('conns-*.parquet')") {
		t.Fatalf("docs/batch.md's DuckDB query %q no longer reads 'conns-*.parquet'", readme)
	}
	got := duckdb(t, strings.ReplaceAll(readme, "conns-*.parquet", filepath.Join(dir, "conns-*.parquet")))
	count, rtts := map[string]int{}, map[string][]float64{}
	for _, r := range recs {
		count[string(r.State)]++
		if r.Handshake.RTTms != nil {
			rtts[string(r.State)] = append(rtts[string(r.State)], *r.Handshake.RTTms)
		}
	}
	if len(got) != len(count) {
		t.Errorf("docs/batch.md's query: %d states, the JSON Lines %d", len(got), len(count))
	}
	for _, row := range got {
		state := fmt.Sprint(row["state"])
		n, _ := strconv.Atoi(fmt.Sprint(row["count_star()"]))
		if n != count[state] {
			t.Errorf("docs/batch.md's query: %s %d connections, the JSON Lines %d", state, n, count[state])
		}
		m, has := row["median(handshake.rtt_ms)"].(float64)
		switch want := rtts[state]; {
		case len(want) == 0 && has:
			t.Errorf("docs/batch.md's query: %s median %v, no RTT in the JSON Lines", state, m)
		case len(want) > 0 && (!has || math.Abs(m-median(want)) > 1e-9):
			t.Errorf("docs/batch.md's query: %s median %v, the JSON Lines %v", state, row["median(handshake.rtt_ms)"], median(want))
		}
	}

	// Types and nulls as a reader expects them.
	types := duckdb(t, "SELECT typeof(first_ts) AS ts, typeof(handshake.syn_options.mss) AS mss, typeof(stats.client.rtt_min_ms) AS rtt FROM read_parquet('"+all+"') LIMIT 1")
	// Times are UTC instants (Parquet's isAdjustedToUTC), which DuckDB
	// reads as TIMESTAMP WITH TIME ZONE.
	if fmt.Sprint(types[0]["ts"]) != "TIMESTAMP WITH TIME ZONE" || fmt.Sprint(types[0]["mss"]) != "BIGINT" || fmt.Sprint(types[0]["rtt"]) != "DOUBLE" {
		t.Errorf("types %v: want TIMESTAMP WITH TIME ZONE, BIGINT, DOUBLE", types[0])
	}
	var mssSum, mssN, noRTT, icmp int
	for _, r := range recs {
		if o := r.Handshake.SynOptions; o != nil && o.MSS != nil {
			mssSum += *o.MSS
			mssN++
		}
		if r.Handshake.RTTms == nil {
			noRTT++
		}
		if r.ICMP != nil {
			icmp++
		}
	}
	row := duckdb(t, "SELECT count(*) AS n, count(handshake.syn_options.mss) AS mss_n, sum(handshake.syn_options.mss) AS mss_sum, "+
		"count(*) FILTER (WHERE handshake.rtt_ms IS NULL) AS no_rtt, count(icmp) AS icmp FROM read_parquet('"+all+"')")[0]
	for k, want := range map[string]int{"n": len(recs), "mss_n": mssN, "mss_sum": mssSum, "no_rtt": noRTT, "icmp": icmp} {
		if got := fmt.Sprint(row[k]); got != strconv.Itoa(want) {
			t.Errorf("%s: DuckDB %s, the JSON Lines %d", k, got, want)
		}
	}
	// The first timestamp, as DuckDB reads it, is the JSON's.
	first := duckdb(t, "SELECT strftime(min(first_ts), '%Y-%m-%dT%H:%M:%S.%n') AS ts FROM read_parquet('"+all+"')")[0]["ts"]
	var want analyze.Time = math.MaxInt64
	for _, r := range recs {
		want = min(want, r.FirstTS)
	}
	if fmt.Sprint(first)+"Z" != want.String() {
		t.Errorf("min(first_ts): DuckDB %v, the JSON Lines %s", first, want)
	}

	// The shards' files, read together, hold the single file's records.
	q := "SELECT count(*) AS n, sum(hash(file, conn)) AS h FROM read_parquet('%s')"
	one, shards := duckdb(t, fmt.Sprintf(q, all))[0], duckdb(t, fmt.Sprintf(q, filepath.Join(dir, "conns-*.parquet")))[0]
	if fmt.Sprint(one) != fmt.Sprint(shards) {
		t.Errorf("shards %v, one file %v", shards, one)
	}
	t.Logf("%d records; docs/batch.md's query, types, nulls and the shards agree with the JSON Lines", len(recs))
}
