#!/bin/sh
# Live paper sessions end to end against the loopback replay server
# (tests/replayd), which speaks each provider's wire format on 127.0.0.1:
# the bars a session processes are the provider's closed bars, once each,
# in order, also across a dropped connection (backfilled from the REST
# history), a malformed message and HTTP 429s; trades are aggregated into
# bars; and every journal replays through the backtester to the same
# orders, row for row.
set -u

. "$(dirname "$0")/shlib.sh"
fixtures=${TH_LIVE_FIXTURES:-tests/fixtures/live}

# live ARGS...: a paper session of sma.so(3, 8) for 2.4 seconds.
live() {
	run --plugin "$sma" --param fast=3 --param slow=8 --cash 10000000 \
	    --summary 0 --duration 0.04 -v "$@"
}

# same_bars EXPECTED JOURNAL_CSV [SKIP_LAST]: the same times in the same
# order and the same OHLCV values (numerically: the journal writes %.17g).
same_bars() {
	awk -F, -v skip="${3:-0}" '
	    NR == FNR { if (FNR > 1) { t[++n] = $1; v[n] = $2 " " $3 " " \
	        $4 " " $5 " " $6 } next }
	    FNR > 1 { m++; if (t[m] != $1) { print "bar " m ": time " $1 \
	        ", expected " t[m]; bad = 1; exit }
	        split(v[m], e, " ")
	        for (k = 2; k <= 6; k++) if ($k - e[k - 1] > 1e-9 ||
	            e[k - 1] - $k > 1e-9) { print "bar " m ": column " k \
	            " is " $k ", expected " e[k - 1]; bad = 1; exit } }
	    END { if (!bad && m != n - skip) { print m " bars, expected " \
	        n - skip; bad = 1 } exit bad }' "$1" "$2" >"$tmp/diff"
}

# 1. Binance klines: the closed ones are the bars, and the journal replays.
#    (The clock starts at the fixture's day: its bars are not stale data.)
serve binance --provider binance \
    --fixture "$fixtures/binance_btcusdt_1m.jsonl"
live --feed binance --stream-url "ws://127.0.0.1:$PORT" \
    --rest-url "http://127.0.0.1:$PORT" --symbols BTCUSDT \
    --clock "2026-11-02 00:00:00" --journal "$tmp/j1"
if [ "$(cat "$tmp/rc")" = 0 ] && same_bars \
    "$fixtures/binance_btcusdt_1m_expected_BTCUSDT.csv" \
    "$tmp/j1/bars/BTCUSDT.csv" &&
    grep -q '^-- 360 stream message(s)' "$tmp/err" &&
    grep -q ',order,BTCUSDT,' "$tmp/j1/orders.csv"; then
	ok "binance: 120 closed klines are the 120 bars, orders placed"
else
	bad "binance: 120 closed klines are the 120 bars ($(cat "$tmp/diff"))"
fi
run --replay "$tmp/j1" --cash 10000000
if [ "$(cat "$tmp/rc")" = 0 ] && grep -q 'identical to the live session' \
    "$tmp/err"; then
	ok "replay of the binance journal: the same orders"
else
	bad "replay of the binance journal: the same orders"
fi
sed '3s/,order,/,order,/; 3s/buy/sell/' "$tmp/j1/orders.csv" \
    >"$tmp/orders" && cp "$tmp/orders" "$tmp/j1/orders.csv"
run --replay "$tmp/j1" --cash 10000000
if [ "$(cat "$tmp/rc")" = 1 ] && grep -q 'replay differs from the live session: row 2' \
    "$tmp/err"; then
	ok "a tampered journal is caught at its first differing row"
else
	bad "a tampered journal is caught at its first differing row"
fi

# 2. A malformed message is logged and skipped; nothing else changes.
serve malformed --provider binance --malformed-at 10 \
    --fixture "$fixtures/binance_btcusdt_1m.jsonl"
live --feed binance --stream-url "ws://127.0.0.1:$PORT" --symbols BTCUSDT \
    --history 0 --journal "$tmp/j2"
