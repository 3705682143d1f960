import XCTest
import Foundation
@testable import MaplLang
@testable import MaplNotebook
import MaplTestSupport

/// The stepper from real `trace` events: keys as the terminal layer calls them, frames at 120×36 and 80×24
/// read as words. Numbers are the worked example's, computed by hand and with NumPy (TraceStepModelTests):
/// at the sigmoid's backward step upstream [-0.4085, 0.6201], factor ŷ(1−ŷ) = [0.2416, 0.2356], flow
/// [-0.0987, 0.1461].
final class StepperTests: XCTestCase {
    static let workedExample = WorkedExample.program + "\ntrace(L)"

    private func state(_ source: String = StepperTests.workedExample, quiz: Bool = false) -> NotebookState {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.nextTraceIsQuiz = quiz
        state.apply(driver.run(source))
        return state
    }

    /// The pane's rows of a frame (whatever its placement), as text.
    private func pane(_ frame: Frame) -> String { frame.joined }

    func testATraceOpensTheStepperAndLeavesOneLineInTheTranscript() throws {
        let s = state()
        let stepper = try XCTUnwrap(s.stepper)
        XCTAssertEqual(stepper.step, 0)
        XCTAssertEqual(stepper.phase, .forward)
        XCTAssertFalse(stepper.layerView)                       // no model: op by op
        XCTAssertEqual(s.entries[0].lines.last?.text, "trace(L): 12 forward, 10 backward steps → stepper")
        XCTAssertTrue(s.paneIsVisible)
        let frame = NotebookRenderer.render(s, width: 120, height: 36)
        XCTAssertEqual(frame.position(of: "trace(L) ─ forward 1/12")?.row, 0)
        XCTAssertNotNil(frame.position(of: "← p back  n → next  b backward  g graph  q close"), frame.joined)
    }

