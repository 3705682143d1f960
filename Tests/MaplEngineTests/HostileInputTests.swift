import XCTest
@testable import MaplEngine
@testable import MaplCore

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
        assertThrows(["argmax", "axis 1", "empty"]) { try Tensor.zeros([2, 0]).argmax(axis: 1) }
        assertThrows(["max", "axis 0", "empty"]) { try Tensor.zeros([0, 3]).max(axis: 0) }
    }

    /// NumPy: `np.max(np.zeros((0, 3)), axis=1)` and `np.argmax(…, axis=1)` are empty arrays of shape (0,);
    /// softmax of an empty batch (scipy, PyTorch) is empty with the input's shape.
    func testEmptyResultsAsNumPy() throws {
        let batch = try Tensor.zeros([0, 3])
        XCTAssertEqual(try batch.max(axis: 1).shape, [0])
        XCTAssertEqual(try batch.min(axis: 1, keepdims: true).shape, [0, 1])
        XCTAssertEqual(try batch.argmax(axis: 1).shape, [0])
        XCTAssertEqual(try Tensor.softmax(batch, axis: 1).shape, [0, 3])
        XCTAssertEqual(try Tensor.logSoftmax(try Tensor.zeros([0]), axis: 0).shape, [0])
        let x = Variable.parameter(batch)
        let y = try Variable.softmax(x, axis: -1)
        XCTAssertEqual(y.shape, [0, 3])
        try Variable.sum(y).backward()
        XCTAssertEqual(x.grad?.shape, [0, 3])
        assertThrows(["axis"]) { try Tensor.softmax(batch, axis: 2) }
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

    /// Slice steps at the ends of Int (the language reaches them as ±2^63 and 2^63 − 1024): the count is
    /// taken from the step's magnitude; a one-element window never steps. Expected values are Python's:
    /// `list(range(n))[::step]`.
    func testExtremeSliceSteps() throws {
        let x = try Tensor.arange(0, 5)
        XCTAssertEqual(try x.indexed([.slice(start: nil, end: nil, step: Int.min)]).scalars, [4])
        XCTAssertEqual(try x.indexed([.slice(start: nil, end: nil, step: Int.max)]).scalars, [0])
        XCTAssertEqual(try Tensor.arange(0, 2000).indexed([.slice(start: nil, end: nil, step: Int.max - 1023)]).scalars, [0])
        XCTAssertEqual(try x.indexed([.slice(start: Int.min, end: Int.max, step: 2)]).scalars, [0, 2, 4])
        XCTAssertEqual(try x.indexed([.slice(start: Int.max, end: Int.min, step: -2)]).scalars, [4, 2, 0])
        XCTAssertEqual(try x.indexed([.slice(start: 1, end: 1, step: Int.min)]).scalars, [])
        var m = try Tensor.zeros([2, 3])
        try m.assign([.slice(start: nil, end: nil, step: Int.min), .at(0)], Tensor(1))
        XCTAssertEqual(m.scalars, [0, 0, 0, 1, 0, 0])   // x[::-(2**63), 0] = 1 on zeros((2, 3))
        XCTAssertEqual(Tensor.slicePositions(start: nil, end: nil, step: Int.min, count: 3), [2])
        XCTAssertEqual(Tensor.slicePositions(start: -100, end: 100, step: 3, count: 10), [0, 3, 6, 9])
        XCTAssertEqual(Tensor.slicePositions(start: nil, end: nil, step: -4, count: 10), [9, 5, 1])
        XCTAssertEqual(Tensor.slicePositions(start: nil, end: nil, step: 1, count: 0), [])
    }

    /// Sizes whose arithmetic would overflow, and buffers the process cannot get, are errors.
    func testSizesAndTheMemoryBudget() throws {
        assertThrows(["at most 64 dimensions"]) { try Tensor.zeros([Int](repeating: 1, count: 65)) }
        XCTAssertEqual(try Tensor.zeros([Int](repeating: 1, count: 64)).count, 1)
        assertThrows(["too large"]) { try Tensor.zeros([1, 1, 4, 4]).im2col(Window2D(kernel: 3, stride: 1, padding: 1 << 40)) }
        assertThrows(["too large"]) { try Tensor.zeros([1, 1, 4, 4]).im2col(Window2D(kernel: 3, stride: 1, padding: Int.max)) }
        assertThrows(["too large"]) { try Variable.conv2d(Variable(try Tensor.zeros([1, 1, 4, 4])), Variable(try Tensor.zeros([1, 1, 3, 3])), nil, Window2D(kernel: 3, stride: 1, padding: 1 << 30)) }
        // [2³¹, 0] holds nothing, but its side does not fit BLAS's 32-bit sizes.
        assertThrows(["32-bit"]) { try Tensor.matmul(try Tensor.zeros([1 << 31, 0]), try Tensor.zeros([0, 1])) }
        // A 32 GiB buffer on a 24 GiB machine; and Int.max bytes, which no machine has.
        assertThrows(["needs", "GiB", "[8589934592]"]) { try Tensor.zeros([1 << 33]) }
        assertThrows(["needs", "a huge thing"]) { try MemoryBudget.check(bytes: Int.max, what: "a huge thing") }
        XCTAssertNoThrow(try MemoryBudget.check(bytes: 1 << 20, what: "a small thing"))
        XCTAssertGreaterThan(MemoryBudget.available().bytes, 1 << 28)
        XCTAssertEqual(MemoryBudget.format(40_000_000_000), "37.3 GiB")
        XCTAssertEqual(MemoryBudget.format(24 << 30, exact: false), "24 GiB")
    }
}