if [ "$(cat "$tmp/rc")" = 0 ] && grep -q 'malformed message skipped' \
    "$tmp/err" && same_bars \
    "$fixtures/binance_btcusdt_1m_expected_BTCUSDT.csv" \
    "$tmp/j2/bars/BTCUSDT.csv"; then
	ok "malformed message: logged, skipped, every bar still there"
else
	bad "malformed message: logged, skipped ($(cat "$tmp/diff"))"
fi

# 3. A dropped connection: reconnect, the stream goes on, no duplicate.
serve drop --provider binance --drop-after 100 \
    --fixture "$fixtures/binance_btcusdt_1m.jsonl"
live --feed binance --stream-url "ws://127.0.0.1:$PORT" --symbols BTCUSDT \
    --rest-url "http://127.0.0.1:$PORT" --history 0 --journal "$tmp/j3"
if [ "$(cat "$tmp/rc")" = 0 ] && grep -q 'stream disconnected' "$tmp/err" &&
    same_bars "$fixtures/binance_btcusdt_1m_expected_BTCUSDT.csv" \
    "$tmp/j3/bars/BTCUSDT.csv"; then
	ok "disconnect mid-stream: reconnected, every bar once"
else
	bad "disconnect mid-stream: reconnected ($(cat "$tmp/diff"))"
fi

# 4. Alpaca: the stream loses 40 messages across a drop; the gap is
#    backfilled from the REST bars before the stream goes on.
awk -F, 'NR == 1 { print "time,Open,High,Low,Close,Volume"; next }
    { sub(" ", "T", $1); print $1 "Z," $2 "," $3 "," $4 "," $5 "," $6 }' \
    "$fixtures/alpaca_bars_stream_expected_AAPL.csv" >"$tmp/aapl.csv"
serve bars --provider alpaca-bars --fixture "AAPL=$tmp/aapl.csv"
rest=$PORT
serve alpaca --provider alpaca-data --drop-after 60 --lose 40 \
    --fixture "$fixtures/alpaca_bars_stream.jsonl"
live --feed alpaca_data --stream-url "ws://127.0.0.1:$PORT" \
    --rest-url "http://127.0.0.1:$rest" --symbols AAPL \
    --feed-setting key_id=K --feed-setting secret_key=S \
    --clock "2026-11-02 14:30:00" --journal "$tmp/j4"
if [ "$(cat "$tmp/rc")" = 0 ] && grep -q 'backfilling AAPL' "$tmp/err" &&
    same_bars "$fixtures/alpaca_bars_stream_expected_AAPL.csv" \
    "$tmp/j4/bars/AAPL.csv"; then
	ok "alpaca: a gap after a reconnect is backfilled, no duplicate"
else
	bad "alpaca: gap backfilled ($(cat "$tmp/diff"))"
fi

# 5. Finnhub trades become one-minute bars (the last minute is still
#    forming when the stream ends); two symbols share one timeline.  (Both
#    subscribe at once: the fixture streams faster than --stagger.)
serve finnhub --provider finnhub --token T \
    --fixture "$fixtures/finnhub_aapl.jsonl"
live --feed finnhub --stream-url "ws://127.0.0.1:$PORT" --symbols AAPL,MSFT \
    --feed-setting token=T --clock "2026-11-02 14:30:00" --stagger 0 \
    --journal "$tmp/j5"
if [ "$(cat "$tmp/rc")" = 0 ] && same_bars \
    "$fixtures/finnhub_aapl_expected_AAPL.csv" "$tmp/j5/bars/AAPL.csv" 1 &&
    same_bars "$fixtures/finnhub_aapl_expected_MSFT.csv" \
    "$tmp/j5/bars/MSFT.csv" 1 && ! grep -q 'T' "$tmp/j5/journal.meta" -e token; then
	ok "finnhub: trades aggregated into the expected minute bars"
else
	bad "finnhub: trades aggregated ($(cat "$tmp/diff"))"
