#!/bin/sh
# The DQN agent from the command line: the shipped model trades out of the
# box, training is bit-for-bit reproducible, bad model files are refused,
# and a short training on a noisy sine beats buy-and-hold and a random
# policy on bars it never saw.
set -u
. "$(dirname "$0")/shlib.sh"
dqn=$strategies/dqn.so
random=$plugins/random.so

expect_run() {
	name=$1 status=$2 text=$3
	shift 3
	run "$@"
	if [ "$(cat "$tmp/rc")" != "$status" ]; then
		bad "$name (exit $(cat "$tmp/rc"), wanted $status)"
	elif ! grep -qF -- "$text" "$tmp/out" "$tmp/err"; then
		bad "$name (no '$text')"
	else
		ok "$name"
	fi
}

expect_run "the shipped model trades the demo data" 0 "_strategy" \
    --plugin "$dqn"

# Reproducibility: same seed, same file; another seed, another file.
run --plugin "$dqn" --episodes 2 --model "$tmp/a.model" -q
run --plugin "$dqn" --episodes 2 --model "$tmp/b.model" -q
run --plugin "$dqn" --episodes 2 --model "$tmp/c.model" -q --param seed=2
if cmp -s "$tmp/a.model" "$tmp/b.model" &&
    ! cmp -s "$tmp/a.model" "$tmp/c.model"; then
	ok "training is reproducible by seed"
else
	bad "training is reproducible by seed"
fi
expect_run "a trained model backtests" 0 "Return [%]" \
    --plugin "$dqn" --model "$tmp/a.model"

# Bad model files.
expect_run "a missing model" 1 "nothere.model" \
    --plugin "$dqn" --model "$tmp/nothere.model"
echo "not a model" >"$tmp/text.model"
expect_run "a foreign file" 1 "not a tradehost DQN model" \
    --plugin "$dqn" --model "$tmp/text.model"
head -c 1000 "$tmp/a.model" >"$tmp/short.model"
expect_run "a truncated model" 1 "short.model" \
    --plugin "$dqn" --model "$tmp/short.model"
cp "$tmp/a.model" "$tmp/flip.model"
printf '\001' | dd of="$tmp/flip.model" bs=1 seek=5000 conv=notrunc 2>/dev/null
expect_run "a flipped byte" 1 "corrupt" \
    --plugin "$dqn" --model "$tmp/flip.model"
expect_run "a model of other layer sizes" 1 "layer sizes" \
    --plugin "$dqn" --model "$tmp/a.model" --param hidden=32
expect_run "no state file for a state block with pointers" 1 \
    "keeps pointers in its state block" --plugin "$dqn" --state "$tmp/s"
expect_run "training needs --model" 2 "needs --model" \
    --plugin "$dqn" --episodes 2
expect_run "only learning strategies train" 1 "cannot learn" \
    --plugin "$sma" --episodes 2 --model "$tmp/x.model"
expect_run "an unknown statistic" 1 "not a numeric statistic" \
    --plugin "$dqn" --episodes 1 --model "$tmp/x.model" --select Nope

# Learning: a noisy sine with a 40-bar period.  The noise comes from an LCG
# small enough for any awk's doubles, so the data is the same everywhere.
sine() {
	awk -v from="$1" -v to="$2" 'BEGIN {
		print "Date,Open,High,Low,Close"
		x = 12345; pi = atan2(0, -1); prev = 100
		for (i = 0; i < to; i++) {
			x = (x * 1103515245 + 12345) % 2147483648
			c = 100 + 10 * sin(2 * pi * i / 40) + (x / 2147483648 - 0.5)
			if (i >= from)
				printf "%d,%.4f,%.4f,%.4f,%.4f\n", i, prev, \
				    (prev > c ? prev : c) + 0.1, \
				    (prev < c ? prev : c) - 0.1, c
			prev = c
		}
	}'
}
sine 0 2000 >"$tmp/train.csv"
sine 2000 3000 >"$tmp/test.csv"
run --plugin "$dqn" --data "$tmp/train.csv" --episodes 8 \
    --model "$tmp/sine.model" --select "Return [%]" -q
stat() { sed -n "s/^$1 *\\(-*[0-9.]*\\).*/\\1/p" "$tmp/out"; }
run --plugin "$dqn" --data "$tmp/test.csv" --model "$tmp/sine.model" \
    --finalize-trades
dqn_ret=$(stat 'Return \[%\]')
hold_ret=$(stat 'Buy & Hold Return \[%\]')
run --plugin "$random" --data "$tmp/test.csv" --finalize-trades
rand_ret=$(stat 'Return \[%\]')
echo "held-out returns: dqn $dqn_ret %, buy and hold $hold_ret %, random $rand_ret %"
if [ -n "$dqn_ret" ] && [ -n "$hold_ret" ] && [ -n "$rand_ret" ] &&
    awk -v d="$dqn_ret" -v h="$hold_ret" -v r="$rand_ret" \
    'BEGIN { exit !(d > h && d > r) }'; then
	ok "trained on a noisy sine, it beats buy-and-hold and random"
else
	bad "trained on a noisy sine, it beats buy-and-hold and random"
fi

finish
