#!/bin/sh
# test_eval.sh MOTE MAKE_MODELS FMNIST_DIR MODELS_DIR WORK_DIR
# `mote eval` and `mote data` against values python3 computes on its own
# from the .gz files: tiny one-hot FULLY_CONNECTED models (float32, int8,
# int16) predict the class whose chosen pixel is brightest, so accuracy and
# the whole confusion matrix are known exactly. Then usage and error exits.
MOTE=$1
MAKE=$2
FM=$3
MODELS=$4
WORK=$5
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
expect() { # expect NAME WANT_RC GOT_RC
  if [ "$2" = "$3" ]; then ok; else bad "$1: exit $3, expected $2"; fi
}
has() { # has NAME FILE PATTERN
  if grep -q -- "$3" "$2"; then ok; else bad "$1: '$3' not in output"; cat "$2"; fi
}
rm -rf "$WORK"
mkdir -p "$WORK"
PIX="406 35 750 100 203 300 517 600 713 58"
# shellcheck disable=SC2086
"$MAKE" "$WORK" $PIX; expect "make models" 0 $?

# Reference: python3 reads the IDX files itself and predicts.
cat >"$WORK/ref.py" <<'PY'
import gzip, json, struct, sys
def idx(path):
    with open(path, "rb") as f:
        b = f.read()
    if b[:2] == b"\x1f\x8b":
        b = gzip.decompress(b)
    magic, = struct.unpack(">I", b[:4])
    nd = magic & 0xff
    dims = struct.unpack(">" + "I" * nd, b[4:4 + 4 * nd])
    return dims, b[4 + 4 * nd:]
def run(images, labels, pix, limit):
    dims, px = idx(images)
    _, lab = idx(labels)
    size = 1
    for d in dims[1:]:
        size *= d
    n = min(limit, dims[0]) if limit else dims[0]
    k = max(len(pix), max(lab) + 1)
    cm = [[0] * k for _ in range(k)]
    for i in range(n):
        v = [px[i * size + p] for p in pix]
        pred = v.index(max(v))
        cm[lab[i]][pred] += 1
    correct = sum(cm[i][i] for i in range(k))
    return {"images": n, "correct": correct, "confusion": cm}
cmd = sys.argv[1]
if cmd == "ref":
    images, labels, limit = sys.argv[2], sys.argv[3], int(sys.argv[4])
    pix = [int(p) for p in sys.argv[5:]]
    json.dump(run(images, labels, pix, limit), sys.stdout)
elif cmd == "check":  # check REF.json EVAL.json
    ref = json.load(open(sys.argv[2]))
    got = json.load(open(sys.argv[3]))
    errs = []
    for key in ("images", "correct", "confusion"):
        if ref[key] != got[key]:
            errs.append("%s: %r != %r" % (key, got[key], ref[key]))
    acc = ref["correct"] / ref["images"]
    if abs(got["accuracy"] - acc) > 1e-6:
        errs.append("accuracy %r != %r" % (got["accuracy"], acc))
    for c in got["per_class"]:
        row = ref["confusion"][c["class"]]
        if c["images"] != sum(row) or c["correct"] != row[c["class"]]:
            errs.append("per_class %d" % c["class"])
    for key in ("mean_latency_us", "ram_bytes", "arena_bytes", "flash_bytes"):
        if not isinstance(got.get(key), (int, float)) or got[key] < 0:
            errs.append("missing " + key)
    if got["ram_bytes"] <= got["arena_bytes"]:
        errs.append("ram_bytes must add the mote_model struct")
    if errs:
        print("; ".join(errs))
        sys.exit(1)
    print("%.2f%%" % (100.0 * acc))
elif cmd == "smallset":  # smallset DIR: 3x4 images, 3 classes
    import random
    r = random.Random(7)
    n = 257
    px = bytes(r.randrange(256) for _ in range(n * 12))
    lab = bytes(r.randrange(3) for _ in range(n))
    with gzip.open(sys.argv[2] + "/small-images.gz", "wb") as f:
        f.write(struct.pack(">IIII", 0x803, n, 3, 4) + px)
    with open(sys.argv[2] + "/small-labels", "wb") as f:
        f.write(struct.pack(">II", 0x801, n) + lab)