fi
run --replay "$tmp/j5" --cash 10000000
if [ "$(cat "$tmp/rc")" = 0 ]; then
	ok "replay of the two-symbol finnhub journal: the same orders"
else
	bad "replay of the two-symbol finnhub journal: the same orders"
fi

# 6. Yahoo polling: history, then one new bar per poll, through 429s.
#    (Yahoo sleeps outside New York's market hours by default, and the
#    yahoo cases' clock, 16:00 there, is after the close: off for them.)
serve yahoo --provider yahoo --fixture "$fixtures/bars_aapl_1m.csv" \
    --reveal 60 --http-status 429:2
live --feed yahoo --market-hours off --rest-url "http://127.0.0.1:$PORT" \
    --symbols AAPL --clock "2026-11-02 21:00:00" --history 400 --poll 0.05 \
    --duration 0.08 --journal "$tmp/j6"
n=$(($(wc -l <"$tmp/j6/bars/AAPL.csv") - 1))
hist=$(awk '/^symbol AAPL/ { print $3 }' "$tmp/j6/journal.meta")
if [ "$(cat "$tmp/rc")" = 0 ] && grep -q 'status 429, retry' "$tmp/err" &&
    [ "$hist" = 60 ] && [ "$n" -gt 61 ]; then
	ok "yahoo: 60 history bars, then new bars by polling, past two 429s"
else
	bad "yahoo: history $hist, bars $n"
	head -3 "$tmp/j6/bars/AAPL.csv"
fi

# 7. --once: the first live bar, then a graceful stop with statistics.
serve once --provider yahoo --fixture "$fixtures/bars_aapl_1m.csv" \
    --reveal 50
run --plugin "$sma" --feed yahoo --market-hours off \
    --rest-url "http://127.0.0.1:$PORT" --symbols AAPL \
    --clock "2026-11-02 21:00:00" --history 400 --poll 0.05 --once \
    --journal "$tmp/j7"
n=$(($(wc -l <"$tmp/j7/bars/AAPL.csv") - 1))
if [ "$(cat "$tmp/rc")" = 0 ] && [ "$n" = 51 ] &&
    grep -q '^Return \[%\]' "$tmp/out"; then
	ok "--once: one live bar after the history, then statistics"
else
	bad "--once: $n bars ($(tail -1 "$tmp/j7/journal.meta"))"
fi

# 8. Bad input is refused clearly.
run --plugin "$sma" --feed binance --symbols BTCUSDT --granularity 7m
if [ "$(cat "$tmp/rc")" = 1 ] && grep -q "granularity: '7m' is not one of" \
    "$tmp/err"; then
	ok "an unknown granularity is refused"
else
	bad "an unknown granularity is refused"
fi
run --plugin "$sma" --feed "$sma" --symbols X
if [ "$(cat "$tmp/rc")" = 1 ] && grep -q 'not a connector' "$tmp/err"; then
	ok "a strategy given as a feed is refused"
else
	bad "a strategy given as a feed is refused"
fi
for bad in "--poll -1:--poll: must be >= 0, got '-1'" \
    "--history x:--history: not a whole number >= 0: 'x'" \
    "--feed-setting token:--feed-setting: expected NAME=VALUE, got 'token'" \
    "--clock noon:--clock: not a time: 'noon'"; do
	refused "$bad" --plugin "$sma" --feed binance --symbols BTCUSDT \
	    --no-journal
done
run --plugin "$sma" --feed binance --symbols BTCUSDT --no-journal \
    --replay "$tmp/nothing"
if [ "$(cat "$tmp/rc")" = 2 ] && grep -q 'nothing/journal.meta: No such file' \
    "$tmp/err"; then
	ok "--replay of a directory that is no journal is refused"
else
	bad "--replay of a directory that is no journal is refused"
fi
run --plugin "$sma" --list-granularities --feed finnhub
if [ "$(cat "$tmp/rc")" = 0 ] && grep -q 'finnhub (native): none' \
    "$tmp/out"; then
	ok "--list-granularities names the feed's own"
