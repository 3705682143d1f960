import XCTest
import MaplLang
import MaplRuntime
@testable import MaplNotebook

/// The `:` commands as a user types them, read into what they ask for, and the notes a mistyped one gets.
final class NotebookCommandTests: XCTestCase {
    private func parse(_ text: String) -> NotebookCommand { NotebookCommand.parse(text) }

    func testHelpAndTheQuestionMark() {
        XCTAssertEqual(parse("?relu"), .help(topic: "relu"))
        XCTAssertEqual(parse("? relu"), .help(topic: "relu"))
        XCTAssertEqual(parse(":help >>"), .help(topic: ">>"))
        XCTAssertEqual(parse(":h"), .help(topic: ""))
        XCTAssertEqual(parse(":help"), .help(topic: ""), "the notebook's own help")
    }

    func testFilesKeepTheirWholeName() {
        XCTAssertEqual(parse(":save my lesson.mapl"), .save(path: "my lesson.mapl"))
        XCTAssertEqual(parse(":load  s.mapl"), .load(path: "s.mapl"))
        XCTAssertEqual(parse(":save"), .mistake(":save needs a file: :save FILE.mapl or :save FILE.jsonl"))
        XCTAssertEqual(parse(":load"), .mistake(":load needs a file: :load FILE.mapl"))
    }

    func testPanes() {
        XCTAssertEqual(parse(":pane loss"), .pane(.loss))
        XCTAssertEqual(parse(":pane off"), .pane(.off))
        XCTAssertEqual(parse(":pane auto"), .followOutput)
        XCTAssertEqual(parse(":pane next"), .nextPane)
        XCTAssertEqual(parse(":pane hist m.layers[1].W"), .histogram(path: "m.layers[1].W"))
        XCTAssertEqual(parse(":pane hist"), .pane(.hist), "no name: the hist pane as it is")
        XCTAssertEqual(parse(":pane loss log"), .lossLogScale(true))
        XCTAssertEqual(parse(":pane loss lin"), .lossLogScale(false))
        XCTAssertEqual(parse(":pane loss +"), .lossZoom(1))
        XCTAssertEqual(parse(":pane loss −"), .lossZoom(-1), "the minus sign a keyboard layout may give")
        XCTAssertEqual(parse(":pane loss all"), .lossZoom(-LossPaneData.maxZoom))
        XCTAssertEqual(parse(":pane loss big"), .mistake(":pane loss takes log, linear, + (zoom to the newest), - (back out) or all"))
        XCTAssertEqual(parse(":pane weights"), .mistake(":pane takes one of: loss, hist, digits, graph, off, auto, next"))
    }

    func testStepIsARequestUnlessItReopensTheLastWalk() {
        XCTAssertEqual(parse(":step L"), .request(.step(expression: "L", quiz: false)))
        XCTAssertEqual(parse(":step --quiz sum(w * w)"), .request(.step(expression: "sum(w * w)", quiz: true)))
        XCTAssertEqual(parse(":step"), .reopenStepper(quiz: false))
        XCTAssertEqual(parse(":step --quiz"), .reopenStepper(quiz: true))
    }

    func testTrainingOneBatchAtATime() {
        XCTAssertEqual(parse(":next"), .request(.resume(batches: 1)))
        XCTAssertEqual(parse(":next 10"), .request(.resume(batches: 10)))
        XCTAssertEqual(parse(":continue"), .request(.resume(batches: nil)))
        XCTAssertEqual(parse(":c"), .request(.resume(batches: nil)))
        for wrong in [":next 0", ":next -1", ":next x", ":next 1.5", ":next 99999999999999999999"] {
            XCTAssertEqual(parse(wrong), .mistake(":next takes a whole number of batches ≥ 1: :next 10"), wrong)
        }
    }

    func testSetShow() {
        XCTAssertEqual(parse(":set show 64"), .request(.showLimit(64)))
        XCTAssertEqual(parse(":set show auto"), .request(.showLimit(nil)))
        XCTAssertEqual(parse(":set show 0"), .mistake(":set show takes a number of elements ≥ 1, or auto: :set show 64"))
        XCTAssertEqual(parse(":set"), .mistake(":set show N prints tensors of up to N elements in full (as grids); :set show auto fits them to the pane"))
    }

    func testTheRest() {
        XCTAssertEqual(parse(":vars"), .variables)
        XCTAssertEqual(parse(":present"), .present)
        XCTAssertEqual(parse(":clear"), .clear)
        XCTAssertEqual(parse(":replay"), .goOnWithReplay)
        XCTAssertEqual(parse(":reset"), .reset)
        for quit in [":quit", ":q", ":exit"] { XCTAssertEqual(parse(quit), .quit, quit) }
        XCTAssertEqual(parse(":frobnicate now"), .mistake("unknown command :frobnicate — :help lists the commands"))
        XCTAssertEqual(parse(":"), .mistake("unknown command : — :help lists the commands"))
    }

    /// What the journal and `:save` keep: what changes the screen, and `:reset`; a request's cell marks itself.
    func testWhichCommandsAreRecorded() {
        for recorded in [":pane loss", ":pane hist w", ":pane next", ":step", ":step --quiz", ":clear", ":reset"] {
            XCTAssertTrue(NotebookCommand.isRecorded(recorded), recorded)
        }
        for not in [":step L", ":step --quiz L", ":next", ":continue", ":vars", ":help", ":save x.mapl", ":present", ":quit"] {
            XCTAssertFalse(NotebookCommand.isRecorded(not), not)
        }
    }
}
