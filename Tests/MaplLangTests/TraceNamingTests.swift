import XCTest
@testable import MaplLang
import MaplNN
import MaplTestSupport

/// The walk names things as a lecture does: the program's names and expressions, literals inside the steps
/// that use them, a loss as a layer named after it, a weight two layers share with each layer's share and
/// their sum, rules in the lecture's symbols. Numbers by hand (each test says how).
final class TraceNamingTests: XCTestCase {
    private func index(_ source: String, root: String) throws -> TraceIndex {
        let s = ParsedSession()
        try s.run(source)
        return TraceIndex(TraceSteps.build(try XCTUnwrap(s.variable(root))))
    }

    private func plain(_ lines: [TraceLine]) -> [String] { lines.map { TraceLines.plain($0) } }

    /// sessions/11-backprop-lecture.mapl's worked example, as the handout prints it: `W.T`, `W.T @ x`,
    /// `(yhat - y)^2` are the steps' names; 0.5 and 2 are no steps; no `#id` anywhere. By hand: Wᵀx = [0.07, 0.29].
    func testTheLecturesWorkedExampleIsWalkedInItsOwnWords() throws {
        let source = try String(contentsOf: TraceStepModelTests.sessions.appendingPathComponent("11-backprop-lecture.mapl"), encoding: .utf8)
        let program = source.components(separatedBy: "trace(L)")[0]
        let s = ParsedSession()
        try s.run(program)
        let lines = try s.lines("trace(L)")
        XCTAssertEqual(lines.first, "trace(L): 12 forward steps, 10 backward steps")
        XCTAssertFalse(lines.contains { $0.contains("#") }, lines.joined(separator: "\n"))
        XCTAssertFalse(lines.contains { $0.hasPrefix("node     0.5") || $0.hasPrefix("node     2 ") }, lines.joined(separator: "\n"))
        for expected in ["node     W.T                             shape [2, 2]",
                         "node     W.T @ x                         shape [2]",
                         "node     z = W.T @ x + b                 shape [2]",
                         "node     L = 0.5 * sum((yhat - y)^2)     shape []",
                         "value    [0.0700, 0.2900]",
                         "flows    ∂L/∂sum((yhat - y)^2) = upstream ⊙ 0.5 = 1 ⊙ 0.5 = 0.5",
                         "flows    ∂L/∂(yhat - y) = upstream ⊙ 2·(yhat - y) = [-0.4085, 0.6201]",
                         "flows    ∂L/∂(W.T @ x) = upstream = [-0.0987, 0.1461]"] {
            XCTAssertTrue(lines.contains(expected), "missing: \(expected)\n" + lines.joined(separator: "\n"))
        }
    }

