#!/bin/sh
# Kill-and-restart equivalence of the state file: a run killed with SIGKILL
# mid-way and restarted over the same data ends with exactly the result of
# an uninterrupted run (statistics, trades, equity curve and the audit
# trail's trading rows), for one symbol and for a portfolio under risk
# limits; and a corrupt or mismatched state file is refused whole.
set -u

. "$(dirname "$0")/shlib.sh"
killer=$plugins/killer.so

# The trading rows of an audit file: numbered ones, without the lifecycle
# rows (start, resume, stop) that differ between the two runs.
trading_rows() { grep -E '^[0-9]' "$1"; }

cat >"$tmp/risk.cfg" <<'EOF'
broker = { finalize_trades = true; commission = 0.001; };
risk = {
  max_open_positions = 2;
  max_trades_per_day = 1;
  max_position_fraction = 0.5;
  max_drawdown = 0.5;
  duplicate_guard = true;
};
EOF

# reference NAME ARGS...: an uninterrupted run without a state file.
reference() {
	name=$1
	shift
	run "$@" --trades "$tmp/$name.ref.trades" --equity "$tmp/$name.ref.eq" \
	    --audit "$tmp/$name.ref.audit"
	cp "$tmp/out" "$tmp/$name.ref.out"
	[ "$(cat "$tmp/rc")" = 0 ] || bad "$name: reference run"
}

# interrupted REF NAME KILLS ARGS...: dies at each bar of KILLS in turn
# (a comma list), then finishes; compares everything with reference REF.
interrupted() {
	ref=$1 name=$2 kills=$3
	shift 3
	state=$tmp/$name.state
	rm -f "$state"
	for k in $(echo "$kills" | tr , ' '); do
		KILL_AT=$k run "$@" --state "$state" --audit "$tmp/$name.audit"
		rc=$(cat "$tmp/rc")
		if [ "$rc" != 137 ] || [ ! -f "$state" ]; then
			bad "$name: run killed at bar $k (status $rc)"
			return
		fi
	done
	run "$@" --state "$state" --audit "$tmp/$name.audit" \
	    --trades "$tmp/$name.trades" --equity "$tmp/$name.eq"
	if [ "$(cat "$tmp/rc")" != 0 ]; then
		bad "$name: the restart failed"
	elif ! cmp -s "$tmp/out" "$tmp/$ref.ref.out"; then
		bad "$name: statistics differ"
		diff "$tmp/out" "$tmp/$ref.ref.out" | head -10
	elif ! cmp -s "$tmp/$name.trades" "$tmp/$ref.ref.trades"; then
		bad "$name: trades differ"
	elif ! cmp -s "$tmp/$name.eq" "$tmp/$ref.ref.eq"; then
		bad "$name: equity curves differ"
	elif ! trading_rows "$tmp/$name.audit" >"$tmp/a1" ||
	    ! trading_rows "$tmp/$ref.ref.audit" >"$tmp/a2" ||
	    ! cmp -s "$tmp/a1" "$tmp/a2"; then
		bad "$name: audit trading rows differ"
		diff "$tmp/a1" "$tmp/a2" | head -10
	elif [ "$(grep -c ',resume,' "$tmp/$name.audit")" -lt 1 ]; then
		bad "$name: no resume row in the audit"
	else
		ok "$name: killed at bars $kills, restarted: identical result"
	fi
}

one="--plugin $killer"
reference one $one
interrupted one one 400 $one
interrupted one one-twice 300,1200 $one
interrupted one one-late 1999 $one

many="--plugin $killer --symbols A,B,C --config $tmp/risk.cfg --param size=0.3"
reference many $many
interrupted many many 500 $many
interrupted many many-thrice 100,900,1700 $many

# The reference runs must have traded, or the comparison proves little.
if [ "$(grep -c . "$tmp/many.ref.trades")" -gt 20 ] &&
    grep -q ',refused,' "$tmp/many.ref.audit"; then
	ok "the portfolio reference traded and met the risk gate"
else
	bad "the portfolio reference traded too little"
fi

# refused NAME TEXT ARGS...: exit 1 and TEXT on stderr.
refused() {
	name=$1 text=$2
	shift 2
	run "$@"
	if [ "$(cat "$tmp/rc")" = 1 ] && grep -qF -- "$text" "$tmp/err"; then
		ok "$name"
	else
		bad "$name (status $(cat "$tmp/rc"), wanted '$text')"
	fi
}

good=$tmp/one.state
cp "$good" "$tmp/flipped"
printf '\377' | dd of="$tmp/flipped" bs=1 seek=100 conv=notrunc 2>/dev/null
refused "a flipped byte is refused" "corrupt or truncated" \
    $one --state "$tmp/flipped"
head -c 200 "$good" >"$tmp/short"
refused "a truncated file is refused" "corrupt or truncated" \
    $one --state "$tmp/short"
echo "not a state file" >"$tmp/text"
refused "a foreign file is refused" "not a tradehost state file" \
    $one --state "$tmp/text"
cp "$good" "$tmp/copy"
refused "other parameters are refused" "written with other strategy parameters" \
    $one --param fast=5 --state "$tmp/copy"
refused "other broker terms are refused" "broker terms or risk limits" \
    $one --cash 5000 --state "$tmp/copy"
refused "another strategy's state is refused" "written by strategy Killer" \
    --plugin "$sma" --state "$tmp/copy"
refused "other symbols are refused" "written for other symbols" \
    $one --symbols X --state "$tmp/copy"
{ echo Date,Open,High,Low,Close
  printf '2020-01-0%d,1,2,0.5,1.5\n' 1 2 3 4 5 6 7 8 9; } >"$tmp/other.csv"
refused "other data is refused" "the data does not match" \
    $one --symbols DEMO --data "$tmp/other.csv" --state "$tmp/copy"
# A refused file is left as it was.
if cmp -s "$good" "$tmp/copy"; then
	ok "a refused state file is not touched"
else
	bad "a refused state file was changed"
fi

finish
