#!/bin/sh
# Times whole tradehost runs (start, CSV ingest, SMA strategy, report) and
# prints the median wall time in milliseconds of RUNS runs for GOOG.csv
# (skipped when ../shared/data is absent) and for a million gen_bars bars.
# Run from the build directory; every path below can be overridden.
TRADEHOST=${TRADEHOST:-./tradehost}
PLUGIN=${PLUGIN:-strategies/sma.so}
GEN_BARS=${GEN_BARS:-bench/gen_bars}
SHARED=${TH_SHARED:-../shared}
RUNS=${RUNS:-10}
BARS=${BARS:-1000000}

for f in "$TRADEHOST" "$PLUGIN" "$GEN_BARS"; do
	if [ ! -e "$f" ]; then
		echo "bench_process: $f not found (run make bench)" >&2
		exit 1
	fi
done

big=$(mktemp "${TMPDIR:-/tmp}/bench_process-XXXXXX") || exit 1
trap 'rm -f "$big" "$big.json"' EXIT INT TERM

# Prints the median of the numbers on stdin.
median() {
	sort -n | awk '{ v[NR] = $1 }
	    END { if (NR % 2) print v[(NR + 1) / 2];
	          else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# time_runs LABEL DATA: RUNS timed runs, median in ms.
time_runs() {
	label=$1
	data=$2
	if ! "$TRADEHOST" --plugin "$PLUGIN" --data "$data" >/dev/null; then
		echo "bench_process: $label: tradehost failed" >&2
		return 1
	fi
	if command -v hyperfine >/dev/null 2>&1; then
		hyperfine -N --style none --warmup 1 --runs "$RUNS" \
		    --export-json "$big.json" \
		    "$TRADEHOST --plugin $PLUGIN --data $data" >/dev/null || return 1
		ms=$(sed -n 's/.*"median": *\([0-9.eE+-]*\).*/\1/p' "$big.json" |
		    head -n 1 | awk '{ printf "%.1f", $1 * 1000 }')
	else
		ms=$(i=0; while [ "$i" -lt "$RUNS" ]; do
			t0=$(date +%s%N)
			"$TRADEHOST" --plugin "$PLUGIN" --data "$data" >/dev/null 2>&1
			t1=$(date +%s%N)
			echo $(( (t1 - t0) / 1000 ))
			i=$((i + 1))
		done | median | awk '{ printf "%.1f", $1 / 1000 }')
	fi
	printf '%-28s median %8s ms (%s runs)\n' "$label" "$ms" "$RUNS"
}

status=0
if [ -r "$SHARED/data/GOOG.csv" ]; then
	time_runs "GOOG.csv (2148 bars)" "$SHARED/data/GOOG.csv" || status=1
else
	echo "GOOG.csv: skipped ($SHARED/data/GOOG.csv absent)"
fi
"$GEN_BARS" "$BARS" >"$big" || exit 1
time_runs "gen_bars $BARS bars" "$big" || status=1
exit $status
