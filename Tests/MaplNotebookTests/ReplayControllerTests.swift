import XCTest
import Foundation
import MaplLang
import MaplRuntime
@testable import MaplNotebook

/// How a replay plays in front of a class: comments show at once and only code is typed, `:save`'s header is
/// not typed, `--from N` starts at a cell, a stopped replay goes on, and the commands the user typed when it
/// was recorded come due where they were.
final class ReplayControllerTests: XCTestCase {
    private let saved = """
        # saved from the mapl notebook

        ## Data
        # two numbers
        x = 1

        #@ :pane hist w
        #@ while running: :pane loss
        #@ pause before epoch 1 batch 3
        #@ cell of 2 lines
        y = 2
        z = 3
        #@ :step --quiz
        """

    private func plan(from: Int = 1, speed: Double = 1) -> ReplayPlan {
        let script = ReplayScript(text: saved, path: "s.mapl")
        return ReplayPlan(cells: script.cells, pauseBeforeEach: false, delay: 0, speed: speed, from: from, trailing: script.trailing)
    }

    func testCommentsAndHeadingsShowAtOnceAndOnlyCodeIsTyped() throws {
        let r = ReplayController(plan: plan(), now: 0)
        // The save header is no part of the first cell; its comments are there before a key is typed.
        let first = try XCTUnwrap(r.typed(now: 0))
        XCTAssertEqual(first.lines, ["## Data", "# two numbers"])
        XCTAssertEqual(first.current, "")
        // Then the code, at 40 characters a second: "x = 1" takes 1/8 s.
        XCTAssertEqual(r.typed(now: 0.05)?.current, "x ")
        XCTAssertEqual(r.typed(now: 0.2)?.current, "x = 1")
        XCTAssertNil(r.tick(now: 0.2), "a short rest after the last character")
        XCTAssertEqual(r.tick(now: 0.3)?.source, "## Data\n# two numbers\nx = 1")
    }

    func testCommandsComeDueBeforeTheirCellWhileItRunsAndAtTheEnd() throws {
        let r = ReplayController(plan: plan(), now: 0)
        XCTAssertEqual(r.takeDueCommands(), [])
        _ = try XCTUnwrap(r.tick(now: 10))
        r.submitted(as: 1)
        r.cellEnded(1, now: 10)
        _ = r.tick(now: 10)                                     // the rest is over: the next cell comes up
        XCTAssertEqual(r.takeDueCommands(), [":pane hist w"], "typed before the cell: done before it is typed")
        let second = try XCTUnwrap(r.tick(now: 20))
        XCTAssertEqual(second.source, "y = 2\nz = 3", "#@ cell of 2 lines keeps a notebook cell whole")
        XCTAssertEqual(second.sessionActions, [SessionAction.pause(epoch: 1, batch: 3, call: 1)])
        r.submitted(as: 2)
        XCTAssertEqual(r.takeDueCommands(), [":pane loss"], "typed while the cell ran: done once it runs")
        r.cellEnded(2, now: 20)
        XCTAssertTrue(r.isFinished)
        XCTAssertEqual(r.takeDueCommands(), [":step --quiz"], "typed after the last cell")
    }

    func testWithPauseACellsCommandsComeWhenItsKeyIsPressed() throws {
        var p = plan()
        p.pauseBeforeEach = true
        let r = ReplayController(plan: p, now: 0)
        r.goOn(now: 0)
        _ = try XCTUnwrap(r.tick(now: 10))
        r.submitted(as: 1)
        r.cellEnded(1, now: 10)
        _ = r.tick(now: 10)
        XCTAssertEqual(r.phase, .waiting)
        XCTAssertEqual(r.takeDueCommands(), [], "nothing before the key")
        r.goOn(now: 11)
        XCTAssertEqual(r.takeDueCommands(), [":pane hist w"])
    }

    func testFromStartsAtACellWithTheOnesBeforeRunAtOnce() throws {
        let third = ReplayController(plan: plan(from: 3), now: 0)
        XCTAssertEqual(third.cellsBeforeStart.count, 2)
        XCTAssertEqual(third.takeDueCommands(), [":pane hist w", ":pane loss", ":step --quiz"], "the skipped cells bring their commands; then it finishes")
        let s = ReplayController(plan: plan(from: 2), now: 0)
        XCTAssertEqual(s.cellsBeforeStart.map(\.source), ["## Data\n# two numbers\nx = 1"])
        XCTAssertEqual(s.takeDueCommands(), [":pane hist w"], "the cell it starts at: as its typing starts")
        let r = s
        XCTAssertEqual(r.tick(now: 10)?.source.hasPrefix("y = 2"), true)
    }

    func testAStoppedReplayGoesOnAndSaysWhichKeyStopsIt() throws {
        let r = ReplayController(plan: plan(), now: 0)
        XCTAssertTrue(r.status.contains("X stops the replay"), r.status)
        XCTAssertFalse(r.status.contains("q stop"), r.status)
        _ = r.typed(now: 0.1)
        r.stop()
        XCTAssertTrue(r.isStopped)
        // Taken up again much later: the cell is typed again from its start, not submitted at once.
        r.goOnAfterStop(now: 100)
        XCTAssertFalse(r.isStopped)
        XCTAssertEqual(r.typed(now: 100)?.current, "")
        XCTAssertNil(r.tick(now: 100.1))
        XCTAssertNotNil(r.tick(now: 101))
    }
}
