#!/usr/bin/env python3
"""PyTorch CPU reference for mnist-bench's three models, with PyTorch's own initialisation and shuffling:

  torch_models.py MNIST_DIR MODEL EPOCHS [SEED] [--normalize MEAN STD]     MODEL 1, 2 or 3 (see bench/mnist/main.swift)

Pixels scaled to [0, 1], then with --normalize (x − MEAN) / STD as mnist-bench does by default; cross-entropy
(batch mean), batch 64, reshuffled every epoch; model 1
and the CNN with Adam lr 0.001, model 2 with SGD lr 0.01 momentum 0.9. Prints one line per epoch and a final
JSON line {"epoch_seconds": [...], "epoch_cpu_seconds": [...] (process CPU time, all threads), "test_accuracy": ...}. Not a project dependency: mnist-bench runs it only
with `--torch PYTHON`, a Python that has `pip install torch` (a CPU wheel)."""
import json, sys, time
import numpy as np
from mnist_idx import idx, take_normalize
import torch
import torch.nn as nn
import torch.nn.functional as F


def model(which):
    if which == 1:
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    if which == 2:
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(784, 10))


def main():
    args = sys.argv[1:]
    mean, std = take_normalize(args)
    root, which, epochs = args[0], int(args[1]), int(args[2])
    torch.manual_seed(int(args[3]) if len(args) > 3 else which)
    images = lambda name: ((torch.from_numpy(idx(f"{root}/{name}").astype(np.float32) / 255) - mean) / std).reshape(-1, 1, 28, 28)
    labels = lambda name: torch.from_numpy(idx(f"{root}/{name}").astype(np.int64))
    xtr, ytr = images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz")
    xte, yte = images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz")
    net = model(which)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9) if which == 2 else torch.optim.Adam(net.parameters(), lr=0.001)
    seconds, cpu = [], []
    for epoch in range(epochs):
        start, cpu_start = time.perf_counter(), time.process_time()
        order = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            b = order[i:i + 64]
            loss = F.cross_entropy(net(xtr[b]), ytr[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
        print(f"  torch epoch {epoch + 1}/{epochs}  {seconds[-1]:.3f} s", flush=True)
    with torch.no_grad():
        acc = (net(xte).argmax(1) == yte).float().mean().item()
    print(json.dumps({"epoch_seconds": seconds, "epoch_cpu_seconds": cpu, "test_accuracy": acc}))


if __name__ == "__main__":
    main()
