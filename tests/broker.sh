#!/bin/sh
# Live sessions that send orders to a real broker: Alpaca's trading API
# as tests/replayd speaks it on 127.0.0.1, beside a Binance kline feed.
# Every paper order is mirrored at the broker and the positions agree; a
# limit order that does not fill in time is canceled and sent at market;
# an identical order still working is kept back; a stop-loss or
# take-profit exit goes at market; the keys are never written; positions
# held before the session are read; and the operator must say --live and
# confirm it.
set -u

. "$(dirname "$0")/shlib.sh"
fixtures=${TH_LIVE_FIXTURES:-tests/fixtures/live}
key=test-key-id-7f3a
secret=test-secret-key-e91c
export APCA_API_KEY_ID=$key APCA_API_SECRET_KEY=$secret

# Under valgrind the host is some 50 times slower: the streams go slower
# and the sessions last longer, so that the broker still answers an
# order before the next bar, as it does live (a bar is a minute there).
if [ -n "${VALGRIND:-}" ]; then
	rate=6 slow=2 timeout=4 minutes=0.3 longer=0.3
else
	rate=300 slow=20 timeout=1 minutes=0.04 longer=0.05
fi

# feed_and_broker RATE [BROKER ARGS...]: a Binance feed at RATE messages
# per second (FEED) and an Alpaca trading server (BROKER) that logs the
# requests it gets to $tmp/req.log.
feed_and_broker() {
	rate=$1
	shift
	rm -f "$tmp/req.log"
	serve feed --provider binance --rate "$rate" \
	    --fixture "$fixtures/binance_btcusdt_1m.jsonl"
	FEED=$PORT
	serve broker --provider alpaca-trading --fill-price 100 \
	    --log-requests "$tmp/req.log" "$@"
	BROKER=$PORT
}

# live PLUGIN MINUTES ARGS...: a session on the feed, orders to the broker.
# The feed clock starts at the fixture's day: its bars are not stale.
live() {
	plugin=$1
	minutes=$2
	shift 2
	run --plugin "$plugin" --cash 10000000 --summary 0 --history 0 \
	    --clock "2026-11-02 00:00:00" \
	    --duration "$minutes" --symbols BTCUSDT --feed binance \
	    --stream-url "ws://127.0.0.1:$FEED" \
	    --rest-url "http://127.0.0.1:$FEED" --broker alpaca_broker \
	    --broker-rest-url "http://127.0.0.1:$BROKER" \
	    --broker-stream-url "ws://127.0.0.1:$BROKER" "$@"
}

# rows EVENT SIDE QTY [JOURNAL]: broker.csv rows of that event, side, qty.
rows() {
	awk -F, -v e="$1" -v s="$2" -v q="$3" \
	    '$8 == e && $5 == s && $6 == q { n++ } END { print n + 0 }' \
	    "${4:-$tmp/j1}/broker.csv"
}

# 1. sma.so: every order the strategy places reaches the broker, fills,
#    and the broker's position is the paper one; the journal replays.
feed_and_broker $rate
live "$sma" $minutes --param fast=3 --param slow=8 --live --yes \
    --journal "$tmp/j1"
orders=$(grep -c ',order,' "$tmp/j1/orders.csv")
posts=$(grep -c '^http POST /v2/orders auth=present' "$tmp/req.log")
filled=$(awk -F, '$8 == "filled"' "$tmp/j1/broker.csv" | wc -l)
if [ "$(cat "$tmp/rc")" = 0 ] && [ "$orders" -ge 3 ] &&
    [ "$posts" = "$orders" ] && [ "$filled" = "$orders" ] &&
    grep -q "^-- broker alpaca_broker: $orders order(s) sent, $orders filled" \
    "$tmp/err" && grep -q 'BTCUSDT  broker position [0-9-]*, paper position' \
    "$tmp/err" && ! grep -q 'their changes differ' "$tmp/err"; then
	ok "every paper order ($orders) is sent, filled, positions agree"
else
	bad "every paper order is sent ($orders orders, $posts POSTs, $filled filled)"
fi
run --replay "$tmp/j1" --cash 10000000
[ "$(cat "$tmp/rc")" = 0 ] && grep -q 'identical to the live session' \
    "$tmp/err" && ok "the live session replays to the same orders" ||
    bad "the live session replays"
if grep -rq -e "$key" -e "$secret" "$tmp/j1" "$tmp/err" "$tmp/out"; then
	bad "the API keys were written to the journal or the console"
else
	ok "the API keys are in no journal file and no console line"
fi

# 2. Limit timeout, duplicate guard, contingent exit (tests/plugins/orders.c);
#    the broker fills at 100000, above any limit the strategy sets.
feed_and_broker $slow --fill-price 100000
live "$plugins/orders.so" $longer --limit-timeout $timeout --live --yes \
    --journal "$tmp/j2"
j=$tmp/j2
if [ "$(cat "$tmp/rc")" = 0 ] &&
    [ "$(awk -F, '$8 == "sent" && $5 == "BUY" && $6 == 10 && $7 != "nan"' \
    "$j/broker.csv" | wc -l)" = 1 ] &&
    [ "$(rows cancel BUY 10 "$j")" = 1 ] &&
    grep -q ',cancel,0,nan,limit_timeout$' "$j/broker.csv" &&
    [ "$(rows canceled BUY 10 "$j")" = 1 ] &&
    [ "$(awk -F, '$8 == "filled" && $5 == "BUY" && $6 == 10 && $7 == "nan"' \
    "$j/broker.csv" | wc -l)" = 1 ] &&
    grep -q '^http DELETE /v2/orders/' "$tmp/req.log" &&
    grep -q '1 limit timeout(s) sent at market' "$tmp/err"; then
	ok "a limit order not filled in $timeout s is canceled and sent at market"
