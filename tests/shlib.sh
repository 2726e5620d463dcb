# Shared by the shell tests: the programs under test, a scratch directory,
# run (through valgrind under --enable-valgrind, whose errors exit 99) and
# the PASS/FAIL bookkeeping.  Sourced, not run.
th=${TH_TRADEHOST:-./tradehost}
plugins=${TH_TEST_PLUGINS:-tests/plugins/.libs}
strategies=${TH_STRATEGIES:-strategies}
sma=$strategies/sma.so
replayd=${TH_REPLAYD:-tests/replayd}
tmp=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
pass=0
fail=0

# serve NAME ARGS...: starts tests/replayd in the background (killed at
# exit if still running); PORT is its port.
serve() {
	name=$1
	shift
	rm -f "$tmp/$name.port"
	"$replayd" --idle-exit 20 --port-file "$tmp/$name.port" "$@" \
	    2>"$tmp/$name.log" &
	pids="$pids $!"
	i=0
	while [ ! -s "$tmp/$name.port" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	PORT=$(cat "$tmp/$name.port")
}

# refused "OPTION VALUE:MESSAGE" ARGS...: tradehost with ARGS and then
# OPTION VALUE fails, saying MESSAGE.
refused() {
	case_=$1
	shift
	# shellcheck disable=SC2086
	run "$@" ${case_%%:*}
	if [ "$(cat "$tmp/rc")" != 0 ] &&
	    grep -qF -- "${case_#*:}" "$tmp/err"; then
		ok "refused: ${case_%%:*}"
	else
		bad "refused: ${case_%%:*}"
	fi
}

# await FILE: waits up to 30 s for FILE to appear.
await() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 600 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

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
