import XCTest
@testable import MaplLang
import MaplNN

/// `show(x, model=m)`: the picture's event carries the model's class probabilities for that image.
final class ShowPredictionTests: XCTestCase {
    /// Runs `source` and returns the images it showed.
    private func images(_ s: ParsedSession, _ source: String) throws -> [ImageData] {
        var shown: [ImageData] = []
        s.interpreter.display = { if case .image(let i) = $0 { shown.append(i) } }
        try s.run(source)
        return shown
    }

    private let model = """
        m = flatten >> dense(4, 3)
        m.layers[1].W = [[1, 0, -1], [0, 2, 0], [0.5, 0.5, 0.5], [-1, 1, 0]]
        m.layers[1].b = [0.1, -0.2, 0.3]
        """

    func testProbabilitiesAreTheSoftmaxOfTheModelsScores() throws {
        let s = ParsedSession()
        try s.run(model)
        // x = [1, 0, 0.5, 1]: scores x·W + b = [0.35, 1.05, -0.45]; NumPy's softmax of them:
        let expected = [0.28876016, 0.58149153, 0.12974831]
        let shown = try images(s, "show([[1, 0], [0.5, 1]], model=m)")
        let p = try XCTUnwrap(shown.first?.probabilities)
        XCTAssertEqual(p.count, 3)
        for (a, b) in zip(p, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        XCTAssertEqual(shown.first?.predicted, 1)
        // Nothing else changed: the model is back in training mode and no gradient was recorded.
        XCTAssertNil(s.variable("m")?.grad)
    }

    func testADatasetSampleKeepsItsLabelAndGetsTheModelsGuess() throws {
        let s = ParsedSession()
        try s.run(model + "\nd = dataset([[[1, 0], [0.5, 1]], [[0, 1], [1, 0]]], [2, 1])")
        // Sample 1 is x = [0, 1, 1, 0]: scores [0.6, 2.3, 0.8]; NumPy: [0.12994861, 0.7113318, 0.15871959].
        let shown = try images(s, "show(d, 1, model=m)")
        let image = try XCTUnwrap(shown.first)
        XCTAssertEqual(image.label, "1")
        XCTAssertEqual(image.predicted, 1)
        for (a, b) in zip(image.probabilities ?? [], [0.12994861, 0.7113318, 0.15871959]) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testAModelEndingInSoftmaxOrSigmoidIsNotSquashedTwice() throws {
        let s = ParsedSession()
        try s.run(model)
        let soft = try images(s, "show([[1, 0], [0.5, 1]], model=m >> softmax)")
        for (a, b) in zip(soft.first?.probabilities ?? [], [0.28876016, 0.58149153, 0.12974831]) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        // One output: a probability of class 1 (a score outside [0, 1] goes through the sigmoid first).
        try s.run("b = flatten >> dense(4, 1)\nb.layers[1].W = [[0.5], [0], [0.6], [0]]\nb.layers[1].b = [0]")
        // x = [1, 0, 0.5, 1]: score 0.5 + 0.3 = 0.8, already in [0, 1].
        let one = try images(s, "show([[1, 0], [0.5, 1]], model=b)")
        XCTAssertEqual(one.first?.probabilities?[1] ?? 0, 0.8, accuracy: 1e-6)
        XCTAssertEqual(one.first?.probabilities?[0] ?? 0, 0.2, accuracy: 1e-6)
        // Score 1.6 → sigmoid(1.6) = 0.8320183851 (NumPy: 1 / (1 + exp(-1.6))).
        let big = try images(s, "show([[2, 0], [1, 2]], model=b)")
        XCTAssertEqual(big.first?.probabilities?[1] ?? 0, 0.8320183851, accuracy: 1e-6)
    }

    func testSoftmaxAtTheBoundaries() {
        XCTAssertTrue(Seeing.probabilities([1, .nan, 2]).allSatisfy(\.isNaN))
        XCTAssertEqual(Seeing.probabilities([.infinity, 0, .infinity]), [0.5, 0, 0.5])
        XCTAssertTrue(Seeing.probabilities([-.infinity, -.infinity]).allSatisfy(\.isNaN))
        // Large scores do not overflow (the maximum is subtracted first): softmax([1000, 999]) = [0.7310586, 0.2689414].
        let p = Seeing.probabilities([1000, 999])
        XCTAssertEqual(p[0], 0.7310585786, accuracy: 1e-9)
        XCTAssertEqual(p[1], 0.2689414214, accuracy: 1e-9)
    }

    func testAModelThatIsNotAMappingIsAPositionedError() throws {
        let s = ParsedSession()
        let e = s.error("show(zeros(2, 2), model=3)")
        XCTAssertEqual(e?.message, "show(): 'model' must be a mapping, got a number")
        XCTAssertEqual(e?.range.start.column, 19)
    }

    func testMaplRunPrintsThePredictionUnderThePicture() throws {
        let s = ParsedSession()
        try s.run(model)
        let lines = try s.lines("show([[1, 0], [0.5, 1]], model=m)")
        XCTAssertEqual(lines.count, 1 + 1 + 3)   // one picture row (two pixel rows), "predicted 1", three bars
        XCTAssertEqual(lines[1], "predicted 1")
        XCTAssertTrue(lines[2].hasPrefix("1 ") && lines[2].hasSuffix(" 0.581"), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("0 ") && lines[3].hasSuffix(" 0.289"), lines[3])
        XCTAssertTrue(lines[4].hasPrefix("2 ") && lines[4].hasSuffix(" 0.130"), lines[4])
    }
}
