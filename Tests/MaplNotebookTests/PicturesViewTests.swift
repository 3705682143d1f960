import XCTest
import Foundation
@testable import MaplLang
import MaplEngine
@testable import MaplNotebook

/// Pictures that fill the pane: a digit at the largest whole scale the pane allows, a grid of samples with
/// their labels and predictions, a conv layer's feature maps in the stepper — at 80×24, 120×36 and 200×50.
final class PicturesViewTests: XCTestCase {
    /// Runs of consecutive half-block cells on `row` between columns `from` and `to`, as (start, length).
    private func blockRuns(_ frame: Frame, row: Int, from: Int = 0, to: Int? = nil) -> [(start: Int, length: Int)] {
        var runs: [(Int, Int)] = []
        var start: Int? = nil
        let end = to ?? frame.grid.width
        for x in from...end {
            let isBlock = x < end && frame.grid[x, row].text == "▀"
            if isBlock, start == nil { start = x }
            if !isBlock, let s = start { runs.append((s, x - s)); start = nil }
        }
        return runs
    }

    /// The rows holding half blocks.
    private func pictureRows(_ frame: Frame) -> [Int] {
        (0..<frame.grid.height).filter { y in (0..<frame.grid.width).contains { frame.grid[$0, y].text == "▀" } }
    }

    /// A 28×28 "digit": a bright ring on black (pixel values 0 or 1).
    private static let ring: [Float] = (0..<784).map { i in
        let r = Double(i / 28) - 13.5, c = Double(i % 28) - 13.5
        let d = (r * r + c * c).squareRoot()
        return d > 6 && d < 10 ? 1 : 0
    }

    func testADigitIsDrawnAtTheLargestWholeScaleThePaneAllows() throws {
        var state = NotebookState(title: "mapl")
        state.apply(.image(ImageData(rows: 28, columns: 28, pixels: PicturesViewTests.ring, low: 0, high: 1, caption: "sample 3   label 0", label: "0")))
        for (w, h) in [(80, 24), (120, 36), (200, 50)] {
            let frame = NotebookRenderer.render(state, width: w, height: h)
            let rows = pictureRows(frame)
            XCTAssertFalse(rows.isEmpty, "\(w)×\(h)\n" + frame.joined)
            let widths = Set(rows.flatMap { blockRuns(frame, row: $0).map(\.length) })
            XCTAssertEqual(widths.count, 1, "\(w)×\(h): one picture, one width: \(widths)")
            let width = try XCTUnwrap(widths.first)
            // Half blocks: two pixel rows a cell, so a picture `width` wide at scale s is s·14 rows tall.
            if width >= 28 {
                XCTAssertEqual(width % 28, 0, "\(w)×\(h): a whole scale")
                XCTAssertEqual(rows.count, width / 2, "\(w)×\(h): square pixels")
            }
            switch (w, h) {
            case (200, 50): XCTAssertGreaterThanOrEqual(width, 56, frame.joined)   // the pane is 90 wide and 47 tall: scale 3
            case (120, 36): XCTAssertEqual(width, 28, frame.joined)                 // 53 wide: scale 1
            default: XCTAssertLessThan(width, 28, frame.joined)                     // 7 rows tall: averaged down
            }
            XCTAssertNotNil(frame.position(of: "label 0"), frame.joined)
        }
        // The ring's hole is black and the ring white at scale 3 (200×50): the middle row of the picture.
        let frame = NotebookRenderer.render(state, width: 200, height: 50)
        let rows = pictureRows(frame)
        let middle = rows[rows.count / 2]
        let run = try XCTUnwrap(blockRuns(frame, row: middle).first)
        let centre = frame.grid[run.start + run.length / 2, middle].style
        let ring = frame.grid[run.start + run.length / 2 + 8 * run.length / 28, middle].style
        XCTAssertEqual(centre.foreground, .grey(0))
        XCTAssertEqual(ring.foreground, .grey(1))
    }

