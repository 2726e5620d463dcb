#!/bin/sh
# The replay server itself (tests/replayd): every provider's handshake and
# framing, the fixtures streamed exactly, the drop-and-resume fault, HTTP
# status injection, the 404 envelope, pagination that concatenates to the
# fixture, credentials kept out of the request log, and the idle exit.
# Each server binds 127.0.0.1 on a kernel-chosen port and stops by itself.
set -u

. "$(dirname "$0")/shlib.sh"
replayd=${TH_REPLAYD:-tests/replayd}
wsc=${TH_WSCLIENT:-tests/wsclient}
fx=${TH_LIVE_FIXTURES:-$(dirname "$0")/fixtures/live}
: >"$tmp/out"
: >"$tmp/err"

# start ARGS...: runs replayd in the background (under valgrind when the
# build asks for it) and waits for its port file; sets $port and $srv.
start() {
	rm -f "$tmp/port"
	${VALGRIND:+"$VALGRIND" --quiet --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect} \
	    "$replayd" --port-file "$tmp/port" --idle-exit 20 "$@" \
	    2>"$tmp/srv.err" &
	srv=$!
	i=0
	while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	port=$(cat "$tmp/port" 2>/dev/null)
	[ -n "$port" ] || { echo "replayd did not start:"; cat "$tmp/srv.err"; }
}

# stop: SIGTERM; the server must exit 0.
stop() {
	kill -TERM "$srv" 2>/dev/null
	wait "$srv"
	rc=$?
	[ "$rc" = 0 ] || bad "replayd exited $rc: $(cat "$tmp/srv.err")"
}

