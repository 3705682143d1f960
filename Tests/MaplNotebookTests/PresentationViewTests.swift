import XCTest
import Foundation
@testable import MaplLang
@testable import MaplNotebook
import MaplTestSupport

/// Presentation mode: the pane alone in the body of the screen (the prompt stays), the same toggle brings the
/// transcript back; the pane follows the cells unless pinned, and a note never says "→ pane" when the pane
/// will not show the picture.
final class PresentationViewTests: XCTestCase {
    static let sizes = [(80, 24), (120, 36), (200, 50)]

    func testThePaneTakesTheWholeScreenAndComesBack() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run(WorkedExample.program + "\ntrace(L)"))
        state.prompt.text = "1 + 1"
        for (w, h) in PresentationViewTests.sizes {
            state.presenting = false
            let normal = NotebookRenderer.render(state, width: w, height: h)
            XCTAssertNotNil(normal.position(of: "trace(L): 12 forward"), normal.joined)
            state.togglePresentation()
            let frame = NotebookRenderer.render(state, width: w, height: h)
            // No transcript; the stepper's rows start at the left border; its title and the way back on top.
            XCTAssertNil(frame.position(of: "trace(L): 12 forward"), "\(w)×\(h)\n" + frame.joined)
            let node = try XCTUnwrap(frame.position(of: "node     W (parameter)"), "\(w)×\(h)\n" + frame.joined)
            XCTAssertEqual(node.column, 1)
            XCTAssertEqual(node.row, 1)
            XCTAssertEqual(frame.position(of: "trace(L) ─ forward 1/12")?.row, 0, frame.joined)
            XCTAssertNotNil(frame.position(of: "F5 transcript"), frame.joined)
            // The prompt is still there, with what was typed.
            XCTAssertEqual(frame.position(of: "[1]> 1 + 1")?.row, h - 2, frame.joined)
            // The stepper's hint row sits at the bottom of the body: the pane has every row above the prompt.
            XCTAssertEqual(frame.position(of: "n → next")?.row, h - 4, frame.joined)
            state.togglePresentation()
            XCTAssertNotNil(NotebookRenderer.render(state, width: w, height: h).position(of: "trace(L): 12 forward"))
        }
    }

    func testADigitInPresentationModeIsDrawnAtScaleTwoAt120x36() throws {
        var state = NotebookState(title: "mapl")
        let pixels: [Float] = (0..<784).map { Float($0 % 28) / 27 }
        state.apply(.image(ImageData(rows: 28, columns: 28, pixels: pixels, low: 0, high: 1, caption: "sample 0   label 5", label: "5")))
        state.togglePresentation()
        let frame = NotebookRenderer.render(state, width: 120, height: 36)
        let rows = (0..<frame.grid.height).filter { y in (0..<frame.grid.width).contains { frame.grid[$0, y].text == "▀" } }
        let width = (0..<frame.grid.width).filter { frame.grid[$0, rows[0]].text == "▀" }.count
        XCTAssertEqual(width, 56, frame.joined)
        XCTAssertEqual(rows.count, 28)
    }

    func testPinningMarksTheTitleAndNotesSayWhereAPictureWent() throws {
        var state = NotebookState(title: "mapl")
        state.apply(.cellStarted(CellInfo(number: 1, source: "h = fit(m, train)", origin: "<cell 1>")))
        state.apply(FakeFit.events(epochs: 2, batches: 10))
        state.showPane(.loss)
        var frame = NotebookRenderer.render(state, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "(pinned)"), frame.joined)
        // Pinned to the loss: a picture stays in its pane, and its note says so instead of "→ pane".
        state.apply(.image(ImageData(rows: 2, columns: 2, pixels: [0, 1, 1, 0], caption: "image 0")))
        let note = try XCTUnwrap(state.entries.last?.lines.last?.text)
        XCTAssertFalse(note.contains("→ pane"), note)
        XCTAssertTrue(note.contains("(in the digits pane: the pane is kept on loss; :pane digits shows it)"), note)
        XCTAssertEqual(state.pane, .loss)
        // Unpinned, the pane follows the next picture and the note points at it.
        state.followOutput()
        frame = NotebookRenderer.render(state, width: 120, height: 36)
        XCTAssertNil(frame.position(of: "(pinned)"), frame.joined)
        state.apply(.image(ImageData(rows: 2, columns: 2, pixels: [0, 1, 1, 0], caption: "image 1")))
        XCTAssertTrue(state.entries.last?.lines.last?.text.hasSuffix("image 1 → pane") == true, state.entries.last?.lines.last?.text ?? "")
        XCTAssertEqual(state.pane, .digits)
    }
}
