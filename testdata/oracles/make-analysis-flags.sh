#!/usr/bin/env bash
# make-analysis-flags.sh CORPUS_CAPTURES OUT.tsv.gz: tshark's per-packet TCP
# analysis flags for every capture of the shared corpus, for the agreement
# test of issue 7 (TestCorpusAnalysisFlags). Two-pass (-2), like the
# corpus's other tshark oracles; only frames with a flag are listed, and
# frames whose TCP header is quoted inside ICMP are left out. A capture
# tshark cannot read is listed with frame 0 and its error, so the test
# knows to skip it.
set -u
dir=$1; out=$2
fields=(retransmission fast_retransmission spurious_retransmission out_of_order lost_segment duplicate_ack zero_window keep_alive window_full)
args=(-2 -n -Y 'tcp.analysis.flags && !icmp && !icmpv6' -T fields -E separator=/t -e frame.number)
for f in "${fields[@]}"; do args+=(-e "tcp.analysis.$f"); done
{
	printf '# tshark %s: %s\n' "$(tshark --version 2>/dev/null | head -1 | awk '{print $3}')" "file, frame, flags set"
	for cap in "$dir"/*; do
		name=$(basename "$cap")
		if ! rows=$(tshark -r "$cap" "${args[@]}" 2>/tmp/tshark.err); then
			printf '%s\t0\terror: %s\n' "$name" "$(head -c 200 /tmp/tshark.err | tr '\n\t' '  ')"
			continue
		fi
		printf '%s\t-\tread\n' "$name"
		awk -F'\t' -v name="$name" -v names="${fields[*]}" 'BEGIN { n = split(names, f, " ") }
			$1 !~ /,/ { s = ""; for (i = 1; i <= n; i++) if ($(i+1) != "") s = s (s == "" ? "" : ",") f[i]; if (s != "") print name "\t" $1 "\t" s }' <<< "$rows"
	done
} | gzip -9 > "$out"