else
	bad "--list-granularities names the feed's own"
fi

# 9. Storm: 1000 SIGHUPs while a stream runs at 10000 messages/s; every
#    hot reload happens between bars: no bar lost or processed twice (N
#    distinct, increasing minutes from 00:00 to the Nth one are every
#    minute once).
#    Under valgrind, 1000 bars at 1000 messages/s: the same storm, slower.
if [ -n "${VALGRIND:-}" ]; then
	bars=1000 last="2026-11-02 16:39:00" rate=1000 minutes=0.3
else
	bars=10000 last="2026-11-08 22:39:00" rate=10000 minutes=0.12
fi
serve storm --provider binance --synthetic $((3 * bars)) --rate "$rate"
TMPDIR=$tmp run --plugin "$sma" --param fast=3 --param slow=8 \
    --cash 10000000 --summary 0 --duration "$minutes" -v --feed binance \
    --stream-url "ws://127.0.0.1:$PORT" --rest-url "http://127.0.0.1:$PORT" \
    --symbols BTCUSDT --history 0 --journal "$tmp/j9" &
runner=$!
# The handlers are in place once the journal exists (valgrind starts slowly).
await "$tmp/j9/orders.csv"
pid=$(pgrep -n -f "journal $tmp/j9")
i=0
# Spread over the stream, so that many of them land between bars.
while [ $i -lt 1000 ] && [ -n "$pid" ] && kill -HUP "$pid" 2>/dev/null; do
	i=$((i + 1))
	sleep 0.002
done
wait "$runner"
reloads=$(grep -c 'reload: gen' "$tmp/err")
if [ "$(cat "$tmp/rc")" = 0 ] && [ "$i" = 1000 ] && [ "$reloads" -ge 1 ] &&
    awk -F, -v bars="$bars" -v want="$last" '
        NR == 2 && $1 != "2026-11-02 00:00:00" { exit 1 }
        NR > 2 && !($1 > last) { exit 1 }
        NR > 1 { last = $1; n++ }
        END { exit !(n == bars && last == want) }' \
    "$tmp/j9/bars/BTCUSDT.csv"
then
	ok "storm: 1000 SIGHUPs, $reloads reloads, $bars bars once each"
else
	bad "storm: $i SIGHUPs sent, $reloads reloads, $(($(wc -l \
	    <"$tmp/j9/bars/BTCUSDT.csv") - 1)) bars"
fi

# 10. A reload that would change the live section is refused; the session
#     goes on with every bar.
serve cfg --provider binance --rate 100 \
    --fixture "$fixtures/binance_btcusdt_1m.jsonl"
printf 'live = { feed = "binance"; stream_url = "ws://127.0.0.1:%s"; rest_url = "http://127.0.0.1:%s"; history = 0; };\n' \
    "$PORT" "$PORT" >"$tmp/live.cfg"
TMPDIR=$tmp run --config "$tmp/live.cfg" --plugin "$sma" --cash 10000000 \
    --summary 0 --duration 0.07 --symbols BTCUSDT --journal "$tmp/j10" &
runner=$!
await "$tmp/j10/orders.csv"
sleep 0.5
sed 's/history = 0;/history = 5;/' "$tmp/live.cfg" >"$tmp/live2.cfg" &&
    mv "$tmp/live2.cfg" "$tmp/live.cfg"
pid=$(pgrep -n -f "journal $tmp/j10")
[ -n "$pid" ] && kill -HUP "$pid"
wait "$runner"
if [ "$(cat "$tmp/rc")" = 0 ] &&
    grep -q 'reload: refused: live changed' "$tmp/err" && same_bars \
    "$fixtures/binance_btcusdt_1m_expected_BTCUSDT.csv" \
    "$tmp/j10/bars/BTCUSDT.csv"; then
	ok "a reload changing the live section is refused, every bar kept"
else
	bad "a reload changing the live section is refused ($(cat "$tmp/diff"))"