    /// An unnamed traced expression is titled with its own text; ∂ of it reads the same.
    /// Σ W·W at W = [1, 2]: ∂/∂W = 2W = [2, 4].
    func testAnUnnamedTraceIsTitledWithItsText() throws {
        let s = ParsedSession()
        try s.run("W = param([1.0, 2.0])")
        let lines = try s.lines("trace(sum(W * W))")
        XCTAssertEqual(lines.first, "trace(sum(W * W)): 3 forward steps, 3 backward steps")
        XCTAssertTrue(lines.contains("upstream ∂sum(W * W)/∂W = (from W * W as a) [1., 2.]"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("                        = [2., 4.]"), lines.joined(separator: "\n"))
    }

    /// A constant exponent: only ∂/∂a (the ∂/∂b term aᵇ·ln a is undefined for a < 0 and not needed). An exponent
    /// that is a parameter keeps both. Sigmoid's rule names its output σ (y is the worked example's target).
    func testRulesUseTheLecturesSymbols() throws {
        let t = try index("a = param([-2.0, 3.0])\nL = sum(a^2)", root: "L")
        let pow = try XCTUnwrap(t.trace.backward.first { $0.op == "pow" })
        XCTAssertEqual(pow.rule, "∂(aᵇ)/∂a = b·aᵇ⁻¹")
        assertScalars(pow.flows.first?.gradient, [-4, 6])   // 2a
        let both = try index("a = param([2.0])\nb = param([3.0])\nL = sum(a^b)", root: "L")
        XCTAssertEqual(both.trace.backward.first { $0.op == "pow" }?.rule, "∂(aᵇ)/∂a = b·aᵇ⁻¹, ∂(aᵇ)/∂b = aᵇ·ln a")
        let sigmoid = try index(WorkedExample.program, root: "L").trace.backward.first { $0.op == "sigmoid" }
        XCTAssertEqual(sigmoid?.rule, "∂σ/∂x = σ·(1−σ)")
    }

    /// A loss is a layer named after it, not its ops, and no stage of the model; the first layer shows the
    /// model's input. mse of a dense(2, 1) with W = [1, 2], b = 0 at x = [[1, 1]] against 0: ŷ = 3, L = 9.
    func testALossIsALayerAndTheFirstLayerShowsItsInput() throws {
        let t = try index("""
            d = dense(2, 1)
            d.W = [[1.0], [2.0]]
            d.b = [0.0]
            xin = [[1.0, 1.0]]
            L = mse(d(xin), [[0.0]])
            """, root: "L")
        let forward = t.groups.filter { $0.phase == .forward }
        XCTAssertEqual(forward.map(\.name), ["dense(2, 1)", "mse"])
        XCTAssertEqual(forward.map(\.kind), ["dense", "loss"])
        XCTAssertEqual(forward.map(\.stageIndex), [0, nil])
        let first = plain(TraceLines.lines(group: 0, in: t))
        XCTAssertTrue(first.contains("input    xin = [[1., 1.]]"), first.joined(separator: "\n"))
        let loss = plain(TraceLines.lines(group: 1, in: t))
        XCTAssertTrue(loss[0].hasPrefix("layer    mse   1 op: mse"), loss.joined(separator: "\n"))   // one node, as cross_entropy
        XCTAssertTrue(loss.contains("output   L = 9"), loss.joined(separator: "\n"))
        // The op view says which layer a loss step is in, without a stage number.
        let step = try XCTUnwrap(t.forwardStep[try XCTUnwrap(t.trace.forward.last).nodeID])
        XCTAssertTrue(plain(TraceLines.lines(step: step, in: t, detail: .handout)).contains("layer    mse"))
    }

    /// One dense layer applied twice (m = d >> d), W = [[1, 2], [3, 4]], b = 0, x = [[1, 1]], L = mean(y²):
    /// h = xW = [4, 6], y = hW = [22, 32], ∂L/∂y = y = [22, 32]; the second application's share of ∂L/∂W is
    /// hᵀ·∂L/∂y = [[88, 128], [132, 192]]; ∂L/∂h = ∂L/∂y·Wᵀ = [86, 194], so the first's is xᵀ·∂L/∂h =
    /// [[86, 194], [86, 194]]; the sum [[174, 322], [218, 386]] (NumPy agrees).
    func testAWeightUsedByTwoLayersShowsEachLayersShareAndTheSum() throws {
        let s = ParsedSession()
        try s.run("""
            d = dense(2, 2)
            d.W = [[1.0, 2.0], [3.0, 4.0]]
            d.b = [0.0, 0.0]
            m = d >> d
            L = mse(m([[1.0, 1.0]]), [[0.0, 0.0]])
            """)
        let t = TraceIndex(TraceSteps.build(try XCTUnwrap(s.variable("L"))))
        let backward = t.groups.enumerated().filter { $0.element.phase == .backward && $0.element.kind == "dense" }
        XCTAssertEqual(backward.map(\.element.stageIndex), [1, 0])
        let second = plain(TraceLines.lines(group: backward[0].offset, in: t))
        let first = plain(TraceLines.lines(group: backward[1].offset, in: t))
        for (lines, mine) in [(second, "[[88., 128.], [132., 192.]]"), (first, "[[86., 194.], [86., 194.]]")] {
            let text = lines.joined(separator: "\n")
            XCTAssertTrue(lines.contains { $0.hasSuffix("∂L/∂W from this layer = " + mine) }, text)
            XCTAssertTrue(lines.contains { $0.contains("∂L/∂W = (from dense(2, 2) (stage 1)) [[88., 128.], [132., 192.]]") }, text)
            XCTAssertTrue(lines.contains { $0.hasSuffix("+ (from dense(2, 2) (stage 0)) [[86., 194.], [86., 194.]]") }, text)
            XCTAssertTrue(lines.contains { $0.hasSuffix("= [[174., 322.], [218., 386.]]") }, text)
        }
        try s.run("backward(L)")
        assertScalars(try s.run("d.W.grad")?.variable?.value, [174, 322, 218, 386], shape: [2, 2])
    }

    /// `W.grad` before any backward echoes `none`; a call that returns nothing echoes nothing.
    func testAGradientBeforeBackwardEchoesNone() throws {
        let s = ParsedSession()
        try s.run("W = param([1.0, 2.0])")
        let value = try s.run("W.grad")
        XCTAssertEqual(value.map { s.interpreter.printer.repr($0) }, "none")
        XCTAssertNil(try s.run("print(\"x\")"))
    }
}
