import XCTest
@testable import MaplEngine

/// Gradients through broadcasting: every pattern (row, column, scalar, batched against a matrix, batched against
/// a [B,1,C] slab) for add/sub/mul/div/pow/where, checked on each operand; plus hand-computed reductions.
final class BroadcastGradientTests: XCTestCase {
    /// Values in [0.4, 1.2] — safe for division and for pow's base.
    func t(_ shape: [Int], _ phase: Double) -> Tensor {
        Tensor(unchecked: shape, (0..<Shape.count(shape)).map { Float(0.8 + 0.4 * Foundation.sin(Double($0) * 1.3 + phase)) })
    }

    let patterns: [(String, [Int], [Int])] = [
        ("row [N,C]+[C]", [3, 4], [4]),
        ("column [N,C]+[N,1]", [3, 4], [3, 1]),
        ("scalar [N,C]+[]", [3, 4], []),
        ("batched [B,N,C]+[N,C]", [2, 3, 4], [3, 4]),
        ("batched [B,N,C]+[B,1,C]", [2, 3, 4], [2, 1, 4]),
    ]

    func check(_ name: String, _ op: @escaping (Variable, Variable) throws -> Variable) {
        for (pattern, sa, sb) in patterns {
            let l = t(sa, 0.3), r = t(sb, 2.1)
            // both orders: the broadcast operand on the right and on the left
            assertGradient("\(name) \(pattern) ∂big", at: l) { try weightedSum(op($0, Variable(r))) }
            assertGradient("\(name) \(pattern) ∂small", at: r) { try weightedSum(op(Variable(l), $0)) }
            assertGradient("\(name) \(pattern) swapped ∂small", at: r) { try weightedSum(op($0, Variable(l))) }
            assertGradient("\(name) \(pattern) swapped ∂big", at: l) { try weightedSum(op(Variable(r), $0)) }
        }
    }

    func testAdd() { check("add", +) }
    func testSub() { check("sub", -) }
    func testMul() { check("mul", *) }
    func testDiv() { check("div", /) }
    func testPow() { check("pow", Variable.pow) }
    func testWhere() {
        // the condition broadcasts too: a column mask [N,1] over [N,C] / [B,N,C] outputs
        check("where") { try Variable.where(Tensor(unchecked: [3, 1], [1, 0, 1]), $0, $1) }
        check("where full mask") { l, r in
            let shape = try Shape.broadcast(l.shape, r.shape)
            let mask = Tensor(unchecked: shape, (0..<Shape.count(shape)).map { Float($0 % 3 == 0 ? 0 : 1) })
            return try Variable.where(mask, l, r)
        }
    }

    /// d/db Σ(A + b) for A [3,4], b [4] is 3 in every entry (each b_j is used by 3 rows); d/dc for c [3,1] is 4.
    func testBroadcastGradientsSumByHand() throws {
        let b = Variable.parameter(Tensor([1, 2, 3, 4])), c = Variable.parameter(T([3, 1], [1, 2, 3]))
        let A = Variable(Tensor(repeating: 0.5, shape: [3, 4]))
        try Variable.sum(A + b + c).backward()
        XCTAssertEqual(b.grad?.shape, [4]); XCTAssertEqual(b.grad?.scalars, [3, 3, 3, 3])
        XCTAssertEqual(c.grad?.shape, [3, 1]); XCTAssertEqual(c.grad?.scalars, [4, 4, 4])
        // d/ds Σ(s · A) for a scalar s is ΣA = 6.
        let s = Variable.parameter(Tensor(2))
        try Variable.sum(s * A).backward()
        XCTAssertEqual(s.grad?.shape, []); XCTAssertEqual(s.grad?.scalars, [6])
    }
}
