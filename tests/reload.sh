#!/bin/sh
# Hot reload in a backtest over the demo data (bars 0-1999; the test
# strategy's first next() is at bar 30).  The strategy plays the operator:
# at a bar it installs a new build or configuration and raises SIGHUP
# (see tests/plugins/reload.c).  Checked: v1 -> v2 keeps the account and
# the state block and v2 trades afterwards; v1 -> v3 re-initializes the
# state; every bar runs exactly once; each kind of bad reload is refused
# with the run's results identical to a run without it; a restart after a
# reload resumes from the state saved with the new settings; a storm of
# reloads changes nothing.
set -u

. "$(dirname "$0")/shlib.sh"
v1=$plugins/reload_v1.so
v2=$plugins/reload_v2.so
v3=$plugins/reload_v3.so
cur=$tmp/cur.so
# Generations are copied here; every copy must be gone at the end.
TMPDIR=$tmp/gens
export TMPDIR
mkdir "$TMPDIR"

# install SRC DST: a deploy as an operator does it (never cp over).
install_as() { cp "$1" "$2.new" && mv "$2.new" "$2"; }

# Runs the v1 strategy from $cur over the demo data with the reports.
# run_v1 NAME [ARGS...]
run_v1() {
	name=$1
	shift
	install_as "$v1" "$cur"
	run --plugin "$cur" --trades "$tmp/$name.trades" \
	    --equity "$tmp/$name.eq" --audit "$tmp/$name.audit" -vv "$@"
	cp "$tmp/out" "$tmp/$name.out"
	cp "$tmp/err" "$tmp/$name.err"
}

rc_is() { [ "$(cat "$tmp/rc")" = "$1" ]; }

# Bars next() ran, one per line, from the strategy's debug record.
bars() { sed -n 's/.*Reload: bar \([0-9]*\) gen.*/\1/p' "$1"; }

# Every bar from 30 to 1999 exactly once, in order.
bars_once() {
	bars "$1" >"$tmp/bars"
	seq 30 1999 | cmp -s - "$tmp/bars"
}

# The trades' entry bars and sides: "BAR long|short" per trade.
sides() { awk -F, 'NR > 1 { print $2, ($1 > 0 ? "long" : "short") }' "$1"; }

# Every trade entered up to bar $2 is long, every later one short, and
# there is at least one of each.
long_then_short() {
	sides "$1" | awk -v at="$2" '
	    $1 <= at && $2 == "long" { pre++; next }
	    $1 > at && $2 == "short" { post++; next }
	    { bad++ }
	    END { exit !(bad == 0 && pre > 0 && post > 0) }'
}

# The account as the debug lines around the swap show it: equal.
account_kept() {
	grep 'reload: before the swap' "$1" | sed 's/before the swap//' \
	    >"$tmp/before"
	grep 'reload: after the swap' "$1" | sed 's/after the swap//' \
	    >"$tmp/after"
	[ -s "$tmp/before" ] && cmp -s "$tmp/before" "$tmp/after"
}

same_results() {
	cmp -s "$tmp/$1.out" "$tmp/$2.out" &&
	    cmp -s "$tmp/$1.trades" "$tmp/$2.trades" &&
	    cmp -s "$tmp/$1.eq" "$tmp/$2.eq" &&
	    [ "$(grep -E '^[0-9]' "$tmp/$1.audit")" = \
	    "$(grep -E '^[0-9]' "$tmp/$2.audit")" ]
}

no_copies_left() { [ -z "$(ls -A "$TMPDIR")" ]; }

# The reference: v1 alone.
run_v1 ref
if rc_is 0 && bars_once "$tmp/ref.err" && ! grep -q reload "$tmp/ref.err"
then ok "reference run"; else bad "reference run"; fi

