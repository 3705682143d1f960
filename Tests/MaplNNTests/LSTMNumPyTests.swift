import XCTest
import MaplTestSupport
@testable import MaplNN

/// The `lstm` layer (one fused op, Variable.lstm) against NumPy: its hidden states and the gradients of
/// Σ y⊙R for the input and the three parameters, from an LSTM written out step by step in float64 with
/// backpropagation through time by the textbook formulas (whose derivation the finite-difference checks
/// in MaplEngineTests/LSTMOpTests.swift confirm independently).
final class LSTMNumPyTests: XCTestCase {
    /// NumPy, float64: reads B T I H, then x, W_ih, W_hh, b and the weighting R one line each; prints y and
    /// the gradients ∂x, ∂W_ih, ∂W_hh, ∂b one line each.
    static let numpyLSTM = """
    import sys, numpy as np
    B, T, I, H = map(int, sys.stdin.readline().split())
    x, Wi, Wh, b, w = (np.array(sys.stdin.readline().split(), dtype=np.float64) for _ in range(5))
    x, Wi, Wh, w = x.reshape(B, T, I), Wi.reshape(I, 4 * H), Wh.reshape(H, 4 * H), w.reshape(B, T, H)
    sig = lambda z: 1 / (1 + np.exp(-z))
    h, c, ys, cache = np.zeros((B, H)), np.zeros((B, H)), [], []
    for t in range(T):
        z = x[:, t] @ Wi + b + h @ Wh
        i, f, g, o = sig(z[:, :H]), sig(z[:, H:2*H]), np.tanh(z[:, 2*H:3*H]), sig(z[:, 3*H:])
        cache.append((h, c, i, f, g, o))
        c = f * c + i * g
        h = o * np.tanh(c)
        ys.append(h)
    y = np.stack(ys, 1)
    dx, dWi, dWh, db = np.zeros_like(x), np.zeros_like(Wi), np.zeros_like(Wh), np.zeros_like(b)
    dh, dc = np.zeros((B, H)), np.zeros((B, H))
    for t in reversed(range(T)):
        hp, cp, i, f, g, o = cache[t]
        ct = f * cp + i * g
        dh = dh + w[:, t]
        do = dh * np.tanh(ct)
        dc = dc + dh * o * (1 - np.tanh(ct) ** 2)
        dz = np.concatenate([dc * g * i * (1 - i), dc * cp * f * (1 - f), dc * i * (1 - g * g), do * o * (1 - o)], 1)
        dWi += x[:, t].T @ dz; dWh += hp.T @ dz; db += dz.sum(0); dx[:, t] = dz @ Wi.T
        dh, dc = dz @ Wh.T, dc * f
    for a in (y, dx, dWi, dWh, db):
        print(" ".join(repr(float(v)) for v in a.ravel()))
    """

    /// Small, at the chapter's size (batch 64, 32 steps, hidden 64 as the bench's LSTM, with 8 input
    /// features so W_ih's product is a real one: the batch runs through time as two blocks of rows), and a
    /// batch of 97 whose recurrence runs as three uneven blocks (32, 32, 33 rows).
    func testStatesAndGradientsAgainstNumPy() throws {
        for (batch, time, features, hidden) in [(3, 5, 2, 4), (64, 32, 8, 64), (97, 8, 3, 48)] {
            let layer = try LSTM(features, hidden)
            layer.W_ih.value = pattern([features, 4 * hidden], a: 0.91, s: 0.6, o: 0.3)
            layer.W_hh.value = pattern([hidden, 4 * hidden], a: 1.37, s: 0.5, o: 0.3)
            layer.b.value = pattern([4 * hidden], a: 2.3, s: 0.4, o: 0.3)
            let x = Variable.parameter(pattern([batch, time, features], a: 1.7, s: 1.2, o: 0.3))
            let y = try layer(x)
            let r = pattern(y.shape, a: 0.91, s: 1, o: 0.3)
            try Variable.sum(y * Variable(r)).backward()
            func line(_ t: Tensor) -> String { t.scalars.map { "\($0)" }.joined(separator: " ") }
            let input = "\(batch) \(time) \(features) \(hidden)\n"
                + [x.value, layer.W_ih.value, layer.W_hh.value, layer.b.value, r].map(line).joined(separator: "\n") + "\n"
            let expected = try NumPy.run(Self.numpyLSTM, input: input).split(separator: "\n").map { $0.split(separator: " ").map { Float($0) ?? .nan } }
            XCTAssertEqual(expected.count, 5)
            let actual = [y.value, x.grad, layer.W_ih.grad, layer.W_hh.grad, layer.b.grad].map { $0?.scalars ?? [] }
            for (k, name) in ["y", "∂x", "∂W_ih", "∂W_hh", "∂b"].enumerated() where k < expected.count {
                // float32 against float64: within 1e-5 of the largest entry's magnitude
                let scale = expected[k].map(abs).max() ?? 1
                assertClose(actual[k], expected[k], tol: 1e-5 * Swift.max(1, scale), "\(name), batch \(batch), \(time) steps, hidden \(hidden)")
            }
        }
    }
}
