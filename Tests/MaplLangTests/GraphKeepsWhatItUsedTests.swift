import XCTest
@testable import MaplLang
import MaplNN

/// A value keeps the graph it was computed with: writing into a parameter afterwards — by index, `-=`, an
/// optimizer step, `fit`, `load` — changes the parameter, never the numbers `backward` and `trace` take from
/// that graph. Every expected value is worked out by hand from the values the forward pass used.
final class GraphKeepsWhatItUsedTests: XCTestCase {
    /// s = Σ Wd·v: ∂s/∂v = the column sums of Wd = [1+3, 2+4] = [4, 6]; ∂s/∂Wd = [v, v] = [[1, 1], [1, 1]].
    /// With Wd[0, 0] = 100 taken into account the gradient would be [103, 6].
    func testIndexedWriteAfterTheForwardPass() throws {
        let s = ParsedSession()
        try s.run("""
        Wd = param([[1.0, 2.0], [3.0, 4.0]])
        v = param([1.0, 1.0])
        s = sum(Wd @ v)
        Wd[0, 0] = 100
        """)
        let root = try XCTUnwrap(s.variable("s"))
        // The trace before backward: the forward pass shows the Wd it used, the backward pass its gradient.
        let trace = TraceSteps.build(root)
        let wd = try XCTUnwrap(trace.forward.first { $0.name == "Wd" })
        assertScalars(wd.value, [1, 2, 3, 4], shape: [2, 2])
        assertScalars(trace.backward.first { $0.name == "v" }?.upstream, [4, 6])

        try s.run("backward(s)")
        assertScalars(s.variable("v")?.grad, [4, 6])
        assertScalars(s.variable("Wd")?.grad, [1, 1, 1, 1], shape: [2, 2])
        // The parameter took the write.
        assertScalars(s.variable("Wd")?.value, [100, 2, 3, 4], shape: [2, 2])
        // After backward the trace still shows what was used.
        let after = TraceSteps.build(root)
        assertScalars(after.forward.first { $0.name == "Wd" }?.value, [1, 2, 3, 4], shape: [2, 2])
        // As the transcript prints it: Wd as used, next to Wd @ v = [3, 7] computed from it.
        let printed = try s.lines("trace(s)")
        XCTAssertTrue(printed.contains("value    [[1., 2.], [3., 4.]]"), printed.joined(separator: "\n"))
        XCTAssertTrue(printed.contains("value    [3., 7.]"), printed.joined(separator: "\n"))
        XCTAssertFalse(printed.contains { $0.contains("100") }, printed.joined(separator: "\n"))
    }

    /// s = Σ W²: ∂s/∂W = 2W at the W used, [1, 2] → [2, 4] (not 2·[0, 1] after `W -= 1`).
    func testCompoundAssignmentAfterTheForwardPass() throws {
        let s = ParsedSession()
        try s.run("W = param([1.0, 2.0])\ns = sum(W * W)\nW -= 1.0\nbackward(s)")
        assertScalars(s.variable("W")?.grad, [2, 4])
        assertScalars(s.variable("W")?.value, [0, 1])
        // A slice write and a whole replacement through a field are the same kind of write.
        try s.run("m = dense(2, 1)\nm.W = [[1.0], [2.0]]\nm.b = [0.0]\nt = sum(m([[3.0, 4.0]]) ^ 2)\nm.W[0:1] = [[10.0]]\nm.W = [[5.0], [5.0]]\nbackward(t)")
        // t = (3·1 + 4·2 + b)², b = 0: ∂t/∂W = 2·11·[3, 4] = [66, 88].
        assertScalars(s.interpreter.lookup("m").flatMap { v -> Tensor? in
            guard case .mapping(let m) = v, case .tensor(let w)? = try? m.field("W") else { return nil }
            return w.grad
        }, [66, 88], shape: [2, 1])
    }

    /// An optimizer step between the forward pass and backward: t = Σ W³ was computed at W = [1, 2], so
    /// ∂t/∂W = 3W² = [3, 12] — for every optimizer (each updates W in place through its C kernel).
    func testOptimizerStepAfterTheForwardPass() throws {
        for make in ["sgd([W], lr=0.1)", "sgd([W], lr=0.1, momentum=0.9)", "adam([W], lr=0.1)", "rmsprop([W], lr=0.1)", "adamw([W], lr=0.1)"] {
            let s = ParsedSession()
            try s.run("W = param([1.0, 2.0])\nopt = \(make)\ns = sum(W * W)\nt = sum(W * W * W)\nbackward(s)\nstep(opt)\nzero_grad(opt)\nbackward(t)")
            assertScalars(s.variable("W")?.grad, [3, 12])
            XCTAssertNotEqual(s.variable("W")?.value.scalars, [1, 2], "\(make) moved W")
            // The trace shows W as t used it.
            let trace = TraceSteps.build(try XCTUnwrap(s.variable("t")))
            assertScalars(trace.forward.first { $0.name == "W" }?.value, [1, 2])
        }
    }

