import XCTest
import Foundation
import MaplLang
import MaplRuntime
@testable import MaplNotebook

/// What `:save FILE.mapl` writes from a real session, and that the file replays as the session ran.
final class SessionRecordTests: XCTestCase {
    func testTheSavedFileKeepsCellsRequestsCommandsAndFailuresAndReadsBack() {
        let driver = SessionDriver()
        var record = SessionRecord()
        func run(_ events: [DisplayEvent]) { for e in events { record.apply(e) } }
        run(driver.run("trace = 1; w = param([1.0, -2.0])\nL = sum(w * w * 3)"))
        record.record(.command(":pane hist w", during: false), running: false)
        driver.session.step(expression: "L", quiz: true)
        run(driver.events())
        run(driver.run("y = nope + 1"))
        record.record(.command(":pane next", during: false), running: false)
        run(driver.run("print(trace)"))
        record.record(.command(":clear", during: false), running: false)

        XCTAssertEqual(record.mapl, """
            # saved from the mapl notebook

            #@ cell of 2 lines
            trace = 1; w = param([1.0, -2.0])
            L = sum(w * w * 3)

            #@ :pane hist w
            #@ :step --quiz L
            trace(L, quiz=true)

            # [3] failed when it ran; kept as a comment:
            # y = nope + 1

            #@ :pane next
            print(trace)

            #@ :clear

            """)

        // Read back as a replay reads it: the request marks its cell, the commands come before theirs.
        let script = ReplayScript(text: record.mapl, path: "s.mapl")
        XCTAssertEqual(script.cells.map(\.source), ["trace = 1; w = param([1.0, -2.0])\nL = sum(w * w * 3)", "trace(L, quiz=true)",
                                                    "# [3] failed when it ran; kept as a comment:\n# y = nope + 1\n\nprint(trace)"])
        XCTAssertEqual(script.cells[1].actions.compactMap(\.request), [.step(expression: "L", quiz: true)])
        XCTAssertEqual(script.cells[1].actions.first, .command(":pane hist w", during: false))
        XCTAssertEqual(script.cells[2].actions, [.command(":pane next", during: false)])
        XCTAssertEqual(script.trailing, [.command(":clear", during: false)])
        XCTAssertTrue(Annotations.repeatsActions(record.mapl), "a file with a request runs cell by cell")
    }

    /// A command typed while a cell runs belongs to that cell, marked so; after it ended, to the next.
    func testCommandsGoWithTheCellRunningOrTheNext() {
        var record = SessionRecord()
        record.apply(.cellStarted(CellInfo(number: 1, source: "fit(m, d)", origin: "<cell 1>", firstLine: 1)))
        record.record(.command(":pane loss", during: true), running: true)
        record.apply(.cellEnded(CellEnd(number: 1, outcome: .ok, seconds: 1)))
        record.record(.command(":pane hist w", during: false), running: true)
        XCTAssertEqual(record.cells.map(\.actions), [[.command(":pane loss", during: true)]])
        XCTAssertEqual(record.commandsForNextCell, [.command(":pane hist w", during: false)])
    }
}
