import XCTest
@testable import MaplEngine

/// Sums at the sizes users reach (10⁷ elements, 5000 × 5000), against NumPy. Float32 running sums gave
/// `sum(ones(20000000))` 16777216, `mean(ones(5000, 5000))` 0.6711, `sum(full([1000000], 0.1))` 100958.34,
/// `var(ones(20000000) * 3)` 0.1452 — every reduction now adds in double precision.
///
/// NumPy (float32 arrays): `np.sum(np.ones(20000000, np.float32))` = 2e+07, `np.mean(np.ones((5000, 5000),
/// np.float32))` = 1.0, `np.var(np.ones(20000000, np.float32) * 3)` = 0.0. For 10⁶ × float32(0.1), NumPy's
/// float32 pairwise sum gives 100000.01; the exact sum `np.sum(x.astype(np.float64))` is 100000.00149011612,
/// which rounds to float32 100000.0 — what we give.
final class AccurateSumTests: XCTestCase {
    func testSumOfTwentyMillionOnes() throws {
        XCTAssertEqual(try Tensor(repeating: 1, shape: [20_000_000]).sum().item(), 20_000_000)
        XCTAssertEqual(try Tensor(repeating: 1, shape: [20_000_000]).sum(axis: 0).item(), 20_000_000)
        XCTAssertEqual(try Tensor(repeating: 1, shape: [20_000_000]).mean().item(), 1)
    }

    func testMeanOfFiveThousandSquaredOnesOverEveryAxis() throws {
        let ones = Tensor(repeating: 1, shape: [5000, 5000])
        XCTAssertEqual(try ones.mean().item(), 1)
        XCTAssertEqual(try Variable.mean(Variable(ones)).value.item(), 1)
        for axis in [0, 1] {
            let m = try ones.mean(axis: axis)
            XCTAssertEqual(m.shape, [5000])
            XCTAssertTrue(m.scalars.allSatisfy { $0 == 1 }, "axis \(axis)")
            XCTAssertTrue(try ones.sum(axis: axis).scalars.allSatisfy { $0 == 5000 }, "axis \(axis)")
        }
    }

    /// A sum or variance over a leading axis adds each column's rows in row order, in double, whatever
    /// blocks of columns the kernel holds in registers (16 at a time) and however the columns are split over
    /// the threads: equal bit for bit to a plain loop in that order, for widths below, at and past a block
    /// (with a tail), and for an axis in the middle (`[2, rows, columns]`). The values span 10⁻⁶…10⁶, so
    /// their exact sums need more than a double's 53 bits and another order would round differently.
    func testSumsOverALeadingAxisAddEachColumnInRowOrder() throws {
        for (outer, rows, columns) in [(1, 3001, 2), (1, 2000, 16), (1, 1000, 37), (2, 700, 129), (1, 64, 1000)] {
            let n = outer * rows * columns
            let x = Tensor(unchecked: [outer, rows, columns], (0..<n).map { Float(sin(Double($0) * 0.37) * pow(10, Double($0 % 13) - 6)) })
            var sums = [Double](repeating: 0, count: outer * columns), squares = sums
            for o in 0..<outer {
                for r in 0..<rows { for c in 0..<columns { sums[o * columns + c] += Double(x.scalars[(o * rows + r) * columns + c]) } }
            }
            let means = sums.map { $0 / Double(rows) }
            for o in 0..<outer {
                for r in 0..<rows {
                    for c in 0..<columns {
                        let d = Double(x.scalars[(o * rows + r) * columns + c]) - means[o * columns + c]
                        squares[o * columns + c] += d * d
                    }
                }
            }
            // The double-precision sums themselves, where another order of additions would show.
            XCTAssertEqual(try x.fibreSums(1), sums, "sums over \(rows) rows of \(columns)")
            XCTAssertEqual(try x.fibreSums(1, deviationsFrom: means), squares, "squared deviations over \(rows) rows of \(columns)")
            XCTAssertEqual(try x.sum(axis: 1).scalars, sums.map { Float($0) })
            XCTAssertEqual(try x.variance(axis: 1).variance.scalars, squares.map { Float($0 / Double(rows)) })
        }
    }

