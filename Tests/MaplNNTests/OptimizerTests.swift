import XCTest
@testable import MaplNN

/// Three steps of each optimizer on `L(w) = Σ c·(w − t)²` (gradient 2c(w − t)) from w₀, against a NumPy
/// transcription of PyTorch's documented update rules (float64):
///     w0 = [0.5, -1, 2, 0.1], c = [1, 0.5, 2, 3], t = [0.2, 0.3, -0.4, 1]
final class OptimizerTests: XCTestCase {
    let c = Tensor([1, 0.5, 2, 3]), t = Tensor([0.2, 0.3, -0.4, 1])

    /// Runs three (zero_grad, backward, step) rounds and returns the final weights.
    func run(_ make: ([Variable]) throws -> Optimizer) throws -> [Float] {
        let w = Variable.parameter(Tensor([0.5, -1, 2, 0.1]))
        let opt = try make([w])
        for _ in 0..<3 {
            opt.zeroGrad()
            let d = try w - Variable(t)
            try Variable.sum(try Variable(c) * d * d).backward()
            try opt.step()
        }
        return w.value.scalars
    }

    func testSGD() throws {
        // NumPy: w -= lr·g
        assertClose(try run { try SGD($0, lr: 0.1) }, [0.3536, -0.6477, 0.1184, 0.9424], tol: 1e-5)
        // NumPy: buf = g (first step), then 0.9·buf + g; w -= lr·buf
        assertClose(try run { try SGD($0, lr: 0.1, momentum: 0.9) }, [0.2186, -0.3318, -1.696, 1.7686], tol: 1e-5)
        // NumPy: g += 0.1·w; buf as above; w -= lr·(g + 0.9·buf)
        assertClose(try run { try SGD($0, lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.1) },
                    [0.28341088, -0.48866341, -0.68819364, 1.2979594], tol: 1e-5)
    }

    func testRMSprop() throws {
        // NumPy: s = α·s + (1−α)·g²; w -= lr·g/(√s + eps)
        assertClose(try run { try RMSprop($0, lr: 0.01) }, [0.30689951, -0.77779666, 1.7746139, 0.31893583], tol: 1e-5)
        // NumPy: with g += 0.1·w and b = 0.5·b + g/(√s + eps); w -= lr·b (alpha 0.9)
        assertClose(try run { try RMSprop($0, lr: 0.01, alpha: 0.9, momentum: 0.5, weightDecay: 0.1) },
                    [0.39526314, -0.89198049, 1.8915336, 0.20758803], tol: 1e-5)
    }

    func testAdam() throws {
        // NumPy: m, v moments; m̂ = m/(1−β₁ᵏ), v̂ = v/(1−β₂ᵏ); w -= lr·m̂/(√v̂ + eps)
        assertClose(try run { try Adam($0, lr: 0.1) }, [0.21328897, -0.70109479, 1.7004979, 0.39814568], tol: 1e-5)
        assertClose(try run { try Adam($0, lr: 0.1, weightDecay: 0.1) }, [0.21243642, -0.7011271, 1.7005004, 0.39809359], tol: 1e-5)
        assertClose(try run { try Adam($0, lr: 0.05, beta1: 0.8, beta2: 0.9, eps: 1e-3) },
                    [0.35216881, -0.85036597, 1.8501393, 0.24958176], tol: 1e-5)
    }

    func testAdamWDecouplesWeightDecay() throws {
        // NumPy: w *= (1 − lr·wd) before the Adam step on the raw gradient
        assertClose(try run { try AdamW($0, lr: 0.1, weightDecay: 0.1) }, [0.20276382, -0.6745287, 1.6442069, 0.39222816], tol: 1e-5)
        XCTAssertEqual(try AdamW([]).weightDecay, 0.01)
        XCTAssertEqual(try AdamW([]).kind, "adamw")
    }

    func testDefaultsFollowTheContract() throws {
        let s = try SGD([]), r = try RMSprop([]), a = try Adam([])
        XCTAssertEqual([s.lr, s.momentum, s.weightDecay], [0.01, 0, 0]); XCTAssertFalse(s.nesterov)
        XCTAssertEqual([r.lr, r.alpha, r.eps], [0.001, 0.99, 1e-8])
        XCTAssertEqual([a.lr, a.beta1, a.beta2, a.eps, a.weightDecay], [0.001, 0.9, 0.999, 1e-8, 0])
    }

    func testSkipsParametersWithoutGradientAndZeroGradClears() throws {
        let used = Variable.parameter(Tensor([1, 2])), unused = Variable.parameter(Tensor([3]))
        let opt = try Adam([used, unused, used], lr: 0.1)
        XCTAssertEqual(opt.parameters.count, 2, "a repeated parameter is stepped once")
        try Variable.sum(used).backward()
        try opt.step()
        XCTAssertEqual(unused.value.scalars, [3])
        // First Adam step moves each weight by lr·sign(g) (m̂/√v̂ = g/|g|): 1 − 0.1, 2 − 0.1.
        assertClose(used.value.scalars, [0.9, 1.9], tol: 1e-6)
        opt.zeroGrad()
        XCTAssertNil(used.grad)
        opt.lr = 0.5
        XCTAssertEqual(opt.lr, 0.5)
    }

    func testUpdatesAreNotRecordedAndParametersStayShared() throws {
        let d = try Dense(2, 1)
        let w = d.W
        let opt = try SGD(d.parameters, lr: 0.1)
        try Variable.sum(try d(Variable(Tensor(repeating: 1, shape: [1, 2])))).backward()
        let before = w.value
        try opt.step()
        XCTAssertTrue(d.W === w && w.isLeaf && w.isParameter)
        // Σ(x·W + b) with x = [1, 1]: ∂/∂W = 1 for each entry, so each weight drops by lr·1.
        assertClose(w.value.scalars, before.scalars.map { $0 - 0.1 })
    }

    func testInvalidArgumentsThrow() {
        XCTAssertThrowsError(try SGD([], lr: -1))
        XCTAssertThrowsError(try SGD([], nesterov: true))
        XCTAssertThrowsError(try Adam([], beta1: 1))
        XCTAssertThrowsError(try RMSprop([], alpha: 2))
        XCTAssertThrowsError(try SGD([Variable(Tensor([1]))]), "a constant is not a parameter")
    }
}
