import XCTest
@testable import MaplLang
import MaplNN

final class InterpreterGradientTests: XCTestCase {
    /// The chapter's worked example: one dense layer with a sigmoid and a squared-error loss.
    /// Expected values from NumPy: z = x@W + b, ŷ = σ(z), L = ½Σ(ŷ − y)², dz = (ŷ − y)·ŷ(1 − ŷ).
    func testChapterWorkedExample() throws {
        let s = Session()
        try s.run("""
        x = [[0.5, 0.1]]
        W = param(zeros(2, 2))
        W[0, 0] = 0.1
        W[0, 1] = 0.4
        W[1, 0] = 0.2
        W[1, 1] = 0.9
        b = param([0.3, 0.2])
        y = [[1, 0]]
        z = x @ W + b
        yhat = sigmoid(z)
        L = 0.5 * sum((yhat - y)^2)
        backward(L)
        """)
        assertScalars(s.tensor("z"), [0.37, 0.49], shape: [1, 2])
        assertScalars(s.tensor("yhat"), [0.59145898, 0.62010643])
        assertScalars(s.tensor("L"), [0.27571887], shape: [])
        assertScalars(try s.run("W.grad")?.variable?.value, [-0.04935896, 0.07304061, -0.00987179, 0.01460812], shape: [2, 2])
        assertScalars(try s.run("b.grad")?.variable?.value, [-0.09871791, 0.14608123])
        // backward adds: a second pass doubles the gradient; zero_grad clears it.
        try s.run("L = 0.5 * sum((sigmoid(x @ W + b) - y)^2)\nbackward(L)")
        assertScalars(try s.run("b.grad")?.variable?.value, [-0.19743582, 0.29216246])
        try s.run("zero_grad([W, b])")
        try s.run("g = b.grad")
        XCTAssertEqual(s.interpreter.lookup("g")?.typeName, "none")
        // The graph labels nodes after the names they are bound to.
        XCTAssertEqual(s.interpreter.lookup("z")?.variable?.label, "z")
    }

    func testGradOfALambda() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("grad(x -> sum(x^2))([1, 2]) == [2, 4]"), "tensor([1., 1.])")
        try s.run("assert(grad(x -> sum(x^2))([1, 2]) == [2, 4], \"grad of sum of squares\")")
        // d/dx Σ sin(x)·x = cos(x)·x + sin(x), at x = [0.5, 1] (by hand).
        let g = try s.run("grad(x -> sum(sin(x) * x))([0.5, 1])")?.variable?.value
        assertScalars(g, [Float(cos(0.5) * 0.5 + sin(0.5)), Float(cos(1.0) + sin(1.0))])
    }

    func testGradLeavesClosedOverParametersAlone() throws {
        let s = Session()
        try s.run("w = param([1, 2])\ng = grad(x -> sum(x * w))([3, 4])\nc = grad(x -> 5)([1, 2])\ne = gradcheck(x -> sum(x * w * x), [1, 2])")
        assertScalars(s.tensor("g"), [1, 2])          // ∂/∂x Σ x·w = w
        assertScalars(s.tensor("c"), [0, 0])          // a constant mapping
        XCTAssertLessThan(s.number("e") ?? 1, 1e-2)
        XCTAssertNil(s.interpreter.lookup("w")?.variable?.grad)
        XCTAssertEqual(s.error("grad(x -> x * 2)([1, 2])")?.message, "grad needs lambda to return a scalar, but it returned shape [2]")
    }

    func testGradientsThroughUserFunctionsAndGradcheck() throws {
        let s = Session()
        try s.run("""
        fn mlp_loss(w) {
          h = tanh([[1, -2], [0.5, 3]] @ w)
          return mean(log_softmax(h, axis=1) * -1) + sum(gelu(w) * 0.1) + sum(w % 0.7)
        }
        err = gradcheck(mlp_loss, [[0.3, -0.2], [0.1, 0.4]])
        e2 = gradcheck(x -> sum(sqrt(abs(x) + 1) / (x^2 + 1)), [0.3, -1.2, 2.0])
        e3 = gradcheck(x -> sum(softmax(x) * [1, 2, 3]) + std(x) + max(x), [0.1, 0.5, -0.3])
        """)
        XCTAssertLessThan(s.number("err") ?? 1, 1e-2)
        XCTAssertLessThan(s.number("e2") ?? 1, 1e-2)
        XCTAssertLessThan(s.number("e3") ?? 1, 1e-2)
    }

    func testGradientFlowsThroughIndexingStackingAndLoops() throws {
        let s = Session()
        try s.run("""
        w = param([1, 2, 3])
        parts = [w[0] * 2, w[2]]
        total = 0
        for v in [w, w] { total = total + sum(v) }
        loss = sum(parts) + total
        backward(loss)
        """)
        // ∂/∂w of 2·w0 + w2 + 2·(w0 + w1 + w2) = [4, 2, 3]
        assertScalars(try s.run("w.grad")?.variable?.value, [4, 2, 3])
    }

    func testModuloGradientCheck() throws {
        // The language's own % op on tensors (a recorded op defined in MaplLang).
        let err = try Gradients.check({ x in try Variable.sum(Variable.remainder(x * Variable(Tensor(3)), Variable(Tensor(0.8)))) }, at: Tensor([0.1, 0.5, 1.1]))
        XCTAssertLessThan(err, 1e-2)
        let s = Session()
        assertScalars(try s.run("[5.5, -1] % 2")?.variable?.value, [1.5, 1])   // NumPy: np.mod([5.5, -1], 2)
    }
}
