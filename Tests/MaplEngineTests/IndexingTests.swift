import XCTest
@testable import MaplEngine

/// Indexing, slicing (negative indices and steps), index assignment, reshape, transpose/permute,
/// concat/stack and gatherRows. `X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)`; expected values from NumPy.
final class IndexingTests: XCTestCase {
    let X = Tensor(unchecked: [2, 3, 4], (0..<24).map(Float.init))

    func testIntegerAndNegativeIndices() throws {
        assertClose(try X.indexed([.at(1), .at(-1)]), [4], [20, 21, 22, 23])  // X[1, -1]
        assertClose(try X.indexed([.at(-2), .at(0), .at(-1)]), [], [3])  // X[-2, 0, -1]
        assertClose(try X.indexed([.at(1)]), [3, 4], Array(12..<24).map(Float.init))  // trailing axes implied
    }

    func testSlicesWithSteps() throws {
        // X[:, ::-1, 1] -> [[9, 5, 1], [21, 17, 13]]
        assertClose(try X.indexed([.all, .slice(start: nil, end: nil, step: -1), .at(1)]), [2, 3], [9, 5, 1, 21, 17, 13])
        // X[0, 1:, ::2] -> [[4, 6], [8, 10]]
        assertClose(try X.indexed([.at(0), .slice(start: 1, end: nil, step: 1), .slice(start: nil, end: nil, step: 2)]), [2, 2], [4, 6, 8, 10])
        // X[-1, -2::-1, 3:0:-2] -> [[19, 17], [15, 13]]
        assertClose(try X.indexed([.at(-1), .slice(start: -2, end: nil, step: -1), .slice(start: 3, end: 0, step: -2)]), [2, 2], [19, 17, 15, 13])
        // Clamping as Python: X[0, 0, 1:100] -> [1, 2, 3]; X[0, 0, 10::-1] -> [3, 2, 1, 0]; X[0, 0, :-10:-1] -> [3, 2, 1, 0]
        assertClose(try X.indexed([.at(0), .at(0), .slice(start: 1, end: 100, step: 1)]), [3], [1, 2, 3])
        assertClose(try X.indexed([.at(0), .at(0), .slice(start: 10, end: nil, step: -1)]), [4], [3, 2, 1, 0])
        assertClose(try X.indexed([.at(0), .at(0), .slice(start: nil, end: -10, step: -1)]), [4], [3, 2, 1, 0])
        // Empty selections: X[0, 0, 10:] has shape (0,), X[0, 2:0] has shape (0, 4)
        XCTAssertEqual(try X.indexed([.at(0), .at(0), .slice(start: 10, end: nil, step: 1)]).shape, [0])
        XCTAssertEqual(try X.indexed([.at(0), .slice(start: 2, end: 0, step: 1)]).shape, [0, 4])
    }

    func testOutOfRangeErrors() {
        assertThrows(["index 2", "axis 0", "size 2", "[2, 3, 4]"]) { try X.indexed([.at(2)]) }
        assertThrows(["index -4", "axis 1", "size 3"]) { try X.indexed([.at(0), .at(-4)]) }
        assertThrows(["too many indices", "[2, 3, 4]"]) { try X.indexed([.at(0), .at(0), .at(0), .at(0)]) }
        assertThrows(["step", "zero"]) { try X.indexed([.slice(start: nil, end: nil, step: 0)]) }
        assertThrows(["index 5"]) { var y = X; try y.assign([.at(5)], Tensor(0)); return y }
        assertThrows(["index 3"]) { try Variable.index(Variable(X), [.at(3)]) }
    }

    func testAssignmentBroadcasts() throws {
        // Y = np.zeros((2,3)); Y[:, 1:] = [5, 6]; Y[0] = 9; Y[-1, ::-2] = 7  ->  [[9, 9, 9], [7, 5, 7]]
        var Y = try Tensor.zeros([2, 3])
        try Y.assign([.all, .slice(start: 1, end: nil, step: 1)], Tensor([5, 6]))
        try Y.assign([.at(0)], Tensor(9))
        try Y.assign([.at(-1), .slice(start: nil, end: nil, step: -2)], Tensor(7))
        assertClose(Y, [2, 3], [9, 9, 9, 7, 5, 7])
        assertThrows(["[3]", "[2, 2]"]) { var z = Y; try z.assign([.all, .slice(start: 1, end: nil, step: 1)], Tensor([1, 2, 3])); return z }
        // Copy-on-write: assigning into a copy leaves the original untouched.
        let original = X
        var copy = original
        try copy.assign([.at(0), .at(0), .at(0)], Tensor(-1))
        XCTAssertEqual(original.scalars[0], 0)
        XCTAssertEqual(copy.scalars[0], -1)
    }

