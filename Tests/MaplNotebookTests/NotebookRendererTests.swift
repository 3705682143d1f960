import XCTest
import Foundation
@testable import MaplLang
@testable import MaplNotebook

/// Whole frames at the sizes users have: what stands where, in words (never box borders).
final class NotebookRendererTests: XCTestCase {
    /// Three cells run for real, then a fourth training (by hand) and stopped at batch 70 of epoch 4.
    private func trainingState() -> NotebookState {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl ─ sessions/mnist.mapl")
        state.apply(driver.run("x = [1, 2, 3]\nprint(\"hello\")"))
        state.apply(driver.run("m = dense(2, 16, act=relu) >> dense(16, 3)\nsummary(m)"))
        state.apply(driver.run("d = spirals(50, 3)"))
        state.apply(.cellStarted(CellInfo(number: 4, source: "h = fit(m, train, epochs=5, val=test)", origin: "<cell 4>")))
        state.apply(FakeFit.events(epochs: 5, batches: 100, upTo: (4, 70)))
        state.prompt.prompt = "[5]> "
        state.prompt.text = "show(test, 7)"
        state.prompt.cursor = 13
        return state
    }

    func testWideTerminalPutsThePaneRightOfTheTranscript() throws {
        let state = trainingState()
        let frame = NotebookRenderer.render(state, width: 120, height: 40)
        // The input of cell 2 on the left half, the pane's title and curves on the right.
        let input = try XCTUnwrap(frame.position(of: "[2] m = dense(2, 16"))
        XCTAssertLessThan(input.column, 60)
        let paneTitle = try XCTUnwrap(frame.position(of: "loss ─ fit(flatten >> dense(784, 10))"))
        XCTAssertEqual(paneTitle.row, 0)
        XCTAssertGreaterThan(paneTitle.column, 60)
        let legend = try XCTUnwrap(frame.position(of: "epoch avg"))
        XCTAssertGreaterThan(legend.column, 60)
        XCTAssertTrue(frame.text[legend.row].contains(" val "), frame.text[legend.row])
        // The live progress line: in the transcript under cell 4 and at the pane's bottom.
        let lines = frame.text
        let progressRows = lines.indices.filter { lines[$0].contains("epoch 4/5") && lines[$0].contains("70/100") }
        XCTAssertEqual(progressRows.count, 2, frame.joined)
        XCTAssertTrue(lines[progressRows[0]].contains("loss 0.057"), lines[progressRows[0]])
        XCTAssertLessThan(progressRows[0], progressRows[1])
        XCTAssertTrue(lines[progressRows[1]].contains("ETA 0:03"), lines[progressRows[1]])
        // The title, the prompt with the cursor after the text, and the hint in the bottom row.
        XCTAssertEqual(frame.position(of: "mapl ─ sessions/mnist.mapl")?.row, 0)
        let prompt = try XCTUnwrap(frame.position(of: "[5]> show(test, 7)"))
        XCTAssertEqual(prompt.row, 38)
        XCTAssertEqual(frame.cursor?.y, 38)
        XCTAssertEqual(frame.cursor?.x, prompt.column + "[5]> show(test, 7)".count)
        XCTAssertEqual(frame.position(of: "Ctrl-D quit")?.row, 39)
        XCTAssertEqual(frame.position(of: "running")?.row, 0)
    }