elif cmd == "export":  # export DIR IMAGES LABELS K: files per-class K wrote
    d, images, labels, k = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    dims, px = idx(images)
    _, lab = idx(labels)
    slugs = ["tshirt_top", "trouser", "pullover", "dress", "coat", "sandal",
             "shirt", "sneaker", "bag", "ankle_boot"]
    taken = [0] * 10
    picked = []
    for i in range(dims[0]):
        if taken[lab[i]] < k:
            taken[lab[i]] += 1
            picked.append(i)
    width = max(3, len(str(picked[-1])))
    bad = 0
    for i in picked:
        name = "%s/%0*d_%s.u8" % (d, width, i, slugs[lab[i]])
        try:
            data = open(name, "rb").read()
        except OSError:
            print("missing", name)
            bad += 1
            continue
        if data != px[i * 784:(i + 1) * 784]:
            print("differs", name)
            bad += 1
    import os
    if len(os.listdir(d)) != len(picked):
        print("file count", len(os.listdir(d)), len(picked))
        bad += 1
    sys.exit(1 if bad else 0)
PY
TI=$FM/t10k-images-idx3-ubyte.gz
TL=$FM/t10k-labels-idx1-ubyte.gz
# shellcheck disable=SC2086
python3 "$WORK/ref.py" ref "$TI" "$TL" 0 $PIX >"$WORK/ref_test.json"
expect "reference" 0 $?

# float32, int8 and int16 models: exact agreement on the 10,000 test images.
for m in fc_f32 fc_i8 fc_i16; do
  "$MOTE" eval "$WORK/$m.tflite" --json >"$WORK/$m.json"
  expect "eval $m" 0 $?
  python3 "$WORK/ref.py" check "$WORK/ref_test.json" "$WORK/$m.json" >"$WORK/$m.chk"
  expect "eval $m matches reference: $(cat "$WORK/$m.chk")" 0 $?
done
ACC=$(cat "$WORK/fc_f32.chk")
# Text output: the same accuracy, class names, matrix, latency, memory.
"$MOTE" eval "$WORK/fc_i8.tflite" --dataset fashion-mnist --split test \
  >"$WORK/i8.txt"
expect "eval text" 0 $?
for pat in "accuracy: $ACC" "Ankle boot" "T-shirt/top" "confusion matrix" \
           "us per image" "ram_bytes" "flash:" "int8\[1,784\]"; do
  has "eval text $pat" "$WORK/i8.txt" "$pat"
done
# JSON parses and has the documented keys.
python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
need = ["model", "dataset", "split", "images", "correct", "accuracy",
        "classes", "per_class", "confusion", "mean_latency_us", "ram_bytes",
        "arena_bytes", "flash_bytes", "input", "output"]
missing = [k for k in need if k not in d]
assert not missing, missing
assert d["classes"][9] == "Ankle boot" and len(d["confusion"]) == 10
assert d["split"] == "test" and d["images"] == 10000' "$WORK/fc_f32.json"
expect "json keys" 0 $?

# --limit and --split train.
# shellcheck disable=SC2086
python3 "$WORK/ref.py" ref "$FM/train-images-idx3-ubyte.gz" \
  "$FM/train-labels-idx1-ubyte.gz" 1500 $PIX >"$WORK/ref_train.json"
"$MOTE" eval "$WORK/fc_f32.tflite" --split train --limit 1500 --json \
  >"$WORK/train.json"
expect "eval train" 0 $?
python3 "$WORK/ref.py" check "$WORK/ref_train.json" "$WORK/train.json" >/dev/null
expect "eval train --limit 1500 matches" 0 $?
# Any IDX set: --images/--labels (gzip images, plain labels, 3x4 images).
python3 "$WORK/ref.py" smallset "$WORK"
python3 "$WORK/ref.py" ref "$WORK/small-images.gz" "$WORK/small-labels" 0 \
  0 5 11 >"$WORK/ref_small.json"
expect "small reference" 0 $?
"$MOTE" eval "$WORK/small_f32.tflite" --images "$WORK/small-images.gz" \
  --labels "$WORK/small-labels" --json >"$WORK/small.json"
expect "eval --images" 0 $?
python3 "$WORK/ref.py" check "$WORK/ref_small.json" "$WORK/small.json" >/dev/null
expect "eval --images matches" 0 $?

