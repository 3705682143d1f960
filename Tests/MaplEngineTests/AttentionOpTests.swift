import XCTest
@testable import MaplEngine

/// The fused attention op (`Variable.attention`, Autodiff/Ops/AttentionOps.swift): gradients of Q, K and V
/// against finite differences, with and without the causal mask and with one and several heads; the
/// second derivative; empty and bad shapes. Values and gradients against NumPy at the bench's size are in
/// MaplNNTests/AttentionNumPyTests.swift.
final class AttentionOpTests: XCTestCase {
    static func spread(_ shape: [Int], _ a: Double) -> Tensor {
        Tensor(unchecked: shape, (0..<Shape.count(shape)).map { i in Float(sin(Double(i) * a + 0.3)) * 1.3 })
    }
    let (q, k, v) = (spread([2, 3, 4], 1.7), spread([2, 3, 4], 0.91), spread([2, 3, 4], 2.3))

    func testGradientsAgainstFiniteDifferences() {
        for (heads, causal) in [(1, false), (2, false), (2, true), (4, true)] {
            let tag = "attention heads \(heads) causal \(causal)"
            assertGradient("\(tag) ∂Q", at: q) { try weightedSum(Variable.attention($0, Variable(self.k), Variable(self.v), heads: heads, causal: causal)) }
            assertGradient("\(tag) ∂K", at: k) { try weightedSum(Variable.attention(Variable(self.q), $0, Variable(self.v), heads: heads, causal: causal)) }
            assertGradient("\(tag) ∂V", at: v) { try weightedSum(Variable.attention(Variable(self.q), Variable(self.k), $0, heads: heads, causal: causal)) }
            // self-attention: one tensor in all three places, its three gradients added
            assertGradient("\(tag) ∂x (q = k = v)", at: q) { try weightedSum(Variable.attention($0, $0, $0, heads: heads, causal: causal)) }
        }
    }

    /// The unfused composition (reshape, permute, batched matmul, softmax — each checked on its own) gives the
    /// same values, so both paths compute the textbook attention.
    func testSameValuesAsTheWrittenOutOps() throws {
        for (heads, causal) in [(1, false), (2, true), (4, false)] {
            let fused = try Variable.attention(Variable(q), Variable(k), Variable(v), heads: heads, causal: causal)
            let unfused = try Variable.attentionUnfused(Variable(q), Variable(k), Variable(v), heads: heads, causal: causal)
            assertClose(fused.value, [2, 3, 4], unfused.value.scalars, tol: 1e-6)
        }
    }

    /// Ctrl-C reaches a long attention: its (batch, head) pairs run in chunks over the worker pool with one
    /// counted check before each chunk, on the calling thread — so a stop recorded at a check (as a replay
    /// places one) stops it at that same check, and the values of a run that is not stopped are unchanged.
    func testStopsAtACountedCheckBetweenChunksOfHeads() throws {
        // 64 × 4 pairs of 64 × 64 × 16 multiply-adds each: four chunks of 64 pairs.
        let (q, k, v) = (Self.spread([64, 64, 64], 1.1), Self.spread([64, 64, 64], 0.7), Self.spread([64, 64, 64], 2.9))
        let whole = try Variable.attention(Variable(q), Variable(k), Variable(v), heads: 4, causal: false).value
        let flag = StopFlag()
        flag.installOnCurrentThread()
        defer { StopFlag.uninstallFromCurrentThread() }
        flag.countChecks()
        let again = try Variable.attention(Variable(q), Variable(k), Variable(v), heads: 4, causal: false).value
        XCTAssertEqual(again.scalars, whole.scalars)
        for stopAt in [1, 3] {
            flag.clear()
            flag.countChecks(requestingAt: stopAt)
            XCTAssertThrowsError(try Variable.attention(Variable(q), Variable(k), Variable(v), heads: 4, causal: false)) {
                XCTAssertTrue($0 is Interrupted, "\($0)")
            }
            XCTAssertEqual(flag.interruptedAtCheck, stopAt)
        }
    }

    /// ∂/∂K of Σ(∂L/∂Q)² through the op's differentiable rule, against central differences of the first-order
    /// gradient (as HigherOrderTests checks every rule).
    func testSecondOrder() {
        assertGradient("attention grad of grad", at: k) { kv in
            let qv = Variable.parameter(self.q)
            if kv.requiresGrad && GradMode.isEnabled {
                let dq = try Variable.gradient(of: try weightedSum(Variable.attention(qv, kv, Variable(self.v), heads: 2, causal: true)), withRespectTo: qv)
                return try Variable.sum(dq * dq)
            }
            try GradMode.withGrad { try weightedSum(Variable.attention(qv, kv, Variable(self.v), heads: 2, causal: true)).backward() }
            return Variable(Tensor((qv.grad?.scalars ?? []).reduce(0) { $0 + $1 * $1 }))
        }
    }

    /// A NaN in one head's keys makes that head's output NaN for that sequence and nothing else.
    func testNaNStaysInItsHead() throws {
        var keys = k
        keys.scalars[1] = .nan   // batch 0, position 0, column 1: head 0 of two
        let y = try Variable.attention(Variable(q), Variable(keys), Variable(v), heads: 2, causal: false).value.scalars
        for (i, value) in y.enumerated() {
            let (b, column) = (i / 12, i % 4)
            XCTAssertEqual(value.isNaN, b == 0 && column < 2, "element \(i)")
        }
    }

    func testEmptyAndBadShapes() throws {
        let e = Variable.parameter(Tensor(repeating: 0, shape: [0, 3, 4]))
        let y = try Variable.attention(e, e, e, heads: 2, causal: false)
        XCTAssertEqual(y.shape, [0, 3, 4])
        assertThrows(["not divisible"]) { try Variable.attention(Variable(q), Variable(k), Variable(v), heads: 3, causal: false) }
        assertThrows(["[batch, seq, d] alike"]) { try Variable.attention(Variable(q), Variable(Tensor(repeating: 0, shape: [2, 4, 4])), Variable(v), heads: 1, causal: false) }
    }
}
