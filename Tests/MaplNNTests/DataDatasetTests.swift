import XCTest
@testable import MaplNN
import MaplEngine

/// Byte-backed and float-backed datasets: conversion, indexing, batching, shuffling and splitting.
final class DataDatasetTests: XCTestCase {
    /// Five 1×2×2 "images"; image k has pixels 51k, 51k+1, 51k+2, 51k+3 (so /255 gives k/5 + small steps);
    /// labels 0, 1, 2, 0, 1.
    func images() throws -> Dataset {
        let pixels = (0..<5).flatMap { k in (0..<4).map { UInt8(51 * k + $0) } }
        return try Dataset(images: pixels, sampleShape: [1, 2, 2], labels: [0, 1, 2, 0, 1], classes: 3)
    }

    func testDescription() throws {
        XCTAssertEqual(try images().description, "dataset: 5 images [1, 2, 2], 3 classes")
        XCTAssertEqual(Dataset.xor().description, "dataset: 4 samples [2], targets [1]")
    }

    func testBytesBecomeUnitFloats() throws {
        let d = try images()
        let x = try d.x
        XCTAssertEqual(x.shape, [5, 1, 2, 2])
        // 51/255 = 0.2, 255 would be 1; compare with the float32 of the exact quotient.
        XCTAssertEqual(x.scalars[4], Float(51.0 / 255.0), accuracy: 1e-7)
        XCTAssertEqual(x.scalars[19], Float(207.0 / 255.0), accuracy: 1e-7)
        XCTAssertEqual(x.scalars[0], 0)
        XCTAssertEqual(try d.y, Tensor([0, 1, 2, 0, 1]))
        XCTAssertEqual(d.count, 5)
        XCTAssertEqual(d.classes, 3)
        XCTAssertEqual(d.sampleShape, [1, 2, 2])
        XCTAssertTrue(d.isImages)
    }

    func testSampleAndNegativeIndex() throws {
        let d = try images()
        let s = try d.sample(2)
        XCTAssertEqual(s.x.shape, [1, 2, 2])
        XCTAssertEqual(s.x.scalars[0], Float(102.0 / 255.0), accuracy: 1e-7)
        XCTAssertEqual(s.y, Tensor(2))
        XCTAssertEqual(try d.sample(-1).y, Tensor(1))
        XCTAssertThrowsError(try d.sample(5)) { XCTAssertTrue("\($0)".contains("sample index 5 is out of range for a dataset of 5")) }
        XCTAssertThrowsError(try d.sample(-6))
    }

    func testBatchGathersRowsInOrder() throws {
        let b = try images().batch([4, 0, 4])
        XCTAssertEqual(b.x.shape, [3, 1, 2, 2])
        XCTAssertEqual(b.x.scalars[0], Float(204.0 / 255.0), accuracy: 1e-7)
        XCTAssertEqual(b.x.scalars[4], 0)
        XCTAssertEqual(b.y, Tensor([1, 0, 1]))
        XCTAssertThrowsError(try images().batch([0, 7]))
    }

