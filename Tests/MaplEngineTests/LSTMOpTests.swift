import XCTest
import CKernels
@testable import MaplEngine

/// The fused LSTM op (`Variable.lstm`, Autodiff/Ops/RecurrentOps.swift) and the vectorised σ and tanh its
/// cell loop uses: gradients against finite differences, shapes and errors, the second derivative; values
/// and gradients against NumPy are in MaplNNTests/LSTMNumPyTests.swift.
final class LSTMOpTests: XCTestCase {
    /// Deterministic inputs: `[batch, time, in]`, `W_ih`, `W_hh`, `b` with values spread over ±scale, so
    /// the gates sit in the nonlinearities' curved parts, not saturated.
    static func inputs(batch: Int, time: Int, features: Int, hidden: Int) -> (x: Tensor, wih: Tensor, whh: Tensor, b: Tensor) {
        func spread(_ shape: [Int], _ a: Double, _ scale: Float) -> Tensor {
            let n = Shape.count(shape)
            return Tensor(unchecked: shape, (0..<n).map { i in Float(sin(Double(i) * a + 0.3)) * scale })
        }
        return (spread([batch, time, features], 1.7, 1.2), spread([features, 4 * hidden], 0.91, 0.6),
                spread([hidden, 4 * hidden], 1.37, 0.5), spread([4 * hidden], 2.3, 0.4))
    }

    func testGradientsAgainstFiniteDifferences() {
        let (x, wih, whh, b) = Self.inputs(batch: 2, time: 4, features: 3, hidden: 2)
        assertGradient("lstm ∂x", at: x) { try weightedSum(Variable.lstm($0, Variable(wih), Variable(whh), Variable(b))) }
        assertGradient("lstm ∂W_ih", at: wih) { try weightedSum(Variable.lstm(Variable(x), $0, Variable(whh), Variable(b))) }
        assertGradient("lstm ∂W_hh", at: whh) { try weightedSum(Variable.lstm(Variable(x), Variable(wih), $0, Variable(b))) }
        assertGradient("lstm ∂b", at: b) { try weightedSum(Variable.lstm(Variable(x), Variable(wih), Variable(whh), $0)) }
        // One step (no recurrence, no previous cell) and one sequence in the batch.
        let one = Self.inputs(batch: 1, time: 1, features: 2, hidden: 3)
        assertGradient("lstm one step ∂W_ih", at: one.wih) { try weightedSum(Variable.lstm(Variable(one.x), $0, Variable(one.whh), Variable(one.b))) }
        assertGradient("lstm one step ∂x", at: one.x) { try weightedSum(Variable.lstm($0, Variable(one.wih), Variable(one.whh), Variable(one.b))) }
    }

    func testEmptyBatchAndBadShapes() throws {
        let (_, wih, whh, b) = Self.inputs(batch: 1, time: 1, features: 3, hidden: 2)
        let w = Variable.parameter(whh)
        let y = try Variable.lstm(Variable(Tensor(repeating: 0, shape: [0, 4, 3])), Variable(wih), w, Variable(b))
        XCTAssertEqual(y.shape, [0, 4, 2])
        try Variable.sum(y).backward()
        XCTAssertEqual(w.grad?.scalars, [Float](repeating: 0, count: 16))
        // No input features: x and W_ih are empty, the recurrence still runs on the bias alone (64 rows, two
        // blocks of the batch), and every gradient has its operand's shape.
        let (x0, wih0, b0) = (Variable.parameter(Tensor(repeating: 0, shape: [64, 40, 0])), Variable.parameter(Tensor(repeating: 0, shape: [0, 256])),
                              Variable.parameter(Tensor(repeating: 0.5, shape: [256])))
        let w0 = Variable.parameter(Tensor(repeating: 0.01, shape: [64, 256]))
        try Variable.sum(try Variable.lstm(x0, wih0, w0, b0)).backward()
        XCTAssertEqual([x0.grad?.shape, wih0.grad?.shape, w0.grad?.shape, b0.grad?.shape], [[64, 40, 0], [0, 256], [64, 256], [256]])
        XCTAssertGreaterThan(b0.grad?.scalars.reduce(0, +) ?? 0, 0)
        assertThrows(["W_ih must be [4, 8]"]) { try Variable.lstm(Variable(Tensor(repeating: 0, shape: [1, 2, 4])), Variable(wih), Variable(whh), Variable(b)) }
        assertThrows(["[hidden, 4·hidden]"]) { try Variable.lstm(Variable(Tensor(repeating: 0, shape: [1, 2, 3])), Variable(wih), Variable(wih), Variable(b)) }
        assertThrows(["[batch, time, features]"]) { try Variable.lstm(Variable(Tensor(repeating: 0, shape: [2, 3])), Variable(wih), Variable(whh), Variable(b)) }
    }

    /// The gradient's gradient goes through the op written out (its differentiable rule): ∂/∂W_hh of
    /// F = Σ(∂L/∂x)² against central differences of F computed from the first-order backward pass (as
    /// HigherOrderTests checks every rule).
    func testSecondOrder() {
        let (x, wih, whh, b) = Self.inputs(batch: 1, time: 3, features: 2, hidden: 2)
        assertGradient("lstm grad of grad", at: whh) { w in
            let xv = Variable.parameter(x)
            if w.requiresGrad && GradMode.isEnabled {
                let dx = try Variable.gradient(of: try weightedSum(Variable.lstm(xv, Variable(wih), w, Variable(b))), withRespectTo: xv)
                return try Variable.sum(dx * dx)
            }
            try GradMode.withGrad { try weightedSum(Variable.lstm(xv, Variable(wih), w, Variable(b))).backward() }
            return Variable(Tensor((xv.grad?.scalars ?? []).reduce(0) { $0 + $1 * $1 }))
        }
    }

    /// σ and tanh of the cell loop (VectorMath.h) against double precision, over the range that matters
    /// and the edges: within 3 ulp (relative 4e-7) or 1e-37 absolute where the value underflows; ±0,
    /// ±∞ and NaN as the functions should give them.
    func testVectorisedSigmoidAndTanh() {
        var xs: [Float] = stride(from: -30, through: 30, by: 0.0137).map { Float($0) }
        xs += [0, -0.0, 1e-30, -1e-30, 1e-8, 0.624999, 0.625, 0.625001, -0.625, 9, 43.4, 43.6, 87, 88, 89, 100, -88, -100, 1e30, -1e30, .greatestFiniteMagnitude]
        for x in xs {
            let s = Double(mapl_sigmoid(x)), t = Double(mapl_tanh(x))
            let es = 1 / (1 + Foundation.exp(-Double(x))), et = Foundation.tanh(Double(x))
            XCTAssert(abs(s - es) <= Swift.max(4e-7 * abs(es), 1e-37), "σ(\(x)) = \(s), expected \(es)")
            XCTAssert(abs(t - et) <= Swift.max(4e-7 * abs(et), 1e-37), "tanh(\(x)) = \(t), expected \(et)")
        }
        XCTAssertEqual(mapl_sigmoid(.infinity), 1); XCTAssertEqual(mapl_sigmoid(-.infinity), 0, accuracy: 1e-37)
        XCTAssertEqual(mapl_tanh(.infinity), 1); XCTAssertEqual(mapl_tanh(-.infinity), -1)
        XCTAssertEqual(mapl_tanh(-0.0).sign, .minus)
        XCTAssert(mapl_sigmoid(.nan).isNaN); XCTAssert(mapl_tanh(.nan).isNaN); XCTAssert(mapl_exp(.nan).isNaN)
    }
}
