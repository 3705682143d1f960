import XCTest
@testable import MaplNotebook

/// The notebook's keys, read from the bytes a terminal sends, in each mode that has them.
final class KeyMapTests: XCTestCase {
    private func actions(_ bytes: String, _ mode: KeyMode) -> [KeyAction?] {
        Key.decode(ArraySlice(Array(bytes.utf8))).map { KeyMap.action(for: $0, in: mode) }
    }

    func testTheStepperWalksWithLettersAndArrows() {
        XCTAssertEqual(actions("n p b g l e r", .stepper).compactMap { $0 }.filter { $0 != .step(.next) },
                       [.step(.previous), .step(.backward), .step(.graph), .step(.layers), .step(.expand), .step(.reveal)],
                       "the spaces step on too")
        XCTAssertEqual(actions("\u{1B}[C\u{1B}[D\u{1B}[H\u{1B}[F\r\u{7F}", .stepper),
                       [.step(.next), .step(.previous), .step(.first), .step(.last), .step(.expand), .step(.previous)])
        XCTAssertEqual(actions("q\t\u{1B}", .stepper), [.closeStepper, .releaseStepper, .releaseStepper])
        XCTAssertEqual(actions("x\u{1B}OR", .stepper), [nil, nil], "x and F3 are not the stepper's: it says which keys are")
    }

    func testAReplayTakesItsKeysAndQNeverStopsIt() {
        XCTAssertEqual(actions("n\r [pX]q", .replay),
                       [.replayGoOn, .replayGoOn, .replayTogglePause, .replayPreviousChapter, .replayBack, .replayStop, .replayNextChapter, .replayQuit])
        XCTAssertEqual(actions("\u{1B}OR\tb", .replay), [.focusStepper, nil, nil])
    }

    func testTheFunctionKeysAndScrollingAreTheSameEverywhere() {
        let keys = "\u{1B}OQ\u{1B}[12~\u{1B}OS\u{1B}[15~\u{1B}[17~\u{1B}[18~\u{1B}[19~\u{1B}[5~\u{1B}[6~\u{1B}[<64;10;5M\u{1B}[<65;1;1M"
        let expected: [KeyAction?] = [.cyclePane, .cyclePane, .pauseTraining, .togglePresentation, .toggleLossLogScale, .zoomLoss(1), .zoomLoss(-1),
                                      .scroll(pages: 1), .scroll(pages: -1), .wheel(up: true, x: 9, y: 4), .wheel(up: false, x: 0, y: 0)]
        for mode in [KeyMode.prompt, .stepper, .replay] { XCTAssertEqual(actions(keys, mode), expected, "\(mode)") }
    }

    /// At the prompt readline has every other key: letters, Enter, arrows, Home/End edit the line.
    func testThePromptLeavesEditingKeysToReadline() {
        XCTAssertEqual(actions("nq\r\t\u{1B}[C\u{1B}[H\u{1B}[F", .prompt), [nil, nil, nil, nil, nil, nil, nil])
        XCTAssertEqual(Set(KeyMap.promptBindings.map(\.sequence)),
                       ["\u{1B}OQ", "\u{1B}[12~", "\u{1B}OR", "\u{1B}[13~", "\u{1B}OS", "\u{1B}[14~", "\u{1B}[15~",
                        "\u{1B}[17~", "\u{1B}[18~", "\u{1B}[19~", "\u{1B}[5~", "\u{1B}[6~"],
                       "what readline hands to the notebook: F2–F8 in both spellings, PgUp, PgDn")
    }
}
