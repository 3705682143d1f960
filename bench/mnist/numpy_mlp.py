#!/usr/bin/env python3
"""From-scratch NumPy reference for mapl's MNIST benchmark: the chapter's Keras model 784-128(relu)-10,
softmax cross-entropy, Adam (lr 0.001, β 0.9/0.999, ε 1e-8, PyTorch's update), batch 64, shuffled each epoch.
Forward, backward and Adam are written by hand. Prints one line per epoch and a final JSON line:
  {"epoch_seconds": [...], "test_accuracy": 0.97...}
Usage: numpy_mlp.py MNIST_DIR [EPOCHS] [--normalize MEAN STD]
With --normalize the inputs are (pixel / 255 − MEAN) / STD, folded into one scale and shift as mapl does."""
import json, os, sys, time
import numpy as np
from mnist_idx import idx, take_normalize


def main():
    args = sys.argv[1:]
    mean, std = take_normalize(args)
    root = args[0]
    epochs = int(args[1]) if len(args) > 1 else 5
    scale, shift = np.float32(1 / (255 * std)), np.float32(-mean / std)
    xtr = idx(os.path.join(root, "train-images-idx3-ubyte.gz")).reshape(-1, 784)
    ytr = idx(os.path.join(root, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    xte = idx(os.path.join(root, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) * scale + shift
    yte = idx(os.path.join(root, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    rng = np.random.default_rng(0)
    b1_ = 1 / np.sqrt(784); b2_ = 1 / np.sqrt(128)
    params = [rng.uniform(-b1_, b1_, (784, 128)).astype(np.float32), rng.uniform(-b1_, b1_, 128).astype(np.float32),
              rng.uniform(-b2_, b2_, (128, 10)).astype(np.float32), rng.uniform(-b2_, b2_, 10).astype(np.float32)]
    m = [np.zeros_like(p) for p in params]; v = [np.zeros_like(p) for p in params]
    lr, beta1, beta2, eps, t = 0.001, 0.9, 0.999, 1e-8, 0
    times = []
    for epoch in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(len(xtr))
        for s in range(0, len(order), 64):
            idxs = order[s:s + 64]
            x = xtr[idxs].astype(np.float32) * scale + shift
            y = ytr[idxs]
            W1, b1, W2, b2 = params
            h = x @ W1 + b1
            a = np.maximum(h, 0)
            logits = a @ W2 + b2
            logits -= logits.max(axis=1, keepdims=True)
            e = np.exp(logits)
            p = e / e.sum(axis=1, keepdims=True)
            n = len(y)
            g = p; g[np.arange(n), y] -= 1; g /= n
            grads = [None, None, None, None]
            grads[2] = a.T @ g; grads[3] = g.sum(axis=0)
            ga = g @ W2.T; ga[h <= 0] = 0
            grads[0] = x.T @ ga; grads[1] = ga.sum(axis=0)
            t += 1
            c1 = 1 - beta1 ** t; c2 = 1 - beta2 ** t
            for i in range(4):
                m[i] *= beta1; m[i] += (1 - beta1) * grads[i]
                v[i] *= beta2; v[i] += (1 - beta2) * grads[i] * grads[i]
                params[i] -= lr * (m[i] / c1) / (np.sqrt(v[i] / c2) + eps)
        times.append(time.perf_counter() - start)
        print(f"numpy epoch {epoch + 1}: {times[-1]:.3f} s", flush=True)
    W1, b1, W2, b2 = params
    pred = (np.maximum(xte @ W1 + b1, 0) @ W2 + b2).argmax(axis=1)
    print(json.dumps({"epoch_seconds": times, "test_accuracy": float((pred == yte).mean())}))

if __name__ == "__main__":
    main()