    /// `show(d, 0..15)` draws 16 samples as a grid with their labels; `errors(m, d)` finds the misclassified
    /// ones (a model whose scores are all zero predicts class 0, so its errors are the samples not labelled 0)
    /// and `show(d, errors(m, d), model=m)` puts label and prediction under each.
    func testSamplesAsAGridAndTheMisclassifiedOnes() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("""
            x = reshape(arange(16 * 784), 16, 1, 28, 28) / (16 * 784)
            d = dataset(x, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5])
            show(d, 0..15)
            """))
        for (w, h) in [(120, 36), (200, 50)] {
            let frame = NotebookRenderer.render(state, width: w, height: h)
            for label in 0...9 { XCTAssertNotNil(frame.position(of: "label \(label)") ?? frame.position(of: " \(label) "), "\(w)×\(h)\n" + frame.joined) }
            let rows = pictureRows(frame)
            let tilesPerRow = blockRuns(frame, row: try XCTUnwrap(rows.first)).count
            XCTAssertGreaterThanOrEqual(tilesPerRow, 2, frame.joined)
        }
        let big = NotebookRenderer.render(state, width: 200, height: 50)
        XCTAssertNotNil(big.position(of: "show: 16 samples (0, 1, 2, 3, …) → pane"), big.joined)
        // At 200×50 the 16 samples with their labels fill the pane (90×47): 4 side by side, 18 pixels wide (scale 1,
        // 28 wide, would take 95 rows), across most of its width.
        let first = try XCTUnwrap(pictureRows(big).first)
        let runs = blockRuns(big, row: first)
        XCTAssertEqual(runs.count, 4, big.joined)
        XCTAssertTrue(runs.allSatisfy { $0.length >= 18 }, "\(runs)")

        let events = driver.run("""
            m = flatten >> dense(784, 10)
            m.layers[1].W = zeros(784, 10)
            m.layers[1].b = zeros(10)
            e = errors(m, d)
            print(e)
            show(d, e, model=m)
            """)
        state.apply(events)
        let printed = events.compactMap { if case .text(let t) = $0 { return t } else { return nil } }
        XCTAssertEqual(printed, ["[1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15]"])
        let frame = NotebookRenderer.render(state, width: 200, height: 50)
        XCTAssertNotNil(frame.position(of: "label 9"), frame.joined)
        XCTAssertNotNil(frame.position(of: "pred 0 ✗"), frame.joined)
        XCTAssertNil(frame.position(of: "label 0"), frame.joined)
        // mapl run's text: the samples side by side at scale 1 with their captions.
        let text = TextRenderer(style: .ascii).lines(for: try XCTUnwrap(events.first { if case .image = $0 { return true } else { return false } }))
        XCTAssertEqual(text.first, "14 samples (1, 2, 3, 4, …)")
        XCTAssertTrue(text.contains { $0.contains("label 1") && $0.contains("label 2") }, text.joined(separator: "\n"))
    }

    /// A conv layer's [2, 8, 28, 28] output in the stepper: sample 0's 8 maps as 8 pictures side by side, each
    /// recognisable (map k is bright only in its own band of rows: a band that moves down from map to map).
    func testTheStepperDrawsEightFeatureMaps() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        // x holds 8 bands: map k of sample 0 is 1 in rows 3k…3k+2, else 0 (and sample 1 likewise).
        state.apply(driver.run("""
            rows = reshape(arange(28), 1, 1, 28, 1)
            k = reshape(arange(8), 1, 8, 1, 1)
            maps = where(rows >= 3 * k, 1, 0) * where(rows < 3 * k + 3, 1, 0) + zeros(2, 8, 28, 28)
            W = param(0.5)
            trace(sum(maps * W))
            """))
        var stepper = try XCTUnwrap(state.stepper)
        while stepper.current.map({ $0.shape == [2, 8, 28, 28] && $0.op == "mul" }) != true && stepper.step < stepper.trace.count - 1 { stepper.next() }
        XCTAssertEqual(stepper.current?.shape, [2, 8, 28, 28])
        state.stepper = stepper
        for (w, h) in [(120, 36), (200, 50)] {
            let frame = NotebookRenderer.render(state, width: w, height: h)
            XCTAssertNotNil(frame.position(of: "8 maps [0, 0…7] 28×28"), "\(w)×\(h)\n" + frame.joined)
            // The value's maps: the pictures under the value line.
            let valueRow = try XCTUnwrap(frame.position(of: "value    ")).row
            let rows = pictureRows(frame).filter { $0 > valueRow }
            XCTAssertFalse(rows.isEmpty, frame.joined)
            // Tiles side by side, rows of tiles separated by rows without pictures: 8 in all.
            var bands: [[Int]] = []
            for r in rows { if let last = bands.last?.last, last == r - 1 { bands[bands.count - 1].append(r) } else { bands.append([r]) } }
            let total = bands.reduce(0) { $0 + blockRuns(frame, row: $1[0]).count }
            XCTAssertEqual(total, 8, "\(w)×\(h)\n" + frame.joined)
            let firstRowTiles = blockRuns(frame, row: rows[0])
            XCTAssertGreaterThanOrEqual(firstRowTiles.count, 4, "\(w)×\(h)\n" + frame.joined)
            XCTAssertTrue(firstRowTiles.allSatisfy { $0.length >= 7 }, "\(w)×\(h): \(firstRowTiles)")
            // Map 0 is bright at its top and map 1 dark there (its band is lower).
            let top = rows[0]
            let map0 = frame.grid[firstRowTiles[0].start + firstRowTiles[0].length / 2, top].style.foreground
            let map1 = frame.grid[firstRowTiles[1].start + firstRowTiles[1].length / 2, top].style.foreground
            XCTAssertEqual(map0, .grey(1), "\(w)×\(h)\n" + frame.joined)
            XCTAssertEqual(map1, .grey(0), "\(w)×\(h)\n" + frame.joined)
        }
    }

    /// A heatmap fills the graph pane at a whole scale: an 8×8 matrix at 200×50 (a pane 90 wide, 45 rows) is
    /// 11 columns and 11 pixel rows an entry.
    func testAHeatmapFillsThePane() throws {
        var state = NotebookState(title: "mapl")
        let values: [Float] = (0..<64).map { Float($0) }
        state.apply(.heatmap(HeatmapData(rows: 8, columns: 8, values: values, sourceRows: 8, sourceColumns: 8, min: 0, max: 63)))
        let frame = NotebookRenderer.render(state, width: 200, height: 50)
        let rows = pictureRows(frame)
        let runs = blockRuns(frame, row: try XCTUnwrap(rows.first))
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs.first?.length, 88, frame.joined)
        XCTAssertEqual(rows.count, 44, frame.joined)   // 88 pixel rows, two a cell
    }

    /// Outside the notebook, grey pictures are 24-bit escapes where COLORTERM says so, else the 256-colour
    /// palette's greys: black 16, white 231, mid-grey 232 + round(0.5·23) = 244.
    func testGreyEscapesFollowTheTerminalsColours() {
        let p = Picture(rows: [[Picture.Cell("▀", .grey(top: 0, bottom: 1)), Picture.Cell("▀", .grey(top: 0.5, bottom: 0.5))]])
        XCTAssertEqual(p.ansiLines(trueColor: false), ["\u{1B}[38;5;16m\u{1B}[48;5;231m▀\u{1B}[38;5;244m\u{1B}[48;5;244m▀\u{1B}[0m"])
        XCTAssertEqual(p.ansiLines(trueColor: true), ["\u{1B}[38;2;0;0;0m\u{1B}[48;2;255;255;255m▀\u{1B}[38;2;128;128;128m\u{1B}[48;2;128;128;128m▀\u{1B}[0m"])
    }

    /// Which slices are drawn: a conv layer's output [N, C, H, W] is sample 0's C maps; kernels [out, 1, kh, kw]
    /// (and a batch of images [N, 1, H, W]) one per first-axis entry; [C, H, W] one per C.
    func testFeatureMapSlices() throws {
        let maps = try Tensor.zeros([2, 8, 28, 28])
        XCTAssertEqual(FeatureMaps.slices(maps).label, "[0, 0…7]")
        XCTAssertEqual(FeatureMaps.slices(maps).offsets, (0..<8).map { $0 * 784 })
        let kernels = try Tensor.zeros([8, 1, 3, 3])
        XCTAssertEqual(FeatureMaps.slices(kernels).label, "[0…7, 0]")
        XCTAssertEqual(FeatureMaps.slices(kernels).offsets, (0..<8).map { $0 * 9 })
        let planes = try Tensor.zeros([3, 5, 5])
        XCTAssertEqual(FeatureMaps.slices(planes).offsets, [0, 25, 50])
        XCTAssertFalse(FeatureMaps.applies(to: try Tensor.zeros([4, 3])))
        // Kernels 3×3 in a 100×12 room: all 8 side by side at scale 3 (scale 4, 12 wide, fits 7 a row: two rows, 13 > 11).
        let rows = FeatureMaps.rows(kernels, width: 100, height: 12, options: RenderOptions())
        XCTAssertEqual(rows.first?.text, "8 maps [0…7, 0] 3×3 scale 3, 0 → 0")
    }
}
