import Foundation
import XCTest
@testable import MaplLang
import MaplNN

/// Datasets from the language: fields, length, indexing, slicing, batches and the generators.
final class NNDataTests: XCTestCase {
    func testXorFields() throws {
        let s = Session()
        try s.run("d = xor()\nx = d.x\ny = d.y\nn = len(d)")
        assertScalars(s.tensor("x"), [0, 0, 0, 1, 1, 0, 1, 1], shape: [4, 2])
        assertScalars(s.tensor("y"), [0, 1, 1, 0], shape: [4, 1])
        XCTAssertEqual(s.number("n"), 4)
        XCTAssertEqual(try s.echo("type(d)"), "\"dataset\"")
    }

    func testIndexingAndSlicing() throws {
        let s = Session()
        try s.run("""
        d = dataset(reshape(arange(10), 5, 2), [0, 1, 2, 1, 0])
        r = d[1]
        x1 = r.x
        y1 = r.y
        last = d[-1].x
        a = d[1:3]
        na = len(a)
        ax = a.x
        clamp = len(d[3:100])
        none_left = len(d[7:9])
        rev = d[::-2].y
        pick = d[[4, 0]].y
        k = d.classes
        """)
        assertScalars(s.tensor("x1"), [2, 3], shape: [2])
        assertScalars(s.tensor("y1"), [1], shape: [])
        assertScalars(s.tensor("last"), [8, 9])
        XCTAssertEqual(s.number("na"), 2)
        assertScalars(s.tensor("ax"), [2, 3, 4, 5], shape: [2, 2])
        XCTAssertEqual(s.number("clamp"), 2)            // Python: [3:100] of 5 is 2 samples
        XCTAssertEqual(s.number("none_left"), 0)
        assertScalars(s.tensor("rev"), [0, 2, 0])       // samples 4, 2, 0
        assertScalars(s.tensor("pick"), [0, 0])
        XCTAssertEqual(s.number("k"), 3)
        XCTAssertEqual(s.error("d[5]")?.message, "sample index 5 is out of range for a dataset of 5 samples")
    }

    func testBatchesYieldRecords() throws {
        let s = Session()
        try s.run("""
        d = dataset(reshape(arange(10), 5, 2), [[0], [1], [0], [1], [1]])
        count = 0
        total = 0
        for b in batches(d, 2, shuffle=false) {
          count += 1
          total += sum(b.y)
          if count == 1 { first = b.x }
          if count == 3 { third = b.x }
        }
        nb = len(batches(d, 2))
        seed(1)
        s1 = 0
        for b in batches(d, 5) { s1 = b.y }
        """)
        XCTAssertEqual(s.number("count"), 3)
        assertScalars(s.tensor("total"), [3])
        assertScalars(s.tensor("first"), [0, 1, 2, 3], shape: [2, 2])
        assertScalars(s.tensor("third"), [8, 9], shape: [1, 2])   // the last partial batch
        XCTAssertEqual(s.number("nb"), 3)
        XCTAssertEqual(s.tensor("s1")?.scalars.sorted(), [0, 0, 1, 1, 1])   // shuffled: the same samples
        XCTAssertEqual(s.error("batches(d, 0)")?.message, "batches(): the batch size must be ≥ 1, got 0")
    }

    func testSplitAndGenerators() throws {
        let s = Session()
        try s.run("""
        seed(2)
        parts = split(spirals(10, 3), 0.8)
        a = len(parts[0])
        b = len(parts[1])
        m = moons(20, 0.1)
        nm = len(m)
        km = m.classes
        xs = m.x.shape
        """)
        XCTAssertEqual(s.number("a"), 24)
        XCTAssertEqual(s.number("b"), 6)
        XCTAssertEqual(s.number("nm"), 20)
        XCTAssertEqual(s.number("km"), 2)
        XCTAssertEqual(try s.echo("xs"), "[20, 2]")
    }

    func testDatasetFromTensorsKeepsTargetsThatAreNotLabels() throws {
        let s = Session()
        try s.run("d = dataset(zeros(3, 4, 2), ones(3, 4))\nk = d.classes\nys = d.y.shape\nxs = d[0].x.shape")
        XCTAssertEqual(try s.echo("type(k)"), "\"none\"")
        XCTAssertEqual(try s.echo("ys"), "[3, 4]")
        XCTAssertEqual(try s.echo("xs"), "[4, 2]")
        let e = s.error("dataset(zeros(3, 2), zeros(4))")
        XCTAssertEqual(e?.message, "dataset(): 3 inputs (shape [3, 2]) but 4 targets (shape [4])")
        XCTAssertEqual(e?.range.start.column, 22)
    }

    func testCSV() throws {
        let path = NSTemporaryDirectory() + "mapl-nn-data-\(UUID().uuidString).csv"
        try "a,b,label\n1,2,0\n3,4,1\n5,6,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let s = Session()
        try s.run("d = csv(\"\(path)\", label=\"label\")\nx = d.x\ny = d.y")
        assertScalars(s.tensor("x"), [1, 2, 3, 4, 5, 6], shape: [3, 2])
        assertScalars(s.tensor("y"), [0, 1, 1], shape: [3])
    }

    func testMNISTSplitIsChecked() throws {
        let s = Session()
        let e = s.error("mnist(\"valid\")")
        XCTAssertEqual(e?.message, "mnist(): the split must be \"train\" or \"test\", got \"valid\"")
        XCTAssertEqual(e?.range.start.column, 7)
    }

    /// `normalize` as PyTorch's `Normalize` / scikit-learn's `StandardScaler`; figures from NumPy:
    /// x = [[1, 10], [3, 30], [2, 20], [2, 20]] → mean(0) [2, 20], std(0) [0.70710678, 7.0710678].
    func testNormalize() throws {
        let s = Session()
        try s.run("""
        d = dataset([[1, 10], [3, 30], [2, 20], [2, 20]], [0, 1, 0, 1])
        m = d.mean
        sd = d.std
        own = normalize(d).x
        given = normalize(d, [2, 20], [1, 10]).x
        one = normalize(d, 1, 2).x
        y = normalize(d).y
        """)
        assertScalars(s.tensor("m"), [2, 20], shape: [2])
        assertScalars(s.tensor("sd"), [0.70710678, 7.0710678], shape: [2], accuracy: 1e-5)
        assertScalars(s.tensor("own"), [-1.41421356, -1.41421356, 1.41421356, 1.41421356, 0, 0, 0, 0], shape: [4, 2], accuracy: 1e-5)
        assertScalars(s.tensor("given"), [-1, -1, 1, 1, 0, 0, 0, 0], shape: [4, 2])
        assertScalars(s.tensor("one"), [0, 4.5, 1, 14.5, 0.5, 9.5, 0.5, 9.5], shape: [4, 2])
        assertScalars(s.tensor("y"), [0, 1, 0, 1])
        XCTAssertEqual(try s.echo("normalize(d, 0, 4)"), "<dataset: 4 samples [2], 2 classes, normalized (mean 0, std 4)>")

        let e = s.error("normalize(d, 0)")
        XCTAssertEqual(e?.message, "normalize(): normalize takes mean and std together, or neither (then d's own statistics)")
        XCTAssertEqual(e?.range.start.column, 14)
        XCTAssertEqual(s.error("normalize(d, [1, 2, 3], 1)")?.message.contains("mean has 3 values, but the samples [2] have 2 channels"), true)
        XCTAssertEqual(s.error("normalize(d, 0, -1)")?.message.contains("std must be positive"), true)
        XCTAssertEqual(s.error("normalize(xor(), 0, 1, 2)") != nil, true)
    }
}