    func testReshape() throws {
        XCTAssertEqual(try X.reshaped([-1, 4]).shape, [6, 4])
        XCTAssertEqual(try X.reshaped([4, -1]).shape, [4, 6])
        XCTAssertEqual(try X.reshaped([-1]).scalars, X.scalars)
        XCTAssertEqual(try Tensor([5]).reshaped([]).shape, [])
        assertThrows(["[2, 3, 4]", "[5, -1]"]) { try X.reshaped([5, -1]) }
        assertThrows(["at most one"]) { try X.reshaped([-1, -1]) }
        assertThrows(["24 elements", "[5, 5]"]) { try X.reshaped([5, 5]) }
        assertThrows(["[0, -1]"]) { try X.reshaped([0, -1]) }
    }

    func testTransposeAndPermute() throws {
        // X.transpose(2, 0, 1)
        assertClose(try X.permuted([2, 0, 1]), [4, 2, 3], [0.0, 4.0, 8.0, 12.0, 16.0, 20.0, 1.0, 5.0, 9.0, 13.0, 17.0, 21.0, 2.0, 6.0, 10.0, 14.0, 18.0, 22.0, 3.0, 7.0, 11.0, 15.0, 19.0, 23.0])
        // np.swapaxes(X, 0, 2)
        assertClose(try X.transposed(0, -1), [4, 3, 2], [0.0, 12.0, 4.0, 16.0, 8.0, 20.0, 1.0, 13.0, 5.0, 17.0, 9.0, 21.0, 2.0, 14.0, 6.0, 18.0, 10.0, 22.0, 3.0, 15.0, 7.0, 19.0, 11.0, 23.0])
        assertClose(try T([2, 3], [1, 2, 3, 4, 5, 6]).transposed(), [3, 2], [1, 4, 2, 5, 3, 6])
        assertThrows(["permutation", "[2, 3, 4]"]) { try X.permuted([0, 0, 1]) }
        assertThrows(["permutation"]) { try X.permuted([1, 0]) }
        assertThrows(["axis 3"]) { try X.transposed(0, 3) }
    }

    func testConcatAndStack() throws {
        let P = T([2, 3], [0, 1, 2, 3, 4, 5]), Q = T([2, 2], [10, 11, 12, 13])
        assertClose(try Tensor.concat([P, Q], axis: 1), [2, 5], [0, 1, 2, 10, 11, 3, 4, 5, 12, 13])  // np.concatenate([P,Q],1)
        assertClose(try Tensor.concat([P, P * 2], axis: -2), [4, 3], [0, 1, 2, 3, 4, 5, 0, 2, 4, 6, 8, 10])
        assertClose(try Tensor.stack([P, P + 100], axis: 1), [2, 2, 3], [0, 1, 2, 100, 101, 102, 3, 4, 5, 103, 104, 105])
        assertClose(try Tensor.stack([P, P + 100], axis: -1), [2, 3, 2], [0, 100, 1, 101, 2, 102, 3, 103, 4, 104, 5, 105])
        assertClose(try Tensor.stack([Tensor(1), Tensor(2)]), [2], [1, 2])
        assertThrows(["[2, 2]", "[2, 3]"]) { try Tensor.concat([P, Q], axis: 0) }
        assertThrows(["equal shapes", "[2, 3]", "[2, 2]"]) { try Tensor.stack([P, Q]) }
        assertThrows(["at least one"]) { try Tensor.concat([]) }
        assertThrows(["at least one"]) { try Tensor.stack([]) }
        assertThrows(["axis 2"]) { try Tensor.concat([P, P], axis: 2) }
    }

    func testGatherRows() throws {
        let table = T([4, 2], [0, 1, 2, 3, 4, 5, 6, 7])
        // table[np.array([[3, 0], [1, 1]])]
        assertClose(try Tensor.gatherRows(table, T([2, 2], [3, 0, 1, 1])), [2, 2, 2], [6, 7, 0, 1, 2, 3, 2, 3])
        assertThrows(["index 4", "0..<4"]) { try Tensor.gatherRows(table, Tensor([4])) }
        assertThrows(["index 0.5"]) { try Tensor.gatherRows(table, Tensor([0.5])) }
        assertThrows(["scalar"]) { try Tensor.gatherRows(Tensor(1), Tensor([0])) }
    }
}
