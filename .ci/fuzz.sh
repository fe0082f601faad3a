#!/usr/bin/env bash
# fuzz.sh PKG TARGET FUZZTIME: fuzz one target. Go's fuzzing coordinator
# sometimes ends a -fuzztime run with a bare "context deadline exceeded" and
# a failure, though it found nothing (golang/go#75804, a race at the
# deadline on a loaded machine). Such a run, with no failing input written
# and no panic, is tried once more; any other failure fails.
set -u
pkg=$1; target=$2; time=$3
for try in 1 2; do
	out=$(go test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "$time" 2>&1); rc=$?
	printf '%s\n' "$out" | tail -3
	[ $rc = 0 ] && exit 0
	if printf '%s\n' "$out" | grep -q 'context deadline exceeded' &&
		! printf '%s\n' "$out" | grep -qE 'Failing input written|panic:|_test\.go:[0-9]+:'; then
		echo "fuzz.sh: $target: the coordinator's deadline race (nothing found); trying again ($try)"
		continue
	fi
	printf '%s\n' "$out"
	exit 1
done
exit 1