fi

# 11. Stale data reaches the risk gate: the feed clock is hours past the
#     bars the yahoo poll returns, so each step's data is stale, entries
#     are refused (logged, audited, journaled) and the replay refuses the
#     same; with risk.refuse_on_stale = false the same session trades.
serve stale --provider yahoo --fixture "$fixtures/bars_aapl_1m.csv" \
    --reveal 60
live --feed yahoo --market-hours off --rest-url "http://127.0.0.1:$PORT" \
    --symbols AAPL --clock "2026-11-02 21:00:00" --history 400 --poll 0.05 \
    --duration 0.05 --journal "$tmp/j11" --audit "$tmp/a11.csv"
if [ "$(cat "$tmp/rc")" = 0 ] &&
    grep -q 'AAPL: stale: no update for [0-9]* s; entries are refused' \
    "$tmp/err" &&
    grep -q 'refused  AAPL: stale_data: no update from AAPL for' "$tmp/err" &&
    grep -q ',refused,AAPL,.*stale_data: no update from AAPL for [0-9]* s' \
    "$tmp/j11/orders.csv" && ! grep -q ',order,' "$tmp/j11/orders.csv" &&
    grep -q 'refused.*stale_data' "$tmp/a11.csv" &&
    grep -q '^2026-11-02 15:[0-9:]*,AAPL,[0-9]*$' "$tmp/j11/stale.csv"; then
	ok "stale data: entries refused with stale_data, audited, journaled"
else
	bad "stale data: entries refused with stale_data"
fi
run --replay "$tmp/j11" --cash 10000000
if [ "$(cat "$tmp/rc")" = 0 ] && grep -q 'identical to the live session' \
    "$tmp/err"; then
	ok "replay of a stale session: the same refusals"
else
	bad "replay of a stale session: the same refusals"
fi
printf 'risk = { refuse_on_stale = false; };\n' >"$tmp/nostale.cfg"
serve stale2 --provider yahoo --fixture "$fixtures/bars_aapl_1m.csv" \
    --reveal 60
live --config "$tmp/nostale.cfg" --feed yahoo --market-hours off \
    --rest-url "http://127.0.0.1:$PORT" --symbols AAPL \
    --clock "2026-11-02 21:00:00" --history 400 --poll 0.05 \
    --duration 0.05 --journal "$tmp/j11b"
if [ "$(cat "$tmp/rc")" = 0 ] && grep -q ',order,AAPL,' \
    "$tmp/j11b/orders.csv" && ! grep -q 'stale_data' "$tmp/j11b/orders.csv"
then
	ok "risk.refuse_on_stale = false: the stale session trades"
else
	bad "risk.refuse_on_stale = false: the stale session trades"
fi

# 12. A graceful stop saves the state file, and the next session resumes
#     from it: the cash, the open trades (the stop comes after a fill)
#     and pending orders, the audit sequence; its journal keeps the
#     state it started from, so that its replay decides the same.
serve state1 --provider yahoo --fixture "$fixtures/bars_aapl_1m.csv" \
    --reveal 60
statelive() {
	run --plugin "$sma" --param fast=3 --param slow=8 --cash 10000000 \
	    --summary 0 -v --feed yahoo --market-hours off \
	    --rest-url "http://127.0.0.1:$PORT" --symbols AAPL \
	    --clock "2026-11-02 21:00:00" --history 400 --poll 0.05 \
	    --stale 86400 --state "$tmp/s12" --audit "$tmp/a12.csv" \
	    "$@"
}
statelive --journal "$tmp/j12a" &
runner=$!
i=0
while ! grep -q ',fill,' "$tmp/j12a/orders.csv" 2>/dev/null &&
    [ $i -lt 600 ]; do
	sleep 0.05
	i=$((i + 1))
