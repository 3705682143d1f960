import XCTest
import Foundation
@testable import MaplLang
@testable import MaplNotebook

/// Matrices as grids in the transcript and the stepper, at the sizes classrooms have: one row a line, the
/// decimal points of a column in one screen column, negatives coloured apart, too-wide matrices elided in
/// their middle columns instead of wrapped.
final class MatrixGridViewTests: XCTestCase {
    static let sizes = [(80, 24), (120, 36), (200, 50)]

    /// The rows of `frame` holding each of `cells` (in order), one row per entry; fails when one is missing.
    private func rows(_ frame: Frame, _ cells: [String], file: StaticString = #filePath, line: UInt = #line) -> [Int] {
        cells.compactMap { text in
            let p = frame.position(of: text)
            if p == nil { XCTFail("\(text) not on screen\n" + frame.joined, file: file, line: line) }
            return p?.row
        }
    }

    /// The columns of the decimal points on `row` from column `from` on.
    private func points(_ frame: Frame, row: Int, from: Int) -> [Int] {
        (from..<frame.grid.width).filter { frame.grid[$0, row].text == "." }
    }

    func testAFourByThreeMatrixIsFourAlignedLinesAtEverySize() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("A = [[1.5, -2.25, 3], [-0.125, 10, 0], [7, 0.5, -100], [2, -3, 4.75]]\nA"))
        for (w, h) in MatrixGridViewTests.sizes {
            let frame = NotebookRenderer.render(state, width: w, height: h)
            XCTAssertNotNil(frame.position(of: "tensor [4, 3]"), frame.joined)
            // Every number with the matrix's four decimals, each row on a line of its own, in order.
            let r = rows(frame, ["1.5000", "-0.1250", "7.0000", "2.0000"])
            XCTAssertEqual(r.count, 4)
            guard r.count == 4 else { continue }
            XCTAssertEqual(r, [r[0], r[0] + 1, r[0] + 2, r[0] + 3], "\(w)×\(h)\n" + frame.joined)
            XCTAssertTrue(frame.text[r[0]].contains("-2.2500"), frame.text[r[0]])
            XCTAssertTrue(frame.text[r[2]].contains("-100.0000"), frame.text[r[2]])
            // The decimal points stand in three columns, the same on every row.
            let first = points(frame, row: r[0], from: 1)
            XCTAssertEqual(first.count, 3, frame.text[r[0]])
            for k in 1..<4 { XCTAssertEqual(points(frame, row: r[k], from: 1), first, "\(w)×\(h)\n" + frame.joined) }
        }
    }

    func testNegativesAreColouredApartAndNoColourKeepsTheSignAlone() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("[[1.5, -2.25], [-0.5, 3]]"))
        let coloured = NotebookRenderer.render(state, width: 120, height: 36)
        let negative = try XCTUnwrap(coloured.position(of: "-2.2500"))
        let positive = try XCTUnwrap(coloured.position(of: "1.5000"))
        let negativeStyle = coloured.grid[negative.column + 1, negative.row].style
        let positiveStyle = coloured.grid[positive.column, positive.row].style
        XCTAssertEqual(negativeStyle.foreground, .red)
        XCTAssertNotEqual(positiveStyle.foreground, negativeStyle.foreground)
        let plain = NotebookRenderer.render(state, width: 120, height: 36, options: RenderOptions(color: false))
        let p = try XCTUnwrap(plain.position(of: "-2.2500"))
        XCTAssertEqual(plain.grid[p.column + 1, p.row].style, .plain)
        XCTAssertEqual(plain.grid[p.column, p.row].text, "-")
    }

    /// A 3×40 matrix is three lines at every width: its first and last columns and `…` between, never wrapped.
    func testAWideMatrixIsElidedInItsMiddleColumns() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        // Row i, column j holds i + j/100: 0.0000 … 0.3900, 1.0000 … 1.3900, 2.0000 … 2.3900.
        state.apply(driver.run("M = reshape(arange(3), 3, 1) + reshape(arange(40), 1, 40) / 100\nM"))
        for (w, h) in MatrixGridViewTests.sizes {
            let frame = NotebookRenderer.render(state, width: w, height: h)
            let r = rows(frame, ["0.0000", "1.0000", "2.0000"])
            guard r.count == 3 else { continue }
            XCTAssertEqual(r, [r[0], r[0] + 1, r[0] + 2], frame.joined)
            for (k, row) in r.enumerated() {
                let text = frame.text[row]
                XCTAssertTrue(text.contains("…"), "\(w)×\(h): " + text)
                XCTAssertTrue(text.contains("\(k).3900"), "\(w)×\(h): " + text)   // the last column
                XCTAssertFalse(text.contains("\(k).2000"), "\(w)×\(h): " + text)  // a middle column
            }
            // Nothing of the matrix on the row under it: no wrapped remainder.
            XCTAssertFalse(frame.text[r[2] + 1].contains(".3"), frame.joined)
        }
        let ascii = NotebookRenderer.render(state, width: 80, height: 24, options: RenderOptions(ascii: true))
        let row = try XCTUnwrap(ascii.text.first { $0.contains("0.0000") })
        XCTAssertTrue(row.contains("..."), row)
    }

    /// The lecture's [5, 3] layer output shows as a grid in the stepper (not "mean … std …") at every size.
    /// x @ W by hand: [[1.5, 0, -1.5], [2.75, -7, 2.5], [0.625, -0.5, -0.25], [-1.75, 5, -2], [1, 4, -4]].
    func testTheStepperShowsAFiveByThreeOutputAsAGrid() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("""
            W = param([[1, -2, 0.5], [0.25, 1, -1]])
            x = [[1, 2], [3, -1], [0.5, 0.5], [-2, 1], [0, 4]]
            trace(sum(x @ W))
            """))
        var stepper = try XCTUnwrap(state.stepper)
        while stepper.current?.op != "matmul" && stepper.step < stepper.trace.count - 1 { stepper.next() }
        XCTAssertEqual(stepper.current?.op, "matmul")
        state.stepper = stepper
        for (w, h) in MatrixGridViewTests.sizes {
            let frame = NotebookRenderer.render(state, width: w, height: h)
            XCTAssertNil(frame.position(of: "std"), frame.joined)
            let r = rows(frame, ["2.7500", "0.6250", "-1.7500"])
            guard r.count == 3 else { continue }
            XCTAssertEqual(r, [r[0], r[0] + 1, r[0] + 2], "\(w)×\(h)\n" + frame.joined)
            XCTAssertTrue(frame.text[r[0]].contains("-7.0000"), frame.text[r[0]])
            XCTAssertTrue(frame.text[r[0] - 1].contains("1.5000"), frame.joined)
            XCTAssertTrue(frame.text[r[2] + 1].contains("-4.0000"), frame.joined)
            let first = points(frame, row: r[0], from: 1)
            XCTAssertEqual(points(frame, row: r[1], from: 1), first, frame.joined)
        }
    }

    /// The backprop lecture's chapter 4 in the layer view: the first layer's W [4, 3] and its output [5, 3]
    /// as grids (the output was "[5, 3]  mean -0.2014  std 0.4334 …").
    func testTheLecturesLayerViewShowsItsWeightsAndOutputAsGrids() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("""
            seed(0)
            mlp = dense(4, 3) >> relu >> dense(3, 2)
            xb = randn(5, 4)
            yb = [0, 1, 1, 0, 1]
            loss2 = cross_entropy(mlp(xb), yb)
            trace(loss2)
            """))
        XCTAssertEqual(state.stepper?.currentGroup.map { state.stepper!.index.groups[$0].name }, "dense(4, 3)")
        for (w, h) in [(120, 36), (200, 50)] {
            let frame = NotebookRenderer.render(state, width: w, height: h)
            XCTAssertNil(frame.position(of: "std"), "\(w)×\(h)\n" + frame.joined)
            let output = try XCTUnwrap(frame.position(of: "output   "), frame.joined)
            XCTAssertTrue(frame.text[output.row].contains("[5, 3]"), frame.text[output.row])
            // Five rows under it, three numbers each, their decimal points in the same three columns.
            let rows = (1...5).map { frame.text[output.row + $0] }
            let points = rows.map { row in Array(row).indices.filter { Array(row)[$0] == "." && $0 > output.column } }
            XCTAssertEqual(points[0].count, 3, "\(w)×\(h)\n" + frame.joined)
            XCTAssertTrue(points.allSatisfy { $0 == points[0] }, "\(w)×\(h)\n" + frame.joined)
        }
    }

    /// `show_limit(n)` is the full-print limit: the stepper summarises past it, `mapl run`'s printer elides.
    func testShowLimitIsTheFullPrintLimit() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("""
            show_limit(4)
            W = param([[1, -2, 0.5], [0.25, 1, -1]])
            trace(sum(W))
            """))
        let frame = NotebookRenderer.render(state, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "[2, 3]  mean"), frame.joined)
        var printer = Printer()
        printer.showLimit = 4
        XCTAssertEqual(printer.threshold, 4)
        printer.showLimit = nil
        XCTAssertEqual(printer.threshold, Printer.defaultThreshold)
        let events = driver.run("show_limit(0)")
        XCTAssertTrue(events.contains { if case .error(let r) = $0 { return r.rendered.contains("show_limit must be between 1") } else { return false } })
    }

    func testTallTensorsKeepTheirEdgeRowsAndHigherRanksLabelTheirMatrices() {
        let grid = MatrixGrid(shape: [2, 2, 2], values: [1, 2, 3, 4, 5, 6, 7, -8], precision: 2)
        XCTAssertEqual(grid.lines, [.label("[0, :, :]"), .row(0), .row(1), .label("[1, :, :]"), .row(2), .row(3)])
        XCTAssertEqual(grid.text(1), "1.   2.")
        XCTAssertEqual(grid.text(5), "7.  -8.")
        let tall = MatrixGrid(shape: [10, 1], values: (0..<10).map(Float.init), precision: 4, maxRows: 4)
        XCTAssertEqual(tall.lines, [.row(0), .row(1), .elided(6), .row(2), .row(3)])
        XCTAssertEqual(tall.text(2), "⋮ 6 more rows")
        XCTAssertEqual(tall.text(4), "9.")
    }
}
