# Shared by the shell tests: the programs under test, a scratch directory,
# run (through valgrind under --enable-valgrind, whose errors exit 99) and
# the PASS/FAIL bookkeeping.  Sourced, not run.
th=${TH_TRADEHOST:-./tradehost}
plugins=${TH_TEST_PLUGINS:-tests/plugins/.libs}
strategies=${TH_STRATEGIES:-strategies}
sma=$strategies/sma.so
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# run ARGS...: tradehost's stdout, stderr and status into $tmp/out, err, rc.
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

# The exit status of a shell test.
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
