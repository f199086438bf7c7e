#!/usr/bin/python3
"""PyTorch baseline of issue 4 for `mote train` (Debian's python3-torch).

usage: /usr/bin/python3 bench/fashion_pytorch.py ARCH SEEDS [EPOCHS]
  ARCH  mlp_s | cnn_xs | cnn_s | cnn_m   (the issue's architectures)
  SEEDS comma-separated torch seeds, e.g. 1,2,3
Adam + OneCycleLR(max_lr 1e-3), batch 128, inputs scaled to [0,1], no
augmentation, 2 threads: the issue's settings. Prints test accuracy and
seconds per epoch for each seed. Compare with
  mote train SPEC --epochs N --seed S -o out.tflite
(same architecture written as a mote spec: see README).
"""
import gzip
import sys
import time

import numpy as np
import torch
import torch.nn as nn

D = "/usr/share/datasets/fashion-mnist/"


def images(f):
    raw = gzip.open(D + f).read()
    return np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 1, 28, 28).astype(np.float32) / 255


def labels(f):
    return np.frombuffer(gzip.open(D + f).read(), np.uint8, offset=8).astype(np.int64)


def model(arch):
    if arch == "mlp_s":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)), 10
    if arch == "cnn_xs":
        return nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 10)), 10
    if arch == "cnn_s":
        return nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Linear(800, 64), nn.ReLU(), nn.Linear(64, 10)), 10
    if arch == "cnn_m":
        def cbr(i, o):
            return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
        return nn.Sequential(*cbr(1, 32), *cbr(32, 32), nn.MaxPool2d(2), *cbr(32, 64), *cbr(64, 64), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(3136, 256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, 10)), 5
    sys.exit("unknown arch " + arch)


def main():
    arch, seeds = sys.argv[1], [int(s) for s in sys.argv[2].split(",")]
    xtr = torch.tensor(images("train-images-idx3-ubyte.gz"))
    ytr = torch.tensor(labels("train-labels-idx1-ubyte.gz"))
    xte = torch.tensor(images("t10k-images-idx3-ubyte.gz"))
    yte = torch.tensor(labels("t10k-labels-idx1-ubyte.gz"))
    torch.set_num_threads(2)
    for seed in seeds:
        torch.manual_seed(seed)
        m, epochs = model(arch)
        if len(sys.argv) > 3:
            epochs = int(sys.argv[3])
        batch = 128
        steps = (len(xtr) + batch - 1) // batch
        opt = torch.optim.Adam(m.parameters(), lr=1e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-3, epochs=epochs, steps_per_epoch=steps)
        loss_fn = nn.CrossEntropyLoss()
        t0 = time.time()
        for _ in range(epochs):
            perm = torch.randperm(len(xtr))
            m.train()
            for i in range(steps):
                idx = perm[i * batch:(i + 1) * batch]
                opt.zero_grad()
                loss_fn(m(xtr[idx]), ytr[idx]).backward()
                opt.step()
                sched.step()
        m.eval()
        with torch.no_grad():
            acc = (m(xte).argmax(1) == yte).float().mean().item()
        print(f"{arch} seed {seed}: {100 * acc:.2f}%  {(time.time() - t0) / epochs:.2f} s/epoch", flush=True)


if __name__ == "__main__":
    main()
