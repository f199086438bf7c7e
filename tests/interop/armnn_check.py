#!/usr/bin/python3
"""armnn_check.py MOTE CUT_MODEL SHARED_DIR SOURCE_DIR WORKDIR

The .tflite files mote writes load and run in another TFLite runtime: Arm
NN (Debian's 20.08: its TfLite parser and the portable CpuRef backend,
through pyarmnn). Models made here by mote's own tools (quantize, train,
prune) and the bundled demo model are parsed by Arm NN and run on real
inputs (the MLPerf conformance inputs, Fashion-MNIST test images), and
compared with `mote run` on the same input bytes:

  whole model: inputs and outputs of the same count, shape, type, scale
    and zero point; float outputs within FLOAT_TOL * max(1, max|mote|);
    int8 outputs (and the float output of a final DEQUANTIZE, counted in
    steps of its int8 input) on average within MEAN_LSB and at most
    MAX_LSB steps apart; classifiers' argmax the same on >= MIN_AGREE.
  operator by operator: each operator cut out by cut_model (mote's writer
    again) and fed mote's values of its inputs, at most OP_LSB steps from
    mote's value of its output; float outputs within FLOAT_TOL.

Arm NN's reference kernels are not bit-exact with TFLite's: they
dequantize to float, compute in float and requantize, where TFLite
requantizes the int32 accumulator with a fixed-point multiplier, so a
value near a rounding boundary may land one step away; such steps grow
through the following layers, most through a SOFTMAX (one step of a
logit of scale 0.05 moves a probability of 0.5 by 6 steps of 1/256).
Hence the per-operator bound is the tight one. The TF converter's own
int8 models differ as much from TFLM in Arm NN (its outputs against
../shared/conformance: ad01_int8 2 steps, kws_ref_model 11,
pretrainedResnet_quant 26). Arm NN also checks that each bias scale is
the product of the input and weight scales (it refuses a model whose
first bias scales were scaled by 1.5). Arm NN missing is a failure, not
a skip.
"""
import json
import logging
import os
import re
import subprocess
import sys

# Bounds, with what this test measured (README, "Tests").
OP_LSB = 1  # measured 1 (0: max pooling, reshape, softmax, (de)quantize)
MAX_LSB = 16  # whole model: 14 (fashion_int8's softmax output)
MEAN_LSB = 0.75  # 0.55 (ad01: ten FULLY_CONNECTED layers)
FLOAT_TOL = 1e-5  # float models: 1.3e-6 (whole), 1.2e-6 (per operator)
MIN_AGREE = 0.98  # 99.0% (cnn.int8: 495/500, near ties)
FASHION_IMAGES = 500  # whole-model comparison
OP_SAMPLES = 20  # operator by operator: the first ones

logging.getLogger("pyarmnn").setLevel(logging.ERROR)  # "Skipped ICaffeParser"
try:
    import numpy as np
    import pyarmnn as ann
except ImportError as err:
    sys.exit("interop: FAIL: Arm NN's Python API is not installed (%s): "
             "apt-get install python3-pyarmnn libarmnntfliteparser22 "
             "libarmnn-cpuref-backend22" % err)

if len(sys.argv) != 6:
    sys.exit("usage: armnn_check.py MOTE CUT_MODEL SHARED_DIR SOURCE_DIR "
             "WORKDIR")
MOTE, CUT, SHARED, SRC, WORK = sys.argv[1:6]
NP_TYPES = {"int8": np.int8, "float32": np.float32, "int32": np.int32}
ARMNN_TYPES = {"int8": ann.DataType_QAsymmS8, "float32": ann.DataType_Float32,
               "int32": ann.DataType_Signed32}
failures = []


