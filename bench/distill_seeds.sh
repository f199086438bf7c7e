#!/bin/sh
# bench/distill_seeds.sh: does knowledge distillation improve a student over
# plain training of the same student for the same epochs? Runs
# `mote distill TEACHER SPEC --baseline` (distilled and plain student, same
# seed, same data order) for each seed and prints each paired gain, then
# the mean gain, its standard error and how many seeds gained.
#
#   bench/distill_seeds.sh [TEACHER] [SPEC] [SEEDS] [-- extra distill args]
#
# Defaults: the bundled int8 model (models/fashion_int8.tflite), student
# fc:128,relu,fc:10 (the issue's mlp_s), seeds 1..15, T=2, alpha=0.5,
# 10 epochs. MOTE=path/to/mote overrides ./build/mote.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
mote=${MOTE:-$here/build/mote}
teacher=${1:-$here/models/fashion_int8.tflite}
spec=${2:-fc:128,relu,fc:10}
seeds=${3:-"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15"}
[ $# -ge 3 ] && shift 3 || shift $#
[ "${1:-}" = "--" ] && shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for s in $seeds; do
  "$mote" distill "$teacher" "$spec" -o "$out/s.tflite" --epochs 10 \
    --baseline --seed "$s" --T 2 --alpha 0.5 --json "$@" 2>/dev/null |
    sed -n 's/.*"distilled_accuracy": \([0-9.]*\), "baseline_accuracy": \([0-9.]*\).*/\1 \2/p' |
    awk -v s="$s" '{ printf "seed %s: distilled %.2f%%  plain %.2f%%  gain %+.2f\n", s, 100*$1, 100*$2, 100*($1-$2) }'
done | tee "$out/gains.txt"
awk '{ g = substr($8, 1) + 0; n++; sum += g; sq += g * g; if (g > 0) pos++ }
     END { if (n < 2) exit 1; m = sum / n; sd = sqrt((sq - n * m * m) / (n - 1));
           printf "%d seeds: mean gain %+.3f points, standard error %.3f, %d of %d gained\n", n, m, sd / sqrt(n), pos, n }' "$out/gains.txt"