    /// Forward, the gradients do not exist yet; the backward jump, four steps to the sigmoid, its numbers;
    /// back one step.
    func testWalkingToTheSigmoidsBackwardStepAt120x36And80x24() throws {
        var s = state()
        var frame = NotebookRenderer.render(s, width: 120, height: 36)
        // Steps are named as the program names them; the literals 0.5 and 2 are no steps of their own.
        XCTAssertNotNil(frame.position(of: "node     W (parameter)"), frame.joined)
        XCTAssertNotNil(frame.position(of: "∂L/∂W: not computed yet"), frame.joined)
        XCTAssertNil(frame.position(of: "[0., 0.]"))             // never shown as zeros
        s.stepper?.next()
        frame = NotebookRenderer.render(s, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "node     W.T "), frame.joined)
        XCTAssertNotNil(frame.position(of: "value    W.T = [[0.1000, 0.2000], [0.4000, 0.9000]]"), frame.joined)
        XCTAssertNil(frame.position(of: "#"), frame.joined)      // no internal ids
        for _ in 0..<2 { s.stepper?.next() }
        frame = NotebookRenderer.render(s, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "node     W.T @ x "), frame.joined)
        XCTAssertNotNil(frame.position(of: "value    W.T @ x = [0.0700, 0.2900]"), frame.joined)
        s.stepper?.last()
        s.stepper?.jumpToBackward()
        s.stepper?.previous()
        frame = NotebookRenderer.render(s, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "node     L = 0.5 * sum((yhat - y)^2)"), frame.joined)
        XCTAssertNotNil(frame.position(of: "inputs   0.5 (constant)"), frame.joined)
        XCTAssertNotNil(frame.position(of: "sum((yhat - y)^2) = 0.5514"), frame.joined)

        s.stepper?.jumpToBackward()
        for _ in 0..<4 { s.stepper?.next() }
        for (w, h) in [(120, 36), (80, 24)] {
            frame = NotebookRenderer.render(s, width: w, height: h)
            let text = frame.joined
            XCTAssertNotNil(frame.position(of: "trace(L) ─ backward 5/10"), "\(w)×\(h)\n" + text)
            XCTAssertNotNil(frame.position(of: "yhat = sigmoid(z)"), text)
            XCTAssertNotNil(frame.position(of: "upstream ∂L/∂yhat = [-0.4085, 0.6201]"), text)
            XCTAssertNotNil(frame.position(of: "sigmoid: ∂σ/∂x = σ·(1−σ)"), text)
            XCTAssertNotNil(frame.position(of: "= [0.5915·0.4085, 0.6201·0.3799] = [0.2416, 0.2356]"), text)
            XCTAssertNotNil(frame.position(of: "flows    ∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]"), text)
        }
        s.stepper?.previous()
        frame = NotebookRenderer.render(s, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "trace(L) ─ backward 4/10"), frame.joined)
        XCTAssertNotNil(frame.position(of: "∂L/∂yhat = upstream = [-0.4085, 0.6201]"), frame.joined)
    }

    func testKeysAtTheEndsAndJumps() throws {
        var stepper = try XCTUnwrap(state().stepper)
        stepper.previous()
        XCTAssertEqual(stepper.step, 0)
        XCTAssertEqual(stepper.message, "the first step")
        stepper.last()
        XCTAssertEqual(stepper.step, 21)
        XCTAssertEqual(stepper.position.index, 10)
        stepper.next()
        XCTAssertEqual(stepper.step, 21)
        XCTAssertEqual(stepper.message, "the last step: p goes back")
        stepper.first()
        XCTAssertNil(stepper.message)
        XCTAssertEqual(stepper.step, 0)
        stepper.jumpToBackward()
        XCTAssertEqual(stepper.step, 12)
        XCTAssertEqual(stepper.current?.name, "L")
        stepper.toggleLayers()
        XCTAssertFalse(stepper.layerView)
        XCTAssertEqual(stepper.message, "no layers: this trace did not go through a model")

        // A trace with no backward pass says why when b is pressed.
        var forwardOnly = try XCTUnwrap(state("x = param([1.0, 2.0])\nz = x * 2\ntrace(z)").stepper)
        forwardOnly.jumpToBackward()
        XCTAssertEqual(forwardOnly.step, 0)
        XCTAssertEqual(forwardOnly.message, "no backward pass: z has shape [2]; backward starts from a scalar such as a loss (reduce it with sum or mean)")
        let frame = NotebookRenderer.render({ var s = NotebookState(title: "t"); s.stepper = forwardOnly; return s }(), width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "no backward pass: z has shape [2]"), frame.joined)
    }

    /// `x * x`: the step of x shows both shares and their sum, term by term (2x = [4, -6]).
    func testANodeUsedTwiceShowsItsSharesAndTheirSum() throws {
        var s = state("w = param([2.0, -3.0])\nL = sum(w * w)\ntrace(L)")
        s.stepper?.last()
        let frame = NotebookRenderer.render(s, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "upstream ∂L/∂w = (from w * w as a) [2., -3.]"), frame.joined)
        XCTAssertNotNil(frame.position(of: "+ (from w * w as b) [2., -3.]"), frame.joined)
        XCTAssertNotNil(frame.position(of: "= [4., -6.]"), frame.joined)
        // One step earlier, the mul sends both shares.
        s.stepper?.previous()
        let before = NotebookRenderer.render(s, width: 80, height: 24)
        XCTAssertNotNil(before.position(of: "(share 1 of 2)"), before.joined)
        XCTAssertNotNil(before.position(of: "(share 2 of 2)"), before.joined)
    }

    /// In a quiz the answers are hidden until revealed; going on hides the next step's; going back shows
    /// what was revealed.
    func testQuizHidesTheNumbersUntilRevealed() throws {
        var s = state(quiz: true)
        XCTAssertEqual(s.stepper?.quiz, true)
        XCTAssertFalse(s.nextTraceIsQuiz)                         // used once
        s.stepper?.jumpToBackward()
        for _ in 0..<4 { s.stepper?.next() }
        var frame = NotebookRenderer.render(s, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "upstream ∂L/∂yhat = [-0.4085, 0.6201]"), frame.joined)   // given
        XCTAssertNil(frame.position(of: "0.2416"), frame.joined)
        XCTAssertNil(frame.position(of: "0.1461"), frame.joined)
        XCTAssertNotNil(frame.position(of: "flows    ∂L/∂z = upstream ⊙ rule =  ? "), frame.joined)
        XCTAssertNotNil(frame.position(of: "r reveal"), frame.joined)
        XCTAssertNotNil(frame.position(of: "quiz"), frame.joined)
        s.stepper?.reveal()
        frame = NotebookRenderer.render(s, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "= [0.5915·0.4085, 0.6201·0.3799] = [0.2416, 0.2356]"), frame.joined)
        XCTAssertNotNil(frame.position(of: "[-0.0987, 0.1461]"), frame.joined)
        XCTAssertNil(frame.position(of: "r reveal"), frame.joined)
        s.stepper?.next()
        frame = NotebookRenderer.render(s, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "∂L/∂b = upstream =  ? "), frame.joined)
        s.stepper?.previous()
        frame = NotebookRenderer.render(s, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "[0.2416, 0.2356]"), frame.joined)
        // Forward: the output is the question, the inputs are given.
        s.stepper?.first()
        for _ in 0..<6 { s.stepper?.next() }
        frame = NotebookRenderer.render(s, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "yhat = sigmoid(z)"), frame.joined)
        XCTAssertNotNil(frame.position(of: "z = [0.3700, 0.4900]"), frame.joined)
        XCTAssertNil(frame.position(of: "0.5915"), frame.joined)
    }

    /// The graph view: the DAG with the current node reversed, the edges to its inputs marked, and which
    /// gradients exist so far.
    func testGraphViewHighlightsTheNodeAndTheEdgesItsGradientFlowsAlong() throws {
        var s = state()
        s.stepper?.jumpToBackward()
        for _ in 0..<4 { s.stepper?.next() }
        s.stepper?.toggleGraph()
        let frame = NotebookRenderer.render(s, width: 120, height: 36)
        let text = frame.joined
        let node = try XCTUnwrap(frame.position(of: "yhat = sigmoid(z)  [2]"), text)
        XCTAssertTrue(frame.grid[node.column, node.row].style.reverse, text)
        // z, the input its gradient flows to, is marked; yhat's gradient (and those above) are known.
        let z = try XCTUnwrap(frame.position(of: "z = W.T @ x + b  [2]"), text)
        XCTAssertTrue(frame.text[z.row].contains("◀ ∂ flows here"), frame.text[z.row])
        XCTAssertTrue(frame.text[node.row].contains("∂ ✓"), frame.text[node.row])
        let w = try XCTUnwrap(frame.position(of: "W (parameter)"), text)
        XCTAssertFalse(frame.text[w.row].contains("∂ ✓"), frame.text[w.row])   // not reached yet
        XCTAssertNotNil(frame.position(of: "g numbers"), text)
        s.stepper?.toggleGraph()
        XCTAssertNotNil(NotebookRenderer.render(s, width: 120, height: 36).position(of: "upstream ∂L/∂yhat"))
    }

    /// The chapter's MLP: the stepper opens per layer; `e` opens a layer into its ops and `next` leaves it
    /// after its last; `l` switches to ops and back.
    func testLayerViewOnTheChaptersMLP() throws {
        var s = state("""
            seed(1)
            m = flatten >> dense(784, 128) >> relu >> dense(128, 10)
            x = rand(8, 28, 28)
            trace(cross_entropy(m(x), [0, 1, 2, 3, 4, 5, 6, 7]))
            """)
        var stepper = try XCTUnwrap(s.stepper)
        // An unnamed traced expression is titled with its own text, not `L` (clipped so the layer still shows).
        XCTAssertEqual(stepper.trace.root, "cross_entropy(m(x), [0, 1, 2, …])")
        let title = "trace(cross_entropy(m(x), [0,…)"
        XCTAssertTrue(stepper.layerView)
        XCTAssertEqual(stepper.title(.unicode), title + " ─ forward ─ layer 1/5 flatten")
        stepper.next()
        XCTAssertEqual(stepper.title(.unicode), title + " ─ forward ─ layer 2/5 dense(784, 128)")
        s.stepper = stepper
        var frame = NotebookRenderer.render(s, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "layer    dense(784, 128)  (stage 1)   1 op: affine"), frame.joined)
        XCTAssertNotNil(frame.position(of: "params   W = [784, 128]  mean"), frame.joined)
        XCTAssertNotNil(frame.position(of: "output   affine(flatten output, W, b) = [8, 128]"), frame.joined)
        XCTAssertNotNil(frame.position(of: "not computed yet"), frame.joined)
        XCTAssertNotNil(frame.position(of: "e expand"), frame.joined)
        // A large value gets a mini heatmap under its statistics (grey shades without colour).
        let noColor = NotebookRenderer.render(s, width: 120, height: 36, options: RenderOptions(color: false))
        XCTAssertTrue(noColor.joined.contains { "░▒▓█".contains($0) }, noColor.joined)

        stepper.toggleExpand()
        XCTAssertEqual(stepper.title(.unicode), title + " ─ forward ─ layer 2/5 dense(784, 128) ─ op 1/3")
        XCTAssertEqual(stepper.current?.formula, "W (parameter)")
        for _ in 0..<2 { stepper.next() }
        XCTAssertEqual(stepper.current?.op, "affine")
        stepper.next()
        XCTAssertEqual(stepper.title(.unicode), title + " ─ forward ─ layer 3/5 relu")
        XCTAssertNil(stepper.expandedGroup)
        stepper.jumpToBackward()
        XCTAssertEqual(stepper.title(.unicode), title + " ─ backward ─ layer 1/4 cross_entropy")
        stepper.next()
        s.stepper = stepper
        frame = NotebookRenderer.render(s, width: 80, height: 24)
        XCTAssertNotNil(frame.position(of: "dense(128, 10)"), frame.joined)
        XCTAssertNotNil(frame.position(of: "/∂W = [128, 10]"), frame.joined)
        stepper.toggleLayers()
        XCTAssertFalse(stepper.layerView)
        XCTAssertEqual(stepper.current?.op, "affine")             // the same step, now on its own
        XCTAssertTrue(stepper.title(.unicode).hasPrefix(title + " ─ backward 2/"), stepper.title(.unicode))
    }

    /// `W.grad` before any backward reads `none` in the transcript — never an empty echo — and the value once
    /// backward has run (Σ W² at W = [1, 2]: 2W = [2, 4]).
    func testAGradientBeforeBackwardReadsNoneInTheTranscript() throws {
        let driver = SessionDriver()
        var s = NotebookState(title: "mapl")
        s.apply(driver.run("W = param([1.0, 2.0])\nW.grad"))
        XCTAssertEqual(s.entries.last?.lines.last?.text, "none")
        s.apply(driver.run("backward(sum(W * W))\nW.grad"))
        XCTAssertEqual(s.entries.last?.lines.last?.text, "tensor([2., 4.])")
        s.apply(driver.run("print(\"done\")"))
        XCTAssertEqual(s.entries.last?.lines.last?.text, "done")   // a call returning nothing echoes nothing
    }

    /// Closing gives the pane back as it was; the trace can be opened again.
    func testClosingReturnsThePaneToWhatItShowed() throws {
        let driver = SessionDriver()
        var s = NotebookState(title: "mapl")
        s.apply(driver.run("plot([1, 3, 2])"))
        XCTAssertEqual(s.pane, .loss)
        s.apply(driver.run(StepperTests.workedExample))
        XCTAssertNotNil(s.stepper)
        XCTAssertEqual(s.pane, .loss)
        XCTAssertNotNil(NotebookRenderer.render(s, width: 120, height: 36).position(of: "trace(L) ─ forward 1/12"))
        s.closeStepper()
        XCTAssertNil(s.stepper)
        let frame = NotebookRenderer.render(s, width: 120, height: 36)
        XCTAssertNil(frame.position(of: "trace(L) ─"), frame.text[0])
        XCTAssertEqual(frame.position(of: "plot")?.row, 0, frame.text[0])
        XCTAssertTrue(s.reopenStepper())
        XCTAssertEqual(s.stepper?.step, 0)
        // Asking for a pane closes the stepper: F2 first shows the pane it covered, `:pane` the one named.
        s.cyclePane()
        XCTAssertNil(s.stepper)
        XCTAssertEqual(s.pane, .loss)
        s.reopenStepper()
        s.showPane(.off)
        XCTAssertNil(s.stepper)
        XCTAssertFalse(s.paneIsVisible)
        // A stepper opened over a pane switched off leaves it off when it closes.
        s.reopenStepper()
        XCTAssertTrue(s.paneIsVisible)
        s.closeStepper()
        XCTAssertFalse(s.paneIsVisible)
    }

    /// Every step, in every view, at both sizes: ASCII mode draws nothing outside ASCII, and without colours
    /// no cell has a colour.
    func testASCIIAndNoColourEverywhere() throws {
        for source in [StepperTests.workedExample, "seed(1)\nm = flatten >> dense(784, 16) >> relu >> dense(16, 10)\ntrace(cross_entropy(m(rand(2, 28, 28)), [1, 2]))"] {
            var s = state(source, quiz: true)
            let count = try XCTUnwrap(s.stepper?.trace.count)
            for view in 0..<4 {
                s.stepper?.first()
                if view == 1 { s.stepper?.toggleGraph() }
                if view == 2 { s.stepper?.toggleGraph(); s.stepper?.toggleLayers() }
                if view == 3 { s.stepper?.toggleExpand() }
                for k in 0..<count {
                    if k % 3 == 0 { s.stepper?.reveal() }
                    for (w, h) in [(120, 36), (80, 24), (40, 12)] {
                        let ascii = NotebookRenderer.render(s, width: w, height: h, options: RenderOptions(ascii: true, color: false))
                        let foreign = ascii.text.filter { !$0.allSatisfy(\.isASCII) }
                        XCTAssertEqual(foreign, [], "step \(k) view \(view) at \(w)×\(h)")
                        let plain = NotebookRenderer.render(s, width: w, height: h, options: RenderOptions(ascii: false, color: false))
                        let coloured = plain.grid.cells.filter { $0.style.foreground != .default || $0.style.background != .default }
                        XCTAssertTrue(coloured.isEmpty, "step \(k) view \(view) at \(w)×\(h)")
                    }
                    s.stepper?.next()
                }
            }
        }
    }

    /// NaN, ±∞, empty and large tensors: every step draws, the numbers say what they are.
    func testUnusualValuesDrawEveryStep() throws {
        var s = state("""
            w = param([0/0, 1/0, -1, 9007199254740992])
            e = param(zeros(0))
            big = param(ones(300, 400))
            L = sum(w * w) + sum(e) + mean(big * 2)
            trace(L)
            """)
        let count = try XCTUnwrap(s.stepper?.trace.count)
        var seen = ""
        for _ in 0..<count {
            for (w, h) in [(120, 36), (80, 24), (40, 12)] { seen += NotebookRenderer.render(s, width: w, height: h).joined }
            s.stepper?.next()
        }
        XCTAssertTrue(seen.contains("nan"), "a NaN reads as nan")
        XCTAssertTrue(seen.contains("inf"))
        XCTAssertTrue(seen.contains("[0] []"), "an empty tensor")
        // ones(300, 400): 120,000 elements as statistics — mean 1, std 0 (by hand).
        XCTAssertTrue(seen.contains("[300, 400]  mean 1  std 0  min 1  max 1"), "the large parameter as statistics")
    }

    /// Any rectangle, however small, draws without trouble, and what fits is the start of the step.
    func testDrawsIntoAnyRectangle() throws {
        var stepper = try XCTUnwrap(state().stepper)
        stepper.jumpToBackward()
        for _ in 0..<4 { stepper.next() }
        for (w, h) in [(1, 1), (5, 2), (20, 3), (30, 6), (60, 5), (200, 60)] {
            var grid = ScreenGrid(width: w + 4, height: h + 2)
            StepperPane.draw(stepper, into: &grid, rect: Rect(x: 2, y: 1, width: w, height: h), options: RenderOptions(), title: true)
            // Nothing outside the rectangle.
            for y in 0..<grid.height { for x in 0..<grid.width where y == 0 || y > h || x < 2 || x >= w + 2 { XCTAssertEqual(grid[x, y], .blank) } }
        }
        var grid = ScreenGrid(width: 70, height: 8)
        StepperPane.draw(stepper, into: &grid, rect: Rect(x: 0, y: 0, width: 70, height: 8), options: RenderOptions(), title: true)
        XCTAssertTrue(grid.line(0).hasPrefix("trace(L) ─ backward 5/10"), grid.line(0))
        XCTAssertTrue(grid.line(1).hasPrefix("node     yhat = sigmoid(z)"), grid.line(1))
        XCTAssertTrue(grid.line(7).hasPrefix("← p back"), grid.line(7))
        XCTAssertTrue(grid.lines.contains { $0.contains("more rows") } || grid.lines.contains { $0.contains("flows") }, grid.lines.joined(separator: "\n"))
    }
}

/// Quiz mode as code: `trace(x, quiz=true)`, which `:step --quiz` types and `:save` therefore keeps.
final class QuizTraceTests: XCTestCase {
    func testTraceWithQuizTrueOpensTheStepperWithItsAnswersHidden() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run(StepperTests.workedExample.replacingOccurrences(of: "trace(L)", with: "trace(L, quiz=true)")))
        XCTAssertEqual(state.stepper?.quiz, true)
        state.apply(driver.run("trace(L)"))
        XCTAssertEqual(state.stepper?.quiz, false, "a plain trace is no quiz")
        // The journal keeps it.
        let events = driver.run("trace(L, quiz=true)")
        guard let trace = events.first(where: { if case .trace = $0 { return true }; return false }) else { return XCTFail("no trace") }
        guard case .trace(let back)? = try? EventJSON.decode(EventJSON.encode(trace)) else { return XCTFail("the trace does not read back") }
        XCTAssertTrue(back.quiz)
    }
}