    /// In the first epoch the loss pane's x axis counts batches (a run paused 30 batches in reads 0 … 30, not
    /// 0 … 0.03 epochs); from the second epoch on it counts epochs.
    func testTheFirstEpochsAxisCountsBatches() throws {
        var state = NotebookState(title: "mapl")
        state.apply(.cellStarted(CellInfo(number: 1, source: "h = fit(m, train, pause=true)", origin: "<cell 1>")))
        state.apply(FakeFit.events(epochs: 5, batches: 938, upTo: (1, 30)))
        let early = NotebookRenderer.render(state, width: 120, height: 36).text
        let axis = try XCTUnwrap(early.first { $0.contains("batch 0 ") && $0.contains(" 30") }, early.joined(separator: "\n"))
        XCTAssertFalse(axis.contains("e-"), axis)
        state.apply(FakeFit.events(epochs: 5, batches: 938, upTo: (2, 10)).dropFirst(30 + 1))
        let later = NotebookRenderer.render(state, width: 120, height: 36).text
        XCTAssertNotNil(later.first { $0.contains("epoch 0 ") && $0.contains(" 1") && !$0.contains("batch 0") }, later.joined(separator: "\n"))
    }

    func testEightyByTwentyFourPutsThePaneUnderTheTranscript() throws {
        let state = trainingState()
        let frame = NotebookRenderer.render(state, width: 80, height: 24)
        let paneTitle = try XCTUnwrap(frame.position(of: "loss ─ fit("))
        let cell4 = try XCTUnwrap(frame.position(of: "[4] h = fit(m, train"))
        XCTAssertLessThan(cell4.row, paneTitle.row)
        XCTAssertGreaterThan(paneTitle.row, 6)
        // The newest transcript line (the progress of cell 4) sits right above the pane.
        XCTAssertTrue(frame.text[paneTitle.row - 1].contains("epoch 4/5"), frame.joined)
        // The pane's curves with their legend and the epoch axis; the prompt and hint at the bottom.
        let legend = try XCTUnwrap(frame.position(of: "batch"))
        XCTAssertGreaterThan(legend.row, paneTitle.row)
        XCTAssertNotNil(frame.position(of: "epoch avg"))
        XCTAssertEqual(frame.position(of: "[5]> show(test, 7)")?.row, 22)
        XCTAssertEqual(frame.position(of: "PgUp/PgDn")?.row, 23)
    }

    func testTooSmallATerminalSaysSo() {
        let state = trainingState()
        for (w, h) in [(39, 24), (80, 11), (20, 5), (1, 1), (0, 0)] {
            let frame = NotebookRenderer.render(state, width: w, height: h)
            XCTAssertNil(frame.cursor)
            XCTAssertEqual(frame.grid.width, w)
            let words = frame.text.joined(separator: " ").split(separator: " ").joined(separator: " ")
            if w >= 20 { XCTAssertTrue(words.contains("terminal too small (need 40×12)"), frame.joined) }
        }
        XCTAssertNotNil(NotebookRenderer.render(state, width: NotebookRenderer.minimumWidth, height: NotebookRenderer.minimumHeight).cursor)
    }

    func testAResizeRedrawsEverythingFromTheData() {
        let state = trainingState()
        let wide = NotebookRenderer.render(state, width: 120, height: 40)
        let narrow = NotebookRenderer.render(state, width: 80, height: 24)
        let again = NotebookRenderer.render(state, width: 120, height: 40)
        XCTAssertEqual(wide.text, again.text)
        // Long lines wrap to the new width and the newest output stays in view at both sizes.
        for frame in [wide, narrow] {
            XCTAssertNotNil(frame.position(of: "[4] h = fit(m, train"), frame.joined)
            XCTAssertTrue(frame.joined.contains("70/100"))
        }
        let small = NotebookRenderer.render(state, width: 50, height: 14)
        XCTAssertTrue(small.joined.contains("70/100"), small.joined)
    }

