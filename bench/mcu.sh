#!/usr/bin/env bash
# bench/mcu.sh: instructions per inference and firmware footprint of mote on
# the emulated boards (ports/), one firmware per model that links only the
# ops the model uses (ports/bench/). Prints two tables.
#
#   bench/mcu.sh [--head] [--exact] [--report] [--json] [--rq-scratch]
#                [--boards "B1 B2"] [MODEL...]
#
#   --head     build the committed runtime (git HEAD's include/ and src/,
#              exported to build-bench/head) instead of the working tree
#   --boards   boards to measure (default: mps2-an386 mps3-an547 mps2-an505
#              riscv32-virt); footprint is printed for the Cortex-M ones
#   --exact    also count with a QEMU TCG plugin (ports/bench/insn_plugin.c)
#   --report   print the tables again from the last run (no build, no QEMU)
#   --rq-scratch  build with MOTE_RQ_SCRATCH=1 (per-channel requantization
#              arrays rebuilt at every invoke into scratch: less RAM, more
#              instructions; see include/mote/mote_config.h), into
#              build-bench-rq
#   BUILD=dir  host build with `mote` (default build; built if missing)
#   SHARED=dir models/conformance parent (default ../shared)
#
# 1. Instructions per inference: the second invoke of the model's rand_s1
#    case in a -O2 firmware under `qemu -icount shift=0`; Cortex-M reads
#    SysTick on the processor clock (QEMU does not emulate DWT CYCCNT), one
#    tick = a fixed number of instructions (calibrated in the firmware on a
#    loop of known length: 40 on mps2-an386), so counts are exact to one
#    tick; RISC-V reads minstret (exact). Every run also checks the output
#    bit-exact against the golden vector (column ok).
# 2. Footprint of the same firmware built -Os, --gc-sections, from the linker
#    map: flash = runtime code (src/runtime) + kernel code (src/ops,
#    src/kernels) + their constants (.rodata/.data) + model + other
#    (startup, libc, libgcc, the bench harness; the test vectors are left
#    out); RAM = arena (mote_model_arena_used) + stack high-water mark (init
#    + invoke, painted stack) + static data (.data + .bss minus the static
#    arena buffer, so mote_model itself is here).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$here/build}
shared=${SHARED:-$here/../shared}
out=$here/build-bench
rq=OFF
boards="mps2-an386 mps3-an547 mps2-an505 riscv32-virt"
head=0
json=0
report=0
exact=0
models=()
while [ $# -gt 0 ]; do
  case "$1" in
    --head) head=1; shift ;;
    --boards) boards=$2; shift 2 ;;
    --json) json=1; shift ;;
    --report) report=1; shift ;;
    --rq-scratch) rq=ON; out=$here/build-bench-rq; shift ;;
    --exact) exact=1; shift ;;
    -h|--help) sed -n "2,/^set -e/p" "$0" | grep "^#" | cut -c3-; exit 0 ;;
    -*) echo "bench/mcu.sh: unknown option $1" >&2; exit 2 ;;
    *) models+=("$1"); shift ;;
  esac
done
[ ${#models[@]} -gt 0 ] ||
  models=(kws_ref_model vww_96_int8 pretrainedResnet_quant ad01_int8 person_detect)
jobs=$(nproc 2>/dev/null || echo 4)
mkdir -p "$out"

log() { echo "bench/mcu.sh: $*" >&2; }
is_arm() { [ "$1" != riscv32-virt ]; }

if [ $report = 1 ]; then
  : # tables only
elif [ ! -x "$build/mote" ]; then
  log "building host mote in $build"
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j"$jobs" --target mote >/dev/null
fi

src_root=$here
if [ $report = 1 ]; then
  :
elif [ $head = 1 ]; then
  src_root=$out/head
  rm -rf "$src_root" && mkdir -p "$src_root"
  git -C "$here" archive HEAD include src | tar -x -C "$src_root"
fi

if [ $report = 0 ]; then
# Per-model op lists, from the model file named in the conformance manifest.
manifest=$shared/conformance/MANIFEST.tsv
[ -f "$manifest" ] || { log "no $manifest (set SHARED)"; exit 2; }
ops=$out/ops.cmake
: >"$ops"
for m in "${models[@]}"; do
  f=$(awk -F'\t' -v m="$m" '$1=="rand_s1" && $2==m {print $3; exit}' "$manifest")
  [ -n "$f" ] || { log "$m: no rand_s1 row in $manifest"; exit 2; }
  js=$("$build/mote" inspect "$shared/conformance/$f" --json)
  list=$(echo "$js" | jq -r '[.ops[].op] | unique | join(";")')
  echo "set(MOTE_BENCH_OPS_$m \"$list\")" >>"$ops"
  # int8 model (only int8 tensors, int32 bias/shapes): int8-only op
  # registrations (mote_op_*_INT8) where mote has them.
  int8=$(echo "$js" | jq -r '[.tensors[].dtype | select(. != "int8" and . != "int32")] | length == 0')
  [ "$int8" = true ] && echo "set(MOTE_BENCH_INT8_$m 1)" >>"$ops"
done
model_list=$(IFS=';'; echo "${models[*]}")

toolchain() {
  case "$1" in
    riscv32-virt) echo "$here/ports/riscv_qemu/riscv32-virt.cmake" ;;
    *) echo "$here/ports/cortex_m_qemu/$1.cmake" ;;
  esac
}
qargs=(-nographic -monitor none -serial none
       -semihosting-config enable=on,target=native -icount shift=0)