# v1 -> v2 by a real SIGHUP at bar 1000: effective before bar 1001.
RELOAD_DEPLOY="1000:$v2:$cur" RELOAD_HUP=1000 run_v1 hup
if ! rc_is 0; then
	bad "v1->v2 by SIGHUP: status"
elif [ "$(grep -c 'reload: gen 0->1: Reload 1 .* -> Reload 2 .*; state carried over' "$tmp/hup.err")" != 1 ]; then
	bad "v1->v2 by SIGHUP: no single reload line"
elif ! grep -q '^,2013-11-05T00:00:00,reload,.*gen 0->1: Reload 1 (.*fnv1a [0-9a-f]*, ABI 1\.[0-9]) -> Reload 2 ' "$tmp/hup.audit"; then
	bad "v1->v2 by SIGHUP: the audit row"
elif ! account_kept "$tmp/hup.err"; then
	bad "v1->v2 by SIGHUP: positions, orders or cash changed at the swap"
elif ! bars_once "$tmp/hup.err"; then
	bad "v1->v2 by SIGHUP: a bar lost or run twice"
elif ! grep -q 'Reload: gen 1 fini after 971 bars (last bar 1000)' "$tmp/hup.err" ||
    ! grep -q 'Reload: gen 2 fini after 1970 bars (last bar 1999)' "$tmp/hup.err"; then
	bad "v1->v2 by SIGHUP: the state block was not carried over"
elif ! long_then_short "$tmp/hup.trades" 1001; then
	bad "v1->v2 by SIGHUP: v2 does not trade after the swap"
	sides "$tmp/hup.trades" | head
elif [ "$(cut -d, -f1 "$tmp/hup.eq" | sort -u | wc -l)" != 2001 ] ||
    [ "$(wc -l <"$tmp/hup.eq")" != 2001 ]; then
	bad "v1->v2 by SIGHUP: the equity curve lacks or repeats a bar"
elif cmp -s "$tmp/hup.out" "$tmp/ref.out"; then
	bad "v1->v2 by SIGHUP: the statistics did not change"
elif ! no_copies_left; then
	bad "v1->v2 by SIGHUP: a generation's copy is left in \$TMPDIR"
else
	ok "v1->v2 by SIGHUP: account and state kept, v2 trades, bars once"
fi

# The same by the scripted trigger: deployed at 900, reloaded before 1200.
RELOAD_DEPLOY="900:$v2:$cur" run_v1 at --reload-at 1200 --keep-plugins
if rc_is 0 && [ "$(grep -c 'reload: gen 0->1' "$tmp/at.err")" = 1 ] &&
    ! grep -q 'reload: gen 1->2' "$tmp/at.err" &&
    account_kept "$tmp/at.err" && bars_once "$tmp/at.err" &&
    long_then_short "$tmp/at.trades" 1200 && no_copies_left; then
	ok "v1->v2 by --reload-at 1200 (with --keep-plugins)"
else
	bad "v1->v2 by --reload-at 1200"
fi

# v1 -> v3: another state layout, so the block starts afresh.
RELOAD_DEPLOY="1000:$v3:$cur" RELOAD_HUP=1000 run_v1 v3
if rc_is 0 && grep -q 'gen 0->1: .* -> Reload 3 .*; state re-initialized' \
    "$tmp/v3.err" && account_kept "$tmp/v3.err" &&
    bars_once "$tmp/v3.err" &&
    grep -q 'Reload: gen 1 fini after 971 bars' "$tmp/v3.err" &&
    grep -q 'Reload: gen 3 fini after 999 bars (last bar 1999)' \
    "$tmp/v3.err" && long_then_short "$tmp/v3.trades" 1001; then
	ok "v1->v3: state re-initialized, bars once"
else
	bad "v1->v3"
fi

