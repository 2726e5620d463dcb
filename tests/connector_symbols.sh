#!/bin/sh
# Every connector plugin exports exactly one dynamic symbol,
# th_plugin_entry: the helpers compiled into each stay hidden.  Skipped
# (77) without nm.
set -u
dir=${TH_CONNECTORS:-plugins/.libs}
command -v nm >/dev/null 2>&1 || { echo "SKIP: no nm"; exit 77; }
fail=0
for name in binance finnhub alpaca_data yahoo alpaca_broker; do
	so=$dir/$name.so
	if [ ! -f "$so" ]; then
		echo "FAIL: $so missing"
		fail=1
		continue
	fi
	syms=$(nm -D --defined-only "$so" | awk '{ print $NF }' | sort | tr '\n' ' ')
	if [ "$syms" = "th_plugin_entry " ]; then
		echo "PASS: $name exports only th_plugin_entry"
	else
		echo "FAIL: $name exports: $syms"
		fail=1
	fi
done
exit $fail