qemu_cmd() { # board elf -> cmd array
  case "$1" in
    mps2-an386) cmd=(qemu-system-arm -M mps2-an386 -cpu cortex-m4) ;;
    mps3-an547) cmd=(qemu-system-arm -M mps3-an547 -cpu cortex-m55) ;;
    mps2-an505) cmd=(qemu-system-arm -M mps2-an505 -cpu cortex-m33) ;;
    riscv32-virt) cmd=(qemu-system-riscv32 -M virt -bios none) ;;
  esac
  cmd+=("${qargs[@]}" -kernel "$2")
}

# Build: -O2 (Release) for instructions, -Os (MinSizeRel) for footprint.
for b in $boards; do
  for opt in O2 Os; do
    is_arm "$b" || [ $opt = O2 ] || continue
    bt=Release; [ $opt = Os ] && bt=MinSizeRel
    d=$out/$b-$opt
    log "building $b -$opt"
    cmake -S "$here/ports/bench" -B "$d" -DCMAKE_TOOLCHAIN_FILE="$(toolchain "$b")" \
      -DCMAKE_BUILD_TYPE=$bt -DMOTE_SRC_ROOT="$src_root" -DMOTE_SHARED_DIR="$shared" \
      -DMOTE_BENCH_OPS_FILE="$ops" -DMOTE_BENCH_MODELS="$model_list" \
      -DMOTE_BENCH_RQ_SCRATCH=$rq >"$d.log" 2>&1 ||
      { cat "$d.log" >&2; exit 1; }
    cmake --build "$d" -j"$jobs" >>"$d.log" 2>&1 || { tail -40 "$d.log" >&2; exit 1; }
  done
done
fi

# Run every firmware; results as "board opt model key=value..." lines.
res=$out/results.txt
[ $report = 1 ] || : >"$res"
[ $report = 1 ] || for b in $boards; do
  for opt in O2 Os; do
    d=$out/$b-$opt
    [ -d "$d" ] || continue
    for m in "${models[@]}"; do
      qemu_cmd "$b" "$d/bench_$m.elf"
      line=$(timeout 600 "${cmd[@]}" 2>&1 |
             grep '^bench ' || true)
      [ -n "$line" ] || line="bench $b $m: ok=0 insns=0"
      echo "$b $opt $m ${line#*: }" >>"$res"
    done
  done
done

# --exact: the TCG plugin's count, from mote_model_invoke's entry (second
# call) to bench_invoke_done (called right after it returns).
if [ $report = 0 ] && [ $exact = 1 ]; then
  plugin=$out/insn_plugin.so
  ${CC:-cc} -shared -fPIC -O2 -o "$plugin" "$here/ports/bench/insn_plugin.c"
  for b in $boards; do
    nm=arm-none-eabi-nm
    is_arm "$b" || nm=riscv64-unknown-elf-nm
    for m in "${models[@]}"; do
      elf=$out/$b-O2/bench_$m.elf
      sym() { "$nm" "$elf" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
      beg=$(( $(sym mote_model_invoke) & ~1 )); end=$(( $(sym bench_invoke_done) & ~1 ))
      qemu_cmd "$b" "$elf"
      n=$(timeout 600 "${cmd[@]}" -plugin "$plugin,begin=$beg,end=$end" -d plugin 2>&1 |
          sed -n 's/^insn_plugin:.*between=\([0-9]*\).*/\1/p')
      sed -i "s/^\($b O2 $m .*\)\$/\1 exact=${n:-0}/" "$res"
    done
  done
fi

get() { # board opt model key
  awk -v b="$1" -v o="$2" -v m="$3" -v k="$4" '$1==b && $2==o && $3==m {
    for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) { print kv[2]; exit } } }' "$res"
}

