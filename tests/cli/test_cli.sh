#!/bin/sh
# test_cli.sh MOTE SHARED_DIR WORK_DIR: checks the documented CLI contract.
MOTE=$1
SHARED=$2
WORK=$3
pass=0
fail=0
expect() { # expect NAME WANT_RC GOT_RC
  if [ "$2" = "$3" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $1: exit $3, expected $2"; fi
}
has() { # has NAME FILE PATTERN
  if grep -q -- "$3" "$2"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $1: '$3' not in output"; cat "$2"; fi
}
KWS=$SHARED/models/mlperf_tiny/kws_ref_model.tflite
CONF=$SHARED/conformance/kws_ref_model

"$MOTE" >/dev/null 2>&1; expect "no args" 2 $?
"$MOTE" frobnicate >/dev/null 2>&1; expect "unknown command" 2 $?
"$MOTE" run >/dev/null 2>&1; expect "run without model" 2 $?
"$MOTE" bench "$KWS" -n 0 >/dev/null 2>&1; expect "bench -n 0" 2 $?

"$MOTE" inspect "$KWS" --json >"$WORK/inspect.json"; expect "inspect --json" 0 $?
for key in '"ops"' '"inputs"' '"outputs"' '"macs": 2656768' '"weight_bytes"' \
           '"arena_bytes"' '"ram_bytes"' '"CONV_2D"' '"DEPTHWISE_CONV_2D"'; do
  has "inspect json $key" "$WORK/inspect.json" "$key"
done
"$MOTE" inspect "$KWS" >"$WORK/inspect.txt"; expect "inspect" 0 $?
has "inspect text" "$WORK/inspect.txt" "ram_bytes"

# run: golden input gives the golden output, byte for byte.
"$MOTE" run "$KWS" -i "$CONF/rand_s1_in0.bin" -o "$WORK/kws" >"$WORK/run.txt"
expect "run" 0 $?
if cmp -s "$WORK/kws_out0.bin" "$CONF/rand_s1_out0.bin"; then pass=$((pass + 1))
else fail=$((fail + 1)); echo "FAIL run output differs from golden"; fi
has "run summary top-5" "$WORK/run.txt" "top-5"
# run without -i: zero-point inputs, still succeeds.
"$MOTE" run "$KWS" --quiet; expect "run default inputs" 0 $?

# bad input files: wrong size, missing file, too many files.
head -c 100 "$CONF/rand_s1_in0.bin" >"$WORK/short.bin"
"$MOTE" run "$KWS" -i "$WORK/short.bin" 2>"$WORK/err.txt"; expect "short input" 5 $?
has "short input message" "$WORK/err.txt" "needs 490 bytes"
"$MOTE" run "$KWS" -i "$WORK/nonexistent.bin" 2>/dev/null; expect "missing input" 5 $?
"$MOTE" run "$KWS" -i "$CONF/rand_s1_in0.bin" -i "$CONF/rand_s1_in0.bin" 2>/dev/null
expect "too many inputs" 2 $?

# invalid models: truncated, not a flatbuffer, missing file.
head -c 3000 "$KWS" >"$WORK/trunc.tflite"
"$MOTE" inspect "$WORK/trunc.tflite" 2>"$WORK/err.txt"; expect "truncated model" 3 $?
has "truncated message" "$WORK/err.txt" "E_"
echo "not a model at all" >"$WORK/junk.tflite"
"$MOTE" run "$WORK/junk.tflite" 2>"$WORK/err.txt"; expect "junk model" 3 $?
has "junk message" "$WORK/err.txt" "E_BAD_IDENTIFIER"
"$MOTE" inspect "$WORK/no_such_model.tflite" 2>/dev/null; expect "missing model" 5 $?

# bench JSON keys.
"$MOTE" bench "$KWS" -n 5 --json >"$WORK/bench.json"; expect "bench" 0 $?
for key in '"median_us"' '"min_us"' '"max_us"' '"iterations": 5' '"arena_bytes"'; do
  has "bench json $key" "$WORK/bench.json" "$key"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
