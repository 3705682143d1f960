import XCTest
@testable import MaplNN

// Helpers shared by the nn test files (this file holds no tests of its own).

/// `s·sin(a·i + o)` for i = 0, 1, … in row-major order — the same numbers NumPy's
/// `P(shape, a, s, o) = (s*np.sin(a*np.arange(n)+o)).reshape(shape)` gives, so fixed weights can be
/// reproduced exactly in the reference scripts quoted by the tests.
func pattern(_ shape: [Int], a: Double = 0.37, s: Double = 0.5, o: Double = 0) -> Tensor {
    let n = shape.reduce(1, *)
    return try! Tensor(shape: shape, scalars: (0..<n).map { Float(s * sin(a * Double($0) + o)) })
}

/// Asserts two float lists agree to within `tol` (absolute), reporting the first disagreement.
func assertClose(_ actual: [Float], _ expected: [Float], tol: Float = 1e-4, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "count differs \(message)", file: file, line: line)
    for (i, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= tol) {
        XCTFail("element \(i): \(a) vs expected \(e) \(message)", file: file, line: line)
        return
    }
}

/// A fixed, non-symmetric weighting so `Σ y·R` has a gradient that tests every output element
/// (a plain sum would be blind to, e.g., softmax or normalisation outputs that always sum to a constant).
func probe(_ y: Variable) throws -> Variable {
    try Variable.sum(y * Variable(pattern(y.shape, a: 0.91, s: 1, o: 0.3)))
}

/// `Gradients.check` of `Σ layer(x)·R` with respect to the input x.
func inputGradientError(_ layer: Layer, _ x: Tensor, reseed: UInt64? = nil) throws -> Float {
    try Gradients.check({ v in
        if let reseed { Random.seed(reseed) }
        return try probe(layer(v))
    }, at: x)
}

/// `Gradients.check` of a loss with respect to one parameter `p` the loss closes over.
///
/// `Gradients.check` differentiates with respect to a fresh leaf, so the closure bridges: it writes the
/// leaf's value into `p`, evaluates the loss, and — when recording — runs the inner backward and records a
/// node whose gradient is the one that reached `p`. Under the checker's finite differences (recording off)
/// it only evaluates. The parameter's value and gradient are restored afterwards.
func parameterGradientError(_ p: Variable, _ loss: @escaping () throws -> Variable) throws -> Float {
    let saved = p.value, savedGrad = p.grad
    defer { p.value = saved; p.grad = savedGrad }
    return try Gradients.check({ leaf in
        p.value = leaf.value
        let inner = try loss()
        guard GradMode.isEnabled else { return inner }
        p.grad = nil
        try inner.backward()
        let g = p.grad ?? Tensor(repeating: 0, shape: p.shape)
        return Variable.record(OpInfo("bridge", "∂L/∂leaf = ∂L/∂p"), [leaf], inner.value) { up in
            [try g * up]
        }
    }, at: saved)
}

/// Checks the input gradient and every parameter's gradient of `Σ layer(x)·R`.
func assertGradientsCheck(_ layer: Layer, _ x: Tensor, inputRequiresGradient: Bool = true, reseed: UInt64? = nil,
                          tol: Float = 1e-2, file: StaticString = #filePath, line: UInt = #line) throws {
    if inputRequiresGradient {
        let e = try inputGradientError(layer, x, reseed: reseed)
        XCTAssertLessThan(e, tol, "\(layer.signature): input gradient", file: file, line: line)
    }
    for (name, p) in layer.namedParameters {
        let e = try parameterGradientError(p) {
            if let reseed { Random.seed(reseed) }
            return try probe(layer(Variable(x)))
        }
        XCTAssertLessThan(e, tol, "\(layer.signature): gradient of \(name)", file: file, line: line)
    }
}
