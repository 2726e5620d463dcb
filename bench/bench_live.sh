#!/bin/sh
# The live path at full speed: tests/replayd streams N synthetic Binance
# kline messages (three per one-minute bar) over WebSocket on 127.0.0.1
# as fast as it can, and a paper session of sma.so takes them through the
# whole live path (lws thread, connector, bar queue, engine, risk gate).
# tradehost prints the messages per second it received and the latency
# from a bar's receipt to the strategy's order reaching the risk gate
# (p50, p99, max).  Usage: bench/bench_live.sh [MESSAGES] [RUNS]
set -eu
n=${1:-600000}
runs=${2:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
th=${TH_TRADEHOST:-./tradehost}
replayd=${TH_REPLAYD:-./tests/replayd}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for r in $(seq 1 "$runs"); do
	"$replayd" --provider binance --synthetic "$n" --idle-exit 5 \
	    --port-file "$tmp/port$r" 2>/dev/null &
	while [ ! -s "$tmp/port$r" ]; do sleep 0.05; done
	port=$(cat "$tmp/port$r")
	"$th" --plugin "$top/strategies/sma.so" --cash 100000000 --summary 0 \
	    --feed binance --stream-url "ws://127.0.0.1:$port" \
	    --rest-url "http://127.0.0.1:$port" --symbols BTCUSDT \
	    --history 0 --no-journal --duration 1 2>&1 >/dev/null |
	    grep '^--' | sed "s/^/run $r: /"
	wait
done