done
pid=$(pgrep -n -f "journal $tmp/j12a")
[ -n "$pid" ] && kill -TERM "$pid"
wait "$runner"
saved=$(sed -n 's/.*state: saved to [^:]*: //p' "$tmp/err")
last=$(awk -F, 'NR > 1 && $1 != "" { s = $1 } END { print s }' "$tmp/a12.csv")
if [ "$(cat "$tmp/rc")" = 0 ] && [ -s "$tmp/s12" ] && [ -n "$saved" ] &&
    grep -q '^Return \[%\]' "$tmp/out" &&
    grep -q ',stop,,,,,,signal,' "$tmp/a12.csv"; then
	ok "SIGTERM: statistics printed, state saved ($saved)"
else
	bad "SIGTERM: statistics printed, state saved"
fi
serve state2 --provider yahoo --fixture "$fixtures/bars_aapl_1m.csv" \
    --reveal 60
statelive --journal "$tmp/j12b" --duration 0.03
resumed=$(sed -n 's/.*state: resumed from [^:]*: //p' "$tmp/err")
first=$(awk -F, -v last="$last" \
    'NR > 1 && $1 != "" && $1 > last { print $1; exit }' "$tmp/a12.csv")
if [ "$(cat "$tmp/rc")" = 0 ] && [ -n "$saved" ] &&
    [ "$resumed" = "$saved" ] && [ "$first" = $((last + 1)) ] &&
    grep -q ',resume,,,,,,SmaCross,' "$tmp/a12.csv" &&
    [ -s "$tmp/j12b/state.resume" ]; then
	ok "restart: resumed with what was saved, audit seq $first follows $last"
else
	bad "restart: resumed '$resumed', saved '$saved', seq $first after $last"
fi
run --replay "$tmp/j12b" --cash 10000000
if [ "$(cat "$tmp/rc")" = 0 ] && grep -q 'identical to the live session' \
    "$tmp/err"; then
	ok "replay of a resumed session starts from its state: the same orders"
else
	bad "replay of a resumed session: the same orders"
fi

# 13. The summary counts the trades entered today (the UTC day of the
#     last bar), and one last summary follows the stop: its count is the
#     journal's entry fills (the fixture is one day).
serve today --provider yahoo --fixture "$fixtures/bars_aapl_1m.csv" \
    --reveal 60
run --plugin "$sma" --param fast=3 --param slow=8 --cash 10000000 \
    --summary 0.5 --feed yahoo --market-hours off \
    --rest-url "http://127.0.0.1:$PORT" --symbols AAPL \
    --clock "2026-11-02 21:00:00" --history 400 --poll 0.05 --stale 86400 \
    --duration 0.04 --journal "$tmp/j13"
entries=$(grep -c ',fill,AAPL,.*,entry$' "$tmp/j13/orders.csv")
said=$(sed -n 's/^-- .* trades today \([0-9]*\)$/\1/p' "$tmp/err" | tail -1)
leg=$(sed -n 's/^   AAPL .* trades today \([0-9]*\)$/\1/p' "$tmp/err" | tail -1)
if [ "$(cat "$tmp/rc")" = 0 ] && [ "$entries" -gt 0 ] &&
    [ "$said" = "$entries" ] && [ "$leg" = "$entries" ]; then
	ok "summary: trades today $said, the journal's $entries entries"
else
	bad "summary: trades today '$said' ('$leg'), $entries entries"
fi

# 14. --stagger: the symbols' history requests and subscriptions go out
#     one at a time, at least SEC apart.  A watcher stamps each request as
#     it appears in replayd's request log; only a lower bound on the span
#     is asserted (a slower machine only spaces them more).
# spread LOG PATTERN N: waits for N lines matching PATTERN in LOG and
# prints the milliseconds between the first and the Nth one's appearance.
spread() {
	i=0 seen=0 first=""
	while [ $i -lt 1500 ]; do
		n=$(grep -c "$2" "$1" 2>/dev/null)
		if [ "${n:-0}" -gt "$seen" ]; then
			now=$(date +%s%3N)
			[ -z "$first" ] && first=$now
			seen=$n
			[ "$seen" -ge "$3" ] && { echo $((now - first)); return; }
		fi
		sleep 0.01
		i=$((i + 1))
	done
	echo -1
}
serve stagger --provider yahoo --fixture "AAPL=$fixtures/bars_aapl_1m.csv" \
    --fixture "MSFT=$fixtures/bars_aapl_1m.csv" \
    --fixture "IBM=$fixtures/bars_aapl_1m.csv" --reveal 60 \
    --log-requests "$tmp/req14.log"