ws() { "$wsc" --timeout-ms 10000 "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
http() { "$wsc" --http "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
rc() { cat "$tmp/rc"; }
url() { echo "ws://127.0.0.1:$port$1"; }
hurl() { echo "http://127.0.0.1:$port$1"; }

# Options.
"$replayd" --provider nosuch >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q "bad provider" "$tmp/err" && ok "unknown provider: exit 2" ||
    bad "unknown provider"
"$replayd" --provider binance --rate x >/dev/null 2>"$tmp/err"
[ $? = 2 ] && ok "bad --rate: exit 2" || bad "bad --rate"
"$replayd" --provider binance >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q "fixture is required" "$tmp/err" &&
    ok "missing fixture: exit 2" || bad "missing fixture"

# Binance: a raw stream is the fixture, line for line.
kl=$fx/binance_btcusdt_1m.jsonl
start --provider binance --fixture "$kl" --close-at-end --log-requests "$tmp/req.log"
grep -q "^replayd: listening on 127.0.0.1:$port\$" "$tmp/srv.err" &&
    ok "binance: listening line names the port" || bad "listening line"
ws "$(url /ws/btcusdt@kline_1m)"
grep -v '^#close' "$tmp/out" >"$tmp/got"
[ "$(rc)" = 4 ] && cmp -s "$tmp/got" "$kl" && grep -q '^#close 1000' "$tmp/out" &&
    ok "binance: raw /ws stream equals the fixture" || bad "binance raw stream"
stop

# Binance: combined stream, live SUBSCRIBE / LIST_SUBSCRIPTIONS, bad JSON.
start --provider binance --fixture "$kl" --close-at-end
ws --send '{"method":"SUBSCRIBE","params":["ethusdt@kline_1m"],"id":7}' \
    --send '{"method":"LIST_SUBSCRIPTIONS","id":8}' --send '{bad' \
    "$(url /stream?streams=btcusdt@kline_1m)"
first=$(head -1 "$kl")
[ "$(sed -n 1p "$tmp/out")" = '{"result":null,"id":7}' ] &&
    grep -qxF "{\"stream\":\"btcusdt@kline_1m\",\"data\":$first}" "$tmp/out" &&
    grep -qx '{"result":\["btcusdt@kline_1m","ethusdt@kline_1m"\],"id":8}' "$tmp/out" &&
    grep -q '^{"code":3,"msg":"Invalid JSON: ' "$tmp/out" &&
    ok "binance: combined stream, SUBSCRIBE, LIST_SUBSCRIPTIONS, bad JSON" ||
    bad "binance combined"
stop

# Binance: --drop-after cuts the connection (no close frame); the next
# connection resumes where it stopped, so the two concatenate to the fixture.
start --provider binance --fixture "$kl" --drop-after 100 --close-at-end
ws "$(url /ws/btcusdt@kline_1m)"
cp "$tmp/out" "$tmp/part1"
[ "$(rc)" = 4 ] && [ "$(wc -l <"$tmp/part1")" = 100 ] &&
    ! grep -q '^#close' "$tmp/part1" && ok "binance: dropped after 100 messages" ||
    bad "binance drop"
ws "$(url /ws/btcusdt@kline_1m)"
grep -v '^#close' "$tmp/out" | cat "$tmp/part1" - >"$tmp/got"
cmp -s "$tmp/got" "$kl" && ok "binance: resumed without gap or duplicate" ||
    bad "binance resume"
stop

# Finnhub: token check, subscriptions, the whole fixture for AAPL+MSFT.
fh=$fx/finnhub_aapl.jsonl
start --provider finnhub --fixture "$fh" --token sekrit --close-at-end \
    --log-requests "$tmp/fh.log"
ws "$(url /?token=wrong)"
[ "$(rc)" = 4 ] && grep -q '^{"type":"error","msg":' "$tmp/out" &&
    ok "finnhub: wrong token refused with an error message" || bad "finnhub token"
ws --send '{"type":"subscribe","symbol":"AAPL"}' \
    --send '{"type":"subscribe","symbol":"MSFT"}' "$(url /?token=sekrit)"
grep -v '^#close' "$tmp/out" >"$tmp/got"
cmp -s "$tmp/got" "$fh" && ok "finnhub: subscribed stream equals the fixture" ||
    bad "finnhub stream"
stop
! grep -q sekrit "$tmp/fh.log" && grep -q 'token=<redacted>' "$tmp/fh.log" &&
    ok "finnhub: the token is not in the request log" || bad "finnhub log"

# Alpaca data: handshake, subscription message, bars; 406, 402, 404.
ad=$fx/alpaca_bars_stream.jsonl
start --provider alpaca-data --fixture "$ad" --key K --secret S \
    --auth-timeout-ms 300 --log-requests "$tmp/ad.log"
ws --count 4 --send '{"action":"auth","key":"K","secret":"S"}' \
    --send '{"action":"subscribe","bars":["AAPL","MSFT"]}' "$(url /v2/iex)"
[ "$(sed -n 1p "$tmp/out")" = '[{"T":"success","msg":"connected"}]' ] &&
    [ "$(sed -n 2p "$tmp/out")" = '[{"T":"success","msg":"authenticated"}]' ] &&
    [ "$(sed -n 3p "$tmp/out")" = '[{"T":"subscription","trades":[],"quotes":[],"bars":["AAPL","MSFT"],"updatedBars":[],"dailyBars":[],"statuses":[],"lulds":[],"corrections":[],"cancelErrors":[]}]' ] &&
    [ "$(sed -n 4p "$tmp/out")" = "$(sed -n 2p "$ad")" ] &&
    ok "alpaca-data: connected, authenticated, subscription, bars" ||
    bad "alpaca-data handshake"
ws --count 5 --send '{"action":"auth","key":"K","secret":"nope"}' "$(url /v2/iex)"
grep -qx '\[{"T":"error","code":402,"msg":"auth failed"}\]' "$tmp/out" &&
    [ "$(rc)" = 4 ] && ok "alpaca-data: 402 and close on bad keys" || bad "alpaca 402"
ws --count 5 "$(url /v2/test)"
grep -qx '\[{"T":"error","code":404,"msg":"auth timeout"}\]' "$tmp/out" &&
    [ "$(rc)" = 4 ] && ok "alpaca-data: 404 auth timeout" || bad "alpaca 404"
"$wsc" --count 1000 --timeout-ms 3000 --send '{"action":"auth","key":"K","secret":"S"}' \
    "$(url /v2/iex)" >"$tmp/first" 2>&1 &
holder=$!
sleep 0.5
ws --count 5 "$(url /v2/iex)"
grep -qx '\[{"T":"error","code":406,"msg":"connection limit exceeded"}\]' "$tmp/out" &&
    [ "$(rc)" = 4 ] && ok "alpaca-data: 406 for a second connection" || bad "alpaca 406"
wait "$holder"
stop
! grep -q '"S"' "$tmp/ad.log" && grep -q '"secret":"<redacted>"' "$tmp/ad.log" &&
    ok "alpaca-data: keys are not in the request log" || bad "alpaca log"

# Alpaca data in MessagePack (Content-Type: application/msgpack on the
# upgrade): binary frames, written out here byte by byte from the spec.
# hx TEXT: TEXT's bytes in hex; s1 TEXT: TEXT as a fixstr (< 32 bytes).
hx() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
s1() { printf '%02x%s' $((0xa0 + ${#1})) "$(hx "$1")"; }
start --provider alpaca-data --fixture "$ad" --key K --secret S \
    --log-requests "$tmp/mp.log"
ws --count 4 --types --hex -H 'Content-Type: application/msgpack' \
    --send "83$(s1 action)$(s1 auth)$(s1 key)$(s1 K)$(s1 secret)$(s1 S)" \
    --send "82$(s1 action)$(s1 subscribe)$(s1 bars)91$(s1 AAPL)" \
    "$(url /v2/iex)"
# [{"T":"success","msg":..}]; the first AAPL bar, whose time
# 2026-11-02T14:30:00Z (1793629800 = 0x6ae89e68) is a 32-bit timestamp
# extension (d6 ff).
[ "$(sed -n 1p "$tmp/out")" = "B 9182$(s1 T)$(s1 success)$(s1 msg)$(s1 connected)" ] &&
    [ "$(sed -n 2p "$tmp/out")" = "B 9182$(s1 T)$(s1 success)$(s1 msg)$(s1 authenticated)" ] &&
    sed -n 3p "$tmp/out" | grep -q "^B 918a$(s1 T)$(s1 subscription)" &&
    sed -n 4p "$tmp/out" | grep -q "^B 918a$(s1 T)$(s1 b)$(s1 S)$(s1 AAPL)$(s1 o)cb406cc00000000000.*$(s1 t)d6ff6ae89e68\$" &&
    ok "alpaca-data msgpack: binary handshake, bar with a timestamp ext" ||
    bad "alpaca-data msgpack ($(cat "$tmp/out"))"
ws --count 1 --types "$(url /v2/iex)"
grep -q '^T \[{"T":"success","msg":"connected"}\]$' "$tmp/out" &&
    ok "alpaca-data: JSON text frames without the Content-Type" ||
    bad "alpaca-data JSON after msgpack"
stop
grep -qx 'ws-recv-msgpack {"action":"auth","key":"<redacted>","secret":"<redacted>"}' \
    "$tmp/mp.log" && grep -qx 'ws-recv-msgpack {"action":"subscribe","bars":\["AAPL"\]}' \
    "$tmp/mp.log" &&
    ok "alpaca-data msgpack: client messages decoded, keys redacted" ||
    bad "alpaca-data msgpack log"

# Yahoo: the chart envelope, the 404 envelope, 429 x2 with Retry-After.
start --provider yahoo --fixture "$fx/bars_aapl_1m.csv" --http-status 429:2 \
    --log-requests "$tmp/y.log"
q='/v8/finance/chart/AAPL?period1=1793641740&period2=1793641860&interval=1m'
http GET "$(hurl "$q")" -i
grep -qx 'HTTP 429' "$tmp/out" && grep -qix 'retry-after: 1.' "$tmp/out" &&
    ok "yahoo: 429 with Retry-After" || bad "yahoo 429"
http GET "$(hurl "$q")"
grep -qx 'HTTP 429' "$tmp/out" && ok "yahoo: second request 429" || bad "yahoo 429 #2"
http GET "$(hurl "$q")"
grep -q '"timestamp":\[1793641740,1793641800\]' "$tmp/out" &&
    grep -q '"close":\[224.67999267578125,null\]' "$tmp/out" &&
    grep -qx 'HTTP 200' "$tmp/out" &&
    ok "yahoo: third request 200, float32 prices, null close" || bad "yahoo chart"
http GET "$(hurl /v8/finance/chart/NOPE)"
grep -qx 'HTTP 404' "$tmp/out" &&
    grep -qx '{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}' "$tmp/out" &&
    ok "yahoo: 404 envelope" || bad "yahoo 404"
stop
[ "$(grep -c '^http GET /v8/finance/chart/' "$tmp/y.log")" = 4 ] &&
    ok "yahoo: request log" || bad "yahoo log"

# Alpaca bars: pages of 100 concatenate to the fixture's complete bars.
start --provider alpaca-bars --fixture "$fx/bars_aapl_1m.csv" --key K --secret S
http GET "$(hurl '/v2/stocks/AAPL/bars?timeframe=1Min')"
grep -qx 'HTTP 401' "$tmp/out" && grep -qx '{"message":"unauthorized"}' "$tmp/out" &&
    ok "alpaca-bars: 401 without keys" || bad "alpaca-bars 401"
http GET "$(hurl '/v2/stocks/AAPL/bars?timeframe=7Sec')" -H 'APCA-API-KEY-ID: K' \
    -H 'APCA-API-SECRET-KEY: S'
grep -qx 'HTTP 422' "$tmp/out" && grep -q '"code":42210000' "$tmp/out" &&
    ok "alpaca-bars: 422 on a bad timeframe" || bad "alpaca-bars 422"
: >"$tmp/pages"
tok= pages=0
while :; do
	http GET "$(hurl "/v2/stocks/AAPL/bars?timeframe=1Min&limit=100${tok:+&page_token=$tok}")" \
	    -H 'APCA-API-KEY-ID: K' -H 'APCA-API-SECRET-KEY: S'
	pages=$((pages + 1))
	{ sed 1d "$tmp/out"; echo; } | sed 's/},{/}\n{/g' | sed -n 's/.*"t":"\([^"]*\)","o":\([^,]*\),"h":\([^,]*\),"l":\([^,]*\),"c":\([^,]*\),"v":\([0-9]*\).*/\1,\2,\3,\4,\5,\6/p' >>"$tmp/pages"
	tok=$(sed -n 's/.*"next_page_token":"\([^"]*\)".*/\1/p' "$tmp/out")
	[ -n "$tok" ] && [ $pages -lt 10 ] || break
done
norm() { awk -F, 'NR > 0 && $5 != "" { print $1, $2 + 0, $3 + 0, $4 + 0, $5 + 0, $6 + 0 }'; }
sed 1d "$fx/bars_aapl_1m.csv" | norm >"$tmp/want"
norm <"$tmp/pages" >"$tmp/got"
[ $pages = 4 ] && [ "$(wc -l <"$tmp/got")" = 389 ] && cmp -s "$tmp/got" "$tmp/want" &&
    ok "alpaca-bars: 4 pages concatenate to the fixture" || bad "alpaca-bars pages ($pages)"
stop

# Alpaca trading: orders over HTTP, events in binary frames on /stream.
start --provider alpaca-trading --fill-price 100
"$wsc" --types --count 6 --timeout-ms 10000 \
    --send '{"action":"authenticate","data":{"key_id":"k","secret_key":"s"}}' \
    --send '{"action":"listen","data":{"streams":["trade_updates"]}}' \
    "$(url /stream)" >"$tmp/events" 2>&1 &
lis=$!
touch "$tmp/events"
i=0
while [ "$(wc -l <"$tmp/events")" -lt 2 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
http POST "$(hurl /v2/orders)" -d '{"symbol":"AAPL","qty":"3","side":"buy","type":"market","time_in_force":"day","client_order_id":"a1"}'
grep -qx 'HTTP 200' "$tmp/out" && grep -q '"status":"accepted"' "$tmp/out" &&
    ok "alpaca-trading: market order accepted" || bad "trading submit"
http POST "$(hurl /v2/orders)" -d '{"symbol":"AAPL","qty":"3","side":"buy","type":"market","time_in_force":"day","client_order_id":"a1"}'
grep -qx 'HTTP 422' "$tmp/out" && ok "alpaca-trading: duplicate client_order_id 422" ||
    bad "trading duplicate"
http POST "$(hurl /v2/orders)" -d '{"symbol":"AAPL","qty":"1","side":"buy","type":"limit","limit_price":"90","time_in_force":"gtc"}'
id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$tmp/out" | head -1)
http DELETE "$(hurl "/v2/orders/$id")"
grep -qx 'HTTP 204' "$tmp/out" && ok "alpaca-trading: resting limit order cancelled" ||
    bad "trading cancel"
http GET "$(hurl /v2/positions)"
grep -q '"symbol":"AAPL","exchange":"NASDAQ","asset_class":"us_equity","qty":"3","avg_entry_price":"100"' "$tmp/out" &&
    ok "alpaca-trading: position" || bad "trading positions"
wait "$lis"
[ "$(grep -c '^B ' "$tmp/events")" = 6 ] &&
    sed -n 3,6p "$tmp/events" | grep -o '"event":"[a-z]*"' | tr '\n' ' ' |
    grep -qx '"event":"new" "event":"fill" "event":"new" "event":"canceled" ' &&
    ok "alpaca-trading: new, fill, new, canceled in binary frames" ||
    { cp "$tmp/events" "$tmp/out"; bad "trading events"; }
stop

# Idle exit: no client for --idle-exit seconds and the server exits 0.
rm -f "$tmp/port"
"$replayd" --provider yahoo --fixture "$fx/bars_aapl_1m.csv" --idle-exit 1 \
    --port-file "$tmp/port" 2>/dev/null &
srv=$!
i=0
while kill -0 "$srv" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$srv" 2>/dev/null; then
	kill "$srv"
	bad "idle exit: still running after 10 s"
else
	wait "$srv"
	[ $? = 0 ] && [ -s "$tmp/port" ] && ok "idle exit: exits 0 by itself" ||
	    bad "idle exit status"
fi

finish
