import XCTest
import MaplTestSupport
@testable import MaplNN

/// The `attention` layer (projections around one fused attention op) against NumPy in float64: its output
/// and the gradients of Σ y⊙R for the input and every weight and bias, at the bench's size (batch 64,
/// sequence 64, d 64, 4 heads) and causal at a small one. NumPy's backward is written out by the textbook
/// formulas (each checked by finite differences in MaplEngineTests/AttentionOpTests.swift).
final class AttentionNumPyTests: XCTestCase {
    /// Reads B S D H causal, then x, Wq, bq, Wk, bk, Wv, bv, Wo, bo and R one line each; prints y, then the
    /// gradients of x, Wq, bq, Wk, bk, Wv, bv, Wo, bo one line each.
    static let numpyAttention = """
    import sys, numpy as np
    B, S, D, H, causal = map(int, sys.stdin.readline().split())
    x, Wq, bq, Wk, bk, Wv, bv, Wo, bo, R = (np.array(sys.stdin.readline().split(), dtype=np.float64) for _ in range(10))
    x, R = x.reshape(B, S, D), R.reshape(B, S, D)
    Wq, Wk, Wv, Wo = (w.reshape(D, D) for w in (Wq, Wk, Wv, Wo))
    dh = D // H
    split = lambda t: t.reshape(B, S, H, dh).transpose(0, 2, 1, 3)
    merge = lambda t: t.transpose(0, 2, 1, 3).reshape(B, S, D)
    q, k, v = x @ Wq + bq, x @ Wk + bk, x @ Wv + bv
    Q, K, V = split(q), split(k), split(v)
    s = Q @ K.transpose(0, 1, 3, 2) / np.sqrt(dh)
    if causal: s = s + np.triu(np.full((S, S), -np.inf), 1)
    P = np.exp(s - s.max(-1, keepdims=True)); P /= P.sum(-1, keepdims=True)
    m = merge(P @ V)
    y = m @ Wo + bo
    dm = R @ Wo.T; dWo = m.reshape(-1, D).T @ R.reshape(-1, D); dbo = R.sum((0, 1))
    G = split(dm)
    dV = P.transpose(0, 1, 3, 2) @ G
    dP = G @ V.transpose(0, 1, 3, 2)
    dS = P * (dP - (P * dP).sum(-1, keepdims=True)) / np.sqrt(dh)
    dQ, dK = dS @ K, dS.transpose(0, 1, 3, 2) @ Q
    dx = np.zeros_like(x); out = []
    for dp, W, b in ((merge(dQ), Wq, bq), (merge(dK), Wk, bk), (merge(dV), Wv, bv)):
        dx += dp @ W.T
        out += [x.reshape(-1, D).T @ dp.reshape(-1, D), dp.sum((0, 1))]
    for a in [y, dx] + out + [dWo, dbo]:
        print(" ".join(repr(float(v)) for v in a.ravel()))
    """

    func testOutputAndGradientsAgainstNumPy() throws {
        for (batch, seq, d, heads, causal) in [(64, 64, 64, 4, false), (2, 5, 8, 2, true)] {
            let layer = try Attention(d, heads: heads, causal: causal)
            for (i, p) in layer.parameters.enumerated() { p.value = pattern(p.shape, a: 0.3 + 0.17 * Double(i), s: 0.4, o: 0.1 * Double(i)) }
            let x = Variable.parameter(pattern([batch, seq, d], a: 1.7, s: 1.2, o: 0.3))
            let y = try layer(x)
            let r = pattern(y.shape, a: 0.91, s: 1, o: 0.3)
            try Variable.sum(y * Variable(r)).backward()
            func line(_ t: Tensor) -> String { t.scalars.map { "\($0)" }.joined(separator: " ") }
            let input = "\(batch) \(seq) \(d) \(heads) \(causal ? 1 : 0)\n"
                + ([x.value] + layer.parameters.map(\.value) + [r]).map(line).joined(separator: "\n") + "\n"
            let expected = try NumPy.run(Self.numpyAttention, input: input).split(separator: "\n").map { $0.split(separator: " ").map { Float($0) ?? .nan } }
            XCTAssertEqual(expected.count, 10)
            let actual = ([y.value, x.grad] + layer.parameters.map(\.grad)).map { $0?.scalars ?? [] }
            let names = ["y", "∂x"] + layer.namedParameters.map { "∂" + $0.name }
            for (k, name) in names.enumerated() where k < expected.count {
                // float32 against float64: within 3e-5 of the largest entry's magnitude (the bias gradients add
                // 4096 rows of float32 values; the largest difference seen was ∂bv's, 1.3e-5 at magnitude 0.9)
                let scale = expected[k].map(abs).max() ?? 1
                assertClose(actual[k], expected[k], tol: 3e-5 * Swift.max(1, scale), "\(name), batch \(batch), seq \(seq), \(heads) heads, causal \(causal)")
            }
        }
    }
}
