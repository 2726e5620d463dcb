#!/bin/sh
# The live path at full speed.  A recorded Binance kline stream (N
# messages, three per one-minute bar, recorded once from tests/replayd
# --synthetic by tests/wsclient) is replayed over WebSocket on 127.0.0.1
# by bench/wsblast, which writes it pre-framed as fast as the loopback
# takes it, and a paper session of sma.so takes it through the whole live
# path (lws client thread, binance connector, bar queue, engine thread,
# risk gate).  tradehost prints the messages per second it received
# (first to last message) and the latency from a bar's receipt to the
# strategy's order reaching the risk gate (p50, p99, max); the script
# prints each run's lines and then the medians over the runs.
#
# Usage: bench/bench_live.sh [MESSAGES] [RUNS]	(600000, 3)
# Environment:
#   TH_BENCH_SOURCE=replayd   stream from tests/replayd itself (an lws
#                             server, one frame per writeable callback:
#                             it tops out near 80-90 k messages/s here)
#   TH_BENCH_PIN=1            give the engine thread CPU 1 to itself:
#                             the server and tradehost's other threads
#                             run on CPU 0 (taskset), as a deployment
#                             would isolate the strategy's core
#   TH_BENCH_PREFIX="chrt -f 1"  run tradehost under this command, e.g. a
#                             real-time policy (root), to see the latency
#                             without the fair scheduler's slices
#   TH_TRADEHOST, TH_REPLAYD, TH_WSCLIENT, TH_WSBLAST,
#   TH_BENCH_CONNECTOR        the programs
# With the recorded stream, bench/bench_connector first times the binance
# connector's parse alone (ns per message, no socket and no threads).
# Server and client share this machine's cores: on 2 cores the server's
# writes, the lws thread and the engine thread compete, and the p99 is
# mostly the scheduler's (see README.md, Performance).
set -eu
n=${1:-600000}
runs=${2:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
th=${TH_TRADEHOST:-./tradehost}
replayd=${TH_REPLAYD:-./tests/replayd}
wsclient=${TH_WSCLIENT:-./tests/wsclient}
wsblast=${TH_WSBLAST:-./bench/wsblast}
connector=${TH_BENCH_CONNECTOR:-./bench/bench_connector}
source=${TH_BENCH_SOURCE:-wsblast}
prefix=${TH_BENCH_PREFIX:-}
pin=${TH_BENCH_PIN:-}
cpu0=
[ -n "$pin" ] && cpu0="taskset -c 0"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# wait_port FILE: the port a server wrote to FILE.
wait_port() {
	while [ ! -s "$1" ]; do sleep 0.05; done
	cat "$1"
}

replayd_start() {
	"$replayd" --provider binance --synthetic "$n" --idle-exit 5 \
	    --port-file "$1" 2>/dev/null &
}

if [ "$source" = wsblast ]; then
	replayd_start "$tmp/rport"
	port=$(wait_port "$tmp/rport")
	"$wsclient" --count "$n" --timeout-ms 600000 \
	    "ws://127.0.0.1:$port/ws/btcusdt@kline_1m" >"$tmp/stream.jsonl"
	wait
	echo "recorded $(wc -l <"$tmp/stream.jsonl") message(s)," \
	    "$(wc -c <"$tmp/stream.jsonl") byte(s); source: bench/wsblast"
	if [ -x "$connector" ]; then
		"$connector" "$tmp/stream.jsonl" "$top/plugins/binance.so"
	fi
else
	echo "source: tests/replayd --synthetic $n"
fi
[ -n "$pin" ] && echo "pinned: engine thread on CPU 1, the rest on CPU 0"

for r in $(seq 1 "$runs"); do
	if [ "$source" = wsblast ]; then
		$cpu0 "$wsblast" --port-file "$tmp/port$r" \
		    "$tmp/stream.jsonl" 2>"$tmp/blast$r" &
	else
		replayd_start "$tmp/port$r"
	fi
	port=$(wait_port "$tmp/port$r")
	# shellcheck disable=SC2086
	$cpu0 $prefix "$th" --plugin "$top/strategies/sma.so" \
	    --cash 100000000 --summary 0 --feed binance \
	    --stream-url "ws://127.0.0.1:$port" \
	    --rest-url "http://127.0.0.1:$port" --symbols BTCUSDT \
	    --history 0 --no-journal --duration 0.25 2>"$tmp/err$r" \
	    >/dev/null &
	th_pid=$!
	if [ -n "$pin" ]; then
		# Once the connection is up (the lws and HTTP threads exist;
		# wsblast waits 200 ms before the stream), the main thread,
		# the engine, moves to CPU 1 and every other thread to CPU 0.
		while ! grep -q 'connected' "$tmp/blast$r" 2>/dev/null; do
			sleep 0.01
		done
		for task in /proc/"$th_pid"/task/*; do
			taskset -p -c 0 "${task##*/}" >/dev/null
		done
		taskset -p -c 1 "$th_pid" >/dev/null
	fi
	wait
	grep '^--' "$tmp/err$r" | sed "s/^/run $r: /" | tee -a "$tmp/lines"
done

# The median of field F of the lines matching RE.
median() {
	grep -e "$1" "$tmp/lines" | awk -v f="$2" '{ print $f }' | sort -n |
	    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	        else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo "median of $runs: $(median 'messages/s' 10) messages/s;" \
    "bar receipt to order p50 $(median 'decision' 11) us" \
    "p99 $(median 'decision' 14) us  max $(median 'decision' 17) us"
