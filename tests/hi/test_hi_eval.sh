#!/bin/sh
# test_hi_eval.sh: `mote hi-eval` end to end on Fashion-MNIST: trains two
# small float models (a linear local one, a wider remote one) for one
# epoch on a few thousand images, runs hi-eval on 500 test images with a
# real `mote serve` spawned on loopback, and checks the table, the CSV,
# the JSON and the SVG.
# usage: test_hi_eval.sh MOTE WORKDIR
set -u
MOTE=$1
W=$2
rm -rf "$W"
mkdir -p "$W"
fails=0
fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}
"$MOTE" train fc:10 -o "$W/local.tflite" --epochs 1 --limit 3000 --quiet \
  --threads 1 >"$W/train1.log" 2>&1 || { cat "$W/train1.log"; exit 1; }
"$MOTE" train fc:64,relu,fc:10 -o "$W/remote.tflite" --epochs 2 --limit 6000 \
  --quiet --threads 1 >"$W/train2.log" 2>&1 || { cat "$W/train2.log"; exit 1; }
for mode in "" --binary; do
  "$MOTE" hi-eval "$W/local.tflite" "$W/remote.tflite" --limit 500 $mode \
    --csv "$W/hi.csv" --json "$W/hi.json" --svg "$W/hi.svg" \
    >"$W/out.txt" 2>"$W/err.txt"
  rc=$?
  [ $rc = 0 ] || fail "hi-eval $mode exit $rc: $(cat $W/err.txt)"
  grep -q '^hi-eval: 500 test images' "$W/out.txt" || fail "summary line"
  grep -q ', 0 remote failures$' "$W/out.txt" || fail "remote failures"
  grep -q '^online ' "$W/out.txt" || fail "online row"
  grep -q '^remote .* 100\.0%' "$W/out.txt" || fail "remote row offloads all"
  grep -q '^local .*  0\.0%' "$W/out.txt" || fail "local row offloads none"
done
# CSV: header + local + remote + 4 rules x 51 thresholds + online
[ "$(wc -l <"$W/hi.csv")" = 208 ] || fail "CSV rows: $(wc -l <"$W/hi.csv")"
head -1 "$W/hi.csv" | grep -q '^rule,threshold,accuracy,offloaded' ||
  fail "CSV header"
# maxprob at threshold 0 offloads nothing, at 1 offloads (almost) all
grep -q '^maxprob,0.0000,[0-9.]*,0.0000,' "$W/hi.csv" || fail "maxprob t=0"
grep -q '"energy_uj_estimate"' "$W/hi.json" || fail "JSON energy"
grep -q '"source": "estimate:' "$W/hi.json" || fail "JSON profile source"
grep -q '"remote_accuracy"' "$W/hi.json" || fail "JSON summary"
grep -q '^<svg ' "$W/hi.svg" && grep -q '</svg>' "$W/hi.svg" || fail "SVG"
grep -c '<polyline' "$W/hi.svg" | grep -q '^4$' || fail "SVG 4 curves"
# usage errors
"$MOTE" hi-eval "$W/local.tflite" >/dev/null 2>&1
[ $? = 2 ] || fail "one model: not exit 2"
"$MOTE" hi-eval "$W/local.tflite" "$W/remote.tflite" --profile nope \
  >/dev/null 2>&1
[ $? = 2 ] || fail "bad profile: not exit 2"
[ $fails = 0 ] && echo "hi-eval: all checks passed"
[ $fails = 0 ]
