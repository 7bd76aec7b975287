#!/usr/bin/python3
"""How much of temporal MNIST can be decided early at all: the information in the first steps of the 20-bin latency code.

A convolutional network (conv 5x5x32, max-pool 2, conv 5x5x64, max-pool 2, dense 256, dense 10; the classic MNIST
CNN) is trained on the *cumulative* image of the first K steps of the code (every pixel that has fired by step K),
K drawn per digit: step 1 for half of the digits, uniform over 1..20 for the rest, training digits shifted by up to
2 pixels. It then classifies every test digit after each step K, and the rank-coding decision rule is applied to
those outputs: decide at the first step whose largest softmax probability exceeds theta (or at step 20).

With --grey the input after step K is every pixel fired by then at the intensity of its bin ((bins - s) / bins for a
pixel firing at 0-based step s, 0 for pixels not fired yet): all that the events of steps 1..K say, spike times
included, which the cumulative image drops. Its curve is then a reference for any model reading the first K steps.

This is not a rank-coding model (it sees the accumulated image at each step instead of integrating the events, and
is trained to classify, not to decide), only a strong image classifier under the same decision rule: its curve shows
the accuracy a model can reach at a given mean decision step with this code. Run with Debian's torch:

    /usr/bin/python3 bench/mnist_code_ceiling.py --data data/mnist --epochs 8 --threads 1
    /usr/bin/python3 bench/mnist_code_ceiling.py --data /usr/share/datasets/fashion-mnist --epochs 8 --threads 1
    /usr/bin/python3 bench/mnist_code_ceiling.py --data /usr/share/datasets/fashion-mnist --epochs 8 --threads 1 --grey
"""
import argparse
import gzip
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    """An IDX file's array; reads PATH, or PATH.gz when only the compressed file exists (as Debian installs data sets)."""
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rb") as f:
            data = f.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    if data[2] == 8 and data[3] == 3:
        n, rows, cols = (int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, rows * cols)
    return np.frombuffer(data, np.uint8, offset=8)


def steps(images, bins):
    """0-based step of each pixel: intensities cut into `bins` equal bins, brightest first (LatencyEncoder's rule)."""
    return np.minimum(bins - 1, np.floor((1 - images / 255.0) * bins)).astype(np.int8)


def seen(s, k, bins, grey):
    """The input after 0-based step k (a tensor of steps k, one per row, or an int): pixels fired by then, as 1 or, with
    grey, at their bins' intensities."""
    fired = (s <= k).float()
    return fired * (bins - s.float()) / bins if grey else fired


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="data/mnist")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--bins", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--grey", action="store_true",
                    help="input: the pixels fired so far at their bins' intensities (default: the cumulative binary image)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    d = a.data
    s_train = torch.tensor(steps(idx(os.path.join(d, "train-images-idx3-ubyte")), a.bins))
    y_train = torch.tensor(idx(os.path.join(d, "train-labels-idx1-ubyte")).astype(np.int64))
    s_test = torch.tensor(steps(idx(os.path.join(d, "t10k-images-idx3-ubyte")), a.bins))
    y_test = torch.tensor(idx(os.path.join(d, "t10k-labels-idx1-ubyte")).astype(np.int64))
    model = nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(3136, 256), nn.ReLU(), nn.Linear(256, 10))
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.epochs)
    n = len(y_train)
    for epoch in range(a.epochs):
        t0 = time.time()
        model.train()
        perm = torch.randperm(n)
        for i in range(0, n, 128):
            j = perm[i:i + 128]
            k = np.where(rng.random(len(j)) < 0.5, 0, rng.integers(0, a.bins, len(j)))
            x = seen(s_train[j], torch.tensor(k, dtype=torch.int8)[:, None], a.bins, a.grey).view(-1, 28, 28)
            dx, dy = (int(v) for v in rng.integers(-2, 3, 2))
            x = torch.roll(x, (dx, dy), (1, 2)).view(-1, 784)
            loss = F.cross_entropy(model(x), y_train[j])
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        print("epoch %d: %.1f s" % (epoch + 1, time.time() - t0), flush=True)
    model.eval()
    with torch.no_grad():
        p = torch.stack([torch.softmax(model(seen(s_test, k, a.bins, a.grey)), 1) for k in range(a.bins)])
    conf, pred = p.max(2)
    print("accuracy of the %s after each step:" % ("grey-level image of the pixels fired" if a.grey else "cumulative image"))
    for k in range(a.bins):
        print("  step %2d: %.4f" % (k + 1, (pred[k] == y_test).float().mean().item()))
    print("decision rule (first step with max probability > theta, else the last step):")
    print("  theta    accuracy  mean step  decided at step 1")
    rows = torch.arange(len(y_test))
    for theta in (0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999):
        crossed = conf > theta
        crossed[a.bins - 1] = True
        first = crossed.float().argmax(0)
        acc = (pred[first, rows] == y_test).float().mean().item()
        print("  %-7s  %.4f    %.3f      %.3f" % (theta, acc, first.float().mean().item() + 1, (first == 0).float().mean().item()))


if __name__ == "__main__":
    main()