run --plugin "$sma" --summary 0 --feed yahoo --market-hours off \
    --rest-url "http://127.0.0.1:$PORT" --symbols AAPL,MSFT,IBM \
    --clock "2026-11-02 21:00:00" --history 400 --poll 0.05 --stagger 0.4 \
    --duration 0.04 --no-journal &
runner=$!
ms=$(spread "$tmp/req14.log" 'period1=1793629200&' 3)
wait "$runner"
if [ "$(cat "$tmp/rc")" = 0 ] && [ "$ms" -ge 600 ] &&
    [ "$(grep 'period1=1793629200&' "$tmp/req14.log" | sed 's,.*chart/,,;
    s,?.*,,' | tr '\n' ' ')" = "AAPL MSFT IBM " ]; then
	ok "--stagger 0.4: three history requests in order over $ms ms"
else
	bad "--stagger 0.4: history requests over $ms ms"
fi
serve stagger2 --provider finnhub --token T \
    --fixture "$fixtures/finnhub_aapl.jsonl" --log-requests "$tmp/req14b.log"
run --plugin "$sma" --summary 0 --feed finnhub \
    --stream-url "ws://127.0.0.1:$PORT" --symbols AAPL,MSFT,IBM \
    --feed-setting token=T --clock "2026-11-02 14:30:00" --stagger 0.4 \
    --duration 0.04 --no-journal &
runner=$!
ms=$(spread "$tmp/req14b.log" '"type":"subscribe"' 3)
wait "$runner"
if [ "$(cat "$tmp/rc")" = 0 ] && [ "$ms" -ge 600 ]; then
	ok "--stagger 0.4: three subscriptions over $ms ms"
else
	bad "--stagger 0.4: subscriptions over $ms ms"
fi
run --plugin "$sma" --feed binance --symbols BTCUSDT --no-journal \
    --stagger 0.2x
if [ "$(cat "$tmp/rc")" = 2 ] &&
    grep -qF -- "--stagger: not a number: '0.2x'" "$tmp/err"; then
	ok "refused: --stagger 0.2x"
else
	bad "refused: --stagger 0.2x"
fi

# 15. Market hours (yahoo: New York's 09:30-16:00, Mon-Fri, by default),
#     by the pinned feed clock.  (a) Started 6 s before Tuesday's open
#     (with Monday's bars as history): "closed until 09:30; sleeping"
#     once, no poll while closed (only the history request), then open,
#     and polling.  (b) Started 3 s before
#     the close: polling, then "closed until Tuesday 09:30" once and no
#     request any more.
# requests LOG: the chart requests replayd has answered so far.
requests() { grep -c 'chart/AAPL' "$1" 2>/dev/null || echo 0; }
# await_line PATTERN: waits up to 30 s for PATTERN in the session's stderr.
await_line() {
	i=0
	while ! grep -q "$1" "$tmp/err" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}
rm -f "$tmp/err"	# await_line must not see an earlier session's lines
serve open --provider yahoo --fixture "$fixtures/bars_aapl_1m.csv" \
    --reveal 60 --log-requests "$tmp/req15a.log"
run --plugin "$sma" --summary 0 --feed yahoo \
    --rest-url "http://127.0.0.1:$PORT" --symbols AAPL \
    --clock "2026-11-03 14:29:54" --history 1500 --poll 0.05 \
    --duration 0.15 --no-journal &
runner=$!
await_line 'market closed until'
sleep 1
asleep=$(requests "$tmp/req15a.log")
wait "$runner"
if [ "$(cat "$tmp/rc")" = 0 ] && [ "$asleep" = 1 ] &&
    [ "$(grep -c 'market closed until' "$tmp/err")" = 1 ] &&
    grep -q '^market closed until 2026-11-03 09:30:00 EST; sleeping$' \
    "$tmp/err" &&
    grep -q '^market open until 2026-11-03 16:00:00 EST$' "$tmp/err" &&
    [ "$(requests "$tmp/req15a.log")" -gt 1 ]; then
	ok "before the open: slept without polling, woke at 09:30 EST"
else
	bad "before the open: $asleep request(s) while asleep"
fi
rm -f "$tmp/err"
serve close --provider yahoo --fixture "$fixtures/bars_aapl_1m.csv" \
    --reveal 60 --log-requests "$tmp/req15b.log"
run --plugin "$sma" --summary 0 --feed yahoo \
    --rest-url "http://127.0.0.1:$PORT" --symbols AAPL \
    --clock "2026-11-02 20:59:57" --history 400 --poll 0.05 \
    --duration 0.1 --no-journal &
runner=$!
await_line 'market closed until'
sleep 0.3
before=$(requests "$tmp/req15b.log")
sleep 1
after=$(requests "$tmp/req15b.log")
wait "$runner"
if [ "$(cat "$tmp/rc")" = 0 ] && [ "$before" -gt 1 ] &&
    [ "$after" = "$before" ] &&
    grep -q '^market open until 2026-11-02 16:00:00 EST$' "$tmp/err" &&
    grep -q '^market closed until 2026-11-03 09:30:00 EST; sleeping$' \
    "$tmp/err" &&
    [ "$(grep -c 'market closed until' "$tmp/err")" = 1 ]; then
	ok "at the close: polled until 16:00 EST, then slept till Tuesday"
else
	bad "at the close: $before then $after requests"
fi
for bad in "--market-hours 9-16:--market-hours: expected HH:MM-HH:MM" \
    "--market-days Mo-Fr:--market-days: expected days such as Mon-Fri" \
    "--market-tz Nowhere/City:unknown time zone 'Nowhere/City'"; do
	refused "$bad" --plugin "$sma" --feed yahoo --symbols AAPL \
	    --no-journal
done

# 16. Alpaca in MessagePack (--feed-setting format=msgpack): binary frames
#     with timestamp extensions, and the same gap backfill as case 4.
awk -F, 'NR == 1 { print "time,Open,High,Low,Close,Volume"; next }
    { sub(" ", "T", $1); print $1 "Z," $2 "," $3 "," $4 "," $5 "," $6 }' \
    "$fixtures/alpaca_bars_stream_expected_AAPL.csv" >"$tmp/aapl16.csv"
serve bars16 --provider alpaca-bars --fixture "AAPL=$tmp/aapl16.csv"
rest=$PORT
serve alpaca16 --provider alpaca-data --drop-after 60 --lose 40 \
    --fixture "$fixtures/alpaca_bars_stream.jsonl" \
    --log-requests "$tmp/alpaca16.log"
live --feed alpaca_data --stream-url "ws://127.0.0.1:$PORT" \
    --rest-url "http://127.0.0.1:$rest" --symbols AAPL \
    --feed-setting key_id=K --feed-setting secret_key=S \
    --feed-setting format=msgpack \
    --clock "2026-11-02 14:30:00" --journal "$tmp/j16"
if [ "$(cat "$tmp/rc")" = 0 ] && grep -q 'backfilling AAPL' "$tmp/err" &&
    grep -q '^ws-recv-msgpack {"action":"subscribe","bars":\["AAPL"\]}$' \
    "$tmp/alpaca16.log" &&
    same_bars "$fixtures/alpaca_bars_stream_expected_AAPL.csv" \
    "$tmp/j16/bars/AAPL.csv"; then
	ok "alpaca msgpack: the same bars as JSON, gap backfilled"
else
	bad "alpaca msgpack: the same bars ($(cat "$tmp/diff"))"
fi

finish
