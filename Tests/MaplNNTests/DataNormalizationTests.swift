import XCTest
@testable import MaplNN

/// `(x − mean) / std` per channel on datasets: statistics, the presented values, composition, errors, and that
/// the normalisation travels with slices, shuffles and batches. Expected figures from NumPy.
final class DataNormalizationTests: XCTestCase {
    /// Five 1×2×2 images with pixels 51k + j (k = 0…4, j = 0…3), labels 0, 1, 2, 0, 1.
    func images() throws -> Dataset {
        let pixels = (0..<5).flatMap { k in (0..<4).map { UInt8(51 * k + $0) } }
        return try Dataset(images: pixels, sampleShape: [1, 2, 2], labels: [0, 1, 2, 0, 1], classes: 3)
    }

    /// Four samples of two features: (1, 10), (3, 30), (2, 20), (2, 20).
    func features() throws -> Dataset {
        try Dataset(inputs: [1, 10, 3, 30, 2, 20, 2, 20], sampleShape: [2], targets: [0, 1, 0, 1], classes: 2)
    }

    func testStatisticsOfImages() throws {
        // numpy: p = [51k + j] / 255 → p.mean() 0.40588235, p.std() 0.28287669
        let s = try images().inputStatistics
        XCTAssertEqual(s.mean.count, 1)
        XCTAssertEqual(s.mean[0], 0.40588235, accuracy: 1e-6)
        XCTAssertEqual(s.std[0], 0.28287669, accuracy: 1e-6)
    }

    func testNormalizedByOwnStatistics() throws {
        let d = try images().normalized()
        let x = try d.x.scalars
        // numpy: (204/255 − mean) / std = 1.39324892 (image 4, pixel 0)
        XCTAssertEqual(x[16], 1.39324892, accuracy: 1e-5)
        let mean = x.reduce(0, +) / Float(x.count)
        let std = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(x.count)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 1e-6)
        XCTAssertEqual(std, 1, accuracy: 1e-5)
        XCTAssertEqual(d.inputStatistics.mean[0], 0, accuracy: 1e-6)
        XCTAssertEqual(d.inputStatistics.std[0], 1, accuracy: 1e-5)
        XCTAssertEqual(try d.y, Tensor([0, 1, 2, 0, 1]), "labels are not touched")
    }

    func testExplicitMeanAndStdAsPyTorchNormalize() throws {
        let d = try images().normalized(mean: [0.5], std: [0.25])
        let x = try d.batch([4]).x.scalars
        XCTAssertEqual(x[0], (204.0 / 255.0 - 0.5) / 0.25, accuracy: 1e-6)  // 1.2
        XCTAssertEqual(x[3], (207.0 / 255.0 - 0.5) / 0.25, accuracy: 1e-6)
        XCTAssertEqual(d.description, "dataset: 5 images [1, 2, 2], 3 classes, normalized (mean 0.5, std 0.25)")
        XCTAssertEqual(d.normalization, Normalization(mean: [0.5], std: [0.25]))
        XCTAssertNil(try images().normalization)
    }

    func testNormalizingTwiceComposes() throws {
        // ((x − 0.5)/0.25 − 1)/2 = (x − 0.75)/0.5
        let twice = try images().normalized(mean: [0.5], std: [0.25]).normalized(mean: [1], std: [2])
        let once = try images().normalized(mean: [0.75], std: [0.5])
        let a = try twice.x.scalars, b = try once.x.scalars
        for i in a.indices { XCTAssertEqual(a[i], b[i], accuracy: 1e-6) }
        XCTAssertEqual(twice.normalization, Normalization(mean: [0.75], std: [0.5]))
    }

    func testPerFeatureAsStandardScaler() throws {
        // numpy: f.mean(0) [2, 20], f.std(0) [0.70710678, 7.0710678]
        let d = try features()
        let s = d.inputStatistics
        XCTAssertEqual(s.mean[0], 2, accuracy: 1e-6); XCTAssertEqual(s.mean[1], 20, accuracy: 1e-5)
        XCTAssertEqual(s.std[0], 0.70710678, accuracy: 1e-6); XCTAssertEqual(s.std[1], 7.0710678, accuracy: 1e-5)
        let x = try d.normalized().x.scalars
        let expected: [Float] = [-1.41421356, -1.41421356, 1.41421356, 1.41421356, 0, 0, 0, 0]
        for i in x.indices { XCTAssertEqual(x[i], expected[i], accuracy: 1e-5) }
        // One value for every channel, or one per channel.
        let y = try d.normalized(mean: [2, 20], std: [1, 10]).x.scalars
        XCTAssertEqual(y, [-1, -1, 1, 1, 0, 0, 0, 0])
    }

    func testNormalizationTravelsWithTheData() throws {
        let d = try images().normalized(mean: [0.5], std: [0.25])
        let expected = try d.batch([2, 4]).x.scalars
        XCTAssertEqual(try d.slice(2..<5).subset([0, 2]).x.scalars, expected)
        XCTAssertEqual(try d.split(0.4).second.batch([0, 2]).x.scalars, expected)
        Random.seed(7)
        let batches = try d.batches(size: 5, shuffle: true)
        for (x, y) in batches {
            for (k, label) in y.scalars.enumerated() {
                let row = try d.batch([batches.order[k]])
                XCTAssertEqual(Array(x.scalars[(k * 4)..<(k * 4 + 4)]), row.x.scalars)
                XCTAssertEqual(label, row.y.scalars[0])
            }
        }
        XCTAssertEqual(d.shuffled().normalization, d.normalization)
    }

    func testBadArgumentsAreMessages() throws {
        let d = try images()
        XCTAssertThrowsError(try d.normalized(mean: [0.1, 0.2], std: [1])) {
            XCTAssertTrue("\($0)".contains("mean has 2 values, but the samples [1, 2, 2] have 1 channel"), "\($0)")
        }
        XCTAssertThrowsError(try d.normalized(mean: [0], std: [0])) { XCTAssertTrue("\($0)".contains("std must be positive"), "\($0)") }
        XCTAssertThrowsError(try d.normalized(mean: [.nan], std: [1])) { XCTAssertTrue("\($0)".contains("not a finite number"), "\($0)") }
        let constant = try Dataset(inputs: [1, 5, 1, 6], sampleShape: [2], targets: [0, 1], classes: 2)
        XCTAssertThrowsError(try constant.normalized()) { XCTAssertTrue("\($0)".contains("channel 0 of the inputs is constant"), "\($0)") }
    }
}
