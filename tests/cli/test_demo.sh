#!/bin/sh
# test_demo.sh MOTE MAKE_DEMO MODELS_DIR WORK_DIR
MOTE=$1
MAKE_DEMO=$2
MODELS=$3
WORK=$4
pass=0
fail=0
mkdir -p "$WORK"
"$MAKE_DEMO" "$WORK" >/dev/null
for f in demo_int8.tflite demo_input.bin demo_horizontal.bin demo_vertical.bin \
         demo_diagonal.bin demo_anti_diagonal.bin; do
  if cmp -s "$WORK/$f" "$MODELS/$f"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $f differs from the committed file"; fi
done
k=0
for c in horizontal vertical diagonal anti_diagonal; do
  top=$("$MOTE" run "$MODELS/demo_int8.tflite" -i "$MODELS/demo_$c.bin" |
        sed -n 's/.*top-[0-9]*: #\([0-9]*\)=.*/\1/p')
  if [ "$top" = "$k" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL demo_$c.bin classified as #$top, expected #$k"; fi
  k=$((k + 1))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