    func testScrollingShowsOlderLinesAndAMarker() throws {
        var state = NotebookState(title: "mapl")
        state.apply(.cellStarted(CellInfo(number: 1, source: "for i in 1..100 { print(i) }", origin: "<cell 1>")))
        for i in 1...100 { state.apply(.text("line \(i)")) }
        state.apply(.cellEnded(CellEnd(number: 1, outcome: .ok, seconds: 0)))
        var frame = NotebookRenderer.render(state, width: 80, height: 24)
        XCTAssertNotNil(frame.position(of: "line 100"))
        let viewport = 24 - 4                                  // title, separator, prompt and hint rows
        XCTAssertEqual(frame.position(of: "line 100")?.row, viewport)
        state.scroll(lines: 10)
        frame = NotebookRenderer.render(state, width: 80, height: 24)
        XCTAssertNil(frame.position(of: "line 100"))
        XCTAssertNotNil(frame.position(of: "↓ 10 more lines below"))
        // The marker takes the bottom row: the newest line shown is 10 up, one row above the marker.
        XCTAssertEqual(frame.position(of: "line 90 ")?.row, viewport - 1)
        // Scrolling stops at the top: 101 lines in a 20-row view less the marker's row scroll at most 82 rows.
        state.scroll(lines: 1_000_000)
        XCTAssertEqual(state.scrollOffset, 101 - (viewport - 1))
        frame = NotebookRenderer.render(state, width: 80, height: 24)
        XCTAssertEqual(frame.position(of: "[1] for i in 1..100")?.row, 1)
        state.scroll(byPages: -1)
        XCTAssertEqual(state.scrollOffset, 101 - (viewport - 1) - (viewport - 1))
        state.scrollToBottom()
        XCTAssertNotNil(NotebookRenderer.render(state, width: 80, height: 24).position(of: "line 100"))
    }

    func testCompletionsStandInColumnsAboveThePrompt() throws {
        var state = NotebookState(title: "mapl")
        state.prompt.text = "m"
        state.prompt.cursor = 1
        state.completions = ["mean", "median", "min", "mse", "max", "moons", "mnist", "model"]
        var frame = NotebookRenderer.render(state, width: 80, height: 24)
        let prompt = try XCTUnwrap(frame.position(of: "[1]> m"))
        let mean = try XCTUnwrap(frame.position(of: "mean"))
        XCTAssertEqual(mean.row, prompt.row - 1)
        // Eight names of at most 6 characters in 8-column slots: one row, in order.
        XCTAssertEqual(frame.text[mean.row].split(separator: " "), ["│mean", "median", "min", "mse", "max", "moons", "mnist", "model", "│"])
        // Many candidates fill a few rows and say how many more there are.
        state.completions = (0..<300).map { "name\($0)" }
        frame = NotebookRenderer.render(state, width: 80, height: 24)
        let more = try XCTUnwrap(frame.position(of: "more"))
        XCTAssertEqual(more.row, prompt.row - 1)
        XCTAssertNotNil(frame.position(of: "name0"))
    }

    func testAMultiLineCellAndALongLineKeepTheCursorInView() throws {
        setlocale(LC_ALL, "C.UTF-8")
        var state = NotebookState(title: "mapl")
        state.prompt.cellPrompt = "[4]> "
        state.prompt.prompt = "...> "
        state.prompt.pendingLines = ["fn f(x) {", "  y = x * 2"]
        state.prompt.text = "  return y"
        state.prompt.cursor = 10
        var frame = NotebookRenderer.render(state, width: 80, height: 24)
        XCTAssertEqual(frame.position(of: "[4]> fn f(x) {")?.row, 20)
        XCTAssertEqual(frame.position(of: "...>   y = x * 2")?.row, 21)
        XCTAssertEqual(frame.position(of: "...>   return y")?.row, 22)
        XCTAssertEqual(frame.cursor?.x, 1 + 5 + 10)
        // A line longer than the screen scrolls sideways so the cursor stays in view.
        state.prompt.pendingLines = []
        state.prompt.prompt = "[4]> "
        state.prompt.text = (1...60).map { "x\($0)" }.joined(separator: "+")
        state.prompt.cursor = state.prompt.text.count
        frame = NotebookRenderer.render(state, width: 80, height: 24)
        let row = frame.text[22]
        XCTAssertTrue(row.contains("«"), row)
        XCTAssertTrue(row.contains("+x60"), row)
        XCTAssertEqual(frame.cursor?.y, 22)
        let cursor = try XCTUnwrap(frame.cursor?.x)
        XCTAssertLessThan(cursor, 79)
        XCTAssertEqual(frame.grid[cursor - 1, 22].text, "0")    // right after the last character, "x60"
        // The cursor at the start shows the start, and a mark that more follows.
        state.prompt.cursor = 0
        frame = NotebookRenderer.render(state, width: 80, height: 24)
        XCTAssertEqual(frame.cursor?.x, 6)
        XCTAssertTrue(frame.text[22].contains("[4]> x1+x2+x3"), frame.text[22])
        XCTAssertTrue(frame.text[22].contains("»"), frame.text[22])
        // Wide characters take two columns: the cursor after "αβ漢字" is 2 + 4 columns in.
        state.prompt.text = "αβ漢字"
        state.prompt.cursor = 4
        frame = NotebookRenderer.render(state, width: 80, height: 24)
        XCTAssertEqual(frame.cursor?.x, 6 + 2 + 4)
    }