# Errors: a model whose input is not one sample, usage, bad files.
"$MOTE" eval "$MODELS/demo_int8.tflite" 2>"$WORK/err.txt"
expect "demo model (8x8 input)" 5 $?
has "demo model message" "$WORK/err.txt" \
  "input has 64 elements, data set sample has 784"
"$MOTE" eval "$WORK/small_f32.tflite" 2>"$WORK/err.txt"
expect "small model on fashion" 5 $?
has "small model message" "$WORK/err.txt" "input has 12 elements"
"$MOTE" eval >/dev/null 2>&1; expect "eval no model" 2 $?
"$MOTE" eval "$WORK/fc_f32.tflite" --frob >/dev/null 2>&1
expect "eval unknown option" 2 $?
"$MOTE" eval "$WORK/fc_f32.tflite" --split dev >/dev/null 2>&1
expect "eval bad split" 2 $?
"$MOTE" eval "$WORK/fc_f32.tflite" --limit 0 >/dev/null 2>&1
expect "eval --limit 0" 2 $?
"$MOTE" eval "$WORK/fc_f32.tflite" --dataset cifar >/dev/null 2>&1
expect "eval unknown dataset" 2 $?
"$MOTE" eval "$WORK/fc_f32.tflite" --images "$TI" >/dev/null 2>&1
expect "eval --images without --labels" 2 $?
"$MOTE" eval "$WORK/no_such.tflite" 2>/dev/null; expect "eval missing model" 5 $?
echo "not a model" >"$WORK/junk.tflite"
"$MOTE" eval "$WORK/junk.tflite" 2>/dev/null; expect "eval junk model" 3 $?
head -c 100000 "$TI" >"$WORK/trunc-images.gz"
"$MOTE" eval "$WORK/fc_f32.tflite" --images "$WORK/trunc-images.gz" \
  --labels "$TL" 2>"$WORK/err.txt"
expect "eval truncated images" 5 $?
has "truncated message" "$WORK/err.txt" "trunc-images.gz: "
"$MOTE" eval "$WORK/fc_f32.tflite" --images "$TI" \
  --labels "$FM/train-labels-idx1-ubyte.gz" 2>"$WORK/err.txt"
expect "eval count mismatch" 5 $?
has "count mismatch message" "$WORK/err.txt" "60000 labels, but"
MOTE_FASHION_MNIST=$WORK/nowhere "$MOTE" eval "$WORK/fc_f32.tflite" \
  2>"$WORK/err.txt"
expect "eval without the data set" 5 $?
has "install hint" "$WORK/err.txt" "apt install dataset-fashion-mnist"

# mote data info / export.
"$MOTE" data info >"$WORK/info.txt"; expect "data info" 0 $?
has "info train" "$WORK/info.txt" "train: 60000 images of 28x28x1"
has "info test" "$WORK/info.txt" "test: 10000 images of 28x28x1"
has "info class" "$WORK/info.txt" "Ankle boot *1000"
"$MOTE" data export --per-class 2 -o "$WORK/exp/u8" >"$WORK/exp.txt"
expect "data export" 0 $?
has "export says what" "$WORK/exp.txt" "label 9 Ankle boot"
python3 "$WORK/ref.py" export "$WORK/exp/u8" "$TI" "$TL" 2
expect "exported bytes match the data set" 0 $?
"$MOTE" data export --index 0,9998-9999 --format pgm -o "$WORK/exp/pgm" \
  >/dev/null
expect "data export pgm" 0 $?
if [ "$(head -c 13 "$WORK/exp/pgm/0000_ankle_boot.pgm" | tr '\n' ' ')" = \
     "P5 28 28 255 " ] &&
   [ "$(wc -c <"$WORK/exp/pgm/9999_sandal.pgm")" -eq $((13 + 784)) ]; then ok
else bad "pgm files"; ls -l "$WORK/exp/pgm"; fi
"$MOTE" data export >/dev/null 2>&1; expect "export without -o" 2 $?
"$MOTE" data export --index 10000 -o "$WORK/exp/x" >/dev/null 2>&1
expect "export index out of range" 2 $?
"$MOTE" data export --index 1,a -o "$WORK/exp/x" >/dev/null 2>&1
expect "export bad index" 2 $?
"$MOTE" data frob >/dev/null 2>&1; expect "data unknown subcommand" 2 $?
"$MOTE" data >/dev/null 2>&1; expect "data without subcommand" 2 $?

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
