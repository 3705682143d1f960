import XCTest
@testable import MaplNN

/// Metrics on a hand-made 3-class example:
///     true = [0, 0, 1, 1, 2, 2, 2],  pred = [0, 1, 1, 1, 2, 0, 2]
/// Confusion (rows true): [[1,1,0],[0,2,0],[1,0,2]]. Per class (tp, fp, fn): 0:(1,1,1) 1:(2,1,0) 2:(2,0,1).
/// precision = [1/2, 2/3, 1], recall = [1/2, 1, 2/3], F1 = [1/2, 4/5, 4/5] (2pr/(p+r)).
final class MetricTests: XCTestCase {
    let truth = Tensor([0, 0, 1, 1, 2, 2, 2])
    let labels = Tensor([0, 1, 1, 1, 2, 0, 2])

    /// Scores whose argmax is `labels`.
    var scores: Tensor {
        var s = Tensor(repeating: 0, shape: [7, 3])
        for (i, k) in labels.scalars.enumerated() { s.scalars[i * 3 + Int(k)] = 2.5; s.scalars[i * 3 + (Int(k) + 1) % 3] = -1 }
        return s
    }

    func testAccuracy() throws {
        XCTAssertEqual(try Metrics.accuracy(labels, truth), 5 / 7, accuracy: 1e-6)
        XCTAssertEqual(try Metrics.accuracy(scores, truth), 5 / 7, accuracy: 1e-6)
        XCTAssertEqual(try Metrics.accuracy(scores, try Tensor.onehot(truth, 3)), 5 / 7, accuracy: 1e-6)
        // A probability column against 0/1 targets: 0.7→1 ✓, 0.2→0 ✓, 0.5→1 ✗, 0.4→0 ✓
        let probs = try Tensor(shape: [4, 1], scalars: [0.7, 0.2, 0.5, 0.4])
        XCTAssertEqual(try Metrics.accuracy(probs, try Tensor(shape: [4, 1], scalars: [1, 0, 0, 0])), 0.75)
        XCTAssertThrowsError(try Metrics.accuracy(labels, Tensor([0, 1])))
    }

    func testMacroPrecisionRecallF1() throws {
        XCTAssertEqual(try Metrics.precision(scores, truth), (0.5 + 2.0 / 3 + 1) / 3, accuracy: 1e-6)
        XCTAssertEqual(try Metrics.recall(scores, truth), (0.5 + 1 + 2.0 / 3) / 3, accuracy: 1e-6)
        XCTAssertEqual(try Metrics.f1(scores, truth), (0.5 + 0.8 + 0.8) / 3, accuracy: 1e-6)
        // A class predicted but absent from the truth counts with precision 0 and recall 0 (sklearn).
        XCTAssertEqual(try Metrics.precision(Tensor([0, 1]), Tensor([0, 0])), 0.5, accuracy: 1e-6)
    }

    func testConfusion() throws {
        let m = try Metrics.confusion(scores, truth)
        XCTAssertEqual(m.shape, [3, 3])
        XCTAssertEqual(m.scalars, [1, 1, 0, 0, 2, 0, 1, 0, 2])
        XCTAssertEqual(try Metrics.confusion(Tensor([0]), Tensor([0]), classes: 2).scalars, [1, 0, 0, 0])
        XCTAssertThrowsError(try Metrics.confusion(labels, truth, classes: 2))
    }
}
