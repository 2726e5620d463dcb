#!/bin/sh
# Integration tests of the tradehost command line: successful runs and every
# kind of bad input, each checked for its exit status and for an error that
# names the file, line, field or plugin.  Under --enable-valgrind each run
# goes through valgrind, whose own errors exit 99.
set -u

th=${TH_TRADEHOST:-./tradehost}
data=${TH_TEST_DATA:-tests/data}
plugins=${TH_TEST_PLUGINS:-tests/plugins/.libs}
sma=${TH_STRATEGIES:-strategies}/sma.so
shared=${TH_SHARED:-../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

run() {
	if [ -n "${VALGRIND:-}" ]; then
		TH_KEEP_PLUGINS=1 "$VALGRIND" --quiet --error-exitcode=99 \
		    --leak-check=full --errors-for-leak-kinds=definite,indirect \
		    "$th" "$@" >"$tmp/out" 2>"$tmp/err"
	else
		"$th" "$@" >"$tmp/out" 2>"$tmp/err"
	fi
	echo $? >"$tmp/rc"
}

ok() { pass=$((pass + 1)); echo "PASS: $1"; }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $1"
	sed 's/^/  stdout: /' "$tmp/out" | head -20
	sed 's/^/  stderr: /' "$tmp/err" | head -20
}

# expect NAME STATUS STREAM TEXT -- ARGS...: runs tradehost with ARGS and
# checks the exit status and that STREAM (out or err) contains TEXT.
expect() {
	name=$1 status=$2 stream=$3 text=$4
	shift 5
	run "$@"
	if [ "$(cat "$tmp/rc")" != "$status" ]; then
		bad "$name (exit $(cat "$tmp/rc"), wanted $status)"
	elif ! grep -qF -- "$text" "$tmp/$stream"; then
		bad "$name ($stream lacks '$text')"
	else
		ok "$name"
	fi
}

expect "demo run prints the statistics" 0 out "Return [%]" -- --plugin "$sma"
expect "demo run names the strategy" 0 out "_strategy" -- --plugin "$sma"
expect "json output" 0 out '"# Trades": ' -- --plugin "$sma" --json
expect "json trades array" 0 out '"_trades": [' -- --plugin "$sma" --json
expect "parameters set from the command line" 0 out \
    '"_strategy": "SmaCross(fast=5,slow=20)"' -- --plugin "$sma" \
    --param fast=5 --param slow=20 --json
expect "trades and equity files" 0 out "Equity Final" -- --plugin "$sma" \
    --trades "$tmp/trades.csv" --equity "$tmp/equity.csv" --finalize-trades
if head -1 "$tmp/trades.csv" | grep -q '^Size,EntryBar,ExitBar' &&
    head -1 "$tmp/equity.csv" | grep -q 'Equity,DrawdownPct,DrawdownDuration'
then ok "trades and equity CSV headers"
else bad "trades and equity CSV headers"; fi
expect "list parameters" 0 out "fast" -- --plugin "$sma" --list-params
expect "help" 0 out "usage: tradehost" -- --help
expect "version" 0 out "tradehost " -- --version

expect "no --plugin" 2 err "--plugin PATH (or strategy.plugin" --
expect "unknown option" 2 err "'--bogus'" -- --plugin "$sma" --bogus
expect "cash not a number" 2 err "--cash: not a number: 'x'" -- \
    --plugin "$sma" --cash x
expect "cash out of range" 2 err "cash: must be a positive number" -- \
    --plugin "$sma" --cash -5
expect "margin out of range" 2 err "margin: must be in (0, 1]" -- \
    --plugin "$sma" --margin 2
expect "commission out of range" 2 err "the rate must be in [-0.1, 0.1)" \
    -- --plugin "$sma" --commission 0.5

expect "unknown parameter" 1 err "unknown parameter 'bogus'" -- \
    --plugin "$sma" --param bogus=1
expect "parameter not a number" 1 err "parameter fast: not a number" -- \
    --plugin "$sma" --param fast=abc
expect "parameter out of range" 1 err "parameter fast: 0 is out of range" \
    -- --plugin "$sma" --param fast=0
expect "missing plugin" 1 err "nowhere.so: cannot read plugin" -- \
    --plugin "$tmp/nowhere.so"
expect "wrong ABI" 1 err "is not compatible with this host's ABI" -- \
    --plugin "$plugins/bad_abi.so"
expect "no entry symbol" 1 err "no th_plugin_entry symbol" -- \
    --plugin "$plugins/no_entry.so"
expect "short descriptor" 1 err "plugin descriptor is 16 bytes" -- \
    --plugin "$plugins/short_struct.so"
expect "failing init" 1 err "InitFail: init: init() failed" -- \
    --plugin "$plugins/init_fail.so"

expect "missing data file" 1 err "$tmp/none.csv" -- --plugin "$sma" \
    --data "$tmp/none.csv"
expect "NaN price" 1 err "nan_price.csv:" -- --plugin "$sma" \
    --data "$data/nan_price.csv"
expect "NaN price names the column" 1 err "column Low: NaN price" -- --plugin "$sma" \
    --data "$data/nan_price.csv"
expect "missing column" 1 err "Close" -- --plugin "$sma" \
    --data "$data/missing_close.csv"
expect "not a number in a cell" 1 err "not_a_number.csv:" -- \
    --plugin "$sma" --data "$data/not_a_number.csv"
expect "short row" 1 err "short_row.csv:" -- --plugin "$sma" \
    --data "$data/short_row.csv"
expect "no data rows" 1 err "header_only.csv" -- --plugin "$sma" \
    --data "$data/header_only.csv"
expect "bad index" 1 err "bad_index.csv:" -- --plugin "$sma" \
    --data "$data/bad_index.csv"
expect "unwritable trades file" 1 err "$tmp/no/dir/t.csv" -- \
    --plugin "$sma" --trades "$tmp/no/dir/t.csv"

if [ -r "$shared/data/GOOG.csv" ]; then
	expect "GOOG parity from the command line" 0 out "51422.99" -- \
	    --plugin "$sma" --data "$shared/data/GOOG.csv" --finalize-trades
	expect "GOOG trade count" 0 out '"# Trades": 66' -- --plugin "$sma" \
	    --data "$shared/data/GOOG.csv" --finalize-trades --json
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
