import Foundation
import XCTest
import MaplTestSupport

/// The teaching features as a class meets them, in the real binary in tmux: the stepper on the chapter's
/// worked example (numbers computed by hand and with NumPy: at the sigmoid's backward step upstream
/// [-0.4085, 0.6201], factor ŷ(1−ŷ) = [0.2416, 0.2356], flow [-0.0987, 0.1461]), a value used twice, the quiz,
/// training one batch at a time on the real MNIST, and the backprop lecture replayed.
final class TeachingE2ETests: XCTestCase {
    private func notebook(_ arguments: String = "", width: Int = 120, height: Int = 36,
                          directory: String? = nil) throws -> TmuxDriver {
        let t = try TmuxDriver("\(TmuxDriver.quote(TmuxDriver.mapl)) \(arguments)", width: width, height: height,
                               directory: directory, environment: ["MAPL_HISTORY": "history", "MAPL_JOURNAL": "journal.jsonl"])
        return t
    }

    /// The notebook with the worked example typed in (one pasted cell).
    private func workedExample() throws -> TmuxDriver {
        let t = try notebook()
        t.waitFor("[1]>")
        try t.paste(WorkedExample.program)
        try t.press("Enter")
        t.waitFor("[2]>")
        return t
    }

    func testStepToTheSigmoidsBackwardStepReadItsNumbersAndStepBack() throws {
        let t = try workedExample()
        try t.enter(":step L")
        t.waitFor("forward 1/12")
        // Before backward, a parameter's gradient is not shown as zero.
        try t.press("n"); try t.press("n")
        try t.press("b")
        t.waitFor("backward 1/10")
        for _ in 0..<4 { try t.press("n") }
        let screen = t.waitFor("backward 5/10")
        XCTAssertTrue(screen.contains("yhat = sigmoid(z)"), screen)
        XCTAssertTrue(screen.contains("upstream ∂L/∂yhat = [-0.4085, 0.6201]"), screen)
        XCTAssertTrue(screen.contains("= [0.2416, 0.2356]"), screen)
        XCTAssertTrue(screen.contains("∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]"), screen)
        try t.press("Left")
        let back = t.waitFor("backward 4/10")
        XCTAssertTrue(back.contains("yhat - y"), back)
        XCTAssertFalse(back.contains("[0.2416, 0.2356]"), back)
        // Tab gives the keys to the prompt with the stepper still shown; typing runs a cell there.
        try t.press("Tab")
        t.waitFor("F3 stepper keys")
        try t.enter("1 + 0.25")
        t.waitFor("1.25")
        XCTAssertTrue(t.screen().contains("backward 4/10"), "the stepper stays open: \(t.screen())")
        // F3 hands the keys back; q closes the stepper and the pane it covered returns.
        try t.press("F3")
        t.waitFor("stepper keys: q close")
        try t.press("End")
        t.waitFor("backward 10/10")
        try t.press("q")
        t.waitFor("the stepper closed") { !$0.contains("trace(L) ─") }
        // Keys typed right after the stepper lets go of them, in the same read, reach the prompt: none is lost.
        try t.enter(":step")
        t.waitFor("stepper keys: q close")
        try t.type("q6 * 7\r")
        t.waitFor("the cell typed after q") { $0.contains("6 * 7") && $0.contains("42") }
        try t.enter(":step")
        t.waitFor("stepper keys: q close")
        try t.type("\t2 ^ 10\r")
        t.waitFor("the cell typed after Tab") { $0.contains("1024") }
    }

    func testNotComputedYetBeforeBackwardThenTheRealGradient() throws {
        let t = try workedExample()
        try t.enter(":step L")
        // The first step is W; on the forward pass no gradient exists yet: it says so rather than showing zeros.
        let screen = t.waitFor("forward 1/12")
        XCTAssertTrue(screen.contains("W (parameter)"), screen)
        XCTAssertTrue(screen.contains("not computed yet"), screen)
        XCTAssertFalse(screen.contains("[[0., 0.]") || screen.contains("[[0.0000, 0.0000]"), screen)
        // W's last backward step: ∂L/∂W = x δᵀ = [[-0.049359, 0.073041], [-0.009872, 0.014608]] (by hand).
        try t.press("End")
        let last = t.waitFor("backward 10/10")
        // A matrix shows as a grid: one row a line under the label.
        XCTAssertTrue(last.contains("∂L/∂W = [2, 2]"), last)
        XCTAssertTrue(last.contains("-0.0494  0.0730"), last)
        XCTAssertTrue(last.contains("-0.0099  0.0146"), last)
    }

    func testAValueUsedTwiceShowsBothContributionsAndTheirSum() throws {
        let t = try notebook()
        t.waitFor("[1]>")
        try t.enter("v = param([3.0])")
        try t.enter(":step sum(v * v)")
        t.waitFor("forward 1/")
        try t.press("End")
        let screen = t.waitFor("backward 3/3")
        XCTAssertTrue(screen.contains("as a) [3.]"), screen)
        XCTAssertTrue(screen.contains("as b) [3.]"), screen)
        XCTAssertTrue(screen.contains("= [6.]"), screen)
        try t.press("p")
        let mul = t.waitFor("backward 2/3")
        XCTAssertTrue(mul.contains("(share 1 of 2)") && mul.contains("(share 2 of 2)"), mul)
    }

