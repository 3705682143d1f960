import Foundation
import XCTest
import MaplTestSupport

/// `mapl replay FILE --cast OUT.cast`: the recording read by asciinema's own reader (PyPI `asciinema`), its
/// output replayed through the VT emulator `pyte` (PyPI), ends on the screen the notebook shows at the end
/// of the same replay in tmux.
final class CastE2ETests: XCTestCase {
    /// The backprop lecture's chapters 1–3 (the worked example forward and backward, `x * x`): typed, run,
    /// two walks opened in the stepper.
    private func lecture(in dir: String) throws -> (path: String, chapters: [String]) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("sessions/11-backprop-lecture.mapl"), encoding: .utf8)
        let end = try XCTUnwrap(text.range(of: "## 4."), "the lecture's chapter 4 moved")
        let kept = String(text[..<end.lowerBound])
        try kept.write(toFile: dir + "/lecture.mapl", atomically: true, encoding: .utf8)
        let chapters = kept.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
        return ("lecture.mapl", chapters)
    }

    /// pyte's screen after every "o" event, with the header and the markers, as asciinema reads the file.
    static let pyteScript = #"""
import sys, json, pyte
from asciinema import asciicast

class Screen(pyte.Screen):
    # pyte lacks SU and SD (CSI n S, CSI n T: scroll the margins up or down n lines, the cursor staying),
    # which xterm, tmux and asciinema's players have and ncurses uses for xterm-256color: taught here as n
    # index / reverse-index at the margin, pyte's own scrolling.
    def scroll_up(self, count=None):
        top, bottom = self.margins or pyte.screens.Margins(0, self.lines - 1)
        x, y = self.cursor.x, self.cursor.y
        self.cursor.y = bottom
        for _ in range(count or 1): self.index()
        self.cursor.x, self.cursor.y = x, y
    def scroll_down(self, count=None):
        top, bottom = self.margins or pyte.screens.Margins(0, self.lines - 1)
        x, y = self.cursor.x, self.cursor.y
        self.cursor.y = top
        for _ in range(count or 1): self.reverse_index()
        self.cursor.x, self.cursor.y = x, y

class Stream(pyte.Stream):
    csi = dict(pyte.Stream.csi, S="scroll_up", T="scroll_down")
    events = pyte.Stream.events | {"scroll_up", "scroll_down"}

with asciicast.open_from_url(CAST_PATH) as cast:
    h = cast.v2_header
    screen = Screen(h["width"], h["height"])
    stream = Stream(screen)
    markers = []
    for t, kind, data in cast.events():
        if kind == "o": stream.feed(data)
        elif kind == "m": markers.append(data)
print(json.dumps({"width": h["width"], "height": h["height"], "title": h.get("title"), "markers": markers,
                  "screen": [line.rstrip() for line in screen.display]}))
"""#

    func testTheCastReplayedThroughPyteEndsOnTheNotebooksScreenAndMarksEachChapter() throws {
        let probe = try NumPy.run("import importlib.util as u; print(all(u.find_spec(m) for m in ('asciinema', 'pyte')))")
        guard probe.hasPrefix("True") else {
            try RealData.unavailable("the asciinema and pyte Python packages are not installed (bash .ci/deps puts them in .venv-ci)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-cast-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        let (file, chapters) = try lecture(in: dir)

        let record = Process()
        record.executableURL = URL(fileURLWithPath: TmuxDriver.mapl)
        record.arguments = ["replay", file, "--cast", "lecture.cast", "--size", "120x36", "--speed", "0", "--delay", "0.2"]
        record.currentDirectoryURL = URL(fileURLWithPath: dir)
        record.environment = ["HOME": dir, "LANG": "C.UTF-8", "MAPL_HISTORY": "history", "MAPL_JOURNAL": "journal.jsonl",
                              "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let errors = Pipe()
        record.standardError = errors
        try record.run()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        record.waitUntilExit()
        XCTAssertEqual(record.terminationStatus, 0, errorText)

        let script = Self.pyteScript.replacingOccurrences(of: "CAST_PATH", with: String(reflecting: dir + "/lecture.cast"))
        let output = try NumPy.run(script)
        let cast = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], output)
        XCTAssertEqual(cast["width"] as? Int, 120)
        XCTAssertEqual(cast["height"] as? Int, 36)
        XCTAssertEqual(cast["title"] as? String, "lecture.mapl")
        XCTAssertEqual(cast["markers"] as? [String], chapters)
        let recorded = try XCTUnwrap(cast["screen"] as? [String])

        // The same replay in tmux, at its end.
        let t = try TmuxDriver("\(TmuxDriver.quote(TmuxDriver.mapl)) replay \(file) --speed 0 --delay 0.2", width: 120, height: 36,
                               directory: dir, environment: ["MAPL_HISTORY": "history", "MAPL_JOURNAL": "journal2.jsonl"])
        t.waitFor("replay finished", timeout: 60)
        let shown = t.screen().components(separatedBy: "\n").map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
        func trimmed(_ lines: [String]) -> [String] { Array(lines.reversed().drop { $0.isEmpty }.reversed()) }
        XCTAssertEqual(trimmed(recorded), trimmed(shown), "pyte's last frame:\n\(recorded.joined(separator: "\n"))\ntmux:\n\(shown.joined(separator: "\n"))")
        XCTAssertTrue(recorded.contains { $0.contains("trace(s) ─") }, "the last walk is open in the stepper")
    }
}
