import XCTest
@testable import MaplEngine

/// A NaN is never hidden: reductions, relu and pooling give NaN where NumPy and PyTorch do. (Before,
/// `max([1, nan, 3])` was 3 and `min([nan, 1])` 1.) Expected values from NumPy 2.4:
/// `np.max([1, nan, 3])` = nan, `np.min([nan, 1])` = nan, on `[[1, nan], [3, 4]]` `max(axis=0)` = [3, nan],
/// `max(axis=1)` = [nan, 4], `min(axis=0)` = [1, nan], `argmax(axis=0)` = [1, 0], `argmin(axis=1)` = [1, 0];
/// `np.argmax([1, nan, 3])` = 1, `np.argmin([nan, 1])` = 0 (the first NaN); sums, means and variances nan.
/// PyTorch: `torch.relu(torch.tensor(nan))` = nan, and max pooling over a window holding a NaN is nan.
final class NaNPropagationTests: XCTestCase {
    let nan = Float.nan
    var grid: Tensor { Tensor(unchecked: [2, 2], [1, .nan, 3, 4]) }

    /// Bit-level comparison that treats every NaN as equal.
    func assertSame(_ t: Tensor, _ expected: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(t.scalars.count, expected.count, file: file, line: line)
        for (a, b) in zip(t.scalars, expected) {
            XCTAssertTrue(a == b || (a.isNaN && b.isNaN), "\(t.scalars) ≠ \(expected)", file: file, line: line)
        }
    }

    func testMaxAndMinPropagateNaN() throws {
        assertSame(try Tensor([1, nan, 3]).max(), [nan])
        assertSame(try Tensor([nan, 1]).min(), [nan])
        assertSame(try grid.max(axis: 0), [3, nan])
        assertSame(try grid.max(axis: 1), [nan, 4])
        assertSame(try grid.min(axis: 0), [1, nan])
        assertSame(try Variable.max(Variable(Tensor([1, nan, 3]))).value, [nan])
    }

    func testArgExtremesPointAtTheFirstNaN() throws {
        assertSame(try Tensor([1, nan, 3]).argmax(), [1])
        assertSame(try Tensor([nan, 1]).argmin(), [0])
        assertSame(try grid.argmax(axis: 0), [1, 0])
        assertSame(try grid.argmin(axis: 1), [1, 0])
        // max's gradient goes to the NaN, the element it returned.
        let x = Variable.parameter(Tensor([1, nan, 3]))
        try Variable.max(x).backward()
        XCTAssertEqual(x.grad?.scalars, [0, 1, 0])
    }

    func testSumsMeansAndVariancesPropagateNaN() throws {
        assertSame(try Tensor([1, nan]).sum(), [nan])
        assertSame(try Tensor([1, nan]).mean(), [nan])
        assertSame(try Variable.variance(Variable(Tensor([1, nan]))).value, [nan])
        assertSame(try grid.sum(axis: 0), [4, nan])
        assertSame(try Tensor.softmax(Tensor([1, nan]), axis: 0), [nan, nan])
    }

    func testReluAndPoolingKeepNaN() throws {
        let x = Variable.parameter(Tensor([nan, -1, 2]))
        let y = Variable.relu(x)
        assertSame(y.value, [nan, 0, 2])
        try Variable.sum(y).backward()
        XCTAssertEqual(x.grad?.scalars, [0, 0, 1])
        let image = Variable(Tensor(unchecked: [1, 1, 2, 2], [1, nan, 3, 2]))
        assertSame(try Variable.maxPool2d(image, Window2D(kernel: 2, stride: 2)).value, [nan])
    }
}