def run(*cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("interop: FAIL: %s: exit %d\n%s" %
                 (" ".join(cmd), r.returncode, r.stderr))
    return r.stdout


def mote(*args):
    return run(MOTE, *args)


def inspect(path):
    return json.loads(mote("inspect", path, "--json"))


def mote_run(path, model, arrays):
    """mote run on the input arrays; its output arrays."""
    tmp = os.path.join(WORK, "run")  # scratch files, never beside path
    args = ["run", path, "-o", tmp, "--quiet"]
    for k, a in enumerate(arrays):
        a.tofile("%s_in%d.bin" % (tmp, k))
        args += ["-i", "%s_in%d.bin" % (tmp, k)]
    mote(*args)
    return [np.fromfile("%s_out%d.bin" % (tmp, k), NP_TYPES[t["dtype"]])
            for k, t in enumerate(model["outputs"])]


def quantize_input(x, t):
    """Floats into the input tensor t of `mote inspect --json` (as feed.c)."""
    if t["dtype"] == "float32":
        return x.astype(np.float32).reshape(t["shape"])
    v = x.astype(np.float32) / np.float32(t["scale"])
    q = np.sign(v) * np.floor(np.abs(v) + 0.5) + t["zero_point"]
    return np.clip(q, -128, 127).astype(np.int8).reshape(t["shape"])


class ArmNN:
    def __init__(self):
        self.runtime = ann.IRuntime(ann.CreationOptions())
        backends = str(self.runtime.GetDeviceSpec())
        if "CpuRef" not in backends:
            sys.exit("interop: FAIL: Arm NN has no CpuRef backend (%s): "
                     "apt-get install libarmnn-cpuref-backend22" % backends)

    def load(self, path, model):
        """Parse and load path; a list of mismatches with mote's view of
        its inputs and outputs (`mote inspect --json` model)."""
        parser = ann.ITfLiteParser()
        net = parser.CreateNetworkFromBinaryFile(path)
        opt, msgs = ann.Optimize(net, [ann.BackendId("CpuRef")],
                                 self.runtime.GetDeviceSpec(),
                                 ann.OptimizerOptions())
        if msgs:
            raise RuntimeError("Optimize: %s" % (msgs,))
        self.net, _ = self.runtime.LoadNetwork(opt)
        self.ins = [parser.GetNetworkInputBindingInfo(0, n)
                    for n in parser.GetSubgraphInputTensorNames(0)]
        self.outs = [parser.GetNetworkOutputBindingInfo(0, n)
                     for n in parser.GetSubgraphOutputTensorNames(0)]
        errs = []
        for what, infos, ts in [("input", self.ins, model["inputs"]),
                                ("output", self.outs, model["outputs"])]:
            if len(infos) != len(ts):
                errs.append("%d %ss, mote %d" % (len(infos), what, len(ts)))
                continue
            for k, ((_, info), t) in enumerate(zip(infos, ts)):
                errs += ["%s %d: %s" % (what, k, e)
                         for e in check_binding(info, t)]
        return errs

    def run(self, arrays):
        it = ann.make_input_tensors(self.ins, arrays)
        ot = ann.make_output_tensors(self.outs)
        self.runtime.EnqueueWorkload(self.net, it, ot)
        return [a.reshape(-1) for a in ann.workload_tensors_to_ndarray(ot)]

    def unload(self):
        self.runtime.UnloadNetwork(self.net)


def check_binding(info, t):
    """Arm NN's view of a model input/output against mote's."""
    shape = [info.GetShape()[i] for i in range(info.GetNumDimensions())]
    errs = []
    if shape != t["shape"]:
        errs.append("shape %s, mote %s" % (shape, t["shape"]))
    if info.GetDataType() != ARMNN_TYPES.get(t["dtype"]):
        errs.append("type %d, mote %s" % (info.GetDataType(), t["dtype"]))
    elif t["dtype"] == "int8":
        s, z = info.GetQuantizationScale(), info.GetQuantizationOffset()
        if abs(s - t["scale"]) > 1e-6 * t["scale"] or z != t["zero_point"]:
            errs.append("scale %g zero point %d, mote %g %d" %
                        (s, z, t["scale"], t["zero_point"]))
    return errs


def output_step(model, t):
    """The step an output's differences are counted in: its scale, the
    scale before a final DEQUANTIZE, or None (float: relative)."""
    if t["dtype"] == "int8":
        return t["scale"]
    for op in model["ops"]:
        if op["op"] == "DEQUANTIZE" and op["outputs"] == [t["index"]]:
            return model["tensors"][op["inputs"][0]]["scale"]
    return None


def diff(a, m, step):
    """|a - m| in steps (int8) or relative to max(1, max|m|) (float)."""
    d = np.abs(a.astype(np.float64) - m.astype(np.float64))
    if step is None:
        return d / max(1.0, float(np.max(np.abs(m))))
    return d if m.dtype == np.int8 else d / step


def whole_model(armnn, path, model, xs, labels, classifier):
    """Arm NN against mote on every input. Returns (ok, report line)."""
    tout = model["outputs"][0]
    step = output_step(model, tout)
    worst, total, ndiff, agree, right = 0.0, 0.0, 0, 0, [0, 0]
    first, spread = None, 0.0
    for x, label in zip(xs, labels):
        m = mote_run(path, model, [x])[0]
        a = armnn.run([x])[0]
        if a.dtype != m.dtype or a.size != m.size:
            return False, "Arm NN output %s[%d], mote %s[%d]" % (
                a.dtype, a.size, m.dtype, m.size)
        d = diff(a, m, step)
        worst, total = max(worst, float(d.max())), total + float(d.mean())
        ndiff += int(d.max() > 0)
        agree += int(np.argmax(a) == np.argmax(m))
        if label is not None:
            right[0] += int(np.argmax(m) == label)
            right[1] += int(np.argmax(a) == label)
        if first is None:
            first = m
        spread = max(spread, float(diff(m, first, step).max()))
    n = len(xs)
    unit = "steps" if step is not None else "relative"
    line = "%d inputs: max |diff| %.3g %s, mean %.3g, %d inputs differ" % (
        n, worst, unit, total / n, ndiff)
    if step is None:
        ok = worst <= FLOAT_TOL
    else:
        ok = worst <= MAX_LSB and total / n <= MEAN_LSB
    if classifier:
        line += "; argmax agreement %d/%d" % (agree, n)
        ok = ok and agree >= MIN_AGREE * n
    if labels[0] is not None:
        line += " (accuracy mote %.1f%%, Arm NN %.1f%%)" % (
            100.0 * right[0] / n, 100.0 * right[1] / n)
    # Outputs that do not depend on the input would make all this vacuous.
    if spread == 0:
        line += "; but mote's output does not vary with the input"
        ok = False
    return ok, line


def op_by_op(armnn, name, path, model, xs):
    """Each operator alone in Arm NN, fed mote's values of its inputs,
    against mote's value of its output (mote on the prefix that ends with
    it). Returns (ok, report line)."""
    ops, tensors = model["ops"], model["tensors"]
    prefixes, singles = [], []
    for k in range(len(ops)):
        for first, store in [(0, prefixes), (k, singles)]:
            out = os.path.join(WORK, "%s.op%d_%d.tflite" % (name, first, k))
            run(CUT, path, out, str(first), str(k))
            store.append((out, inspect(out)))
    # mote's value of every operator output, for each input.
    values = []
    for x in xs:
        v = {model["inputs"][0]["index"]: x}
        for k, (p, pm) in enumerate(prefixes):
            for t, y in zip(ops[k]["outputs"], mote_run(p, pm, [x])):
                v[t] = y.reshape(tensors[t]["shape"])
        values.append(v)
    worst, ok, errs = {}, True, []
    for k, (p, pm) in enumerate(singles):
        op = ops[k]
        try:
            errs += ["operator %d (%s): %s" % (k, op["op"], e)
                     for e in armnn.load(p, pm)]
        except Exception as err:  # noqa: BLE001 (parser/backend error)
            errs.append("operator %d (%s): Arm NN: %s" % (k, op["op"], err))
            continue
        feeds = [t for t in op["inputs"] if t >= 0 and not tensors[t].get(
            "const")]
        t = tensors[op["outputs"][0]]
        step = None if t["dtype"] == "float32" else 1  # int8: in steps
        w = 0.0
        for v in values:
            a = armnn.run([v[i] for i in feeds])[0]
            w = max(w, float(diff(a, v[t["index"]].reshape(-1), step).max()))
        armnn.unload()
        worst[op["op"]] = max(w, worst.get(op["op"], 0.0))
        bound = FLOAT_TOL if step is None else OP_LSB
        if w > bound:
            errs.append("operator %d (%s): max |diff| %.3g > %g" %
                        (k, op["op"], w, bound))
    line = "%d ops x %d inputs, max |diff| per op: %s" % (
        len(ops), len(xs), ", ".join(
            "%s %.3g" % (o, w) for o, w in sorted(worst.items())))
    if errs:
        ok = False
        line += "\n       " + "\n       ".join(errs)
    return ok, line


def check_model(armnn, name, path, samples, classifier=True):
    """samples: list of (float input array, label or None)."""
    model = inspect(path)
    if len(model["inputs"]) != 1 or len(model["outputs"]) != 1:
        sys.exit("interop: FAIL: %s: expected one input and one output" % name)
    tin = model["inputs"][0]
    xs = [quantize_input(x, tin) for x, _ in samples]
    labels = [label for _, label in samples]
    try:
        errs = armnn.load(path, model)
    except Exception as err:  # noqa: BLE001 (parser/backend error)
        errs = ["Arm NN does not load it: %s" % err]
    if errs:
        print("FAIL %s: %s" % (name, "; ".join(errs)))
        failures.append(name)
        return
    ok, line = whole_model(armnn, path, model, xs, labels, classifier)
    armnn.unload()
    print("%s %s: %s" % ("ok  " if ok else "FAIL", name, line))
    ok2, line = op_by_op(armnn, name, path, model, xs[:OP_SAMPLES])
    print("%s %s: %s" % ("ok  " if ok2 else "FAIL", name, line))
    if not (ok and ok2):
        failures.append(name)


def quantize_mlperf(stem, rel):
    """`mote quantize` of a float model calibrated on its conformance inputs."""
    d = os.path.join(SHARED, "conformance", stem)
    inputs = [os.path.join(d, f) for f in sorted(os.listdir(d))
              if f.endswith("_in0.bin")]
    out = os.path.join(WORK, stem + ".int8.tflite")
    args = ["quantize", os.path.join(SHARED, "models", rel), "-o", out]
    for f in inputs:
        args += ["--data", f]
    mote(*args)
    return out, [(np.fromfile(f, np.float32), None) for f in inputs]


def main():
    os.makedirs(WORK, exist_ok=True)
    armnn = ArmNN()
    # (a) MLPerf Tiny / TFLM float models quantized by mote.
    for stem, rel, classifier in [
            ("ad01_fp32", "mlperf_tiny/ad01_fp32.tflite", False),
            ("hello_world_float", "tflm/hello_world_float.tflite", False),
            ("vww_96_float", "mlperf_tiny/vww_96_float.tflite", True)]:
        path, samples = quantize_mlperf(stem, rel)
        check_model(armnn, stem + ".int8", path, samples, classifier)

    # Fashion-MNIST test images, exported by mote (with their labels).
    imgs = os.path.join(WORK, "fashion")
    log = mote("data", "export", "--index", "0-%d" % (FASHION_IMAGES - 1),
               "-o", imgs)
    fashion = [(np.fromfile(m.group(1), np.uint8) / np.float32(255),
                int(m.group(2))) for m in re.finditer(
                    r"^wrote (\S+) \(test image \d+, label (\d+)", log, re.M)]
    if len(fashion) != FASHION_IMAGES:
        sys.exit("interop: FAIL: mote data export: %d images\n%s" %
                 (len(fashion), log))

    # (b) The bundled demo model (made by models/make_fashion.sh).
    check_model(armnn, "fashion_int8",
                os.path.join(SRC, "models", "fashion_int8.tflite"), fashion)

    # (c) Short `mote train` runs: one with most layer kinds (conv valid
    # and same, folded batch norm, depthwise stride 2, ReLU6, max, average
    # and global pooling, fc, softmax), one plain CNN and its structured
    # pruning (25% of the channels removed); their int8 quantizations (int8
    # io, and float io: QUANTIZE/DEQUANTIZE added).
    def w(f):
        return os.path.join(WORK, f)
    short = ["--limit", "20000", "--threads", "1", "--quiet"]
    mote("train", "conv3x3:8:same,bn,relu,maxpool2,dw3x3:same:s2,relu6,"
         "conv1x1:16,relu,avgpool2,gap,dropout:0.1,fc:10", "-o", w("cnn.tflite"),
         "--epochs", "3", "--lr", "1e-2", *short)
    mote("train", "conv3x3:8,relu,maxpool2,conv3x3:16,relu,maxpool2,fc:32,"
         "relu,fc:10", "-o", w("plain.tflite"), "--epochs", "2", *short)
    mote("prune", w("plain.tflite"), "--structured", "--sparsity", "0.25",
         "--epochs", "1", "--limit", "5000", "--test-limit", "200",
         "--threads", "1", "-o", w("pruned.tflite"))
    calib = ["--dataset", "fashion-mnist", "--calib-count", "200"]
    mote("quantize", w("cnn.tflite"), "-o", w("cnn.int8.tflite"), *calib)
    mote("quantize", w("cnn.tflite"), "-o", w("cnn.fio.tflite"), "--io",
         "float", *calib)
    mote("quantize", w("pruned.tflite"), "-o", w("pruned.int8.tflite"),
         *calib)
    # Not here: `--scheme 16x8`. Its biases are int64, as the TFLite
    # quantization spec has them for 16x8 models, and Arm NN 20.08's TfLite
    # parser rejects every INT64 tensor ("Unsupported data type = INT64 for
    # tensor: l0_bias").
    for name in ["cnn", "cnn.int8", "cnn.fio", "pruned", "pruned.int8"]:
        check_model(armnn, name, w(name + ".tflite"), fashion)

    if failures:
        print("interop: FAIL: %s" % ", ".join(failures))
        return 1
    print("interop: every model loads in Arm NN and agrees with mote")
    return 0


if __name__ == "__main__":
    sys.exit(main())