# refused NAME WANT ARGS...: a reload attempt at bar 1000 and again at
# 1500 is refused with WANT in the log and the audit, and the results are
# those of reference REF (default ref).
refused() {
	name=$1 want=$2
	shift 2
	if ! rc_is 0; then
		bad "refused $name: status $(cat "$tmp/rc")"
	elif [ "$(grep -c "reload: refused: .*$want" "$tmp/$name.err")" != 2 ]; then
		bad "refused $name: no two refusals naming '$want'"
	elif [ "$(grep -c ',reload,,,,,,"refused: .*gen 0 keeps trading' "$tmp/$name.audit")" != 2 ]; then
		bad "refused $name: the audit rows"
	elif ! same_results "$name" "${REF:-ref}"; then
		bad "refused $name: the results differ from the run without it"
	elif ! bars_once "$tmp/$name.err" || ! no_copies_left; then
		bad "refused $name: bars or copies"
	else
		ok "refused $name: the old generation traded on unchanged"
	fi
}

for bad_plugin in bad_abi:"not compatible with this host's ABI" \
    no_entry:"no th_plugin_entry symbol" \
    reload_bad_init:"DEMO: init: \|init() failed" \
    good:"the new build is strategy Good, not Reload: a renamed strategy"; do
	name=${bad_plugin%%:*}
	RELOAD_DEPLOY="1000:$plugins/$name.so:$cur" RELOAD_HUP=1000,1500 \
	    run_v1 "$name"
	refused "$name" "${bad_plugin#*:}"
done
RELOAD_DEPLOY="1000:-:$cur" RELOAD_HUP=1000,1500 run_v1 missing
refused missing "cur.so: cannot read plugin"

# The configuration: the plugin named by the file, which the strategy
# replaces at bar 1000 with an invalid one or one that changes what may
# not change.
cfg=$tmp/run.cfg
nosync='state = { fsync = false; };'
printf 'strategy = { plugin = "cur.so"; params = { slow = 30; }; };\n%s\n' \
    "$nosync" >"$tmp/good.cfg"
printf 'strategy = { plugin = "cur.so";\n  params = { slow = ; };\n};\n%s\n' \
    "$nosync" >"$tmp/syntax.cfg"
printf 'strategy = { plugin = "cur.so"; symbols = [ "X" ]; };\n%s\n' \
    "$nosync" >"$tmp/symbols.cfg"
printf 'strategy = { plugin = "cur.so"; };\nbroker = { cash = 5000.0; };\n%s\n' \
    "$nosync" >"$tmp/cash.cfg"
printf 'strategy = { plugin = "cur.so"; params = { slow = 5000; }; };\n%s\n' \
    "$nosync" >"$tmp/range.cfg"
printf 'strategy = { plugin = "cur.so"; };\n%s\n' \
    'state = { file = "x.state"; fsync = false; };' >"$tmp/state.cfg"

# run_cfg NAME [ARGS...]: v1 through the configuration file.
run_cfg() {
	name=$1
	shift
	install_as "$v1" "$cur"
	install_as "$tmp/good.cfg" "$cfg"
	run --config "$cfg" --trades "$tmp/$name.trades" \
	    --equity "$tmp/$name.eq" --audit "$tmp/$name.audit" -vv "$@"
	cp "$tmp/out" "$tmp/$name.out"
	cp "$tmp/err" "$tmp/$name.err"
}

run_cfg cfgref
if rc_is 0 && bars_once "$tmp/cfgref.err"; then ok "reference run by --config"
else bad "reference run by --config"; fi
for c in syntax:"run.cfg:2: " symbols:"strategy.symbols changed" \
    cash:"broker.cash changed" range:"strategy.params: " \
    state:"state changed"; do
	what=${c%%:*}
	RELOAD_DEPLOY="1000:$tmp/$what.cfg:$cfg" RELOAD_HUP=1000,1500 \
	    run_cfg "cfg_$what"
	REF=cfgref refused "cfg_$what" "${c#*:}"
done

# A reload that changes the parameters and the code, with a state file;
# then the same run killed after the reload and restarted with the same
# command (the configuration and build now the new ones) ends exactly as
# the uninterrupted one: the state file saved at the swap carries the new
# settings.
printf 'strategy = { plugin = "cur.so"; params = { fast = 5; slow = 20; }; };\n%s\n' \
    "$nosync" >"$tmp/params.cfg"
deploy="1000:$v2:$cur;1000:$tmp/params.cfg:$cfg"
RELOAD_DEPLOY=$deploy RELOAD_HUP=1000 run_cfg whole --state "$tmp/whole.state"
if rc_is 0 && grep -q 'reload: gen 0->1' "$tmp/whole.err" &&
    bars_once "$tmp/whole.err" && ! same_results whole cfgref; then
	ok "params and code reloaded together"
else
	bad "params and code reloaded together"
fi
rm -f "$tmp/k.state"
RELOAD_DEPLOY=$deploy RELOAD_HUP=1000 RELOAD_KILL=1500 \
    run_cfg killed --state "$tmp/k.state"
if rc_is 137; then
	run --config "$cfg" --trades "$tmp/killed.trades" \
	    --equity "$tmp/killed.eq" --state "$tmp/k.state"
	cp "$tmp/out" "$tmp/killed.out"
	if rc_is 0 && cmp -s "$tmp/killed.out" "$tmp/whole.out" &&
	    cmp -s "$tmp/killed.trades" "$tmp/whole.trades" &&
	    cmp -s "$tmp/killed.eq" "$tmp/whole.eq"; then
		ok "a restart after a reload resumes with the new settings"
	else
		bad "a restart after a reload resumes with the new settings"
	fi
else
	bad "killed after the reload: status $(cat "$tmp/rc")"
fi
rm -f "$TMPDIR"/*	# the killed run's copy

# A state block with pointers (dqn.so declares TH_PLUGIN_STATE_POINTERS)
# is never carried over: the same build comes back re-initialized from
# its model, and trades on as before.
dqn=$strategies/dqn.so model=$strategies/dqn.model
if [ -f "$model" ]; then
	run --plugin "$dqn" --model "$model"
	cp "$tmp/out" "$tmp/dqn.ref"
	run --plugin "$dqn" --model "$model" --reload-at 500 -v
	if rc_is 0 && grep -q 'gen 0->1: DQN .*; state re-initialized' \
	    "$tmp/err" && cmp -s "$tmp/out" "$tmp/dqn.ref"; then
		ok "a state block with pointers is re-initialized"
	else
		bad "a state block with pointers is re-initialized"
	fi
fi

# A storm: SIGHUP at every bar reloads the same build 1969 times (1000
# times, at bars 100-1099, under valgrind); with the state carried over,
# the run is the reference run exactly.
hup=all want=1969
[ -n "${VALGRIND:-}" ] && hup=$(seq -s , 100 1099) want=1000
RELOAD_HUP=$hup run_v1 storm
n=$(grep -c 'reload: gen [0-9]*->[0-9]*: ' "$tmp/storm.err")
if [ "$n" != "$want" ] || grep -q 'reload: refused' "$tmp/storm.err"; then
	bad "storm: $n reloads, not $want, or a refusal"
elif ! rc_is 0 || ! bars_once "$tmp/storm.err" ||
    ! cmp -s "$tmp/storm.out" "$tmp/ref.out" ||
    ! cmp -s "$tmp/storm.trades" "$tmp/ref.trades" ||
    ! cmp -s "$tmp/storm.eq" "$tmp/ref.eq" || ! no_copies_left; then
	bad "storm: the run is not the reference run"
else
	ok "storm: $n reloads, every bar once, results unchanged"
fi

run --plugin "$v1" --reload-at 10,x
if rc_is 2 && grep -q -- '--reload-at: not a list of bar numbers' \
    "$tmp/err"; then
	ok "--reload-at with a bad list is a usage error"
else
	bad "--reload-at with a bad list is a usage error"
fi

finish
