import XCTest
import Foundation
@testable import MaplEngine

/// Integer lists and boolean masks as indices, against NumPy 2.4 (`m = np.arange(12.).reshape(3, 4)`,
/// `t = np.arange(24.).reshape(2, 3, 4)`), and their gradients against finite differences.
final class AdvancedIndexingTests: XCTestCase {
    let m = Tensor(unchecked: [3, 4], (0..<12).map(Float.init))
    let t = Tensor(unchecked: [2, 3, 4], (0..<24).map(Float.init))

    func mask(_ t: Tensor) -> IndexItem { .mask(t.scalars.map { $0 != 0 }, shape: t.shape) }

    func testReadingMatchesNumPy() throws {
        let cols = try m.indexed([.all, .positions([0, 2])])                  // m[:, [0, 2]]
        XCTAssertEqual(cols.shape, [3, 2]); XCTAssertEqual(cols.scalars, [0, 2, 4, 6, 8, 10])
        let rows = try m.indexed([.positions([2, 0, 2])])                     // m[[2, 0, 2]]
        XCTAssertEqual(rows.shape, [3, 4]); XCTAssertEqual(rows.scalars, [8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11])
        let above = try m.indexed([mask(try Tensor.compare(m, Tensor(5), .gt))])  // m[m > 5]
        XCTAssertEqual(above.shape, [6]); XCTAssertEqual(above.scalars, [6, 7, 8, 9, 10, 11])
        let picked = try m.indexed([.mask([true, false, true], shape: [3])])  // m[[True, False, True]]
        XCTAssertEqual(picked.shape, [2, 4]); XCTAssertEqual(picked.scalars, [0, 1, 2, 3, 8, 9, 10, 11])
        XCTAssertEqual(try m.indexed([.at(0), .positions([1, -1])]).scalars, [1, 3])  // m[0, [1, -1]]
        XCTAssertEqual(try m.indexed([.all, .positions([])]).shape, [3, 0])          // m[:, []]
        // A mask over the leading two axes of t: t[t[:, :, 0] > 10] is [3, 4].
        let lead = try t.indexed([.all, .all, .at(0)])
        let rowsAbove = try t.indexed([mask(try Tensor.compare(lead, Tensor(10), .gt))])
        XCTAssertEqual(rowsAbove.shape, [3, 4]); XCTAssertEqual(rowsAbove.scalars, (12..<24).map(Float.init))
    }

    /// NumPy moves the list's axis first when integers stand apart from it: t[0, :, [1, 2]] is [2, 3].
    func testListAxisPlacementFollowsNumPy() throws {
        let apart = try t.indexed([.at(0), .all, .positions([1, 2])])
        XCTAssertEqual(apart.shape, [2, 3]); XCTAssertEqual(apart.scalars, [1, 5, 9, 2, 6, 10])
        XCTAssertEqual(try t.indexed([.all, .positions([1, 2]), .at(0)]).shape, [2, 2])  // adjacent: in place
        XCTAssertEqual(try t.indexed([.positions([1]), .all, .at(0)]).shape, [1, 3])     // apart: first
    }

    func testWritingMatchesNumPy() throws {
        var x = Tensor([1, -2, 3])
        try x.assign([mask(try Tensor.compare(x, Tensor(0), .gt))], Tensor(0))         // x[x > 0] = 0
        XCTAssertEqual(x.scalars, [0, -2, 0])
        var a = m
        try a.assign([.all, .positions([0, 2])], Tensor(-1))                          // m[:, [0, 2]] = -1
        XCTAssertEqual(a.scalars, [-1, 1, -1, 3, -1, 5, -1, 7, -1, 9, -1, 11])
        var b = m
        try b.assign([mask(try Tensor.compare(m, Tensor(8), .gt))], Tensor([100, 200, 300]))  // m[m > 8] = [100, 200, 300]
        XCTAssertEqual(b.scalars, [0, 1, 2, 3, 4, 5, 6, 7, 8, 100, 200, 300])
        var c = m
        try c.assign([.positions([0, 0]), .at(1)], Tensor([5, 7]))                    // repeated: the last write stays
        XCTAssertEqual(c.scalars[1], 7)
        XCTAssertThrowsError(try c.assign([.positions([0, 1])], Tensor([1, 2, 3])))
    }

    func testErrorsSayWhatIsWrong() {
        XCTAssertThrowsError(try m.indexed([.positions([0]), .positions([1])])) { e in
            XCTAssertTrue("\(e)".hasPrefix("only one index list or mask per subscript"), "\(e)")
        }
        XCTAssertThrowsError(try m.indexed([.mask([true, false], shape: [2])])) { e in
            XCTAssertEqual("\(e)", "a boolean mask of shape [2] does not match axis 0 of the tensor of shape [3, 4], which are [3]; a mask must have the shape of the axes it selects from")
        }
        XCTAssertThrowsError(try m.indexed([.positions([3])])) { e in
            XCTAssertEqual("\(e)", "index 3 in the index list is out of range for axis 0 of size 3 (shape [3, 4])")
        }
        XCTAssertThrowsError(try m.indexed([.all, .all, .positions([0])]))
    }

    /// Reading's gradient adds back into the selected positions (twice for a position listed twice).
    func testGradientsCheckAgainstFiniteDifferences() throws {
        let x = Tensor(unchecked: [3, 4], (0..<12).map { Float(Foundation.sin(Double($0) * 0.7)) })
        let selections: [[IndexItem]] = [
            [.all, .positions([0, 2, 2])],
            [.positions([2, 0, 2])],
            [mask(try Tensor.compare(x, Tensor(0), .gt))],
            [.at(1), .positions([3, -4])],
        ]
        for items in selections {
            let error = try Gradients.check({ v in
                let picked = try Variable.index(v, items)
                return try Variable.sum(try picked * picked)  // Σ picked²: 2x at each use
            }, at: x)
            XCTAssertLessThan(error, 1e-2, "\(items)")
        }
        // Exact: ∂ Σ m[:, [0, 2, 2]] / ∂m counts each column's uses.
        let p = Variable.parameter(m)
        try Variable.sum(try Variable.index(p, [.all, .positions([0, 2, 2])])).backward()
        XCTAssertEqual(p.grad?.scalars, [1, 0, 2, 0, 1, 0, 2, 0, 1, 0, 2, 0])
    }
}
