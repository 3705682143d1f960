import XCTest
@testable import MaplEngine

/// The gradient check must be able to fail: an op recorded with a deliberately wrong backward rule.
final class WrongRuleTests: XCTestCase {
    /// y = x², with the rule ∂y/∂x = x (the factor 2 is missing on purpose).
    static func wrongSquare(_ x: Variable) -> Variable {
        Variable.record(OpInfo("wrong_square", "∂y/∂x = x (wrong)"), [x], x.value.map { $0 * $0 }) { g in [try g * x.value] }
    }
    /// y = x², with the correct rule, recorded the same way — proves the harness passes what is right.
    static func rightSquare(_ x: Variable) -> Variable {
        Variable.record(OpInfo("square", "∂y/∂x = 2x"), [x], x.value.map { $0 * $0 }) { g in [try g * (x.value * 2)] }
    }

    func testGradcheckCatchesAWrongRule() throws {
        let at = Tensor([0.8, -1.2, 1.5])
        // analytic x vs numeric 2x: relative error |x − 2x| / |2x| = 0.5 for every element
        let err = try Gradients.check({ try Variable.sum(WrongRuleTests.wrongSquare($0)) }, at: at)
        XCTAssertEqual(err, 0.5, accuracy: 0.01)
        let ok = try Gradients.check({ try Variable.sum(WrongRuleTests.rightSquare($0)) }, at: at)
        XCTAssertLessThan(ok, 1e-2)
        // A rule off by a sign is caught too (error 2 = |g − (−g)| / |g|).
        let sign = try Gradients.check({ v in
            try Variable.sum(Variable.record(OpInfo("bad_sin", ""), [v], v.value.map { Foundation.sin($0) }) { g in
                [try g * v.value.map { -Foundation.cos($0) }]
            })
        }, at: at)
        XCTAssertEqual(sign, 2, accuracy: 0.05)
    }

    func testRuleReturningTheWrongShapeIsAnError() throws {
        let p = Variable.parameter(Tensor([1, 2]))
        let y = Variable.record(OpInfo("bad_shape", ""), [p], p.value) { _ in [Tensor([1, 2, 3])] }
        assertThrows(["bad_shape", "[3]", "[2]"]) { try Variable.sum(y).backward() }
    }
}
