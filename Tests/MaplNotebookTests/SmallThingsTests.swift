import XCTest
import Foundation
@testable import MaplLang
@testable import MaplNotebook

/// The small things of issue 18: Tab completes `:` commands and their arguments; `:help` keeps its columns
/// when wrapped; under --ascii the validation line is not drawn with the axis tick's character.
final class SmallThingsTests: XCTestCase {
    func testTabCompletesCommandsAndTheirArguments() {
        XCTAssertEqual(CommandCompletion.candidates(line: ":pa", word: "pa"), ["pane"])
        XCTAssertEqual(CommandCompletion.candidates(line: ":p", word: "p"), ["pane", "present"])
        XCTAssertEqual(CommandCompletion.candidates(line: ":pane ", word: ""), ["loss", "hist", "digits", "graph", "off", "auto"])
        XCTAssertEqual(CommandCompletion.candidates(line: ":pane lo", word: "lo"), ["loss"])
        XCTAssertEqual(CommandCompletion.candidates(line: ":pane loss l", word: "l"), ["log", "linear"])
        XCTAssertEqual(CommandCompletion.candidates(line: ":set s", word: "s"), ["show"])
        XCTAssertEqual(CommandCompletion.candidates(line: ":set show a", word: "a"), ["auto"])
        XCTAssertEqual(CommandCompletion.candidates(line: ":vars x", word: "x"), [])
        XCTAssertEqual(CommandCompletion.candidates(line: ":", word: "").map(\.count), CommandCompletion.commands.count)
        XCTAssertNil(CommandCompletion.candidates(line: "pa", word: "pa"))        // a cell: the session completes it
    }

    /// A `:help` note wider than the transcript wraps under its own text, not at the left border.
    func testHelpKeepsItsIndentationWhenWrapped() throws {
        var state = NotebookState(title: "mapl")
        state.note("keys: Enter runs a cell (it continues while it is incomplete) · Tab completes · Up/Down and Ctrl-R search history")
        state.note("      Ctrl-C stops a running cell or clears the line · Ctrl-D on an empty line quits · PgUp/PgDn scroll")
        let frame = NotebookRenderer.render(state, width: 80, height: 24)
        let first = try XCTUnwrap(frame.position(of: "keys: Enter"))
        // The rows under each note start at column 1 + 6 (after "keys: "), never at the border.
        let wrapped = frame.text[first.row + 1]
        XCTAssertTrue(wrapped.hasPrefix("│      ") && !wrapped.hasPrefix("│       "), frame.joined)
        let ctrlC = try XCTUnwrap(frame.position(of: "Ctrl-C stops"))
        XCTAssertEqual(ctrlC.column, 7)
        let next = frame.text[ctrlC.row + 1]
        XCTAssertTrue(next.hasPrefix("│      ") && !next.hasPrefix("│       "), frame.joined)
    }

    func testASCIIMarkersAreNotAxisCharacters() {
        let plot = LinePlot([LinePlot.Series(name: "batch", ys: [3, 2, 1]), LinePlot.Series(name: "epoch avg", ys: [3, 1.5, 1]),
                             LinePlot.Series(name: "val", ys: [2.5, 2, 1.8])])
        let lines = plot.render(width: 40, height: 12, ascii: true)
        let legend = try? XCTUnwrap(lines.last)
        XCTAssertEqual(legend?.trimmingCharacters(in: .whitespaces), "batch *  epoch avg o  val @")
        // The val series' marker appears in the body; "+" only on the axes.
        let body = lines.dropLast(3)
        XCTAssertTrue(body.contains { $0.contains("@") })
        for line in body { if let plus = line.firstIndex(of: "+") { XCTAssertTrue(line[..<plus].allSatisfy { $0 == " " || $0.isNumber || $0 == "." }, line) } }
    }

    /// The wheel as xterm reports it (SGR: 64 up, 65 down, 1-based x;y): decoded in the keys the notebook reads
    /// itself, and scrolling the transcript — or a graph when the pointer is over the pane.
    func testTheMouseWheelScrollsTheTranscriptAndThePane() throws {
        XCTAssertEqual(Key.decode(Array("\u{1B}[<64;10;5M".utf8)[...]), [.wheel(up: true, x: 9, y: 4)])
        XCTAssertEqual(Key.decode(Array("\u{1B}[<65;100;2M".utf8)[...]), [.wheel(up: false, x: 99, y: 1)])
        XCTAssertEqual(Key.decode(Array("\u{1B}[<0;10;5M".utf8)[...]), [.unknown])         // a click
        XCTAssertNil(MouseWheel.parse("64;10M"))
        XCTAssertTrue(MouseWheel.parse("80;3;4M")?.up == true)                                 // with Ctrl held (16)

        var state = NotebookState(title: "mapl")
        for k in 1...60 { state.note("line \(k)") }
        _ = NotebookRenderer.render(state, width: 120, height: 36)
        state.wheel(up: true, x: 10, y: 10, width: 120, height: 36)
        XCTAssertEqual(state.scrollOffset, 3)
        state.wheel(up: false, x: 10, y: 10, width: 120, height: 36)
        XCTAssertEqual(state.scrollOffset, 0)
        // A long graph in the pane (right of the transcript at 120 columns): the wheel over it scrolls it.
        let driver = SessionDriver()
        state.apply(driver.run("x = param([1.0])\ny = x\nfor i in 1..40 { y = y * 2 + 1 }\ngraph(sum(y))"))
        XCTAssertEqual(state.pane, .graph)
        _ = NotebookRenderer.render(state, width: 120, height: 36)
        state.wheel(up: false, x: 100, y: 10, width: 120, height: 36)
        XCTAssertEqual(state.paneScroll, 3)
        XCTAssertEqual(state.scrollOffset, 0)
    }
}
