#!/usr/bin/env python3
"""PyTorch reference for mapl's model 1 (784-128(relu)-10, Adam lr 0.001, batch 64) trained from the SAME
start as mapl: the initial weights mapl saved and the same batches in file order (no shuffle). If the two
end with the same weights and test accuracy, mapl's training arithmetic is PyTorch's, and a difference in
accuracy between seeds is the luck of the random streams, not a bug.

Not a project dependency: needs `pip install torch` (a CPU wheel). First `mapl run` this session:

    train = mnist("train"); test = mnist("test"); seed(1)
    model = flatten >> dense(784, 128, act=relu) >> dense(128, 10)
    save(model, "/tmp/init.safetensors"); opt = adam(model, lr=0.001)
    for e in 1..2 { for b in batches(train, 64, shuffle=false) {
        loss = cross_entropy(model(b.x), b.y); zero_grad(opt); backward(loss); step(opt) } }
    save(model, "/tmp/after.safetensors"); print(evaluate(model, test))

then:
    python3 bench/mnist/torch_mlp.py MNIST_DIR /tmp/init.safetensors /tmp/after.safetensors 2

Measured here (seed 1, 2 epochs): both 95.68 % test accuracy; largest weight difference 8e-6."""
import json, struct, sys
import numpy as np
from mnist_idx import idx
import torch
import torch.nn as nn
import torch.nn.functional as F


def safetensors(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    return {k: np.frombuffer(data[8 + n + v["data_offsets"][0]: 8 + n + v["data_offsets"][1]], dtype=np.float32).reshape(v["shape"])
            for k, v in header.items() if k != "__metadata__"}


def main():
    root, start, after, epochs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    torch.set_num_threads(1)
    images = lambda name: torch.from_numpy(idx(f"{root}/{name}").astype(np.float32) / 255).reshape(-1, 784)
    labels = lambda name: torch.from_numpy(idx(f"{root}/{name}").astype(np.int64))
    xtr, ytr = images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz")
    xte, yte = images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz")
    w, mapl = safetensors(start), safetensors(after)
    net = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    with torch.no_grad():  # mapl's Dense keeps W as [in, out], PyTorch's Linear as [out, in]
        net[0].weight.copy_(torch.tensor(w["layers.1.W"].T)); net[0].bias.copy_(torch.tensor(w["layers.1.b"]))
        net[2].weight.copy_(torch.tensor(w["layers.2.W"].T)); net[2].bias.copy_(torch.tensor(w["layers.2.b"]))
    opt = torch.optim.Adam(net.parameters(), lr=0.001)
    for _ in range(epochs):
        for i in range(0, len(xtr), 64):
            loss = F.cross_entropy(net(xtr[i:i + 64]), ytr[i:i + 64])
            opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        print(f"PyTorch test accuracy {(net(xte).argmax(1) == yte).float().mean().item() * 100:.2f}%")
    for name, t in [("layers.1.W", net[0].weight.T), ("layers.1.b", net[0].bias), ("layers.2.W", net[2].weight.T), ("layers.2.b", net[2].bias)]:
        d = np.abs(t.detach().numpy() - mapl[name])
        print(f"{name}: largest |PyTorch − mapl| {d.max():.3g}, largest |w| {np.abs(mapl[name]).max():.3g}")


if __name__ == "__main__":
    main()
