import XCTest
@testable import MaplEngine

/// Inputs a user can type that must throw a `TensorError`, never trap.
final class HostileInputTests: XCTestCase {
    func testEmptyTensors() throws {
        let e = try Tensor.zeros([0])
        assertThrows(["max", "empty"]) { try e.max() }
        assertThrows(["min", "empty"]) { try e.min() }
        assertThrows(["argmax", "empty"]) { try e.argmax() }
        assertThrows(["mean", "empty"]) { try e.mean() }
        assertThrows(["max", "empty"]) { try Variable.max(Variable(e)) }
        assertThrows(["item", "[0]"]) { try e.item() }
        assertThrows(["max"]) { try Tensor.softmax(e, axis: 0) }
        assertThrows(["argmax"]) { try Tensor.zeros([2, 0]).argmax(axis: 1) }
    }

    func testNaNAndNonIntegerLabels() throws {
        assertThrows(["nan", "0..<3"]) { try Tensor.onehot(Tensor([0, .nan]), 3) }
        assertThrows(["inf"]) { try Tensor.onehot(Tensor([.infinity]), 3) }
        let table = try Tensor.ones([3, 2])
        assertThrows(["nan", "0..<3"]) { try Tensor.gatherRows(table, Tensor([.nan])) }
        assertThrows(["index -1"]) { try Variable.gatherRows(Variable.parameter(table), Tensor([-1])) }
        assertThrows(["nan"]) { try Variable.pick(Variable(table), Tensor([0, .nan, 1])) }
        assertThrows(["[3, 2]", "[2]"]) { try Variable.pick(Variable(table), Tensor([0, 1])) }
    }

    func testHugeAndNegativeShapes() {
        assertThrows(["too large"]) { try Tensor.zeros([Int.max, 2]) }
        assertThrows(["too large"]) { try Tensor.randn([1 << 40]) }
        assertThrows(["too large"]) { try Tensor.rand([1 << 31, 1 << 31, 1 << 31]) }
        assertThrows(["negative"]) { try Tensor(shape: [-1, -2], scalars: [0, 0]) }
        assertThrows(["cannot fill", "[2, 2]"]) { try Tensor(shape: [2, 2], scalars: [1]) }
        assertThrows(["elements"]) { try Tensor.arange(0, Double(Int.max)) }
        assertThrows(["elements"]) { try Tensor.arange(0, 1e300, 1e-300) }
        assertThrows(["too many"]) { try Tensor.linspace(0, 1, Int.max) }
        assertThrows(["finite"]) { try Tensor.linspace(0, .nan, 3) }
        assertThrows(["too large"]) { try Tensor.eye(1 << 40) }
        assertThrows(["too large"]) { try Tensor.onehot(Tensor([0]), Int.max) }
        assertThrows(["too large"]) { try Tensor([1, 2]).reshaped([Int.max, 2, -1]) }
        assertThrows(["too large"]) { try Tensor(shape: [Int.max, 2], scalars: [0, 0]) }
        // two small operands whose broadcast would be 10¹² elements
        let column = Tensor(repeating: 1, shape: [1_000_000, 1]), row = Tensor(repeating: 1, shape: [1_000_000])
        assertThrows(["[1000000, 1]", "[1000000]", "too large"]) { try column + row }
    }

    func testBadWindowsAndAxes() {
        assertThrows(["window"]) { try Tensor.zeros([1, 1, 2, 2]).maxPool2d(Window2D(kernel: 3, stride: 1)) }
        assertThrows(["positive"]) { try Tensor.zeros([1, 1, 2, 2]).avgPool2d(Window2D(kernel: 1, stride: 1, padding: -1)) }
        assertThrows(["axis"]) { try Variable.softmax(Variable(Tensor([1])), axis: 4) }
        assertThrows(["axis"]) { try Tensor.zeros([2, 2]).transposed(5, 0) }
    }
}
