#!/bin/sh
# Integration tests of the tradehost command line: successful runs and every
# kind of bad input, each checked for its exit status and for an error that
# names the file, line, field or plugin.  Under --enable-valgrind each run
# goes through valgrind, whose own errors exit 99.
set -u

. "$(dirname "$0")/shlib.sh"
data=${TH_TEST_DATA:-tests/data}
shared=${TH_SHARED:-../shared}

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

# Configuration files, portfolios, logging (tradehost.conf(5)).
examples=${TH_EXAMPLES:-examples}
breakout=$strategies/breakout.so
printf 'broker = {\n  cash = "lots";\n};\n' >"$tmp/bad.cfg"
expect "config type error names file:line" 2 err "bad.cfg:2: broker.cash" -- \
    --config "$tmp/bad.cfg" --plugin "$sma"
printf 'strategy = { plugin = "%s"; params = { fast = 5; }; };\n' "$sma" \
    >"$tmp/plugin.cfg"
expect "plugin and parameters from a config file" 0 out \
    '"_strategy": "SmaCross(fast=5)"' -- --config "$tmp/plugin.cfg" --json
expect "the command line overrides the file" 0 out \
    '"_strategy": "SmaCross(fast=7)"' -- --config "$tmp/plugin.cfg" --json \
    --param fast=7
expect "shipped portfolio example runs" 0 out "Symbol" -- \
    --config "$examples/portfolio.cfg" --state "$tmp/p.state" \
    --audit "$tmp/p.audit"
expect "shipped backtest example runs" 0 out "SmaCross(fast=10..." -- \
    --config "$examples/backtest.cfg" --plugin "$sma"
expect "shipped risk example runs" 0 out "Return [%]" -- \
    --config "$examples/risk.cfg" --plugin "$sma" --audit "$tmp/r.audit"
expect "breakout on the demo data" 0 out "Breakout" -- --plugin "$breakout"
mkdir "$tmp/dir"
for sym in AAA BBB; do
	{ echo Date,Open,High,Low,Close
	  i=1
	  while [ $i -le 40 ]; do
		printf '2021-%02d-%02d,%d,%d,%d,%d\n' $(((i - 1) / 28 + 1)) \
		    $(((i - 1) % 28 + 1)) $((100 + i % 7)) $((105 + i % 7)) \
		    $((95 + i % 7)) $((101 + i % 5))
		i=$((i + 1))
	  done; } >"$tmp/dir/$sym.csv"
done
expect "a directory of symbol files" 0 out "BBB" -- --plugin "$sma" \
    --data "$tmp/dir" --symbols AAA,BBB --param fast=2 --param slow=5
expect "SYMBOL=FILE pairs" 0 out '"Symbol": "' -- --plugin "$sma" \
    --data "X=$tmp/dir/AAA.csv" --data "Y=$tmp/dir/BBB.csv" --param fast=2 \
    --param slow=5 --json
expect "a directory needs --symbols" 1 err "say which symbols" -- \
    --plugin "$sma" --data "$tmp/dir"
expect "a symbol without a file" 1 err "no file for symbol 'C'" -- \
    --plugin "$sma" --symbols X,C --data "X=$tmp/dir/AAA.csv"
expect "a missing symbol file" 1 err "CCC.csv" -- \
    --plugin "$sma" --symbols AAA,CCC --data "$tmp/dir"
expect "duplicate symbols" 2 err "'A' is listed twice" -- \
    --plugin "$sma" --symbols A,B,A
expect "an empty symbol name" 2 err "empty name in 'A,,B'" -- \
    --plugin "$sma" --symbols A,,B
printf 'data = { files = { Z = "/nonexistent.csv"; }; };\n' >"$tmp/data.cfg"
expect "--data replaces the file's data" 0 out "AAA" -- --plugin "$sma" \
    --config "$tmp/data.cfg" --data "$tmp/dir" --symbols AAA,BBB \
    --param fast=2 --param slow=5
expect "log file" 0 out "Return" -- --plugin "$sma" \
    --log-file "$tmp/th-%Y.log"
if grep -q "warning: some trades remain open" "$tmp"/th-*.log; then
	ok "the log file holds the warning"
else
	bad "the log file holds the warning"
fi
expect "audit trail" 0 out "Return" -- --plugin "$sma" \
    --audit "$tmp/audit.csv"
if head -1 "$tmp/audit.csv" | grep -qx \
    'seq,time,kind,symbol,side,size,price,order_id,reason,equity' &&
    grep -q '^1,2010-.*,order,DEMO,' "$tmp/audit.csv" &&
    grep -q ',fill,DEMO,' "$tmp/audit.csv"; then
	ok "audit trail rows"
else
	bad "audit trail rows"
fi

finish
