import XCTest
@testable import MaplEngine

/// Shared assertions for the engine tests. Expected values always come from outside the engine
/// (NumPy or a hand derivation, noted where they are pasted).

/// A tensor from a shape and literal values; fails the test (not the process) if they disagree.
func T(_ shape: [Int], _ values: [Float], file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    do { return try Tensor(shape: shape, scalars: values) } catch {
        XCTFail("bad literal: \(error)", file: file, line: line)
        return Tensor(0)
    }
}

/// Asserts shape equality and that every element is within `tol` (absolute + relative to the expected value).
func assertClose(_ actual: Tensor, _ shape: [Int], _ expected: [Float], tol: Float = 1e-5,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, shape, "shape", file: file, line: line)
    XCTAssertEqual(actual.count, expected.count, "count", file: file, line: line)
    for (i, (a, e)) in zip(actual.scalars, expected).enumerated() {
        let ok = (a == e) || Swift.abs(a - e) <= tol * (1 + Swift.abs(e))
        if !ok {
            XCTFail("element \(i): got \(a), expected \(e) (shape \(shapeString(actual.shape)))", file: file, line: line)
            return
        }
    }
}

/// Asserts that `body` throws a `TensorError` whose message contains every one of `fragments`.
func assertThrows<T>(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                     _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected a TensorError containing \(fragments)", file: file, line: line)
    } catch let e as TensorError {
        for f in fragments where !e.message.contains(f) {
            XCTFail("message \"\(e.message)\" lacks \"\(f)\"", file: file, line: line)
        }
    } catch {
        XCTFail("expected TensorError, got \(error)", file: file, line: line)
    }
}

/// Deterministic, non-uniform weights of a given shape (0.3, −0.5, 0.7, … pattern), used to turn a
/// tensor-valued op into a scalar for gradient checks without the symmetry a plain sum has
/// (Σ softmax is constant, so its gradient would be zero and prove nothing).
func weights(_ shape: [Int]) -> Tensor {
    let n = Shape.count(shape)
    return Tensor(unchecked: shape, (0..<n).map { i in Float((i % 7) + 1) * 0.17 * (i % 2 == 0 ? 1 : -1) })
}

/// Σ(y ⊙ w) with the fixed weights above: a scalar whose gradient with respect to y is w.
func weightedSum(_ y: Variable) throws -> Variable {
    try Variable.sum(y * Variable(weights(y.shape)))
}

/// Runs `Gradients.check` and asserts the error is below 1e-2 (the float32 pass mark).
func assertGradient(_ name: String, at x: Tensor, tol: Float = 1e-2,
                    file: StaticString = #filePath, line: UInt = #line, _ f: (Variable) throws -> Variable) {
    do {
        let err = try Gradients.check(f, at: x)
        XCTAssertFalse(err.isNaN, "\(name): gradcheck gave NaN", file: file, line: line)
        XCTAssertLessThan(err, tol, "\(name): gradcheck error \(err)", file: file, line: line)
    } catch {
        XCTFail("\(name): \(error)", file: file, line: line)
    }
}

/// The sample tensors most tests use (pasted into the NumPy scripts that produced the expected values).
enum Sample {
    /// [[-1.5, -0.3, 0.2], [0.7, 1.1, 2.5]]
    static let a = Tensor(unchecked: [2, 3], [-1.5, -0.3, 0.2, 0.7, 1.1, 2.5])
    /// [0.5, -2.0, 1.5]
    static let b = Tensor(unchecked: [3], [0.5, -2.0, 1.5])
    /// positive: [[0.5, 1.2, 2.0], [3.0, 0.25, 1.7]]
    static let pos = Tensor(unchecked: [2, 3], [0.5, 1.2, 2.0, 3.0, 0.25, 1.7])
    /// np.sin(np.arange(24) * 1.3).astype(np.float32).reshape(2, 3, 4)
    static let x = Tensor(unchecked: [2, 3, 4], [0.0, 0.9635581970214844, 0.5155013799667358, -0.6877661347389221, -0.8834546804428101, 0.21511998772621155, 0.9985433220863342, 0.3190983533859253, -0.8278264403343201, -0.7619835734367371, 0.4201670289039612, 0.9867719411849976, 0.10775364935398102, -0.9291239976882935, -0.6048328280448914, 0.605539858341217, 0.9287952184677124, -0.10863659530878067, -0.9869155287742615, -0.4193609058856964, 0.7625584602355957, 0.8273279070854187, -0.3199399709701538, -0.9984950423240662])
}
