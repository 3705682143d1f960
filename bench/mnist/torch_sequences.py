#!/usr/bin/env python3
"""PyTorch CPU reference for mnist-bench's sequence models (bench/mnist/SequenceBench.swift), one training step
(forward, loss, backward, Adam) each:

  torch_sequences.py lstm STEPS WARMUP        nn.LSTM(1, 64) on 32-sample sine windows → next sample, batch 64,
                                              last hidden state → nn.Linear(64, 1), MSE, Adam 0.001
  torch_sequences.py attention STEPS WARMUP   nn.MultiheadAttention(64, 4) self-attention on [64, 64, 64] normal
                                              inputs, MSE against normal targets, Adam 0.001 (need_weights=False:
                                              PyTorch's fastest path, its fused scaled-dot-product attention)

Prints a final JSON line {"step_seconds": s, "step_cpu_seconds": c}: the means over STEPS steps after WARMUP
(c: process CPU time, all threads). Default threads. Not a
project dependency: mnist-bench runs it only with `--torch PYTHON`."""
import json, math, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F


def lstm_case():
    torch.manual_seed(21)
    lstm, head = nn.LSTM(1, 64, batch_first=True), nn.Linear(64, 1)
    opt = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=0.001)
    batches = []
    for _ in range(8):
        phase, freq = torch.rand(64, 1) * 2 * math.pi, 0.1 + torch.rand(64, 1) * 0.4
        t = torch.arange(33, dtype=torch.float32)
        wave = torch.sin(phase + t * freq)
        batches.append((wave[:, :32].unsqueeze(-1).contiguous(), wave[:, 32:].contiguous()))

    def step(i):
        x, y = batches[i % len(batches)]
        states, _ = lstm(x)
        loss = F.mse_loss(head(states[:, -1]), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return step


def attention_case():
    torch.manual_seed(10)
    block = nn.MultiheadAttention(64, 4, batch_first=True)
    opt = torch.optim.Adam(block.parameters(), lr=0.001)
    batches = [(torch.randn(64, 64, 64), torch.randn(64, 64, 64)) for _ in range(4)]

    def step(i):
        x, y = batches[i % len(batches)]
        out, _ = block(x, x, x, need_weights=False)
        loss = F.mse_loss(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return step


def main():
    which, steps, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    step = {"lstm": lstm_case, "attention": attention_case}[which]()
    for i in range(warmup):
        step(i)
    start, cpu_start = time.perf_counter(), time.process_time()
    for i in range(steps):
        step(warmup + i)
    print(json.dumps({"step_seconds": (time.perf_counter() - start) / steps, "step_cpu_seconds": (time.process_time() - cpu_start) / steps}))


if __name__ == "__main__":
    main()
