#!/usr/bin/env python3
"""PyTorch reference for mapl's MNIST CNN (bench/mnist, model 3): conv(1→8, 3, pad 1)-relu-maxpool(2)-
conv(8→16, 3, pad 1)-relu-maxpool(2)-flatten-linear(784→10), cross-entropy (batch mean), Adam lr 0.001,
batch 64, one epoch on the full MNIST, pixels scaled to [0, 1] as mapl does.

Not a project dependency: it needs `pip install torch` (a CPU wheel) and is run by hand to check mapl.

  torch_cnn.py MNIST_DIR --start DIR     start from mapl's initial weights and batch order, written by
                                         `mnist-bench --cnn --dump DIR --seed N`: if PyTorch reaches the same
                                         accuracy from the same start, a gap is seed variance, not a bug.
  torch_cnn.py MNIST_DIR --seed N        PyTorch's own initialisation and shuffle (torch.manual_seed(N)).
  --normalize                            inputs (x − 0.1307) / 0.3081, as PyTorch's MNIST example does.
  --threads N                            torch.set_num_threads(N) (default: PyTorch's choice).

Prints the epoch time and a final JSON line {"epoch_seconds": ..., "test_accuracy": ...}."""
import argparse, json, os, time
import numpy as np
from mnist_idx import idx
from torch_models import model  # the benchmark's three models, defined once
import torch
import torch.nn.functional as F


def images(root, name, normalize):
    x = torch.from_numpy(idx(os.path.join(root, name)).astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    return (x - 0.1307) / 0.3081 if normalize else x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--start")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--normalize", action="store_true")
    ap.add_argument("--threads", type=int)
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr = images(a.root, "train-images-idx3-ubyte.gz", a.normalize)
    ytr = torch.from_numpy(idx(os.path.join(a.root, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    xte = images(a.root, "t10k-images-idx3-ubyte.gz", a.normalize)
    yte = torch.from_numpy(idx(os.path.join(a.root, "t10k-labels-idx1-ubyte.gz")).astype(np.int64))
    net = model(3)
    if a.start:
        load = lambda name: torch.from_numpy(np.load(os.path.join(a.start, name + ".npy")).astype(np.float32))
        with torch.no_grad():
            net[0].weight.copy_(load("W1")); net[0].bias.copy_(load("b1"))
            net[3].weight.copy_(load("W2")); net[3].bias.copy_(load("b2"))
            net[7].weight.copy_(load("W3").T); net[7].bias.copy_(load("b3"))  # mapl's Dense W is [in, out]
        order = torch.from_numpy(np.load(os.path.join(a.start, "order.npy")).astype(np.int64))
    else:
        order = torch.randperm(len(xtr))
    opt = torch.optim.Adam(net.parameters(), lr=0.001)
    start, total, first = time.perf_counter(), 0.0, None
    for s in range(0, len(order), 64):
        batch = order[s:s + 64]
        loss = F.cross_entropy(net(xtr[batch]), ytr[batch])
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(batch)  # the epoch's mean loss, as mapl's history reports it
        first = loss.item() if first is None else first
    seconds = time.perf_counter() - start
    with torch.no_grad():
        acc = (net(xte).argmax(1) == yte).float().mean().item()
    print(f"epoch {seconds:.3f} s, first batch loss {first:.6f}, mean loss {total / len(order):.4f}, test accuracy {acc * 100:.2f}%")
    print(json.dumps({"epoch_seconds": [seconds], "test_accuracy": acc}))


if __name__ == "__main__":
    main()
