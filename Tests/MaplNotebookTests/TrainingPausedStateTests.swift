import XCTest
import MaplLang
import MaplRuntime
@testable import MaplNotebook

/// Whether a run is paused is the state's, from the session's own events: `:next`, `:continue` and Ctrl-C
/// act on it, and the hint says so.
final class TrainingPausedStateTests: XCTestCase {
    func testAPauseHoldsUntilTheRunEnds() {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("seed(1); m = dense(2, 1); h = fit(m, xor(), loss=mse, batch=2, epochs=2, pause=true)"))
        XCTAssertTrue(state.trainingPaused)
        driver.session.resume(batches: 1)
        state.apply(driver.events())
        XCTAssertTrue(state.trainingPaused, "one batch, then paused again")
        driver.session.resume(batches: nil)
        state.apply(driver.events())
        XCTAssertFalse(state.trainingPaused, "trained to the end")
        state.apply(driver.run("h2 = fit(m, xor(), loss=mse, batch=2, pause=true)"))
        XCTAssertTrue(state.trainingPaused)
        driver.session.stopTraining()
        state.apply(driver.events())
        XCTAssertFalse(state.trainingPaused, "stopped")
        state.apply(driver.run("print(1)"))
        XCTAssertFalse(state.trainingPaused)
    }
}