# Linker map -> bytes per category: runtime_code kernel_code consts model
# other (flash) and data bss arena_buf (RAM).
mapsum() {
  awk '
    function hex(x,   i, n) {
      x = tolower(x); sub(/^0x/, "", x); n = 0
      for (i = 1; i <= length(x); i++) n = n * 16 + index("0123456789abcdef", substr(x, i, 1)) - 1
      return n
    }
    # Merged string sections (.str1.1) overlap in the map: count each byte once.
    function add(sec, name, addr, size, file,   cat, s, a) {
      a = hex(addr); s = hex(size)
      if (a < hi[sec]) s = (a + s > hi[sec]) ? a + s - hi[sec] : 0
      if (a + hex(size) > hi[sec]) hi[sec] = a + hex(size)
      if (sec == ".mote_blob") {
        if (name ~ /^\.mote_blob\.model/) cat = "model"; else cat = "vectors"
      } else if (sec == ".bss" || sec == ".data") {
        cat = (sec == ".bss") ? "bss" : "data"
        if (sec == ".bss" && name == ".bss.arena") cat = "arena_buf"
        if (sec == ".data") {
          if (file ~ /libmote_bench_(runtime|kernels)\.a/) flash["consts"] += s
          else if (file ~ /\.a\(/) flash["libs"] += s
          else flash["other"] += s
        }
      } else if (sec == ".text" || sec == ".ARM.exidx" || sec == ".ARM.extab") {
        if (file ~ /libmote_bench_runtime\.a/) cat = (name ~ /^\.rodata/) ? "consts" : "runtime_code"
        else if (file ~ /libmote_bench_kernels\.a/) cat = (name ~ /^\.rodata/) ? "consts" : "kernel_code"
        else if (file ~ /\.a\(/) cat = "libs"
        else cat = "other"
      } else return
      if (cat == "bss" || cat == "data" || cat == "arena_buf") ram[cat] += s
      else flash[cat] += s
    }
    /^Linker script and memory map/ { p = 1; next }
    !p { next }
    /^\.[^ ]/ { sec = $1; pend = ""; next }
    /^ \*fill\*/ { add(sec, "*fill*", $2, $3, ""); next }
    /^ COMMON/ { if (NF >= 4) add(sec, ".bss", $2, $3, $4); next }
    /^ \.[^ ]/ { if (NF >= 4) add(sec, $1, $2, $3, $4); else pend = $1; next }
    /^ +0x/ { if (pend != "" && NF >= 3 && $2 ~ /^0x/) add(sec, pend, $1, $2, $3); pend = ""; next }
    END {
      printf "%d %d %d %d %d %d %d %d %d\n", flash["runtime_code"], flash["kernel_code"],
        flash["consts"], flash["model"], flash["libs"], flash["other"], ram["data"], ram["bss"],
        ram["arena_buf"]
    }' "$1"
}

fmt() { echo "$1" | sed -e ':a' -e 's/^\([0-9]*\)\([0-9]\{3\}\)/\1,\2/' -e 'ta' -e 's/^,//'; }

# TFLM + CMSIS-NN anchors (issue 3): M4 and M55 instructions, M4 arena.
anchor() { # model column
  case "$1" in
    kws_ref_model) a=(7697078 1812773 22772) ;;
    vww_96_int8) a=(24102348 6558649 100660) ;;
    pretrainedResnet_quant) a=(29863313 4911344 54340) ;;
    ad01_int8) a=(583143 150135 2260) ;;
    person_detect) a=(22928856 6508421 82292) ;;
    *) a=(0 0 0) ;;
  esac
  echo "${a[$2]}"
}
ratio() { [ "$2" -gt 0 ] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}' || echo "-"; }

