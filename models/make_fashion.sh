#!/bin/sh
# make_fashion.sh [BUILD_DIR]: regenerate the bundled Fashion-MNIST demo
# from the data with mote's own pipeline (one command, ~10 min on 2 cores):
#   mote train    float CNN, 15 epochs, Adam + one-cycle (seeded)
#   mote quantize int8, per-channel weights, min/max ranges on 1,000 images
#                 (this model; the newer default --calib sqnr
#                 scores 91.71% here against min/max's 91.81%)
#   mote eval     test accuracy of the int8 model
#   mote data     one test image per class as raw 28x28 bytes
# Needs Debian's dataset-fashion-mnist. Writes models/fashion_int8.tflite
# and models/fashion/*.u8 (run from the repository root).
set -e
B=${1:-build}
SPEC="conv3x3:12:same,bn,relu,maxpool2,conv3x3:32:same,bn,relu,maxpool2,conv3x3:64:same,bn,relu,maxpool2,fc:10"
TMP=${TMPDIR:-/tmp}/mote_fashion.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
"$B/mote" train "$SPEC" --epochs 15 --seed 1 -o "$TMP/fashion_f32.tflite"
"$B/mote" quantize "$TMP/fashion_f32.tflite" -o models/fashion_int8.tflite \
  --dataset fashion-mnist --calib-count 1000 --eval-count 2000 --calib minmax
"$B/mote" eval models/fashion_int8.tflite --dataset fashion-mnist
rm -f models/fashion/*.u8
"$B/mote" data export --split test --per-class 1 -o models/fashion