    func testAModelsTraceStepsPerLayerAndALayerOpensIntoItsOps() throws {
        let t = try notebook()
        t.waitFor("[1]>")
        try t.enter("seed(0); mlp = dense(4, 3) >> relu >> dense(3, 2); xb = randn(5, 4)")
        try t.enter(":step cross_entropy(mlp(xb), [0, 1, 1, 0, 1])")
        t.waitFor("forward ─ layer 1/4 dense(4, 3)")
        try t.press("n")
        t.waitFor("forward ─ layer 2/4 relu")
        try t.press("p")
        try t.press("e")                                   // open dense(4, 3) into its ops
        t.waitFor("layer 1/4 dense(4, 3) ─ op 1/")
        try t.press("l")                                   // op by op
        t.waitFor("the op view") { $0.contains("─ forward 1/") && !$0.contains("─ layer") }
        try t.press("l")
        t.waitFor("─ layer ")
        try t.press("b")
        t.waitFor("backward ─ layer 1/")
    }

    func testQuizHidesEachAnswerUntilRevealed() throws {
        let t = try workedExample()
        try t.enter(":step --quiz L")
        t.waitFor("forward 1/12 ─ quiz")
        try t.press("b")
        for _ in 0..<4 { try t.press("n") }
        let hidden = t.waitFor("backward 5/10")
        XCTAssertTrue(hidden.contains("upstream ∂L/∂yhat = [-0.4085, 0.6201]"), "the given value stays visible: \(hidden)")
        XCTAssertFalse(hidden.contains("[0.2416, 0.2356]"), hidden)
        XCTAssertFalse(hidden.contains("[-0.0987, 0.1461]"), hidden)
        XCTAssertTrue(hidden.contains("?"), hidden)
        try t.press("r")
        let shown = t.waitFor("revealed")
        XCTAssertTrue(shown.contains("[0.2416, 0.2356]") && shown.contains("[-0.0987, 0.1461]"), shown)
    }

    func testPauseFitOnMNISTStepTwiceSeeTheUpdatesAndContinue() throws {
        _ = try RealData.mnistData()
        let t = try notebook()
        t.waitFor("[1]>")
        try t.enter("seed(1); train = mnist(\"train\"); m = flatten >> dense(784, 64) >> relu >> dense(64, 10)")
        try t.enter("h = fit(m, train, epochs=1, batch=64, pause=true)")
        t.waitFor("training paused before batch 1/938", timeout: 60)
        t.waitFor("training paused: :next")
        try t.enter(":next")
        let first = t.waitFor("batch 1/938: loss on this batch", timeout: 30)
        XCTAssertTrue(first.contains("‖Δθ‖/‖θ‖") && first.contains("layers.1.W"), first)
        try t.enter(":next")
        t.waitFor("batch 2/938: loss on this batch", timeout: 30)
        // Each step's loss on its own batch went down: "loss on this batch BEFORE -> AFTER".
        let text = t.screen()
        let pattern = try NSRegularExpression(pattern: #"loss on this batch (\d+\.\d+) -> (\d+\.\d+)"#)
        let steps = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            (Double(text[Range(match.range(at: 1), in: text)!])!, Double(text[Range(match.range(at: 2), in: text)!])!)
        }
        XCTAssertEqual(steps.count, 2, text)
        for (before, after) in steps { XCTAssertLessThan(after, before, text) }
        try t.enter("training.steps + 0.5")
        t.waitFor("2.5")
        try t.enter(":continue")
        t.waitFor("epoch 1/1", timeout: 120)
        try t.enter("training.status")
        t.waitFor("finished")
    }

    func testF4PausesARunningFitAndCtrlCEndsThePausedRun() throws {
        _ = try RealData.mnistData()
        let t = try notebook()
        t.waitFor("[1]>")
        try t.enter("train = mnist(\"train\"); m = flatten >> dense(784, 64) >> relu >> dense(64, 10)")
        try t.enter("h = fit(m, train, epochs=20)")
        t.waitFor("the progress line", timeout: 60) { $0.contains("/938") && $0.contains("ETA") }
        try t.press("F4")
        t.waitFor("training paused before batch", timeout: 10)
        try t.enter("m.layers[1].W.shape")
        t.waitFor("[784, 64]")
        try t.press("C-c")
        t.waitFor("training ended while paused", timeout: 10)
        try t.enter("training.status")
        t.waitFor("\"stopped\"")
    }

    func testReplayTheBackpropLectureWithTheStepper() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lecture = root.appendingPathComponent("sessions/11-backprop-lecture.mapl").path
        let t = try notebook("replay --pause --speed 50 \(TmuxDriver.quote(lecture))")
        t.waitFor("replay 1/")
        XCTAssertFalse(t.screen().contains("[1] "), "with --pause nothing runs before a key")
        try t.press("Enter")                               // three cells, one key each
        t.waitFor("[1] ")
        try t.press("n")
        t.waitFor("[2] W = param")
        try t.press("n")
        t.waitFor("[3] b = param")
        t.waitFor("replay 4/")
        try t.press("]")                                   // the rest of chapter 1 runs; stand before chapter 2
        t.waitFor("0.2757")
        t.waitFor("replay 10/")                            // chapter 2's first cell is next
        try t.press("n")                                   // trace(L): the stepper opens and takes the keys
        t.waitFor("forward 1/12")
        t.waitFor("stepper keys")
        try t.press("b")
        for _ in 0..<4 { try t.press("n") }
        let screen = t.waitFor("backward 5/10")
        XCTAssertTrue(screen.contains("[-0.0987, 0.1461]"), screen)
        try t.press("q")                                   // the replay has the keys again
        t.waitFor("Enter/n next")
        try t.press("n")                                   // backward(L) and the asserts run
        try t.press("]")
        try t.press("]")
        t.waitFor("trace(s)")
        try t.press("End")
        t.waitFor("= [6.]")
    }
}
