#!/bin/sh
# test_mlperf.sh: mote quantize on the fast MLPerf Tiny / TFLM float models
# (ad01_fp32, hello_world_float), calibrated on their float conformance
# inputs, must be at least as close to the float model (SQNR over those
# inputs) as the int8 models TensorFlow's converter produced (margin 0):
#   hello_world_float: measured mote 41.99 dB, TF 7.75 dB.
#   ad01_fp32, per-tensor FC weights (the spec's default), --calib sqnr
#     (the default: FC bias correction + range search): 33.20 vs 29.11 dB
#     (26.24 dB with plain --calib minmax).
#   ad01_fp32 --fc-per-channel: 37.78 vs 29.11 dB.
#   ad01_fp32 held out: calibrated on rand_s1..3 + w000, w130, scored on
#     rand_s4..6 + w065, w195: 31.37 vs 29.45 dB (minmax 26.31).
#   usage: test_mlperf.sh MOTE SHARED_DIR WORKDIR
set -eu
MOTE=$1; SHARED=$2; OUT=$3
HERE=$(dirname "$0")
fail=0
check() { # name mote_dB tf_dB margin
  if awk -v m="$2" -v t="$3" -v g="$4" 'BEGIN { exit !(m != "" && t != "" && m + 0 >= t - g) }'; then
    echo "ok   $1: mote $2 dB >= TF $3 dB - $4"
  else
    echo "FAIL $1: mote $2 dB < TF $3 dB - $4"; fail=1
  fi
}
check_line() { # name line margin
  check "$1" "$(echo "$2" | sed -n 's/.* mote=\([-0-9.]*\) .*/\1/p')" \
    "$(echo "$2" | sed -n 's/.* tf=\([-0-9.]*\) .*/\1/p')" "$3"
}
l=$(sh "$HERE/mlperf_sqnr.sh" "$MOTE" "$SHARED" "$OUT/hw" hello_world_float)
check_line hello_world_float "$l" 0
l=$(sh "$HERE/mlperf_sqnr.sh" "$MOTE" "$SHARED" "$OUT/ad" ad01_fp32)
check_line "ad01_fp32 (per-tensor fc)" "$l" 0
l=$(sh "$HERE/mlperf_sqnr.sh" "$MOTE" "$SHARED" "$OUT/adpc" ad01_fp32 -- --fc-per-channel)
check_line "ad01_fp32 (--fc-per-channel)" "$l" 0
# Held out: calibrate on half of the conformance inputs, score on the rest.
C=$SHARED/conformance/ad01_fp32
mkdir -p "$OUT/adh"
"$MOTE" quantize "$SHARED/models/mlperf_tiny/ad01_fp32.tflite" \
  -o "$OUT/adh/ad01.int8.tflite" \
  --data "$C/rand_s1_in0.bin" --data "$C/rand_s2_in0.bin" \
  --data "$C/rand_s3_in0.bin" --data "$C/mlperf_ad_w000_in0.bin" \
  --data "$C/mlperf_ad_w130_in0.bin" \
  --eval-data "$C/rand_s4_in0.bin" --eval-data "$C/rand_s5_in0.bin" \
  --eval-data "$C/rand_s6_in0.bin" --eval-data "$C/mlperf_ad_w065_in0.bin" \
  --eval-data "$C/mlperf_ad_w195_in0.bin" \
  --compare-int8 "$SHARED/models/mlperf_tiny/ad01_int8.tflite" \
  > "$OUT/adh/out.txt" 2> "$OUT/adh/err.txt"
check "ad01_fp32 (held out)" \
  "$(sed -n 's/^  mote: SQNR \([-0-9.]*\) dB.*/\1/p' "$OUT/adh/out.txt")" \
  "$(sed -n 's/^  other: SQNR \([-0-9.]*\) dB.*/\1/p' "$OUT/adh/out.txt")" 0
# The written models load and run in mote.
"$MOTE" run "$OUT/ad/ad01_fp32.int8.tflite" --quiet > /dev/null
"$MOTE" run "$OUT/hw/hello_world_float.int8.tflite" --quiet > /dev/null
exit $fail
