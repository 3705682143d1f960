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
}
