#!/bin/sh
# test_cli.sh MOTE WORKDIR: `mote prune` and `mote distill` from the command
# line: usage errors exit 2, missing files 5, and short real runs (a
# Fashion-MNIST subset) write models that `mote eval` runs.
mote=$1
dir=$2
mkdir -p "$dir" || exit 1
fail=0

# expect STATUS CMD...: run CMD, check its exit status.
expect() {
  want=$1
  shift
  "$@" >"$dir/out.txt" 2>"$dir/err.txt"
  got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL: exit $got, want $want: $*" >&2
    cat "$dir/err.txt" >&2
    fail=1
  fi
}

expect 2 "$mote" prune
expect 2 "$mote" prune "$dir/none.tflite" -o "$dir/o.tflite"
expect 2 "$mote" prune "$dir/none.tflite" -o "$dir/o.tflite" --sparsity 1.5
expect 2 "$mote" prune "$dir/none.tflite" --sparsity 0.5
expect 2 "$mote" prune "$dir/none.tflite" -o x --sparsity 0.5 --epochs -1
expect 2 "$mote" prune "$dir/none.tflite" -o x --sparsity 0.5 --bogus
expect 2 "$mote" prune --spec "conv3x3:4" -o x --sparsity 0.5 --limit 10
expect 5 "$mote" prune "$dir/none.tflite" -o "$dir/o.tflite" --sparsity 0.5
expect 0 "$mote" prune --help
expect 2 "$mote" distill
expect 2 "$mote" distill "$dir/none.tflite" -o x
expect 2 "$mote" distill "$dir/none.tflite" fc:10 -o x --T 0
expect 2 "$mote" distill "$dir/none.tflite" fc:10 -o x --alpha 2
expect 5 "$mote" distill "$dir/none.tflite" fc:10 -o "$dir/s.tflite"
expect 0 "$mote" distill --help

# Short real runs.
sub="--limit 1500 --test-limit 300 --threads 2"
expect 0 "$mote" prune --spec conv3x3:4,relu,maxpool2,fc:16,relu,fc:10 \
  --train-epochs 1 --epochs 1 --sparsity 0.6 -o "$dir/u.tflite" $sub --json
grep -q '"mode": "unstructured-global"' "$dir/out.txt" || {
  echo "FAIL: prune --json" >&2
  fail=1
}
expect 0 "$mote" eval "$dir/u.tflite" --limit 100
expect 0 "$mote" prune "$dir/u.tflite" --structured --sparsity 0.5 \
  --epochs 1 -o "$dir/st.tflite" $sub
grep -q "MACs per image" "$dir/out.txt" || {
  echo "FAIL: prune table" >&2
  fail=1
}
expect 0 "$mote" eval "$dir/st.tflite" --limit 100
usz=$(wc -c <"$dir/u.tflite")
ssz=$(wc -c <"$dir/st.tflite")
[ "$ssz" -lt "$usz" ] || {
  echo "FAIL: structured model not smaller ($ssz >= $usz)" >&2
  fail=1
}
expect 5 "$mote" distill "$dir/u.tflite" conv3x3:2,relu,maxpool2,fc:5 \
  -o "$dir/s.tflite" $sub --epochs 1
expect 0 "$mote" distill "$dir/u.tflite" conv3x3:2,relu,maxpool2,fc:10 \
  -o "$dir/s.tflite" $sub --epochs 1 --qat-epochs 1 --baseline --json
grep -q '"baseline_accuracy"' "$dir/out.txt" || {
  echo "FAIL: distill --json" >&2
  fail=1
}
expect 0 "$mote" eval "$dir/s.tflite" --limit 100
exit $fail
