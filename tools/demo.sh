#!/bin/sh
# demo.sh BUILD_DIR: the main job on the bundled model: inspect it, classify
# each bundled 8x8 image (shown as terminal art), benchmark it.
B=${1:-build}
M=models/demo_int8.tflite
echo "== mote inspect $M"
"$B/mote" inspect "$M" || exit $?
echo
echo "classes: #0 horizontal  #1 vertical  #2 diagonal  #3 anti_diagonal"
for c in horizontal vertical diagonal anti_diagonal; do
  echo
  echo "== mote run $M -i models/demo_$c.bin"
  od -An -v -tu1 -w8 "models/demo_$c.bin" |
    sed -e 's/ *127/ ##/g' -e 's/ *0/ ../g' -e 's/^/   /'
  "$B/mote" run "$M" -i "models/demo_$c.bin" | sed -n 's/^ *top/  top/p' || exit $?
done
echo
echo "== mote bench $M"
"$B/mote" bench "$M" -n 1000
