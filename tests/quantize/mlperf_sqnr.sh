#!/bin/sh
# mlperf_sqnr.sh: SQNR of mote's int8 model and of TensorFlow's converter
# int8 model against the float model, over the public conformance inputs
# of ../shared/conformance (float inputs; the int8 models get them
# quantized with their own input scale/zero point). mote calibrates on the
# same float conformance inputs.
#   usage: mlperf_sqnr.sh MOTE SHARED_DIR OUTDIR [MODEL...] [-- extra args]
# MODEL is a float model stem (vww_96_float, pretrainedResnet, ad01_fp32,
# hello_world_float); default: all four. Prints one line per model:
#   <stem> mote=<dB> tf=<dB> agree_mote=a/n agree_tf=a/n
set -eu
MOTE=$1; SHARED=$2; OUT=$3; shift 3
MODELS=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do MODELS="$MODELS $1"; shift; done
[ $# -gt 0 ] && shift
[ -n "$MODELS" ] || MODELS="vww_96_float pretrainedResnet ad01_fp32 hello_world_float"
mkdir -p "$OUT"
for stem in $MODELS; do
  case $stem in
    vww_96_float) f=mlperf_tiny/vww_96_float.tflite; q=mlperf_tiny/vww_96_int8.tflite ;;
    pretrainedResnet) f=mlperf_tiny/pretrainedResnet.tflite; q=mlperf_tiny/pretrainedResnet_quant.tflite ;;
    ad01_fp32) f=mlperf_tiny/ad01_fp32.tflite; q=mlperf_tiny/ad01_int8.tflite ;;
    hello_world_float) f=tflm/hello_world_float.tflite; q=tflm/hello_world_int8.tflite ;;
    *) echo "unknown model $stem" >&2; exit 2 ;;
  esac
  data=""
  for x in "$SHARED"/conformance/"$stem"/*_in0.bin; do data="$data --data $x"; done
  # shellcheck disable=SC2086
  "$MOTE" quantize "$SHARED/models/$f" -o "$OUT/$stem.int8.tflite" $data \
    --compare-int8 "$SHARED/models/$q" "$@" > "$OUT/$stem.txt"
  m=$(sed -n 's/^  mote: SQNR \([-0-9.]*\) dB.*/\1/p' "$OUT/$stem.txt")
  t=$(sed -n 's/^  other: SQNR \([-0-9.]*\) dB.*/\1/p' "$OUT/$stem.txt")
  am=$(sed -n 's/^  mote:.*agreement \([0-9/]*\).*/\1/p' "$OUT/$stem.txt")
  at=$(sed -n 's/^  other:.*agreement \([0-9/]*\).*/\1/p' "$OUT/$stem.txt")
  echo "$stem mote=$m tf=$t agree_mote=${am:--} agree_tf=${at:--}"
done
