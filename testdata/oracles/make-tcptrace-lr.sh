#!/bin/sh
# tcptrace -lr -n (6.6.7) over the lab captures, the upload capture and the
# shared corpus, each on a pcap copy (editcap -F pcap, as the corpus's own
# tcptrace oracles), keeping the connection headers and the lines the
# record's stats.client/stats.server are compared with:
#   sh testdata/oracles/make-tcptrace-lr.sh ../shared/corpus | gzip -9 > testdata/oracles/tcptrace-lr.txt.gz
set -u
corpus=${1:-../shared/corpus}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in testdata/lab/*.pcap testdata/upload/*.pcap "$corpus"/captures/*; do
	name=$(basename "$f")
	case "$f" in
	*.gz) gzip -dc "$f" > "$tmp/in" 2>/dev/null || continue ;;
	*) cp "$f" "$tmp/in" ;;
	esac
	editcap -F pcap "$tmp/in" "$tmp/copy.pcap" >/dev/null 2>&1 || continue
	echo "=== $name"
	tcptrace -lr -n "$tmp/copy.pcap" 2>/dev/null | grep -E '^TCP connection|^[[:space:]]+host [a-z]+:|packets seen|RTT samples|RTT min|RTT max|RTT avg|RTT stdev|RTT from 3WHS|initial window|idletime max|win adv|throughput'
done
