import XCTest
@testable import MaplEngine

/// The tape's semantics: accumulation, errors, recording switches, the functional API.
final class AutodiffTests: XCTestCase {
    func testBackwardAccumulates() throws {
        let p = Variable.parameter(Tensor([1, -2, 3]))
        // L = Σp² → ∂L/∂p = 2p = [2, -4, 6]
        try Variable.sum(p * p).backward()
        XCTAssertEqual(p.grad?.scalars, [2, -4, 6])
        // a second backward (a fresh graph) adds: [4, -8, 12]
        try Variable.sum(p * p).backward()
        XCTAssertEqual(p.grad?.scalars, [4, -8, 12])
        // retainGraph lets the same graph run twice; both add.
        p.grad = nil
        let loss = try Variable.sum(p * p * p)  // ∂/∂p = 3p² = [3, 12, 27]
        try loss.backward(retainGraph: true)
        try loss.backward()
        XCTAssertEqual(p.grad?.scalars, [6, 24, 54])
    }

    func testNonScalarBackwardThrows() throws {
        let p = Variable.parameter(Tensor([1, 2]))
        assertThrows(["scalar", "[2]"]) { try (p * p).backward() }
        assertThrows(["seed", "[3]", "[2]"]) { try (p * p).backward(seed: Tensor([1, 1, 1])) }
        // with a seed of the right shape it is a vector-Jacobian product: seed ⊙ 2p
        try (p * p).backward(seed: Tensor([1, 10]))
        XCTAssertEqual(p.grad?.scalars, [2, 40])
    }

    func testBackwardThroughReleasedGraphThrows() throws {
        let p = Variable.parameter(Tensor([1, 2]))
        let loss = try Variable.sum(Variable.exp(p))
        try loss.backward()
        XCTAssertFalse(loss.hasBackwardRule)
        assertThrows(["already released", "sum", "compute the loss again"]) { try loss.backward() }
        // Structure stays inspectable after release.
        XCTAssertEqual(loss.op?.name, "sum")
        XCTAssertEqual(loss.inputs.first?.op?.name, "exp")
    }

    func testConstantsAndNoParameterErrors() throws {
        let c = Variable(Tensor([1, 2]))
        XCTAssertFalse(c.requiresGrad)
        assertThrows(["does not depend on any parameter"]) { try Variable.sum(c * c).backward() }
        // A constant operand receives no gradient; the detached copy is cut off from the graph.
        let p = Variable.parameter(Tensor([3, 4]))
        let d = p.detached()
        try Variable.sum(p * c + d).backward()
        XCTAssertNil(c.grad); XCTAssertNil(d.grad)
        XCTAssertEqual(p.grad?.scalars, [1, 2])
    }

    func testWithoutGradRecordsNothing() throws {
        let p = Variable.parameter(Tensor([1, 2]))
        XCTAssertTrue(GradMode.isEnabled)
        let y = try GradMode.withoutGrad { () throws -> Variable in
            XCTAssertFalse(GradMode.isEnabled)
            let inner = GradMode.withoutGrad { GradMode.isEnabled }
            XCTAssertFalse(inner)
            XCTAssertFalse(GradMode.isEnabled)  // still off after the nested block
            return try Variable.sum(p * p)
        }
        XCTAssertTrue(GradMode.isEnabled)
        XCTAssertFalse(y.requiresGrad)
        XCTAssertTrue(y.isLeaf)
        XCTAssertTrue(y.inputs.isEmpty)
        XCTAssertEqual(y.value.scalars, [5])
        // and a throw inside restores recording
        XCTAssertThrowsError(try GradMode.withoutGrad { throw TensorError("boom") })
        XCTAssertTrue(GradMode.isEnabled)
    }

    func testFunctionalGradient() throws {
        // d/dx Σx³ = 3x² at [1, -2, 0.5] → [3, 12, 0.75]
        let g = try Gradients.gradient(of: { try Variable.sum($0 * $0 * $0) }, at: Tensor([1, -2, 0.5]))
        assertClose(g, [3], [3, 12, 0.75])
        // a function that ignores x has zero gradient
        XCTAssertEqual(try Gradients.gradient(of: { _ in try Variable.sum(Variable(Tensor([1, 2]))) }, at: Tensor([1, 2])).scalars, [0, 0])
        assertThrows(["scalar", "[2]"]) { try Gradients.gradient(of: { try $0 * $0 }, at: Tensor([1, 2])) }
        assertThrows(["scalar"]) { try Gradients.check({ try $0 * $0 }, at: Tensor([1, 2])) }
    }

    func testTopologicalOrderAndDeepChains() throws {
        let p = Variable.parameter(Tensor([0.5]))
        var y = p
        for _ in 0..<5000 { y = try y + p }  // deep graph: iterative traversal must not overflow the stack
        let loss = try Variable.sum(y)
        let order = loss.topologicalOrder()
        XCTAssertEqual(order.count, 5002)
        XCTAssertTrue(order.first === p)
        XCTAssertTrue(order.last === loss)
        try loss.backward()
        XCTAssertEqual(p.grad?.scalars, [5001])
    }

    /// Dropping a 100k-node graph must not overflow the stack (it did, through recursive deinit).
    func testDeepGraphIsFreedWithoutRecursion() throws {
        let p = Variable.parameter(Tensor([1]))
        let c = Variable(Tensor([0.5]))
        weak var first: Variable?
        do {
            var y = try p + c
            first = y
            for _ in 0..<100_000 { y = try y + c }
            XCTAssertNotNil(first)
            // leaving the scope drops the whole chain
        }
        XCTAssertNil(first)
        // shared subgraphs survive while another holder needs them
        let shared = try p * p
        do { _ = try shared + c }
        XCTAssertEqual(shared.inputs.count, 2)
        XCTAssertTrue(shared.hasBackwardRule)
    }

    func testMaxMinGradientGoesToFirstExtreme() throws {
        let p = Variable.parameter(Tensor([3, 1, 3, 1]))
        try Variable.max(p).backward()
        XCTAssertEqual(p.grad?.scalars, [1, 0, 0, 0])
        p.grad = nil
        try Variable.min(p).backward()
        XCTAssertEqual(p.grad?.scalars, [0, 1, 0, 0])
        let q = Variable.parameter(T([2, 2], [5, 5, 2, 7]))
        try Variable.sum(Variable.max(q, axis: 1)).backward()
        XCTAssertEqual(q.grad?.scalars, [1, 0, 0, 1])
    }

    func testObserverSeesEveryStep() throws {
        let p = Variable.parameter(Tensor([2]), label: "p")
        let loss = try Variable.sum(Variable.exp(p))
        var names: [String] = []
        try loss.backward { step in names.append(step.node.op?.name ?? step.node.label ?? "?") }
        XCTAssertEqual(names, ["sum", "exp", "p"])
    }
}