    /// The training loop makes the next batch while the step computes (`batch(_:during:)`): the same bits
    /// as `batch` — bytes, bytes normalised per channel, floats kept as they are (−0, NaN and ∞ included) and
    /// floats normalised — on one thread and on all, in batches of one chunk, of several and of none, with the
    /// work's result handed back; a bad index throws before the work runs.
    func testBatchMadeDuringAStepIsTheSameBatch() throws {
        defer { Parallel.setThreads(nil) }
        let n = 300, size = 3 * 8 * 8
        let bytes = (0..<(n * size)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ $0 / 7) }
        let labels = (0..<n).map { UInt8($0 % 10) }
        let images = try Dataset(images: bytes, sampleShape: [3, 8, 8], labels: labels, classes: 10)
        let normalised = try images.normalized(mean: [0.5, 0.25, 0.125], std: [0.3, 0.2, 0.1])
        var floats = (0..<(n * 4)).map { Float($0) * 0.37 - 100 }
        floats[1] = -0.0; floats[6] = .nan; floats[9] = .infinity; floats[10] = -.infinity
        let plain = try Dataset(inputs: floats, sampleShape: [4], targets: (0..<n).map { Float($0 % 3) }, classes: 3)
        let scaled = try plain.normalized(mean: [2], std: [3])
        let batches = [[1, 0, 2], Array((0..<200).reversed()), (0..<64).map { ($0 * 89) % n }, []]
        for threads in [1, 2] {
            Parallel.setThreads(threads)
            for (name, d) in [("images", images), ("normalised", normalised), ("floats", plain), ("scaled floats", scaled)] {
                for indices in batches {
                    let expected = try d.batch(indices)
                    var ran = false
                    let made = try d.batch(indices, during: { () -> Int in ran = true; return 42 })
                    XCTAssertTrue(ran)
                    XCTAssertEqual(made.result, 42)
                    XCTAssertEqual(made.batch.x.shape, expected.x.shape)
                    XCTAssertEqual(made.batch.x.scalars.map(\.bitPattern), expected.x.scalars.map(\.bitPattern), "\(name), \(indices.count) rows, \(threads) threads")
                    XCTAssertEqual(made.batch.y, expected.y)
                }
            }
        }
        // Independently of `batch`: row 5's first value of the green plane, (b/255 − 0.25)/0.2.
        let green = Float((Double(bytes[5 * size + 64]) / 255 - 0.25) / 0.2)
        XCTAssertEqual(try normalised.batch([5], during: {}).batch.x.scalars[64], green, accuracy: 1e-6)
        XCTAssertEqual(try plain.batch([0], during: {}).batch.x.scalars[1].sign, .minus)
        var ran = false
        XCTAssertThrowsError(try images.batch([0, n], during: { ran = true })) {
            XCTAssertTrue("\($0)".contains("sample index 300 is out of range for a dataset of 300"))
        }
        XCTAssertFalse(ran)
    }

    func testSliceSubsetKeepBytes() throws {
        let d = try images()
        let s = try d.slice(1..<3)
        XCTAssertEqual(s.count, 2)
        XCTAssertTrue(s.isImages)
        XCTAssertEqual(try s.y, Tensor([1, 2]))
        XCTAssertEqual(try s.sample(0).x, try d.sample(1).x)
        XCTAssertThrowsError(try d.slice(3..<9)) { XCTAssertTrue("\($0)".contains("slice 3:9 is outside a dataset of 5")) }
        let sub = try d.subset([3, 3, 0])
        XCTAssertEqual(try sub.y, Tensor([0, 0, 0]))
        XCTAssertEqual(try sub.sample(1).x, try d.sample(3).x)
    }

    func testSplitIsInOrder() throws {
        let d = try images()
        let (a, b) = try d.split(0.6)
        XCTAssertEqual(a.count, 3)
        XCTAssertEqual(b.count, 2)
        XCTAssertEqual(try a.y, Tensor([0, 1, 2]))
        XCTAssertEqual(try b.y, Tensor([0, 1]))
        XCTAssertThrowsError(try d.split(1.0))
        XCTAssertThrowsError(try d.split(0.01)) { XCTAssertTrue("\($0)".contains("empty")) }
    }

    func testBatchesInOrderIncludeLastPartial() throws {
        let batches = try images().batches(size: 2, shuffle: false)
        XCTAssertEqual(batches.count, 3)
        let all = Array(batches)
        XCTAssertEqual(all.map { $0.x.shape }, [[2, 1, 2, 2], [2, 1, 2, 2], [1, 1, 2, 2]])
        XCTAssertEqual(all.map { $0.y.scalars }, [[0, 1], [2, 0], [1]])
        XCTAssertThrowsError(try images().batches(size: 0, shuffle: false))
    }

    /// Shuffled batches visit every sample once, follow the seeded generator, and repeat after reseeding.
    func testShuffledBatchesAreSeeded() throws {
        // Float dataset whose input is its own index, so the order is visible in x.
        let d = try Dataset(inputs: (0..<10).map(Float.init), sampleShape: [1], targets: (0..<10).map(Float.init), targetShape: [1])
        Random.seed(42)
        let first = try d.batches(size: 3, shuffle: true).flatMap { $0.x.scalars }
        Random.seed(42)
        let again = try d.batches(size: 3, shuffle: true).flatMap { $0.x.scalars }
        var reference = RandomGenerator(seed: 42)
        XCTAssertEqual(first, again)
        XCTAssertEqual(first, reference.permutation(10).map(Float.init))
        XCTAssertEqual(first.sorted(), (0..<10).map(Float.init))
        XCTAssertNotEqual(first, (0..<10).map(Float.init))
    }

    func testFloatDatasetValidation() {
        XCTAssertThrowsError(try Dataset(inputs: [1, 2, 3], sampleShape: [2], targets: [0, 1])) {
            XCTAssertTrue("\($0)".contains("3 input values cannot make 2 samples of shape [2]"))
        }
        XCTAssertThrowsError(try Dataset(inputs: [1, 2], sampleShape: [1], targets: [0, 2.5], classes: 3)) {
            XCTAssertTrue("\($0)".contains("label 2.5 is not a class index"))
        }
        XCTAssertThrowsError(try Dataset(images: [1, 2], sampleShape: [1], labels: [0, 10], classes: 10))
    }
}
