#!/usr/bin/env bash
# bench/run.sh: `mote bench` over every model in ../shared/models, once with
# the reference kernels (MOTE_ISA=ref) and once with the best kernels this
# CPU runs (MOTE_ISA=auto), as a table or JSON.
#
#   bench/run.sh [-n N] [--warmup W] [--callgrind] [--json] [MODEL...]
#
#   BUILD=build-simd bench/run.sh      use another build folder (default build)
#   SHARED=/path/to/shared              models folder parent (default ../shared)
#
# Columns: median µs per invoke (ref, best), speed-up = ref / best, the
# chosen ISA, arena_bytes (the arena the model needs with the best kernels;
# the AVX2 kernels add none). --callgrind adds instructions per invoke
# measured with valgrind --tool=callgrind as (Ir of N+1 invokes - Ir of 1
# invoke) / N, so init is excluded; instruction counts are stable where
# wall time is not. Read medians as ratios on one machine, not absolutes.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$here/build}
shared=${SHARED:-$here/../shared}
mote=$build/mote
n=200
warmup=5
callgrind=0
json=0
models=()
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --callgrind) callgrind=1; shift ;;
    --json) json=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
    *) models+=("$1"); shift ;;
  esac
done
[ -x "$mote" ] || { echo "bench/run.sh: $mote not built (make, or set BUILD)" >&2; exit 2; }
if [ ${#models[@]} -eq 0 ]; then
  while IFS= read -r f; do models+=("$f"); done \
    < <(find "$shared/models" -name '*.tflite' | sort)
fi
[ ${#models[@]} -gt 0 ] || { echo "bench/run.sh: no models under $shared/models" >&2; exit 2; }

best=auto
if MOTE_ISA=avx2 "$mote" bench "${models[0]}" -n 1 --warmup 0 >/dev/null 2>&1; then
  best_name=avx2
else
  best_name=ref
fi

# key JSON -> value
field() { sed -n "s/.*\"$1\": *\([0-9.]*\).*/\1/p"; }

# Instructions per invoke under callgrind.
instr() { # isa model
  local a b
  a=$(MOTE_ISA=$1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      "$mote" bench "$2" -n 1 --warmup 0 2>&1 >/dev/null |
      sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
  b=$(MOTE_ISA=$1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      "$mote" bench "$2" -n 11 --warmup 0 2>&1 >/dev/null |
      sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
  echo $(( (b - a) / 10 ))
}

rows=()
for m in "${models[@]}"; do
  name=$(basename "$m" .tflite)
  r=$(MOTE_ISA=ref "$mote" bench "$m" -n "$n" --warmup "$warmup" --json)
  o=$(MOTE_ISA=$best "$mote" bench "$m" -n "$n" --warmup "$warmup" --json)
  ref_us=$(echo "$r" | field median_us)
  opt_us=$(echo "$o" | field median_us)
  arena=$(echo "$o" | field arena_bytes)
  speed=$(awk -v a="$ref_us" -v b="$opt_us" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  ri=""; oi=""; ispeed=""
  if [ $callgrind -eq 1 ]; then
    ri=$(instr ref "$m")
    oi=$(instr "$best" "$m")
    ispeed=$(awk -v a="$ri" -v b="$oi" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  fi
  rows+=("$name|$ref_us|$opt_us|$speed|$best_name|$arena|$ri|$oi|$ispeed")
done

if [ $json -eq 1 ]; then
  echo "["
  i=0
  for row in "${rows[@]}"; do
    IFS='|' read -r name ref_us opt_us speed isa arena ri oi ispeed <<<"$row"
    i=$((i + 1))
    sep=","; [ $i -eq ${#rows[@]} ] && sep=""
    extra=""
    [ -n "$ri" ] && extra=", \"ref_instr\": $ri, \"best_instr\": $oi, \"instr_ratio\": $ispeed"
    echo "  {\"model\": \"$name\", \"ref_median_us\": $ref_us, \"best_median_us\": $opt_us, \"speedup\": $speed, \"isa\": \"$isa\", \"arena_bytes\": $arena$extra}$sep"
  done
  echo "]"
  exit 0
fi

if [ $callgrind -eq 1 ]; then
  printf '%-30s %12s %12s %8s %6s %10s %14s %14s %8s\n' model ref_us best_us speedup isa arena ref_instr best_instr ratio
else
  printf '%-30s %12s %12s %8s %6s %10s\n' model ref_us best_us speedup isa arena
fi
for row in "${rows[@]}"; do
  IFS='|' read -r name ref_us opt_us speed isa arena ri oi ispeed <<<"$row"
  if [ $callgrind -eq 1 ]; then
    printf '%-30s %12s %12s %7sx %6s %10s %14s %14s %7sx\n' "$name" "$ref_us" "$opt_us" "$speed" "$isa" "$arena" "$ri" "$oi" "$ispeed"
  else
    printf '%-30s %12s %12s %7sx %6s %10s\n' "$name" "$ref_us" "$opt_us" "$speed" "$isa" "$arena"
  fi
done
