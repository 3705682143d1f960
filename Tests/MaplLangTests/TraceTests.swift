import XCTest
@testable import MaplLang
import MaplNN

final class TraceTests: XCTestCase {
    /// The chapter's worked example, written as in the chapter (W.T @ x with a 1-D x).
    static let workedExample = """
    x = [0.5, 0.1]
    W = param([[0.1, 0.4], [0.2, 0.9]])
    b = param([0.3, 0.2])
    z = W.T @ x + b
    yhat = sigmoid(z)
    L = 0.5 * sum((yhat - [1, 0])^2)
    """

    private func build() throws -> (ParsedSession, TraceSteps) {
        let s = ParsedSession()
        try s.run(TraceTests.workedExample)
        let L = try XCTUnwrap(s.variable("L"))
        return (s, TraceSteps.build(L))
    }

    /// By hand: z = Wᵀx + b = [0.07 + 0.3, 0.29 + 0.2] = [0.37, 0.49]; ŷ = σ(z) = [0.59145898, 0.62010643]
    /// (NumPy: 1/(1+np.exp(-z))); ∂L/∂ŷ = ŷ − y = [-0.40854102, 0.62010643]; σ' = ŷ(1−ŷ) = [0.24163, 0.23557];
    /// ∂L/∂z = [-0.09871791, 0.14608123] (NumPy-confirmed).
    func testSigmoidBackwardStepOfTheWorkedExample() throws {
        let (_, trace) = try build()
        let step = try XCTUnwrap(trace.backward.first { $0.op == "sigmoid" })
        XCTAssertEqual(step.name, "yhat")
        XCTAssertEqual(step.formula, "yhat = sigmoid(z)")
        assertScalars(step.upstream, [-0.40854102, 0.62010643])
        assertScalars(step.factor?.values, [0.24163092, 0.23557186])
        XCTAssertEqual(step.factor?.terms ?? [], ["0.5915·0.4085", "0.6201·0.3799"])
        XCTAssertEqual(step.flows.map(\.input), ["z"])
        assertScalars(step.flows.first?.gradient, [-0.09871791, 0.14608123])
        XCTAssertEqual(step.rule, "∂σ/∂x = σ·(1−σ)")

        let index = TraceIndex(trace)
        let text = TraceText.render(index, step: try XCTUnwrap(index.backwardStep[step.nodeID]))
        XCTAssertEqual(text, [
            "backward 5/10",
            "node     yhat = sigmoid(z)               shape [2]",
            "upstream ∂L/∂yhat = [-0.4085, 0.6201]",
            "rule     sigmoid: ∂σ/∂x = σ·(1−σ)",
            "         = [0.5915·0.4085, 0.6201·0.3799] = [0.2416, 0.2356]",
            "flows    ∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]",
        ])
    }

    func testForwardStepsComeInputsFirstWithLabelsAndValues() throws {
        let (_, trace) = try build()
        let names = trace.forward.map(\.name)
        // Every node appears after its inputs; the literals (the target [1, 0], the exponent 2 and the 0.5) are
        // no steps: the steps using them show their values.
        var literals: [String] = []
        for step in trace.forward {
            let at = try XCTUnwrap(names.firstIndex(of: step.name))
            for input in step.inputs {
                guard let before = names.firstIndex(of: input) else { literals.append(input); continue }
                XCTAssertLessThan(before, at, "\(input) before \(step.name)")
            }
        }
        XCTAssertEqual(literals, ["[1, 0]", "2", "0.5"])
        XCTAssertEqual(names.last, "L")
        XCTAssertTrue(names.contains("W") && names.contains("b") && names.contains("z") && names.contains("yhat"))
        let z = try XCTUnwrap(trace.forward.first { $0.name == "z" })
        XCTAssertEqual(z.op, "add")
        assertScalars(z.value, [0.37, 0.49])
        XCTAssertEqual(trace.forward.first { $0.name == "W" }?.formula, "W (parameter)")
        // L = ½((−0.40854102)² + 0.62010643²) = 0.27571887 (NumPy).
        assertScalars(trace.forward.last?.value, [0.27571887])
        XCTAssertEqual(trace.forward.last?.formula, "L = 0.5 * sum((yhat - [1, 0])^2)")
    }

    /// The parameters' steps carry the gradients NumPy gives: ∂L/∂W = x ⊗ ∂L/∂z, ∂L/∂b = ∂L/∂z.
    func testBackwardReachesTheParametersWithTheirGradients() throws {
        let (_, trace) = try build()
        XCTAssertEqual(trace.backward.first?.name, "L")
        assertScalars(trace.backward.first?.upstream, [1])
        let w = try XCTUnwrap(trace.backward.first { $0.name == "W" })
        assertScalars(w.upstream, [-0.04935896, 0.07304061, -0.00987179, 0.01460812], shape: [2, 2])
        XCTAssertNil(w.rule)
        assertScalars(trace.backward.first { $0.name == "b" }?.upstream, [-0.09871791, 0.14608123])
        XCTAssertNil(trace.note)
    }

