import XCTest
import MaplLang
import MaplRuntime
@testable import MaplNotebook

/// The bottom row says what the keys do now: the stepper's keys when it has them, a stopped replay's way
/// back, a paused run's commands, F4 while a cell runs.
final class NotebookHintTests: XCTestCase {
    private func hint(_ state: NotebookState, stepperHasKeys: Bool = false, replayPlaying: Bool = false,
                      stoppedReplay: (cell: Int, of: Int)? = nil) -> String? {
        NotebookHint.text(stepperHasKeys: stepperHasKeys, replayPlaying: replayPlaying, stoppedReplay: stoppedReplay, state: state)
    }

    func testTheHintFollowsTheModes() {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        XCTAssertEqual(hint(state), NotebookHint.idle)
        XCTAssertNil(hint(state, replayPlaying: true), "a playing replay writes its own status")
        XCTAssertEqual(hint(state, stoppedReplay: (3, 7)), "replay stopped at cell 3/7 · :replay goes on · " + NotebookHint.idle)

        state.isRunning = true
        XCTAssertEqual(hint(state), "F4 pauses training · " + NotebookHint.idle)
        XCTAssertEqual(hint(state, stoppedReplay: (3, 7)), "F4 pauses training · " + NotebookHint.idle, "the stopped replay waits for the cell")
        state.togglePresentation()
        XCTAssertEqual(hint(state), "F4 pause · " + NotebookHint.presenting)
        state.togglePresentation()

        state.apply(driver.run("seed(1); m = dense(2, 1); h = fit(m, xor(), loss=mse, batch=2, pause=true)"))
        XCTAssertFalse(state.isRunning)
        XCTAssertEqual(hint(state), "training paused: :next one batch · :continue · Ctrl-C stops it · F2 pane · Tab complete · Ctrl-D quit")

        state.apply(driver.run("w = param([1.0, -2.0]); trace(sum(w * w))"))
        XCTAssertEqual(hint(state), "F3 stepper keys · " + NotebookHint.idle, "the walk is open; the prompt has the keys")
        XCTAssertEqual(hint(state, stepperHasKeys: true), "stepper keys: q close · Tab back to the prompt · F2 pane · PgUp/PgDn scroll")
        XCTAssertEqual(hint(state, stepperHasKeys: true, replayPlaying: true), "stepper keys: q close · Tab back to the replay · F2 pane · PgUp/PgDn scroll")
    }
}
