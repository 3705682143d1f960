import XCTest
import Foundation
@testable import MaplEngine

/// Which layer made a node (the stepper's layer view), and the statistics large values are summed up with.
final class LayerScopeTests: XCTestCase {
    func testRecordedNodesAndConstantsCarryTheCurrentScope() throws {
        let w = Variable.parameter(Tensor([1, 2]))
        let c = Variable(Tensor([3, 4]))
        XCTAssertNil(LayerScope.current)
        let outside = try w * c
        XCTAssertNil(outside.scope)
        let dense = LayerScope(name: "dense(2, 2)", kind: "dense", index: 1)
        let (y, k) = try LayerScope.with(dense) { (try w * c, try c * c) }
        XCTAssertTrue(y.scope === dense)
        XCTAssertTrue(k.scope === dense, "a constant computed inside a layer (flatten of the input) keeps it too")
        XCTAssertNil(k.op)
        XCTAssertNil(w.scope, "parameters are made outside any forward pass")
        XCTAssertNil(LayerScope.current, "the scope ends with the stage")
    }

    func testNestedScopesKnowTheirParentAndUnwindOnErrors() throws {
        let block = LayerScope(name: "(h -> …)", kind: "fn", index: 2)
        let w = Variable.parameter(Tensor([1, 2]))
        let inner = LayerScope.with(block) { () -> Variable in
            LayerScope.applying("relu", kind: "relu", index: 0) {
                XCTAssertTrue(LayerScope.current?.parent === block)
                return Variable.relu(w)
            }
        }
        XCTAssertEqual(inner.scope?.path, ["(h -> …)", "relu"])
        XCTAssertTrue(inner.scope?.outermost === block)
        XCTAssertNotEqual(inner.scope?.id, block.id)
        // A stage that throws leaves no scope behind.
        struct Boom: Error {}
        XCTAssertThrowsError(try LayerScope.with(block) { () -> Void in throw Boom() })
        XCTAssertNil(LayerScope.current)
        // Two applications of the same layer are two scopes.
        let a = LayerScope(name: "dense(2, 2)", kind: "dense", index: 0), b = LayerScope(name: "dense(2, 2)", kind: "dense", index: 0)
        XCTAssertNotEqual(a.id, b.id)
    }

    /// The scope belongs to the thread: another thread recording meanwhile stamps nothing.
    func testTheScopeBelongsToTheThread() throws {
        nonisolated(unsafe) let w = Variable.parameter(Tensor([1, 2]))
        let inside = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        let stampedElsewhere = LockedBox(true)
        let other = Thread {
            inside.wait()
            stampedElsewhere.value = (try? w * w)?.scope != nil
            done.signal()
        }
        other.start()
        let here = try LayerScope.with(LayerScope(name: "relu", kind: "relu", index: 0)) { () -> Variable in
            inside.signal()
            done.wait()
            return try w * w
        }
        XCTAssertNotNil(here.scope)
        XCTAssertFalse(stampedElsewhere.value)
    }

    /// 10⁷ values 4096 + k/2 (k = i mod 8) and three that are not finite. By hand: the mean is 4096 + 3.5/2 =
    /// 4097.75 exactly, the population variance (k/2 uniform over 0…3.5) is 63/12/4 = 1.3125, std √1.3125 =
    /// 1.14564392…; every partial sum is a multiple of 0.5 below 2⁵³, so the Double sums are exact. A float32
    /// running sum of the same values is off by thousands.
    func testStatisticsAreExactAtTenMillionElements() {
        let n = 10_000_000
        var values = (0..<n).map { Float(4096) + Float($0 % 8) * 0.5 }
        values += [.nan, .infinity, -.infinity]
        let s = Tensor(values).statistics()
        XCTAssertEqual(s.count, n + 3)
        XCTAssertEqual(s.nonFinite, 3)
        XCTAssertEqual(s.mean, 4097.75)
        XCTAssertEqual(s.std ?? 0, 1.3125.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(s.min, 4096)
        XCTAssertEqual(s.max, 4099.5)
        XCTAssertNil(Tensor(values).statistics(spread: false).std)
        let none = Tensor([.nan, .infinity]).statistics()
        XCTAssertEqual(none.nonFinite, 2)
        XCTAssertNil(none.mean)
        XCTAssertNil(none.min)
        XCTAssertEqual(Tensor(repeating: 0, shape: [0]).statistics().count, 0)
    }
}