if [ $json = 1 ]; then
  echo "["
  first=1
  for b in $boards; do for opt in O2 Os; do for m in "${models[@]}"; do
    [ -d "$out/$b-$opt" ] || continue
    fs=(0 0 0 0 0 0 0 0 0)
    is_arm "$b" && read -r -a fs < <(mapsum "$out/$b-$opt/bench_$m.map")
    [ $first = 1 ] || echo ","
    first=0
    x=$(get $b $opt $m exact)
    printf '{"board":"%s","opt":"%s","model":"%s","ok":%s,"insns":%s,"insns_plugin":%s,"arena_used":%s,"stack":%s,' \
      "$b" "$opt" "$m" "$(get $b $opt $m ok)" "$(get $b $opt $m insns)" "${x:-null}" \
      "$(get $b $opt $m arena_used || echo 0)" "$(get $b $opt $m stack || echo 0)"
    printf '"runtime_code":%d,"kernel_code":%d,"consts":%d,"model_bytes":%d,"libs":%d,"other":%d,"data":%d,"bss":%d,"arena_buf":%d}' "${fs[@]}"
  done; done; done
  echo "]"
  exit 0
fi

echo "Instructions per inference (-O2, second invoke, rand_s1; ok = output bit-exact)"
printf "%-24s" "model"
for b in $boards; do
  printf " %14s" "$b"
  grep -q "^$b O2 .* exact=" "$res" 2>/dev/null && printf " %14s" "plugin"
done
case " $boards " in *" mps2-an386 "*) printf " %9s" "M4/TFLM" ;; esac
case " $boards " in *" mps3-an547 "*) printf " %9s" "M55/TFLM" ;; esac
echo
allok=1
for m in "${models[@]}"; do
  printf "%-24s" "$m"
  for b in $boards; do
    i=$(get $b O2 $m insns); ok=$(get $b O2 $m ok)
    [ "$ok" = 1 ] || { allok=0; i="FAIL"; }
    if [ "$i" = FAIL ]; then printf " %14s" FAIL; else printf " %14s" "$(fmt "$i")"; fi
    x=$(get $b O2 $m exact)
    [ -z "$x" ] || printf " %14s" "($(fmt "$x"))"
  done
  case " $boards " in *" mps2-an386 "*)
    printf " %9s" "$(ratio "$(get mps2-an386 O2 $m insns)" "$(anchor $m 0)")" ;; esac
  case " $boards " in *" mps3-an547 "*)
    printf " %9s" "$(ratio "$(get mps3-an547 O2 $m insns)" "$(anchor $m 1)")" ;; esac
  echo
done
echo "(M4/TFLM, M55/TFLM: mote / TFLM+CMSIS-NN instructions from issue 3; goal <= 0.50 and <= 0.70;"
echo " plugin = --exact count from the TCG plugin, invoke entry to return + the call after it)"
echo

for b in $boards; do
  is_arm "$b" || continue
  echo "Footprint on $b (-Os, only the model's ops linked), bytes"
  printf "%-24s %8s %8s %7s %8s %7s %7s %8s | %7s %6s %6s %7s %8s\n" model runtime kernels \
    consts "rt+kern" libs other model arena stack static "RAM" "TFLM-M4"
  for m in "${models[@]}"; do
    read -r rc kc cs md lb ot da bs ab < <(mapsum "$out/$b-Os/bench_$m.map")
    au=$(get $b Os $m arena_used); st=$(get $b Os $m stack)
    au=${au:-0}; st=${st:-0}
    static=$((da + bs))
    ram=$((au + st + static))
    tf=$(anchor $m 2)
    [ "$b" = mps2-an386 ] || tf=0
    printf "%-24s %8s %8s %7s %8s %7s %7s %8s | %7s %6s %6s %7s %8s\n" "$m" "$(fmt $rc)" "$(fmt $kc)" \
      "$(fmt $cs)" "$(fmt $((rc + kc + cs)))" "$(fmt $lb)" "$(fmt $ot)" "$(fmt $md)" "$(fmt $au)" "$(fmt $st)" \
      "$(fmt $static)" "$(fmt $ram)" "$([ "$tf" -gt 0 ] && fmt "$tf" || echo -)"
  done
  echo "(flash: runtime = src/runtime code, kernels = src/ops + src/kernels code, consts = their"
  echo " .rodata/.data, rt+kern = the three (goal for KWS on M4: <= 16,384), libs = libc/libm/"
  echo " libgcc members linked (soft double, expf, memcpy...), other = startup + bench harness;"
  echo " RAM = arena used + stack high-water (init+invoke) + static .data/.bss without the"
  echo " arena buffer (includes mote_model and ~200 B of harness); TFLM-M4 = TFLM's arena alone)"
  echo
done
[ $allok = 1 ] || { log "some firmware failed (see $res)"; exit 1; }
