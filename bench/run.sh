#!/usr/bin/env bash
# bench/run.sh: `mote bench` over every model in ../shared/models: the
# reference kernels (MOTE_ISA=ref), the best kernels this CPU runs at one
# thread and at N threads, against TFLM's figures (bench/tflm_anchors.tsv);
# a table, or JSON.
#
#   bench/run.sh [-n N] [--warmup W] [--threads T] [-r R] [--callgrind]
#                [--json] [MODEL...]
#
#   BUILD=build-simd bench/run.sh      use another build folder (default build)
#   SHARED=/path/to/shared              models folder parent (default ../shared)
#   MOTE_ISA=avx2 bench/run.sh          "best" = the kernels MOTE_ISA allows
#
# Columns (medians of N timed invokes after W warm-ups, µs per invoke):
#   macs      multiply-accumulates per invoke (mote inspect's definition)
#   ref_us    reference kernels, 1 thread
#   best_us   best kernels, 1 thread;  x_ref = ref_us / best_us
#   T_us      best kernels, T threads (default: all cores);
#             x_thr = best_us / T_us
#   -r R      R rounds (default 3) of best_us and T_us, alternating, each
#             the lowest of its rounds' medians: on shared VMs the same
#             binary swings by up to 1.6x from run to run (the address
#             layout of a process; see bench/README.md)
#   GMAC/s    macs / best_us
#   arena     arena_bytes with the best kernels (packed weights included)
#   tflm_us   TFLM on the issue's 2-core x86-64 host: TFLM + CMSIS-NN
#             (portable C) for int8 models, TFLM reference kernels for float;
#             x_tflm = tflm_us / best_us (a ratio across machines: read it
#             as an estimate; the ratios within one run are exact)
# Below the table, the kernel every operator runs (mote bench's
# "kernels": op=kernel xcount). --callgrind adds instructions per invoke
# from valgrind --tool=callgrind as (Ir of 11 invokes - Ir of 1) / 10, so
# init is excluded; instruction counts are stable where wall time is not.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$here/build}
shared=${SHARED:-$here/../shared}
mote=$build/mote
n=200
warmup=10
rounds=3
threads=$(nproc 2>/dev/null || echo 2)
callgrind=0
json=0
models=()
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -r) rounds=$2; shift 2 ;;
    --callgrind) callgrind=1; shift ;;
    --json) json=1; shift ;;
    -h|--help) sed -n '2,34p' "$0"; exit 0 ;;
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
best=${MOTE_ISA:-auto}
anchors=$here/bench/tflm_anchors.tsv

# key of mote bench --json -> value
num() { sed -n "s/.*\"$1\": *\([0-9.]*\).*/\1/p"; }
str() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p"; }
lowest() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b + 0 < a + 0) print b; else print a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b <= 0) print "-"; else printf "%.2f", a / b }'; }

# Instructions per invoke under callgrind (one thread).
instr() { # isa model
  local a b
  a=$(MOTE_ISA=$1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      "$mote" bench "$2" -n 1 --warmup 0 --warmup-ms 0 2>&1 >/dev/null |
      sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
  b=$(MOTE_ISA=$1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      "$mote" bench "$2" -n 11 --warmup 0 --warmup-ms 0 2>&1 >/dev/null |
      sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
  echo $(( (b - a) / 10 ))
}

# Rounds go over all models in turn (not one model's rounds back to back),
# so a stretch of time when the machine is slow (a virtual machine's second
# core taken away for seconds) costs one round of each model, not all of
# one model's.
declare -A best_opt best_thr best_json
for ((k = 0; k < rounds; k++)); do
  for m in "${models[@]}"; do
    o=$(MOTE_ISA=$best "$mote" bench "$m" -n "$n" --warmup "$warmup" --json)
    t=$(MOTE_ISA=$best "$mote" bench "$m" -n "$n" --warmup "$warmup" --threads "$threads" --json)
    best_opt[$m]=$(lowest "${best_opt[$m]:-}" "$(echo "$o" | num median_us)")
    best_thr[$m]=$(lowest "${best_thr[$m]:-}" "$(echo "$t" | num median_us)")
    best_json[$m]=$o
  done
done

rows=()
for m in "${models[@]}"; do
  name=$(basename "$m" .tflite)
  r=$(MOTE_ISA=ref "$mote" bench "$m" -n "$n" --warmup "$warmup" --json)
  o=${best_json[$m]}
  opt_us=${best_opt[$m]}
  thr_us=${best_thr[$m]}
  macs=$(echo "$o" | num macs)
  ref_us=$(echo "$r" | num median_us)
  gmacs=$(awk -v m="$macs" -v t="$opt_us" 'BEGIN { printf "%.3f", (t > 0 ? m / (t * 1e3) : 0) }')
  arena=$(echo "$o" | num arena_bytes)
  kernels=$(echo "$o" | str kernels)
  tflm=$(awk -F'\t' -v m="$name" '$1 == m { print $2 }' "$anchors" 2>/dev/null || true)
  ri=""; oi=""
  if [ $callgrind -eq 1 ]; then
    ri=$(instr ref "$m")
    oi=$(instr "$best" "$m")
  fi
  rows+=("$name|$macs|$ref_us|$opt_us|$thr_us|$gmacs|$arena|$tflm|$ri|$oi|$kernels")
done

if [ $json -eq 1 ]; then
  echo "["
  i=0
  for row in "${rows[@]}"; do
    IFS='|' read -r name macs ref_us opt_us thr_us gmacs arena tflm ri oi kernels <<<"$row"
    i=$((i + 1))
    sep=","; [ $i -eq ${#rows[@]} ] && sep=""
    extra=""
    [ -n "$tflm" ] && extra="$extra, \"tflm_us\": $tflm, \"x_tflm\": $(ratio "$tflm" "$opt_us")"
    [ -n "$ri" ] && extra="$extra, \"ref_instr\": $ri, \"best_instr\": $oi"
    echo "  {\"model\": \"$name\", \"macs\": $macs, \"ref_median_us\": $ref_us, \"best_median_us\": $opt_us, \"threads\": $threads, \"threads_median_us\": $thr_us, \"x_ref\": $(ratio "$ref_us" "$opt_us"), \"x_threads\": $(ratio "$opt_us" "$thr_us"), \"gmacs\": $gmacs, \"arena_bytes\": $arena$extra, \"kernels\": \"$kernels\"}$sep"
  done
  echo "]"
  exit 0
fi

hdr='%-24s %10s %10s %9s %6s %9s %6s %7s %8s %9s %7s'
printf "$hdr" model macs ref_us best_us x_ref "${threads}T_us" x_thr GMAC/s arena tflm_us x_tflm
[ $callgrind -eq 1 ] && printf ' %12s %12s' ref_instr best_instr
printf '\n'
for row in "${rows[@]}"; do
  IFS='|' read -r name macs ref_us opt_us thr_us gmacs arena tflm ri oi kernels <<<"$row"
  printf "$hdr" "$name" "$macs" "$ref_us" "$opt_us" "$(ratio "$ref_us" "$opt_us")" \
    "$thr_us" "$(ratio "$opt_us" "$thr_us")" "$gmacs" "$arena" "${tflm:--}" \
    "$(ratio "$tflm" "$opt_us")"
  [ $callgrind -eq 1 ] && printf ' %12s %12s' "$ri" "$oi"
  printf '\n'
done
printf '\nkernels (best, 1 thread):\n'
for row in "${rows[@]}"; do
  IFS='|' read -r name macs ref_us opt_us thr_us gmacs arena tflm ri oi kernels <<<"$row"
  printf '  %-24s %s\n' "$name" "$kernels"
done
