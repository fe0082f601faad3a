#!/usr/bin/env bash
# bench.sh SYNFIN CAPTURE [N]: times synfin on CAPTURE and, where installed,
# tshark -q -z conv,tcp, tcptrace -n -l and argus -r, paired and
# alternated (one warm-up each, then N pairs), and prints the median wall
# time, CPU, peak RSS, packets per second and the median pair-by-pair ratio
# (the protocol of shared/tools/perfcap/pairbench.sh). Quote the ratios:
# the absolute seconds move with the host.
set -u
synfin=$1; cap=$2; n=${3:-3}
pkts=$("$synfin" summary -f json "$cap" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(int(s["packets"]["mean"]*s["packets"]["n"]+0.5))')
t=$(mktemp -d); trap 'rm -rf $t' EXIT
run() { /usr/bin/time -f "%e %U %S %M" -o "$t/one" sh -c "$1" >/dev/null 2>&1; cat "$t/one"; }
pair() {
	local name=$1 other=$2
	run "$synfin -f jsonl $cap" >/dev/null; run "$other" >/dev/null
	for i in $(seq "$n"); do echo "A $(run "$synfin -f jsonl $cap")"; echo "B $(run "$other")"; done > "$t/all"
	python3 - "$t/all" "$name" "$pkts" <<'PY'
import sys, statistics as st
rows=[l.split() for l in open(sys.argv[1])]; name=sys.argv[2]; pk=int(sys.argv[3])
a=[list(map(float,r[1:])) for r in rows if r[0]=='A']; b=[list(map(float,r[1:])) for r in rows if r[0]=='B']
for who,x in (('synfin',a),(name,b)):
    w=st.median(r[0] for r in x)
    print(f"  {who:10s} wall {w:7.3f}s  cpu {st.median(r[1]+r[2] for r in x):7.3f}s  peak {st.median(r[3] for r in x)/1024:6.0f} MiB  {pk/w/1e6:5.2f} Mpkt/s")
print(f"  {name} / synfin wall: {st.median(q[0]/p[0] for p,q in zip(a,b)):.1f}x")
PY
}
echo "capture: $cap ($pkts TCP packets)"
command -v tshark >/dev/null && { echo "tshark -q -z conv,tcp:"; pair tshark "tshark -r $cap -q -z conv,tcp"; }
command -v tcptrace >/dev/null && { echo "tcptrace -n -l:"; pair tcptrace "tcptrace -n -l $cap"; }
command -v argus >/dev/null && { echo "argus -r:"; pair argus "argus -r $cap -w /dev/null"; }
echo "synfin with GOMAXPROCS=1:"; pair 1core "GOMAXPROCS=1 $synfin -f jsonl $cap"