    /// L = mse(m(x), y) computed before `fit` trains m: its gradient is the one at the weights it used.
    /// xor's x is [[0,0],[0,1],[1,0],[1,1]], y = [0,1,1,0]; W = [0.5, −1], b = 0.25 give predictions
    /// [0.25, −0.75, 0.75, −0.25], residuals r = [0.25, −1.75, −0.25, −0.25]; ∂L/∂ŷ = 2r/4 =
    /// [0.125, −0.875, −0.125, −0.125]; ∂L/∂W = xᵀ·that = [−0.25, −1.0]; ∂L/∂b = Σ = −1.0.
    func testFitAfterALossWasComputed() throws {
        let s = ParsedSession()
        try s.run("""
        d = xor()
        m = dense(2, 1)
        m.W = [[0.5], [-1.0]]
        m.b = [0.25]
        L = mse(m(d.x), d.y)
        fit(m, d, loss=mse, opt=sgd(m, lr=0.5), epochs=3, batch=4)
        zero_grad(m)
        backward(L)
        """)
        XCTAssertEqual(try s.run("d.x")?.variable?.value.scalars, [0, 0, 0, 1, 1, 0, 1, 1])
        XCTAssertEqual(try s.run("d.y")?.variable?.value.scalars, [0, 1, 1, 0])
        assertScalars(try s.run("m.W.grad")?.variable?.value, [-0.25, -1.0], shape: [2, 1])
        assertScalars(try s.run("m.b.grad")?.variable?.value, [-1.0])
        XCTAssertNotEqual(try s.run("m.W")?.variable?.value.scalars, [0.5, -1.0], "fit trained m")
    }

    /// `load` replaces the weights: a loss computed before keeps the weights it used. t = Σ (x·W)² with
    /// x = [3, 4], W = [1, 2] (b = 0): ∂t/∂W = 2·11·[3, 4] = [66, 88]; the saved W = [5, 5] would give [210, 280].
    func testLoadAfterTheForwardPass() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-graph-load-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let s = ParsedSession()
        try s.run("""
        m = dense(2, 1)
        m.W = [[5.0], [5.0]]
        m.b = [0.0]
        save(m, "\(path)")
        m.W = [[1.0], [2.0]]
        t = sum(m([[3.0, 4.0]]) ^ 2)
        load(m, "\(path)")
        backward(t)
        """)
        assertScalars(try s.run("m.W.grad")?.variable?.value, [66, 88], shape: [2, 1])
        assertScalars(try s.run("m.W")?.variable?.value, [5, 5], shape: [2, 1])
    }

    /// zero_grad clears gradients, never a graph's values: t = Σ W³ at W = [1, 2] still gives 3W² = [3, 12],
    /// and a gradient read before zero_grad keeps its numbers (2W = [2, 4]).
    func testZeroGradBetweenBackwardPasses() throws {
        let s = ParsedSession()
        try s.run("W = param([1.0, 2.0])\ns = sum(W * W)\nt = sum(W * W * W)\nbackward(s)\ng = W.grad\nzero_grad([W])\nbackward(t)")
        assertScalars(s.variable("W")?.grad, [3, 12])
        assertScalars(s.variable("g")?.value, [2, 4])
    }

    /// batchnorm in eval mode: y = γ·(x − μ)/√(σ² + ε) + β with the running μ = 0, σ² = 1, γ = 1, β = 0.
    /// L = Σ y·[1, 2]: ∂L/∂x = γ·[1, 2]/√(1 + 1e-5). Training mode then moves the running statistics and a
    /// step moves γ; L's gradient is still the one at the γ and statistics it used.
    func testBatchnormStatisticsAndStepAfterTheForwardPass() throws {
        let s = ParsedSession()
        try s.run("""
        bn = batchnorm(2)
        eval(bn)
        x = param([[1.0, 2.0], [3.0, 6.0]])
        L = sum(bn(x) * [1, 2])
        train(bn)
        u = sum(bn(x))
        opt = sgd(bn, lr=1.0)
        backward(u)
        step(opt)
        zero_grad([x])
        backward(L)
        """)
        let k = Float(1 / (1 + 1e-5).squareRoot())
        assertScalars(s.variable("x")?.grad, [k, 2 * k, k, 2 * k], shape: [2, 2])
        // The running statistics did move (momentum 0.1 towards mean [2, 4] and unbiased variance [2, 8]).
        assertScalars(try s.run("bn.running_mean")?.variable?.value, [0.2, 0.4])
    }
}
