import XCTest
import MaplLang
import MaplRuntime
@testable import MaplNotebook

/// Who has the keys when a walk opens: the stepper, unless the user is typing at the prompt; never once the
/// stepper has closed.
final class StepperKeysTests: XCTestCase {
    func testANewWalkTakesTheKeysUnlessSomethingIsTyped() {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("w = param([1.0, -2.0]); L = sum(w * w)"))
        XCTAssertFalse(state.stepperHasKeys, "no walk yet")
        state.apply(driver.run("trace(L)"))
        XCTAssertTrue(state.stepperHasKeys)
        state.stepperHasKeys = false                        // Tab: back to the prompt, the walk still shown
        XCTAssertNotNil(state.stepper)
        state.userIsTyping = true
        state.apply(driver.run("trace(L)"))
        XCTAssertFalse(state.stepperHasKeys, "the user was typing: the prompt keeps the keys")
        state.userIsTyping = false
        state.apply(driver.run("trace(L)"))
        XCTAssertTrue(state.stepperHasKeys)
        state.closeStepper()
        XCTAssertFalse(state.stepperHasKeys, "no stepper, no keys")
    }
}
