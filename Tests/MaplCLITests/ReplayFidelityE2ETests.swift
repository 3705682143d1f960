import Foundation
import XCTest
import MaplTestSupport

/// A session recorded in the real notebook — an MNIST fit paused with F4, `:next 3`, `:continue`, Ctrl-C
/// mid-epoch, `:pane hist …`, a quiz trace — saved as `.mapl` and `.jsonl`, replayed from both with
/// `--pause`: the screens show the recording's numbers (where the pause fell, the loss there, the batches
/// trained when Ctrl-C came, the weights at the end); `--rerun-check` passes on both and names the cell of
/// a doctored copy.
final class ReplayFidelityE2ETests: XCTestCase {
    private func notebook(_ arguments: String, directory: String? = nil) throws -> TmuxDriver {
        try TmuxDriver("\(TmuxDriver.quote(TmuxDriver.mapl)) \(arguments)", width: 120, height: 40, directory: directory,
                       environment: ["MAPL_HISTORY": "history", "MAPL_JOURNAL": "journal.jsonl"])
    }

    /// The transcript's text with its wrapped lines joined (the column left of the pane, borders dropped).
    private func transcript(_ screen: String) -> String {
        let rows = screen.split(separator: "\n").map { row -> String in
            let parts = row.split(separator: "│", omittingEmptySubsequences: false)
            return parts.count > 1 ? String(parts[1]) : ""
        }
        return rows.joined(separator: " ").split(separator: " ").joined(separator: " ")
    }

