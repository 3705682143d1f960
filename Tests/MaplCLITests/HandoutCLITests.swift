import XCTest
import Foundation
import MaplTestSupport

/// `mapl run FILE --handout OUT.md`: the lecture as Markdown — chapters, code, outputs and the stepper's walk —
/// its numbers checked against NumPy; a quiz handout's blanks and key; pictures as PNG files.
extension CLITests {
    private static let handoutRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A fresh folder for a handout and its pictures.
    private func handoutFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("handout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// The backprop lecture's chapters 1–4 (chapter 5 trains on MNIST, which is not what this checks), each
    /// `edits` pair replaced in it.
    private func lecture(in dir: URL, edits: [(String, String)] = []) throws -> String {
        var text = try String(contentsOf: Self.handoutRoot.appendingPathComponent("sessions/11-backprop-lecture.mapl"), encoding: .utf8)
        let end = try XCTUnwrap(text.range(of: "## 5."), "the lecture's chapter 5 moved")
        text = String(text[..<end.lowerBound])
        for (old, new) in edits {
            XCTAssertNotNil(text.range(of: old), "the lecture has no \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        let path = dir.appendingPathComponent("lecture.mapl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Every number written in `text`.
    private func handoutNumbers(_ text: Substring) -> [Double] {
        let regex = try! NSRegularExpression(pattern: "-?[0-9]+(\\.[0-9]+)?(e-?[0-9]+)?")
        let s = String(text)
        return regex.matches(in: s, range: NSRange(s.startIndex..., in: s)).compactMap { Range($0.range, in: s).map { Double(s[$0]) } ?? nil }
    }

    /// The numbers after the last ` = ` of the first line that contains every one of `marks`.
    private func handoutValue(in lines: [String], after marks: [String], startingAt from: Int = 0) throws -> [Double] {
        let line = try XCTUnwrap(lines[from...].first { l in marks.allSatisfy { l.contains($0) } }, "no line with \(marks)")
        let tail = try XCTUnwrap(line.range(of: " = ", options: .backwards), line)
        return handoutNumbers(line[tail.upperBound...])
    }

    private func assertHandoutClose(_ got: [Double], _ want: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, "\(what): \(got) vs NumPy's \(want)", file: file, line: line)
        for (g, w) in zip(got, want) {
            // The walk prints four significant decimals.
            XCTAssertEqual(g, w, accuracy: 1e-4 + 1e-3 * abs(w), "\(what): \(got) vs NumPy's \(want)", file: file, line: line)
        }
    }

    func testTheLecturesHandoutHasItsChaptersCodeAndAWalkWhoseNumbersNumPyGives() throws {
        let dir = try handoutFolder()
        let out = dir.appendingPathComponent("lecture.md").path
        let r = try mapl(["run", try lecture(in: dir), "--handout", out])
        XCTAssertEqual(r.status, 0, r.err)
        let md = try String(contentsOfFile: out, encoding: .utf8)
        let lines = md.components(separatedBy: "\n")

        // Chapters from the `## ` comments, in order, and each cell's code in a fenced block.
        let chapters = lines.filter { $0.hasPrefix("## ") }
        XCTAssertEqual(chapters.count, 4, "\(chapters)")
        XCTAssertTrue(chapters.first?.hasPrefix("## 1. The worked example") ?? false, "\(chapters)")
        XCTAssertTrue(md.contains("```mapl\nx = [0.5, 0.1]\n") && md.contains("\nz = W.T @ x + b "), md)
        XCTAssertTrue(md.contains("```mapl\ntrace(L)\n```"), md)
        // print's output under its cell.
        XCTAssertTrue(md.contains("```text\nz = "), md)

        // The walk: forward then backward, with the rule in symbols and the numbers plugged in.
        let walk = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("trace(L):") }, md)
        let backwardStart = try XCTUnwrap(lines[walk...].firstIndex { $0.hasPrefix("backward 1/") }, md)
        XCTAssertNotNil(lines[walk..<backwardStart].firstIndex { $0.hasPrefix("forward 1/") })
        XCTAssertTrue(lines[backwardStart...].contains { $0.contains("sigmoid: ∂σ/∂x = σ·(1−σ)") }, md)
        XCTAssertTrue(lines[backwardStart...].contains { $0.contains("0.5915·0.4085") }, md)

        let zNode = try XCTUnwrap(lines[walk...].firstIndex { $0.hasPrefix("node") && $0.contains("z = W.T @ x + b") }, md)
        let z = handoutNumbers(try XCTUnwrap(lines[zNode...].first { $0.hasPrefix("value") })[...])
        let dz = try handoutValue(in: lines, after: ["flows", "∂L/∂z = "], startingAt: backwardStart)
        let dW = try handoutValue(in: lines, after: ["∂L/∂W = "], startingAt: backwardStart)

        let numpy = try NumPy.run("""
            import numpy as np
            x = np.array([0.5, 0.1]); W = np.array([[0.1, 0.4], [0.2, 0.9]]); b = np.array([0.3, 0.2]); y = np.array([1.0, 0.0])
            z = W.T @ x + b
            yhat = 1 / (1 + np.exp(-z))
            dz = (yhat - y) * yhat * (1 - yhat)   # L = ½‖ŷ − y‖²
            dW = np.outer(x, dz)
            for a in (z, dz, dW.ravel()): print(" ".join(repr(float(v)) for v in a))
            """).split(separator: "\n").map { $0.split(separator: " ").compactMap { Double($0) } }
        assertHandoutClose(z, numpy[0], "z")
        assertHandoutClose(dz, numpy[1], "∂L/∂z")
        assertHandoutClose(dW, numpy[2], "∂L/∂W")
        // No quiz here: no blanks, no key.
        XCTAssertFalse(md.contains("______") || md.contains("## Answer key"), md)
    }

    func testAQuizHandoutLeavesTheAnswersBlankAndKeysThemAtTheEnd() throws {
        let dir = try handoutFolder()
        let out = dir.appendingPathComponent("quiz.md").path
        // The worked example's walk is the quiz; the x * x example's walk (chapter 3) is not.
        let r = try mapl(["run", try lecture(in: dir, edits: [("trace(L)", "trace(L, quiz=true)")]), "--handout", out])
        XCTAssertEqual(r.status, 0, r.err)
        let md = try String(contentsOfFile: out, encoding: .utf8)
        let keyStart = try XCTUnwrap(md.range(of: "## Answer key"), md)
        let chapter3 = try XCTUnwrap(md.range(of: "## 3."), md)
        let walkStart = try XCTUnwrap(md.range(of: "\ntrace(L): "), md)
        // The walk's block (the lecture's asserts below it spell out the gradients, as the lecture wrote them).
        let walkEnd = try XCTUnwrap(md.range(of: "\n```", range: walkStart.upperBound..<chapter3.lowerBound), md)
        let walks = md[walkStart.lowerBound..<walkEnd.lowerBound], key = md[keyStart.upperBound...]
        XCTAssertFalse(md[chapter3.lowerBound..<keyStart.lowerBound].contains("______"), "only the quiz trace has blanks")
        XCTAssertTrue(md[chapter3.lowerBound..<keyStart.lowerBound].contains("(share 2 of 2)"))

        // The walk asks: the flowing gradient's numbers are a numbered blank; the rule and the names stay.
        let dzLine = try XCTUnwrap(walks.split(separator: "\n").first { $0.hasPrefix("flows") && $0.contains("∂L/∂z = ") }, String(walks))
        XCTAssertTrue(dzLine.contains("______"), String(dzLine))
        XCTAssertTrue(walks.contains("sigmoid: ∂σ/∂x = σ·(1−σ)"))
        XCTAssertFalse(walks.contains("-0.0987"), "∂L/∂z's numbers are left out of the walk")
        XCTAssertFalse(walks.contains("0.5915·0.4085"), "the rule's numbers are left out of the walk")
        XCTAssertTrue(walks.contains("upstream ∂L/∂z = ______\n"), "an upstream gradient is an earlier answer")
        let marker = try XCTUnwrap(dzLine.range(of: "\\[[0-9]+\\]$", options: .regularExpression), String(dzLine))
        let n = String(dzLine[marker])

        // The key answers that blank with the numbers, and has as many answers as the walks have blanks.
        let answer = try XCTUnwrap(key.split(separator: "\n").first { $0.hasPrefix(n + " ") }, String(key))
        XCTAssertTrue(answer.contains("∂L/∂z = ") && answer.contains("-0.0987") && answer.contains("0.1461"), String(answer))
        let blanks = walks.split(separator: "\n").filter { $0.range(of: "  \\[[0-9]+\\]$", options: .regularExpression) != nil }.count
        let answers = key.split(separator: "\n").filter { $0.range(of: "^\\[[0-9]+\\] ", options: .regularExpression) != nil }.count
        XCTAssertGreaterThan(blanks, 10)
        XCTAssertEqual(blanks, answers)
    }

    func testImagesAreWrittenAsPNGFilesBesideTheHandout() throws {
        let dir = try handoutFolder()
        let source = dir.appendingPathComponent("pictures.mapl").path
        try "## Pictures\nW = [[0, 1, 2], [3, 4, 5]]\nheatmap(W)\n".write(toFile: source, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("pics.md").path
        let r = try mapl(["run", source, "--handout", out, "--images"])
        XCTAssertEqual(r.status, 0, r.err)
        let md = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(md.contains("](pics-1.png)"), md)
        XCTAssertTrue(md.contains("## Pictures"), md)
        // Unicode shades in the Markdown too, never colour escapes.
        XCTAssertTrue(md.contains("█"), md)
        XCTAssertFalse(md.contains("\u{1B}"), md)

        // pypng (a decoder written by others) reads the file back: 3×2, grey, 8 bits, black at W's least value,
        // white at its greatest.
        let png = dir.appendingPathComponent("pics-1.png").path
        let decoded = try NumPy.run("""
            import png
            w, h, rows, info = png.Reader(filename=\(String(reflecting: png))).read()
            print(w, h, info["bitdepth"], "grey" if info["greyscale"] else "colour", [list(r) for r in rows])
            """)
        XCTAssertEqual(decoded.trimmingCharacters(in: .whitespacesAndNewlines), "3 2 8 grey [[0, 51, 102], [153, 204, 255]]")
    }

    func testWithQuizEveryTraceOfTheHandoutIsAQuiz() throws {
        let dir = try handoutFolder()
        let source = dir.appendingPathComponent("q.mapl").path
        try "v = param([3.0])\ntrace(sum(v * v))\nw = param([2.0])\ntrace(sum(w * 5))\n".write(toFile: source, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("q.md").path
        let r = try mapl(["run", source, "--handout", out, "--quiz"])
        XCTAssertEqual(r.status, 0, r.err)
        let md = try String(contentsOfFile: out, encoding: .utf8)
        let parts = md.components(separatedBy: "## Answer key")
        XCTAssertEqual(parts.count, 2, md)
        // v's shares 1·3 and 3·1, d(5w)/dw = 5: answers in the key, blanks in both walks.
        XCTAssertEqual(parts[0].components(separatedBy: "Quiz: fill in").count - 1, 2, parts[0])
        XCTAssertFalse(parts[0].contains("[3.]  (share") || parts[0].contains("= [5.]") || parts[0].contains("[6.]"), parts[0])
        XCTAssertTrue(parts[1].contains("= [3.]  (share 1 of 2)") && parts[1].contains("= [3.]  (share 2 of 2)") && parts[1].contains("= [5.]"), parts[1])
    }

    func testAHandoutStopsAtTheFirstErrorWithItsReport() throws {
        let dir = try handoutFolder()
        let source = dir.appendingPathComponent("bad.mapl").path
        try "x = [1, 2]\nprint(sum(x))\ny = nothing_here + 1\nprint(\"never\")\n".write(toFile: source, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("bad.md").path
        let r = try mapl(["run", source, "--handout", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("bad.mapl:3:5"), r.err)
        let md = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(md.contains("```text\n3\n```"), md)
        XCTAssertTrue(md.contains("y = nothing_here + 1\n```\n\n```text\n") && md.contains("bad.mapl:3:5"), md)
        XCTAssertFalse(md.contains("never"), md)
    }

    func testACastNeedsASizeItCanDrawAndNoPause() throws {
        let path = try file("print(1)\n")
        let big = try mapl(["replay", path, "--cast", path + ".cast", "--size", "5000x2"])
        XCTAssertEqual(big.status, 2)
        XCTAssertTrue(big.err.contains("--size takes COLUMNSxROWS"), big.err)
        let paused = try mapl(["replay", path, "--cast", path + ".cast", "--pause"])
        XCTAssertEqual(paused.status, 2)
        XCTAssertTrue(paused.err.contains("leave out --pause"), paused.err)
    }

    func testQuizAndImagesNeedAHandout() throws {
        let r = try mapl(["run", try file("print(1)\n"), "--quiz"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.err.contains("--handout"), r.err)
    }
}