    func testTracingLeavesGradientsAndTheGraphAlone() throws {
        let s = ParsedSession()
        try s.run(TraceTests.workedExample + "\nbackward(L)\nL2 = 0.5 * sum((sigmoid(W.T @ x + b) - [1, 0])^2)")
        let before = try XCTUnwrap(s.variable("b")?.grad)
        _ = try s.lines("trace(L2)")
        assertScalars(s.variable("b")?.grad, before.scalars)           // unchanged, not doubled
        XCTAssertNil(s.variable("x")?.grad)
        // The graph is kept: a backward after the trace still works and adds once.
        try s.run("backward(L2)")
        assertScalars(s.variable("b")?.grad, [-0.19743582, 0.29216246])
        // W.grad was nil before anything: a trace alone leaves it nil.
        let t = ParsedSession()
        try t.run(TraceTests.workedExample)
        _ = try t.lines("trace(L)")
        XCTAssertNil(t.variable("W")?.grad)
        XCTAssertNil(t.variable("b")?.grad)
    }

    func testNoBackwardPassIsExplained() throws {
        let s = ParsedSession()
        try s.run(TraceTests.workedExample + "\nbackward(L)")
        let released = try s.lines("trace(L)")
        XCTAssertEqual(released.last, "no backward pass: the graph behind L was released by an earlier backward; compute L again to trace it")
        XCTAssertEqual(released.first, "trace(L): 11 forward steps, 0 backward steps")
        XCTAssertEqual(try s.lines("trace(z)").last, "no backward pass: z has shape [2]; backward starts from a scalar such as a loss (reduce it with sum or mean)")
        XCTAssertEqual(try s.lines("c = sum(x)\ntrace(c)").last, "no backward pass: c does not depend on any parameter (make inputs trainable with param(...))")
        XCTAssertEqual(s.error("trace(3)")?.message, "trace(): expects a tensor, got a number")
    }

    func testElementwiseFactorsMatchTheirDerivatives() throws {
        // tanh' = 1 − tanh², exp' = exp, log' = 1/x, sqrt' = 1/(2√x), relu' = [x > 0], at x = [0.5, 2]
        // (by hand / math.tanh, math.exp).
        let s = ParsedSession()
        try s.run("p = param([0.5, 2])")
        let cases: [(String, [Float])] = [
            ("tanh", [1 - Float(tanh(0.5) * tanh(0.5)), 1 - Float(tanh(2.0) * tanh(2.0))]),
            ("exp", [Float(exp(0.5)), Float(exp(2.0))]),
            ("log", [2, 0.5]),
            ("sqrt", [Float(0.5 / 0.5.squareRoot()), Float(0.5 / 2.0.squareRoot())]),
            ("relu", [1, 1]),
            ("sin", [Float(cos(0.5)), Float(cos(2.0))]),
        ]
        for (op, expected) in cases {
            try s.run("l = sum(\(op)(p - [0, 0]))")
            let trace = TraceSteps.build(try XCTUnwrap(s.variable("l")))
            let step = try XCTUnwrap(trace.backward.first { $0.op == op }, op)
            assertScalars(step.factor?.values, expected, accuracy: 1e-5)
            // The flow is upstream (ones, from sum) times the factor.
            assertScalars(step.flows.first?.gradient, expected, accuracy: 1e-5)
        }
    }

    func testLargeTensorsPrintCompactly() {
        var p = Printer()
        XCTAssertEqual(p.compact(Tensor([-0.40854102, 0.62010643])), "[-0.4085, 0.6201]")
        XCTAssertEqual(p.compact(Tensor(0.27571887)), "0.2757")
        XCTAssertEqual(p.compact(try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])), "[[1., 2.], [3., 4.]]")
        XCTAssertEqual(p.compact(Tensor((0..<10).map { Float($0) / 10 })), "[10] [0.0000, 0.1000, 0.2000, 0.3000, …]")
        p.precision = 2
        XCTAssertEqual(p.compact(Tensor([0.125, 0.5])), "[0.12, 0.50]")   // %.2f rounds half to even here: 0.125 is exact
    }

    /// The whole trace prints, as mapl run shows it, with the heading first.
    func testTraceBuiltinPrintsEveryStep() throws {
        let s = ParsedSession()
        try s.run(TraceTests.workedExample)
        let lines = try s.lines("trace(L)")
        XCTAssertEqual(lines.first, "trace(L): 11 forward steps, 10 backward steps")
        XCTAssertEqual(lines.filter { $0.hasPrefix("forward ") }.count, 11)
        XCTAssertEqual(lines.filter { $0.hasPrefix("backward ") }.count, 10)
        XCTAssertTrue(lines.contains("flows    ∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]"))
        XCTAssertTrue(lines.contains("rule     a parameter: ∂L/∂W is added into W.grad"))
    }
}
