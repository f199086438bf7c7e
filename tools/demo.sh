#!/bin/sh
# demo.sh BUILD_DIR: the main job on the bundled model: the int8
# Fashion-MNIST classifier made by mote's own pipeline
# (models/make_fashion.sh) classifies one bundled test image per class,
# each shown as terminal art with its class, confidence and latency;
# then the model's benchmark.
B=${1:-build}
M=models/fashion_int8.tflite
echo "== mote classify $M models/fashion/*.u8 --labels fashion-mnist"
"$B/mote" classify "$M" models/fashion/*.u8 --labels fashion-mnist || exit $?
echo
echo "== mote bench $M"
"$B/mote" bench "$M" -n 1000