    func testSumOfAMillionTenths() throws {
        let tenths = Tensor(repeating: 0.1, shape: [1_000_000])
        XCTAssertEqual(try tenths.sum().item(), 100_000.0)  // exact sum 100000.0015 (NumPy float32: 100000.01)
        XCTAssertEqual(try tenths.mean().item(), 0.1)       // float32(0.100000001490116) = 0.1f
        // A long strided fibre: 10⁷ rows of [0.1, 0.1] summed over axis 0 (exact 1000000.0149 → 1e6 in float32).
        let columns = Tensor(repeating: 0.1, shape: [10_000_000, 2])
        XCTAssertEqual(try columns.sum(axis: 0).scalars, [1_000_000, 1_000_000])
    }

    func testVarianceAndStdOfAConstantAreZero() throws {
        let threes = Tensor(repeating: 3, shape: [20_000_000])
        XCTAssertEqual(try Variable.variance(Variable(threes)).value.item(), 0)
        XCTAssertEqual(try Variable.std(Variable(threes)).value.item(), 0)
        // np.var(np.float32([1e4 + 1, 1e4 + 2, 1e4 + 3, 1e4 + 4])) = 1.25: two passes, no E[x²] − E[x]².
        XCTAssertEqual(try Variable.variance(Variable(Tensor([10001, 10002, 10003, 10004]))).value.item(), 1.25)
    }

    /// A broadcast operand's gradient is a sum over the broadcast axes (`sum(toShape:)`): 10⁷ and 5·10⁶ terms.
    func testBroadcastGradientsSumInDouble() throws {
        let scalar = Variable.parameter(Tensor([0]))
        try Variable.sum(try scalar + Variable(Tensor(repeating: 0, shape: [10_000_000]))).backward()
        XCTAssertEqual(scalar.grad?.scalars, [10_000_000])
        // Σ of 5·10⁶ gradients 0.1 per column: exact 500000.0075, float32 500000.0.
        let row = Variable.parameter(Tensor([0, 0]))
        let tenth = Variable(Tensor(0.1))
        try Variable.sum(try (row + Variable(Tensor(repeating: 0, shape: [5_000_000, 2]))) * tenth).backward()
        XCTAssertEqual(row.grad?.scalars, [500_000, 500_000])
    }

    /// Uniform logits over 2,000,000 rows of 10 classes: the loss is ln 10 (np.float32(np.log(10)) = 2.3025851).
    func testCrossEntropyOfTwoMillionUniformRowsIsLnTen() throws {
        let logits = Variable.parameter(Tensor(repeating: 0, shape: [2_000_000, 10]))
        let labels = Tensor(repeating: 3, shape: [2_000_000])
        let fused = try Variable.softmaxCrossEntropy(logits, labels)
        XCTAssertEqual(try fused.value.item(), 2.3025851)
        let unfused = -(try Variable.mean(try Variable.pick(try Variable.logSoftmax(logits, axis: 1), labels)))
        XCTAssertEqual(try unfused.value.item(), 2.3025851)
    }

    /// A convolution's bias gradient sums every position of every image: 125 images of 64 × 64 with the
    /// gradient 0.1 everywhere give 0.1·512000 = 51200.00076 exactly, 51200 in float32 (NumPy
    /// `np.float32(np.float64(np.float32(0.1)) * 512000)`), on the direct path (one input channel) and the
    /// im2col one (two). (The weight gradient is a product — on the im2col path a BLAS one — accumulated in
    /// float32 as every framework's is.)
    func testConvolutionBiasGradientsSumInDouble() throws {
        for channels in [1, 2] {
            let x = Variable(Tensor(repeating: 1, shape: [125, channels, 64, 64]))
            let w = Variable.parameter(Tensor(repeating: 0, shape: [1, channels, 3, 3]))
            let b = Variable.parameter(Tensor([0]))
            let y = try Variable.conv2d(x, w, b, Window2D(kernel: 3, stride: 1, padding: 1))
            try Variable.sum(try y * Variable(Tensor(0.1))).backward()
            XCTAssertEqual(b.grad?.scalars, [51_200], "\(channels) input channel(s)")
        }
    }
}
