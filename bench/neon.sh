#!/usr/bin/env bash
# bench/neon.sh: instructions per invoke of the AArch64 build under
# qemu-aarch64 (no real Arm hardware here: instruction counts are the only
# figures), reference vs NEON vs NEON + dot-product kernels.
#
#   bench/neon.sh [MODEL...]   (default: kws_ref_model vww_96_int8
#                               person_detect ad01_int8)
#
# Builds build-aarch64 (cmake/aarch64-linux-gnu.cmake) if needed, the
# driver bench/neon_bench.c against it, and ports/bench/insn_plugin.c (the
# TCG plugin declaring the v1 API itself; it works with qemu-user too). For
# each model's rand_s1 conformance case and MOTE_ISA=ref|neon|neondot it
# counts all guest instructions of runs with 1 and 3 invokes: half the
# difference is one invoke (load, prepare and packing cancel out). Every run
# checks the output ("FAIL" replaces the number otherwise): bit-exact, float32
# within the conformance tolerance.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$here/../shared}
build=${NEON_BUILD:-$here/build-aarch64}
sysroot=/usr/aarch64-linux-gnu
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(kws_ref_model vww_96_int8 person_detect ad01_int8)

if [ ! -f "$build/libmote.a" ] || [ ! -f "$build/libmote_tools.a" ]; then
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_TOOLCHAIN_FILE="$here/cmake/aarch64-linux-gnu.cmake" >/dev/null
fi
cmake --build "$build" -j2 --target mote_rt mote_pool mote_tools >/dev/null
bin=$build/bench
mkdir -p "$bin"
aarch64-linux-gnu-gcc -std=c11 -O2 -Wall -Wextra -Werror -I"$here/include" \
  -I"$here/tools" -o "$bin/neon_bench" "$here/bench/neon_bench.c" \
  "$build/libmote_tools.a" "$build/libmote_pool.a" "$build/libmote.a" \
  -lpthread -lm
gcc -shared -fPIC -O2 -o "$bin/insn_plugin.so" "$here/ports/bench/insn_plugin.c"

# total guest instructions of one run: count MODEL IN OUT N
count() {
  local log
  log=$(qemu-aarch64 -L "$sysroot" -plugin "$bin/insn_plugin.so" -d plugin \
        "$bin/neon_bench" "$@" 2>&1) || { echo FAIL; return; }
  grep -q '^ok' <<<"$log" || { echo FAIL; return; }
  sed -n 's/.*total=\([0-9]*\).*/\1/p' <<<"$log"
}

manifest=$shared/conformance/MANIFEST.tsv
printf '%-16s %14s %14s %14s %9s %9s\n' model ref neon neondot "ref/neon" "ref/dot"
for m in "${models[@]}"; do
  row=$(awk -F'\t' -v m="$m" '$1=="rand_s1" && $2==m {print $3"\t"$5"\t"$6; exit}' "$manifest")
  [ -n "$row" ] || { echo "$m: no rand_s1 case in $manifest" >&2; exit 2; }
  IFS=$'\t' read -r file in0 out0 <<<"$row"
  d=$shared/conformance
  declare -A per=()
  for isa in ref neon neondot; do
    a=$(MOTE_ISA=$isa count "$d/$file" "$d/$in0" "$d/$out0" 1)
    b=$(MOTE_ISA=$isa count "$d/$file" "$d/$in0" "$d/$out0" 3)
    if [ "$a" = FAIL ] || [ "$b" = FAIL ]; then per[$isa]=FAIL; else per[$isa]=$(( (b - a) / 2 )); fi
  done
  ratio() { [ "${per[ref]}" = FAIL ] || [ "$1" = FAIL ] && echo - || awk -v a="${per[ref]}" -v b="$1" 'BEGIN{printf "%.1fx", a/b}'; }
  printf '%-16s %14s %14s %14s %9s %9s\n' "$m" "${per[ref]}" "${per[neon]}" "${per[neondot]}" "$(ratio "${per[neon]}")" "$(ratio "${per[neondot]}")"
done
