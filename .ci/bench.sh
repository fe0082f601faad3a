#!/usr/bin/env bash
# bench.sh SYNFIN CAPTURE [N]: times synfin on CAPTURE and, where installed,
# tshark -q -z conv,tcp, tcptrace -n -l and argus -r, paired and
# alternated (one warm-up each, then N pairs), and prints the median wall
# time, CPU, peak RSS, packets per second and the median pair-by-pair ratio
# (the protocol of shared/tools/perfcap/pairbench.sh). Then how synfin
# scales: one core against every core (--workers, one a core), beside the
# bound this machine sets, two one-core runs at once against one alone.
# Quote the ratios: the absolute seconds move with the host.
set -u
synfin=$1; cap=$2; n=${3:-3}
pkts=$("$synfin" summary -f json "$cap" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(int(s["packets"]["mean"]*s["packets"]["n"]+0.5))')
cores=$(nproc)
t=$(mktemp -d); trap 'rm -rf $t' EXIT
run() { /usr/bin/time -f "%e %U %S %M" -o "$t/one" sh -c "$1" >/dev/null 2>&1; cat "$t/one"; }
# pair NAME_A CMD_A NAME_B CMD_B [RUNS_IN_B]: B's wall over A's, pair by pair.
pair() {
	local an=$1 a=$2 bn=$3 b=$4 k=${5:-1}
	run "$a" >/dev/null; run "$b" >/dev/null
	for i in $(seq "$n"); do echo "A $(run "$a")"; echo "B $(run "$b")"; done > "$t/all"
	python3 - "$t/all" "$an" "$bn" "$pkts" "$k" <<'PY'
import sys, statistics as st
rows=[l.split() for l in open(sys.argv[1])]; an,bn=sys.argv[2],sys.argv[3]; pk=int(sys.argv[4]); k=int(sys.argv[5])
a=[list(map(float,r[1:])) for r in rows if r[0]=='A']; b=[list(map(float,r[1:])) for r in rows if r[0]=='B']
for who,x,m in ((an,a,1),(bn,b,k)):
    w=st.median(r[0] for r in x)
    print(f"  {who:22s} wall {w:7.3f}s  cpu {st.median(r[1]+r[2] for r in x):7.3f}s  peak {st.median(r[3] for r in x)/1024:6.0f} MiB  {m*pk/w/1e6:5.2f} Mpkt/s")
print(f"  {bn} / {an} wall: {st.median(q[0]/p[0] for p,q in zip(a,b)):.2f}x")
PY
}
echo "capture: $cap ($pkts TCP packets), $cores cores"
for f in jsonl csv; do
	s="$synfin -f $f $cap"
	command -v tshark >/dev/null && { echo "tshark -q -z conv,tcp, synfin -f $f:"; pair "synfin -f $f" "$s" tshark "tshark -r $cap -q -z conv,tcp"; }
	command -v tcptrace >/dev/null && { echo "tcptrace -n -l, synfin -f $f:"; pair "synfin -f $f" "$s" tcptrace "tcptrace -n -l $cap"; }
	command -v argus >/dev/null && { echo "argus -r -w /dev/null, synfin -f $f:"; pair "synfin -f $f" "$s" argus "argus -r $cap -w /dev/null"; }
done
one="GOMAXPROCS=1 $synfin -f csv $cap"
echo "scaling, -f csv: one core against $cores workers on $cores cores (the ratio is one core's wall over theirs, inverted below):"
pair "GOMAXPROCS=1" "$one" "--workers $cores" "$synfin --workers $cores -f csv $cap"
echo "the machine's bound: $cores one-core runs at once against one alone (Mpkt/s counts all of them):"
all=$(for i in $(seq "$cores"); do printf '%s >/dev/null & ' "$one"; done)
pair "GOMAXPROCS=1" "$one" "$cores at once" "$all wait" "$cores"
echo "(a ratio r above: $cores at once give $cores/r times one run's packets a second; --workers gives 1/r)"