    /// States with every pane kind, drawn in ASCII: not one character outside ASCII.
    func testASCIIModeDrawsOnlyASCII() {
        let driver = SessionDriver(snapshots: SnapshotRequest(every: 1))
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("m = dense(2, 8, act=relu) >> dense(8, 2)\nsummary(m)\nd = spirals(30, 2)\nh = fit(m, d, epochs=2, batch=10, val=d)"))
        state.apply(driver.run("w = param([1.0, -2.0])\nL = sum(sigmoid(w * 3))\nbackward(L)\ntrace(L)\ngraph(L)"))
        state.apply(driver.run("plot([[1, 0/0, 3], [2, 2, 1]])"))
        state.apply(driver.run("show(d, 3, model=m)"))
        state.prompt.pendingLines = ["fn f(x) {"]
        state.prompt.text = String(repeating: "y", count: 200)
        state.prompt.cursor = 100
        state.completions = (0..<50).map { "c\($0)" }
        state.scroll(lines: 3)
        let options = RenderOptions(ascii: true, color: false)
        for kind in [PaneKind.loss, .hist, .digits, .graph] {
            state.showPane(kind)
            for (w, h) in [(120, 40), (80, 24), (40, 12)] {
                let frame = NotebookRenderer.render(state, width: w, height: h, options: options)
                let foreign = frame.text.filter { !$0.allSatisfy(\.isASCII) }
                XCTAssertEqual(foreign, [], "\(kind) at \(w)×\(h)")
            }
        }
        state.apply(driver.run("heatmap(randn(20, 30))"))
        let frame = NotebookRenderer.render(state, width: 120, height: 40, options: options)
        XCTAssertEqual(frame.text.filter { !$0.allSatisfy(\.isASCII) }, [])
    }

    func testColoursOnlyWhenAllowed() {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("y = oops"))
        state.apply(driver.run("img = zeros(28, 28)\nimg[4:23, 12:16] = 1\nshow(img)"))
        for ascii in [false, true] {
            let plain = NotebookRenderer.render(state, width: 120, height: 40, options: RenderOptions(ascii: ascii, color: false))
            XCTAssertTrue(plain.grid.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
            // The error still stands out, by an attribute.
            let error = plain.position(of: "unknown name")!
            XCTAssertTrue(plain.grid[error.column, error.row].style.bold)
        }
        let coloured = NotebookRenderer.render(state, width: 120, height: 40, options: RenderOptions(color: true))
        let error = coloured.position(of: "unknown name")!
        XCTAssertEqual(coloured.grid[error.column, error.row].style.foreground, .red)
        // The digit in grey half blocks: rows 4…22 are white, so the text row of pixel rows 22 and 23 is "▀"
        // white on black.
        XCTAssertTrue(coloured.grid.cells.contains { $0.text == "▀" && $0.style.foreground == .palette(231) && $0.style.background == .palette(16) })
    }
}
