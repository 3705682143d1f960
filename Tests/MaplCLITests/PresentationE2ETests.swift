import Foundation
import XCTest
import MaplTestSupport

/// The back row's view in the real binary in tmux: presentation mode in and out while a fit trains, a grid of
/// 16 MNIST samples at 200×50, two runs compared in the loss pane.
final class PresentationE2ETests: XCTestCase {
    private func notebook(width: Int = 120, height: Int = 36) throws -> TmuxDriver {
        let t = try TmuxDriver(TmuxDriver.quote(TmuxDriver.mapl), width: width, height: height,
                               environment: ["MAPL_HISTORY": "history", "MAPL_JOURNAL": "journal.jsonl"])
        t.waitFor("[1]>")
        return t
    }

    /// Two small runs on the spirals, the second slowed down (delay) so it is still training when F5 is pressed.
    private func typeTheRuns(_ t: TmuxDriver, delay: Double) throws {
        try t.enter("seed(1); d = spirals(100, 3)")
        try t.enter("m1 = dense(2, 32, act=relu) >> dense(32, 3); h1 = fit(m1, d, epochs=4, batch=16, val=d)")
        t.waitFor("epoch 4/4")
        try t.enter("m2 = dense(2, 32, act=relu) >> dense(32, 3); h2 = fit(m2, d, epochs=4, batch=16, val=d, opt=sgd(m2, lr=0.1), delay=\(delay))")
    }

    func testPresentationModeInAndOutMidTraining() throws {
        let t = try notebook()
        try typeTheRuns(t, delay: 0.05)   // 19 batches an epoch: about 4 s in all
        t.waitFor("the second fit running", timeout: 30) { $0.contains("running") && $0.contains("/19") }
        try t.press("F5")
        // A frame reaches tmux in pieces: wait for what is asserted, not only for the title.
        let full = t.waitFor("the loss pane alone", timeout: 10) { $0.contains("F5 transcript") && ($0.contains("epoch avg") || $0.contains("batch")) }
        // The transcript is hidden: the cells' inputs are gone, the pane's legend and the prompt are there.
        XCTAssertFalse(full.contains("[1] seed(1)"), full)
        XCTAssertTrue(full.contains("epoch avg") || full.contains("batch"), full)
        XCTAssertTrue(full.contains("running"), "still training while presented:\n" + full)
        try t.press("F5")
        let back = t.waitFor("the transcript again", timeout: 10) { $0.contains("[1] seed(1)") && !$0.contains("F5 transcript") }
        XCTAssertFalse(back.contains("F5 transcript"), back)
        t.waitFor("the second fit's end", timeout: 60) { $0.components(separatedBy: "epoch 4/4").count >= 3 }
        // :present does the same as F5.
        try t.enter(":present")
        t.waitFor("F5 transcript")
    }

    func testCompareTwoRunsInTheLossPane() throws {
        let t = try notebook()
        try typeTheRuns(t, delay: 0)
        t.waitFor("the second fit's end", timeout: 60) { $0.components(separatedBy: "epoch 4/4").count >= 3 }
        try t.enter("compare(h1, h2, names=[\"adam\", \"sgd\"])")
        let screen = t.waitFor("the compared runs with their legend", timeout: 20) {
            $0.contains("plot ─ compare: adam, sgd") && $0.contains("adam val") && $0.contains("sgd val")
        }
        XCTAssertTrue(screen.contains("adam val"), screen)
        XCTAssertTrue(screen.contains("sgd val"), screen)
        try t.enter(":pane loss log")
        t.waitFor("(log)")
    }

    func testSixteenSamplesAt200x50() throws {
        _ = try RealData.mnistData()
        let t = try notebook(width: 200, height: 50)
        try t.enter("test = mnist(\"test\")")
        try t.enter("show(test, 0..15)")
        func labels(_ screen: String) -> Int { screen.components(separatedBy: "label ").count - 1 }
        let screen = t.waitFor("the grid of samples, drawn whole", timeout: 60) { $0.contains("16 samples (0, 1, 2, 3, …)") && labels($0) == 16 }
        // The first test digits are 7 2 1 0 4 1 4 9 5 9 0 6 9 0 1 5: each label under its picture.
        for label in ["label 7", "label 2", "label 1", "label 0", "label 4", "label 9", "label 5", "label 6"] {
            XCTAssertTrue(screen.contains(label), label + "\n" + screen)
        }
        XCTAssertEqual(labels(screen), 16, screen)
        try t.press("F5")
        let full = t.waitFor("the grid presented, drawn whole") { $0.contains("F5 transcript") && labels($0) == 16 }
        XCTAssertEqual(labels(full), 16, full)
    }

    /// The wheel in a real terminal: tmux hands the notebook the SGR report it asked for.
    func testTheMouseWheelScrollsTheTranscript() throws {
        let t = try notebook()
        try t.enter("for i in 1..80 { print(\"row \" + str(i)) }")
        t.waitFor("row 80")
        try t.type("\u{1B}[<64;10;10M")
        let screen = t.waitFor("the transcript scrolled up") { $0.contains("3 more lines below") }
        XCTAssertFalse(screen.contains("row 80"), screen)
        try t.type("\u{1B}[<65;10;10M")
        t.waitFor("back at the bottom") { $0.contains("row 80") && !$0.contains("more lines below") }
    }
}