    /// The last match of `pattern` in the transcript: its groups.
    private func last(_ pattern: String, in screen: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        let text = transcript(screen)
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).last else {
            XCTFail("no '\(pattern)' in:\n\(text)", file: file, line: line)
            return []
        }
        return (1..<match.numberOfRanges).map { String(text[Range(match.range(at: $0), in: text)!]) }
    }

    /// Waits until the transcript shows `pattern`; its last match's groups.
    private func waitForMatch(_ t: TmuxDriver, _ pattern: String, timeout: Double = 30, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        let regex = try? NSRegularExpression(pattern: pattern)
        let screen = t.waitFor("'\(pattern)'", timeout: timeout, file: file, line: line) { screen in
            let text = self.transcript(screen)
            return regex?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        return last(pattern, in: screen, file: file, line: line)
    }

    private static let paused = #"training paused before batch (\d+)/938 of epoch (\d+)/50 \(its loss now (\d+\.\d+)\)"#
    private static let stepped = #"\] resume\(training, batches=3\) paused before batch (\d+)/938 of epoch (\d+)/50 \(its loss now (\d+\.\d+)\)"#
    private static let stopped = #"training stopped by the user after (\d+) batches"#
    private static let result = #"result (\d+) (-?\d+\.\d+)"#

    /// What the screens showed, in order.
    private struct Numbers: Equatable {
        var paused: [String] = [], stepped: [String] = [], stopped: [String] = [], result: [String] = []
    }

    private func record(in directory: String) throws -> Numbers {
        let t = try notebook("", directory: directory)
        var n = Numbers()
        t.waitFor("[1]>")
        try t.enter("seed(1); train = mnist(\"train\"); m = flatten >> dense(784, 64) >> relu >> dense(64, 10)")
        t.waitFor("[2]>", timeout: 60)
        try t.enter("h = fit(m, train, epochs=50)")
        t.waitFor("the progress line", timeout: 60) { $0.contains("/938") && $0.contains("ETA") }
        try t.press("F4")
        n.paused = last(Self.paused, in: t.waitFor("training paused: :next", timeout: 20))
        try t.enter(":next 3")
        n.stepped = waitForMatch(t, Self.stepped)
        try t.enter(":continue")
        t.waitFor("the continued run's progress", timeout: 30) { $0.contains("/938") && $0.contains("ETA") && $0.contains("[4] resume(training)") }
        try t.press("C-c")                                          // mid-epoch
        n.stopped = last(Self.stopped, in: t.waitFor("interrupted (the names", timeout: 20))
        try t.enter(":pane hist m.layers[1].W")
        t.waitFor("n = 50176")                                      // 784 × 64 weights
        try t.enter("w = param([1.0, -2.0]); L = sum(w * w * 3)")
        try t.enter(":step --quiz L")
        t.waitFor("─ quiz")
        try t.press("q")                                            // closes the stepper
        try t.press("F2")                                           // the next pane
        try t.enter("print(\"result\", len(h.batch_loss), sum(m.layers[1].W))")
        n.result = waitForMatch(t, Self.result)
        try t.enter(":save lesson.mapl")
        try t.enter(":save lesson.jsonl")
        t.waitFor("saved the journal")
        try t.press("C-d")
        return n
    }

    /// Plays `file` with --pause, a key per cell, reading the same numbers off the screen.
    private func replay(_ file: String, in directory: String, stopAndGoOn: Bool) throws -> Numbers {
        let t = try notebook("replay --pause --speed 0 \(file)", directory: directory)
        var n = Numbers()
        func next(_ k: Int) throws -> String {
            try t.press("n")
            return t.waitFor("replay \(k + 1)/7 · Enter/n next", timeout: 120)    // cell k ended
        }
        t.waitFor("replay 1/7")
        _ = try next(1)
        n.paused = last(Self.paused, in: try next(2))
        n.stepped = last(Self.stepped, in: try next(3))
        n.stopped = last(Self.stopped, in: try next(4))
        // The :pane choice made after that cell comes back as the next one is typed.
        let fifth = try next(5)
        XCTAssertTrue(fifth.contains("replay: :pane hist m.layers[1].W"), fifth)
        XCTAssertTrue(fifth.contains("n = 50176"), fifth)
        try t.press("n")                                            // trace(L, quiz=true): the quiz walk opens
        t.waitFor("─ quiz", timeout: 30)
        try t.press("q")                                            // q closes the stepper …
        t.waitFor("stepper closed") { !$0.contains("─ quiz") }
        try t.press("q")                                            // … and never stops the replay
        t.waitFor("X stops the replay (q closes the stepper)")
        if stopAndGoOn {
            try t.press("X")
            t.waitFor(":replay goes on")
            try t.enter(":replay")
            t.waitFor("replay 7/7 · Enter/n next")
        }
        try t.press("n")                                            // F2 (:pane next) comes back before the last cell
        t.waitFor("replay: :pane next")
        n.result = last(Self.result, in: t.waitFor("replay finished", timeout: 30))
        return n
    }

    private func rerunCheck(_ arguments: [String], in directory: String) throws -> (status: Int32, output: String) {
        let r = try Subprocess.run([TmuxDriver.mapl, "replay", "--rerun-check"] + arguments, directory: directory)
        return (r.status, r.output)
    }

    func testAPausedSteppedContinuedAndInterruptedMNISTSessionReplaysAsRecorded() throws {
        _ = try RealData.mnistData()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-replay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let recorded = try record(in: directory)
        XCTAssertEqual(recorded.stepped.first.map { Int($0) }, recorded.paused.first.map { Int($0)! + 3 }, "three batches after the pause")

        // The .mapl holds what the user did as annotations.
        let mapl = try String(contentsOfFile: directory + "/lesson.mapl", encoding: .utf8)
        XCTAssertTrue(mapl.contains("#@ pause before epoch \(recorded.paused[1]) batch \(recorded.paused[0])\nh = fit("), mapl)
        XCTAssertTrue(mapl.contains("#@ interrupt after epoch "), mapl)
        XCTAssertTrue(mapl.contains("#@ :pane hist m.layers[1].W\n"), mapl)
        XCTAssertTrue(mapl.contains("\ntrace(L, quiz=true)\n"), mapl)
        XCTAssertTrue(mapl.contains("#@ :pane next\nprint("), mapl)
        XCTAssertFalse(mapl.contains("stop(training)"), mapl)

        for file in ["lesson.mapl", "lesson.jsonl"] {
            let replayed = try replay(file, in: directory, stopAndGoOn: file == "lesson.mapl")
            XCTAssertEqual(replayed, recorded, "replaying \(file)")
        }

        var check = try rerunCheck(["lesson.jsonl"], in: directory)
        XCTAssertEqual(check.status, 0, check.output)
        XCTAssertTrue(check.output.hasPrefix("rerun check passed: 7 cells"), check.output)
        check = try rerunCheck(["lesson.mapl", "--against", "lesson.jsonl"], in: directory)
        XCTAssertEqual(check.status, 0, check.output)

        // Doctored: the recorded result off by one batch; and the saved file stepping four batches, not three.
        let journal = try String(contentsOfFile: directory + "/lesson.jsonl", encoding: .utf8)
        let count = recorded.result[0]
        try journal.replacingOccurrences(of: "\"result \(count) ", with: "\"result \(Int(count)! + 1) ")
            .write(toFile: directory + "/doctored.jsonl", atomically: true, encoding: .utf8)
        check = try rerunCheck(["doctored.jsonl"], in: directory)
        XCTAssertEqual(check.status, 1, check.output)
        XCTAssertTrue(check.output.hasPrefix("rerun check failed: cell 7 (print(\"result\""), check.output)
        try mapl.replacingOccurrences(of: "batches=3", with: "batches=4").write(toFile: directory + "/doctored.mapl", atomically: true, encoding: .utf8)
        check = try rerunCheck(["doctored.mapl", "--against", "lesson.jsonl"], in: directory)
        XCTAssertEqual(check.status, 1, check.output)
        XCTAssertTrue(check.output.hasPrefix("rerun check failed: cell 3 (resume(training, batches=4))"), check.output)
    }
}
