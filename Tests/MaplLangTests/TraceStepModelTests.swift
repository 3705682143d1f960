import XCTest
import MaplTestSupport
@testable import MaplLang
import MaplNN

/// The stepper's model of a trace: every step's numbers, each use's share of a gradient, what is known when,
/// and the grouping per layer. Expected numbers are computed independently (by hand or NumPy, as noted).
final class TraceStepModelTests: XCTestCase {
    private func trace(_ source: String, root: String = "L") throws -> TraceIndex {
        let s = ParsedSession()
        try s.run(source)
        return TraceIndex(TraceSteps.build(try XCTUnwrap(s.variable(root))))
    }

    private func forward(_ t: TraceIndex, _ formula: String, file: StaticString = #filePath, line: UInt = #line) throws -> TraceStep {
        try XCTUnwrap(t.trace.forward.first { $0.formula == formula }, "no forward step \(formula)", file: file, line: line)
    }

    private func backward(_ t: TraceIndex, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> TraceStep {
        try XCTUnwrap(t.trace.backward.first { $0.name == name }, "no backward step \(name)", file: file, line: line)
    }

    /// Every step of sessions/03-worked-example.mapl, forward and backward. NumPy (float64):
    ///   Wᵀ = [[0.1, 0.2], [0.4, 0.9]], Wᵀx = [0.07, 0.29], z = [0.37, 0.49], ŷ = [0.59145898, 0.62010643],
    ///   ŷ − y = [-0.40854102, 0.62010643], (ŷ − y)² = [0.16690577, 0.38453199], Σ = 0.55143775, L = 0.27571888;
    ///   backward: ∂L/∂Σ = 0.5, ∂L/∂(ŷ−y)² = [0.5, 0.5], ∂L/∂(ŷ−y) = 2·0.5·(ŷ−y) = [-0.40854102, 0.62010643],
    ///   σ' = ŷ(1−ŷ) = [0.24163526, 0.23557444], ∂L/∂z = ∂L/∂b = [-0.09871791, 0.14608123],
    ///   ∂L/∂Wᵀ = ∂L/∂z ⊗ x = [[-0.04935896, -0.00987179], [0.07304061, 0.01460812]], ∂L/∂W its transpose.
    func testEveryStepOfTheWorkedExample() throws {
        let t = try trace(String(contentsOf: Self.sessions.appendingPathComponent("03-worked-example.mapl"), encoding: .utf8)
            .components(separatedBy: "graph(L)")[0])
        XCTAssertEqual(t.trace.forward.count, 15)
        XCTAssertEqual(t.trace.backward.count, 11)
        // Forward.
        assertScalars(try forward(t, "W (parameter)").value, [0.1, 0.4, 0.2, 0.9], shape: [2, 2])
        assertScalars(t.trace.forward.first { $0.op == "transpose" }?.value, [0.1, 0.2, 0.4, 0.9], shape: [2, 2])
        assertScalars(t.trace.forward.first { $0.op == "reshape" }?.value, [0.07, 0.29], shape: [2])
        assertScalars(try forward(t, "b (parameter)").value, [0.3, 0.2])
        let z = try XCTUnwrap(t.trace.forward.first { $0.name == "z" })
        XCTAssertEqual(z.op, "add")
        assertScalars(z.value, [0.37, 0.49])
        assertScalars(try forward(t, "yhat = sigmoid(z)").value, [0.59145898, 0.62010643])
        let sub = try XCTUnwrap(t.trace.forward.first { $0.op == "sub" })
        XCTAssertEqual(sub.formula, "#\(sub.nodeID) = yhat - y")
        assertScalars(sub.value, [-0.40854102, 0.62010643])
        assertScalars(t.trace.forward.first { $0.op == "pow" }?.value, [0.16690577, 0.38453199])
        assertScalars(t.trace.forward.first { $0.op == "sum" }?.value, [0.55143775])
        assertScalars(t.trace.forward.last?.value, [0.27571888])

        // Backward, in the order the pass runs.
        let b = t.trace.backward
        XCTAssertEqual(b.map { $0.op ?? $0.name }, ["mul", "sum", "pow", "sub", "sigmoid", "add", "b", "reshape", "matmul", "transpose", "W"])
        assertScalars(b[0].upstream, [1])
        assertScalars(b[0].flows.first?.gradient, [0.5])
        assertScalars(b[1].upstream, [0.5])
        assertScalars(b[1].flows.first?.gradient, [0.5, 0.5])
        assertScalars(b[2].upstream, [0.5, 0.5])
        assertScalars(b[2].flows.first?.gradient, [-0.40854102, 0.62010643])
        assertScalars(b[3].upstream, [-0.40854102, 0.62010643])
        XCTAssertEqual(b[3].flows.map(\.input), ["yhat"])      // y is a constant: nothing flows to it
        // The sigmoid's step, as the issue reads it off the pane.
        assertScalars(b[4].upstream, [-0.40854102, 0.62010643])
        assertScalars(b[4].factor?.values, [0.24163526, 0.23557444])
        assertScalars(b[4].flows.first?.gradient, [-0.09871791, 0.14608123])
        assertScalars(b[5].upstream, [-0.09871791, 0.14608123])
        XCTAssertEqual(b[5].flows.map(\.how), ["upstream", "upstream"])
        for flow in b[5].flows { assertScalars(flow.gradient, [-0.09871791, 0.14608123]) }
        assertScalars(b[6].upstream, [-0.09871791, 0.14608123])
        assertScalars(b[8].upstream, [-0.09871791, 0.14608123], shape: [2, 1])
        assertScalars(b[9].upstream, [-0.04935896, -0.00987179, 0.07304061, 0.01460812], shape: [2, 2])
        assertScalars(b[10].upstream, [-0.04935896, 0.07304061, -0.00987179, 0.01460812], shape: [2, 2])
        // Each node is used once here: one share each, equal to its gradient.
        for step in b.dropFirst() {
            XCTAssertEqual(step.contributions.count, 1, step.formula)
            assertScalars(step.contributions.first?.gradient, try XCTUnwrap(step.upstream).scalars)
        }
        XCTAssertEqual(b[0].contributions.count, 0)           // the root's gradient is the seed

        // The handout prints those numbers in the stepper's layout.
        let lines = TraceText.render(t, step: t.trace.forward.count + 4)
        XCTAssertEqual(lines, [
            "backward 5/11",
            "node     yhat = sigmoid(z)               shape [2]",
            "upstream ∂L/∂yhat = [-0.4085, 0.6201]",
            "rule     sigmoid: ∂y/∂x = y·(1−y)",
            "         = [0.5915·0.4085, 0.6201·0.3799] = [0.2416, 0.2356]",
            "flows    ∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]",
        ])
    }

    /// A bias added to a batch of three rows: its gradient is the upstream summed over the batch. By hand:
    /// Z = XW + b = [[1.2, 0.5], [2.0, 1.7], [2.8, 2.9]]; L = ½ΣZ² = 12.415; ∂L/∂Z = Z;
    /// ∂L/∂b = Σ_rows Z = [6.0, 5.1]; ∂L/∂W = XᵀZ = [[21.2, 20.1], [27.2, 25.2]] (NumPy agrees).
    func testBroadcastBiasGradientIsSummedOverTheBatch() throws {
        let t = try trace("""
            X = [[1, 2], [3, 4], [5, 6]]
            W = param([[0.1, 0.2], [0.3, 0.4]])
            b = param([0.5, -0.5])
            Z = X @ W + b
            L = 0.5 * sum(Z^2)
            """)
        assertScalars(t.trace.forward.last?.value, [12.415], accuracy: 1e-4)
        let add = try backward(t, "Z")
        assertScalars(add.upstream, [1.2, 0.5, 2.0, 1.7, 2.8, 2.9], shape: [3, 2])
        let toB = try XCTUnwrap(add.flows.first { $0.input == "b" })
        assertScalars(toB.gradient, [6.0, 5.1], shape: [2])
        assertScalars(toB.unreduced, [1.2, 0.5, 2.0, 1.7, 2.8, 2.9], shape: [3, 2])
        assertScalars(try backward(t, "W").upstream, [21.2, 20.1, 27.2, 25.2], shape: [2, 2], accuracy: 1e-4)
        let text = TraceText.render(t, step: try XCTUnwrap(t.backwardStep[add.nodeID]))
        XCTAssertTrue(text.contains("         ∂L/∂b = Σ over axis 0 of upstream = [6.0000, 5.1000]"), text.joined(separator: "\n"))
        XCTAssertTrue(text.contains("         (b [2] was broadcast to [3, 2]: its copies' gradients add up over axis 0)"), text.joined(separator: "\n"))
    }

    /// `x * x`: both operands are x, so x gets two shares, each upstream ⊙ x = [2, -3], summing to 2x = [4, -6].
    func testANodeUsedTwiceInOneOpShowsBothShares() throws {
        let t = try trace("w = param([2.0, -3.0])\nL = sum(w * w)")
        let mul = try XCTUnwrap(t.trace.backward.first { $0.op == "mul" })
        XCTAssertEqual(mul.flows.map(\.argument), [0, 1])
        for flow in mul.flows { assertScalars(flow.gradient, [2, -3]) }
        let w = try backward(t, "w")
        XCTAssertEqual(w.contributions.map(\.fromID), [mul.nodeID, mul.nodeID])
        XCTAssertEqual(w.contributions.map(\.argument), [0, 1])
        assertScalars(w.upstream, [4, -6])
        let text = TraceText.render(t, step: try XCTUnwrap(t.backwardStep[w.nodeID]))
        let name = "#\(mul.nodeID)"
        XCTAssertEqual(Array(text[2...4]), [
            "upstream ∂L/∂w = (from \(name) as a) [2., -3.]",
            "               + (from \(name) as b) [2., -3.]",
            "               = [4., -6.]",
        ], text.joined(separator: "\n"))
        // The mul step says which share each flow is, with the operands plugged in.
        let mulText = TraceText.render(t, step: try XCTUnwrap(t.backwardStep[mul.nodeID]))
        XCTAssertTrue(mulText.contains("flows    ∂L/∂w = upstream ⊙ w = [1., 1.] ⊙ [2., -3.] = [2., -3.]  (share 1 of 2)"), mulText.joined(separator: "\n"))
    }

    /// A weight used by two matmuls (y = W(Wx)): by hand, h = Wx = [3, 7], y = Wh = [17, 37]; the later use
    /// sends ∂L/∂y ⊗ h = [[3, 7], [3, 7]], the earlier (Wᵀ·1 = [4, 6]) ⊗ x = [[4, 4], [6, 6]]; the sum is
    /// [[7, 11], [9, 13]] (NumPy agrees).
    func testAWeightUsedTwiceSumsItsShares() throws {
        let t = try trace("W = param([[1, 2], [3, 4]])\nx = [[1], [1]]\nh = W @ x\ny = W @ h\nL = sum(y)")
        let w = try backward(t, "W")
        XCTAssertEqual(w.contributions.map(\.from), ["y", "h"])
        assertScalars(w.contributions[0].gradient, [3, 7, 3, 7], shape: [2, 2])
        assertScalars(w.contributions[1].gradient, [4, 4, 6, 6], shape: [2, 2])
        assertScalars(w.upstream, [7, 11, 9, 13], shape: [2, 2])

        // Between the two uses' steps, W's gradient is partial: one share of two.
        let first = try XCTUnwrap(t.backwardStep[try backward(t, "y").nodeID])
        let second = try XCTUnwrap(t.backwardStep[try backward(t, "h").nodeID])
        guard case .partial(let received, let expected) = t.gradient(of: w.nodeID, atStep: first) else {
            return XCTFail("W should have one share after y's step")
        }
        XCTAssertEqual(expected, 2)
        assertScalars(received.first?.gradient, [3, 7, 3, 7])
        guard case .complete(let g) = t.gradient(of: w.nodeID, atStep: second) else { return XCTFail("W complete after h's step") }
        assertScalars(g, [7, 11, 9, 13])
    }

    /// Before the backward pass reaches a node its gradient is "not computed yet" — never zeros.
    func testGradientsAreNotComputedYetBeforeBackwardReachesThem() throws {
        let t = try trace("x = [0.5, 0.1]\nW = param([[0.1, 0.4], [0.2, 0.9]])\nb = param([0.3, 0.2])\nz = W.T @ x + b\nyhat = sigmoid(z)\nL = 0.5 * sum((yhat - [1, 0])^2)")
        let zID = try XCTUnwrap(t.trace.forward.first { $0.name == "z" }).nodeID
        let bID = try XCTUnwrap(t.trace.forward.first { $0.name == "b" }).nodeID
        let xID = try XCTUnwrap(t.trace.forward.first { $0.formula == "#\($0.nodeID) (constant)" && $0.shape == [2, 1] }).nodeID
        for k in 0..<t.trace.forward.count {
            guard case .notComputedYet = t.gradient(of: zID, atStep: k) else { return XCTFail("forward step \(k): z's gradient exists") }
        }
        guard case .notNeeded = t.gradient(of: xID, atStep: t.trace.count - 1) else { return XCTFail("x is a constant") }
        let zStep = try XCTUnwrap(t.backwardStep[zID])
        guard case .notComputedYet = t.gradient(of: bID, atStep: zStep - 1) else { return XCTFail("b before z's step") }
        // b's only use is z: its gradient is whole once z's step has sent it.
        guard case .complete(let g) = t.gradient(of: bID, atStep: zStep) else { return XCTFail("b complete at z's step") }
        assertScalars(g, [-0.09871791, 0.14608123])
        // The stepper's forward lines say so in words.
        let lines = TraceLines.lines(step: try XCTUnwrap(t.forwardStep[zID]), in: t, detail: .stepper).map { TraceLines.plain($0) }
        XCTAssertTrue(lines.contains("grad     ∂L/∂z: not computed yet (the backward pass comes after the forward pass)"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("inputs   #") && $0.hasSuffix("= [0.0700, 0.2900]") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("value    z = [0.3700, 0.4900]"), lines.joined(separator: "\n"))
    }

    /// The chapter's MLP: steps group per layer — each dense with its W and b, relu, the loss — forward in
    /// model order and backward in reverse, and each layer's numbers add up: the backward dense(128, 10)
    /// group's W gradient is hᵀ·∂L/∂logits, checked against NumPy on the same numbers.
    func testLayerGroupingOnTheChaptersMLP() throws {
        let s = ParsedSession()
        try s.run("""
            seed(3)
            m = flatten >> dense(784, 128) >> relu >> dense(128, 10)
            x = rand(4, 28, 28)
            y = [3, 1, 4, 1]
            L = cross_entropy(m(x), y)
            """)
        let t = TraceIndex(TraceSteps.build(try XCTUnwrap(s.variable("L"))))
        XCTAssertTrue(t.hasLayers)
        let forward = t.groups.filter { $0.phase == .forward }, backward = t.groups.filter { $0.phase == .backward }
        XCTAssertEqual(forward.map(\.name), ["flatten", "dense(784, 128)", "relu", "dense(128, 10)", "cross_entropy"])
        XCTAssertEqual(forward.map(\.kind), ["flatten", "dense", "relu", "dense", "loss"])
        XCTAssertEqual(forward.map(\.stageIndex), [0, 1, 2, 3, nil])
        XCTAssertEqual(backward.map(\.name), ["cross_entropy", "dense(128, 10)", "relu", "dense(784, 128)"])
        // Every step belongs to exactly one group, in order.
        XCTAssertEqual(t.groups.flatMap { Array($0.steps) }, Array(0..<t.trace.count))
        // A dense layer's forward group holds its W, its b and the affine op.
        let dense1 = forward[1].steps.map { t.trace.all[$0] }
        XCTAssertEqual(dense1.map { $0.op ?? ($0.isParameter ? "param" : "const") }, ["param", "param", "affine"])
        XCTAssertEqual(dense1.filter(\.isParameter).map(\.shape), [[784, 128], [128]])

        // The group's lines: the dense(128, 10) backward group shows ∂L/∂W and ∂L/∂b and what flows to relu.
        let g = try XCTUnwrap(t.groups.firstIndex { $0.phase == .backward && $0.name == "dense(128, 10)" })
        let lines = TraceLines.lines(group: g, in: t).map { TraceLines.plain($0) }
        XCTAssertTrue(lines[0].hasPrefix("layer    dense(128, 10)  (stage 3)   1 op: affine"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("params   ∂L/∂W = [128, 10]  mean ") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("flows    ∂L/∂#") && $0.hasSuffix("(to relu)") }, lines.joined(separator: "\n"))
    }

    /// The MLP's last layer's weight gradient in the trace against NumPy (float64) from the same h and
    /// logits: hᵀ·(softmax(logits) − onehot(y))/N.
    func testMLPWeightGradientMatchesNumPy() throws {
        let s = ParsedSession()
        try s.run("seed(3)\nm = flatten >> dense(784, 128) >> relu >> dense(128, 10)\nL = cross_entropy(m(rand(4, 28, 28)), [3, 1, 4, 1])")
        let t = TraceIndex(TraceSteps.build(try XCTUnwrap(s.variable("L"))))
        let affine2 = try XCTUnwrap(t.trace.backward.first { $0.op == "affine" && $0.shape == [4, 10] })
        let h = try XCTUnwrap(t.forwardStep(of: affine2.inputIDs[0])).value
        let gW = try XCTUnwrap(t.trace.backward.first { $0.isParameter && $0.shape == [128, 10] }?.upstream)
        let script = """
        import sys, json, numpy as np
        d = json.load(sys.stdin)
        h = np.array(d["h"], dtype=np.float64).reshape(4, 128); z = np.array(d["z"], dtype=np.float64).reshape(4, 10)
        p = np.exp(z - z.max(1, keepdims=True)); p /= p.sum(1, keepdims=True)
        p[np.arange(4), d["y"]] -= 1
        print(json.dumps((h.T @ (p / 4)).ravel().tolist()))
        """
        let input = "{\"h\": \(h.scalars), \"z\": \(affine2.value.scalars), \"y\": [3, 1, 4, 1]}"
        let out = try NumPy.run(script, input: input)
        let expected = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [Double]).map(Float.init)
        assertScalars(gW, expected, accuracy: 1e-6)
    }

    /// Large tensors read as shape and statistics (NumPy: mean and population std of 0, 0.1, …, 1.9 are 0.95
    /// and 0.57662813); twelve elements or fewer in full.
    func testValuesAreShownInFullOrAsStatistics() {
        let big = Tensor((0..<20).map { Float($0) / 10 })
        XCTAssertEqual(TraceLines.valueText(big), "[20]  mean 0.95  std 0.5766  min 0  max 1.9")
        XCTAssertEqual(TraceLines.valueText(Tensor((0..<12).map(Float.init))), "[0., 1., 2., 3., 4., 5., 6., 7., 8., 9., 10., 11.]")
        XCTAssertEqual(TraceLines.valueText(Tensor([1, .nan] + Array(repeating: 2, count: 12))), "[14]  mean 1.9231  std 0.2665  min 1  max 2  (1 not finite)")
    }

    static let sessions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sessions")
}

