import XCTest
@testable import MaplEngine

/// softmax over the last axis runs row by row in one pass (`Tensor.softmaxLastAxis`) and so does its backward;
/// both must give the bits of the general broadcast formulation, written out here op by op, including rows
/// with a NaN, an infinity and values far beyond exp's range.
final class SoftmaxLastAxisTests: XCTestCase {
    func testSameBitsAsTheGeneralFormula() throws {
        Random.seed(51)
        var x = try Tensor.randn([3, 5, 70]) * Tensor(30)
        x.scalars[7] = .nan
        x.scalars[75] = .infinity
        x.scalars[150] = -.infinity
        let general = try { () throws -> Tensor in
            let e = try (x - x.max(axis: 2, keepdims: true)).map { Foundation.exp($0) }
            return try e / e.sum(axis: 2, keepdims: true)
        }()
        let fused = try Tensor.softmax(x, axis: 2)
        XCTAssertEqual(fused.shape, x.shape)
        XCTAssertEqual(fused.scalars.map(\.bitPattern), general.scalars.map(\.bitPattern))

        let y = try Tensor.softmax(try Tensor.randn([4, 9]), axis: -1), g = try Tensor.randn([4, 9])
        let gy = try g * y
        let expected = try gy - y * gy.sum(axis: 1, keepdims: true)
        XCTAssertEqual(Tensor.softmaxLastAxisGradient(g, y).scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern))
    }

    func testScalarHasNoAxis() {
        XCTAssertThrowsError(try Tensor.softmax(Tensor(1), axis: -1))
    }
}