else
	bad "limit timeout falls back to market"
fi
[ "$(rows duplicate BUY 10 "$j")" = 1 ] &&
    grep -q 'duplicate-order guard: BTCUSDT BUY 10 not sent' "$tmp/err" &&
    grep -q '1 kept back by the duplicate guard' "$tmp/err" &&
    ok "an identical order still working is kept back" ||
    bad "duplicate-order guard"
[ "$(rows filled BUY 5 "$j")" = 1 ] && [ "$(rows filled SELL 5 "$j")" = 1 ] &&
    grep -q ',fill,BTCUSDT,sell,5,.*,[st][lp]$' "$j/orders.csv" &&
    ok "a stop-loss/take-profit exit on paper goes to the broker at market" ||
    bad "contingent exit at market"

# 3. Refused API keys stop the session.
feed_and_broker $rate --key right --secret right
live "$sma" $minutes --live --yes --no-journal
[ "$(cat "$tmp/rc")" = 1 ] && grep -q 'Alpaca refused the API key' \
    "$tmp/err" && ! grep -q '^broker .*: sent' "$tmp/err" &&
    ok "a refused API key stops the session before any order" ||
    bad "refused API key"

# 4. Real orders need --live, and a confirmation or --yes.
live "$sma" 0.01 --no-journal
[ "$(cat "$tmp/rc")" = 1 ] && grep -q 'add --live' "$tmp/err" &&
    ok "--broker without --live is refused" || bad "--broker without --live"
run --plugin "$sma" --symbols BTCUSDT --feed binance --live --no-journal
[ "$(cat "$tmp/rc")" = 1 ] && grep -q -- '--live: no broker' "$tmp/err" &&
    ok "--live without a broker is refused" || bad "--live without a broker"
live "$sma" 0.01 --no-journal --live </dev/null
[ "$(cat "$tmp/rc")" = 1 ] && grep -q 'no terminal to confirm on' \
    "$tmp/err" && ok "--live without a terminal or --yes is refused" ||
    bad "--live without a terminal"
run --plugin "$sma" --broker alpaca_broker --live --yes
[ "$(cat "$tmp/rc")" = 1 ] && grep -q 'need a live feed' "$tmp/err" &&
    ok "--broker in a backtest is refused" || bad "--broker in a backtest"
for bad in "--broker-setting key_id:--broker-setting: expected NAME=VALUE" \
    "--limit-timeout -1:--limit-timeout: must be >= 0" \
    "--order-poll soon:--order-poll"; do
	refused "$bad" --plugin "$sma" --symbols BTCUSDT --feed binance
done
printf 'live = { broker = "alpaca_broker"; limit_timeout = -1.0; };\n' \
    >"$tmp/bad.cfg"
run --config "$tmp/bad.cfg" --plugin "$sma"
[ "$(cat "$tmp/rc")" != 0 ] && grep -q 'live.limit_timeout' "$tmp/err" &&
    ok "a negative live.limit_timeout is refused by name" ||
    bad "live.limit_timeout range"

# 5. The confirmation on a terminal (script(1) gives the session one).
if command -v script >/dev/null 2>&1 &&
    script -qec true /dev/null </dev/null >/dev/null 2>&1; then
	feed_and_broker 100
	cmd="$th --plugin $sma --cash 10000000 --summary 0 --history 0 \
--clock '2026-11-02 00:00:00' --duration 0.02 --symbols BTCUSDT --feed binance \
--stream-url ws://127.0.0.1:$FEED --rest-url http://127.0.0.1:$FEED \
--broker alpaca_broker --broker-rest-url http://127.0.0.1:$BROKER \
--broker-stream-url ws://127.0.0.1:$BROKER --no-journal --live"
	echo no | script -qec "$cmd" /dev/null >"$tmp/tty.no" 2>&1
	echo yes | script -qec "$cmd" /dev/null >"$tmp/tty.yes" 2>&1
	grep -q 'Type "yes" to send real orders' "$tmp/tty.no" &&
	    grep -q 'not confirmed; no order was sent' "$tmp/tty.no" &&
	    grep -q "go to alpaca_broker at http://127.0.0.1:$BROKER" \
	    "$tmp/tty.yes" && grep -q '^-- broker alpaca_broker' \
	    "$tmp/tty.yes" && ok "the terminal confirmation: no stops, yes runs" ||
	    { cp "$tmp/tty.no" "$tmp/out"; cp "$tmp/tty.yes" "$tmp/err";
	    bad "terminal confirmation"; }
else
	echo "SKIP: no script(1) or no pseudo-terminal: no confirmation test"
fi

# 6. Positions held before the session: read at the start, reported, and
#    kept apart from the paper comparison.
feed_and_broker $rate
wsc=${TH_WSCLIENT:-tests/wsclient}
"$wsc" --http POST "http://127.0.0.1:$BROKER/v2/orders" -d '{"symbol":"BTCUSDT","qty":"3","side":"buy","type":"market","time_in_force":"day","client_order_id":"before"}' >/dev/null 2>&1
live "$sma" $minutes --param fast=3 --param slow=8 --live --yes --no-journal
if [ "$(cat "$tmp/rc")" = 0 ] &&
    grep -q 'the account holds 3 BTCUSDT, the paper book 0' "$tmp/err" &&
    grep -q 'broker position [0-9-]* (3 held at the start), paper position' \
    "$tmp/err" && ! grep -q 'their changes differ' "$tmp/err" &&
    grep -q '^http GET /v2/positions' "$tmp/req.log"; then
	ok "positions held before the session are read and kept apart"
else
	bad "positions at the start"
fi

finish
