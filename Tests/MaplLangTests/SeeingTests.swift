import XCTest
@testable import MaplLang
import MaplNN

/// A stand-in for the nn integration's dataset: two 2×2 "images" with labels.
private final class TinyImages: ObjectValue, ImageSampleSource {
    var typeName: String { "dataset" }
    var displayString: String { "dataset: 2 images" }
    var sampleCount: Int { 2 }
    func imageSample(_ i: Int) throws -> (pixels: Tensor, label: String) {
        (try Tensor(shape: [1, 2, 2], scalars: i == 0 ? [0, 1, 1, 0] : [1, 1, 1, 1]), i == 0 ? "zero" : "one")
    }
}

final class SeeingTests: XCTestCase {
    /// A 28×28 image, white (1) in rows 0–1 and black elsewhere: in ASCII the first text row (averaging pixel
    /// rows 0 and 1) is all '@', the rest blank; 14 text rows of 28 characters.
    func testShowDrawsA28By28ImageInAnyOfItsShapes() throws {
        let s = ParsedSession()
        try s.run("img = zeros(28, 28)\nimg[0:2, :] = 1")
        let expected = [String(repeating: "@", count: 28)] + Array(repeating: String(repeating: " ", count: 28), count: 13)
        XCTAssertEqual(try s.lines("show(img)"), expected)
        XCTAssertEqual(try s.lines("show(reshape(img, 784))"), expected)
        XCTAssertEqual(try s.lines("show(reshape(img, 1, 28, 28))"), expected)
        XCTAssertEqual(try s.lines("show(reshape(img, 1, 1, 28, 28))"), expected)
        XCTAssertEqual(try s.lines("show(reshape(img, 1, 784))"), expected)
    }

    func testShowOfASmallImageAndGreyLevels() throws {
        // 2×2 [[0, 1], [1, 0]] averages to 0.5 in both columns: ramp index round(0.5·9) = 5 → '+'.
        let s = ParsedSession()
        XCTAssertEqual(try s.lines("show([[0, 1], [1, 0]])"), ["++"])
        // Values outside [0, 1] stretch from min to max: [[-2], [2]] is one column, average 0.5 → '+'.
        XCTAssertEqual(try s.lines("show([[-2, 2], [-2, 2]])"), [" @"])
        // Half blocks when the interpreter asks for them: ESC[38;2;t;t;tm ESC[48;2;b;b;bm ▀ per column where
        // COLORTERM says the terminal takes 24-bit colour, else the palette's black (16) and white (231).
        s.interpreter.pictureStyle = .halfBlocks
        XCTAssertEqual(try s.lines("show([[0, 1], [1, 0]])"), Picture.trueColor
                       ? ["\u{1B}[38;2;0;0;0m\u{1B}[48;2;255;255;255m▀\u{1B}[38;2;255;255;255m\u{1B}[48;2;0;0;0m▀\u{1B}[0m"]
                       : ["\u{1B}[38;5;16m\u{1B}[48;5;231m▀\u{1B}[38;5;231m\u{1B}[48;5;16m▀\u{1B}[0m"])
    }

    func testShowPicksSamplesWithLabels() throws {
        let s = ParsedSession()
        s.interpreter.setGlobal("d", .object(TinyImages()))
        XCTAssertEqual(try s.lines("show(d, 0)"), ["sample 0   label zero", "++"])
        XCTAssertEqual(try s.lines("show(d, -1)"), ["sample 1   label one", "@@"])
        XCTAssertEqual(s.error("show(d, 2)")?.message, "show(): index 2 is out of range for a dataset of 2 samples")
        // A small dataset shown without an index is drawn whole (so `show(d[0:16])` works): every sample, labelled.
        let whole = try s.lines("show(d)")
        XCTAssertEqual(whole.first, "2 samples (0, 1)")
        XCTAssertEqual(whole, try s.lines("show(d, 0..1)"))
        XCTAssertEqual(s.error("big = dataset(zeros(101, 2, 2), zeros(101))\nshow(big)")?.message,
                       "show(): show(d) draws a dataset of at most 100 samples whole, this one has 101: show(d[0:16]), show(d, 0..15) or show(d, i)")
        XCTAssertEqual(try s.lines("show(big[0:2])"), try s.lines("show(big, 0..1)"))
        // A record as d[i] gives: its x drawn, its y as the label.
        s.interpreter.setGlobal("r", .record(Record([("x", .constant(Tensor(repeating: 1, shape: [2, 2]))), ("y", .constant(Tensor(7)))])))
        XCTAssertEqual(try s.lines("show(r)"), ["label 7", "@@"])
    }

    func testShowErrorsSayWhatToPass() throws {
        let s = ParsedSession()
        XCTAssertEqual(s.error("show(zeros(5))")?.message, "show(): a 1-D tensor of 5 values is not a square image; reshape it to [height, width]")
        XCTAssertEqual(s.error("show(zeros(4, 1, 28, 28))")?.message, "show(): a tensor of shape [4, 1, 28, 28] holds several images; show one, e.g. x[0]")
        XCTAssertEqual(s.error("show(\"a\")")?.message, "show(): show draws an image tensor or a dataset's sample, got a string")
        XCTAssertEqual(s.error("show(zeros(0, 3))")?.message, "show(): the image of shape [0, 3] is empty")
        let e = s.error("x = 1\nshow(x, 3)")
        XCTAssertEqual(e?.message, "show(): show draws an image tensor or a dataset's sample, got a number")
        XCTAssertEqual(e?.range.start.line, 2)
        XCTAssertEqual(e?.range.start.column, 6)
        // One image of a batch.
        XCTAssertEqual(try s.lines("b = zeros(3, 2, 2)\nb[1] = 1\nshow(b, 1)"), ["image 1", "@@"])
        XCTAssertEqual(s.error("show(b, 3)")?.message, "show(): index 3 is out of range for 3 images")
    }

    func testLargeImagesAreAveragedDown() throws {
        let s = ParsedSession()
        let lines = try s.lines("show(ones(128, 128))")
        XCTAssertEqual(lines.count, 32)                    // 64 pixel rows, two per text row
        XCTAssertEqual(lines.map(\.count), Array(repeating: 64, count: 32))
    }

    func testPlotDrawsSeveralSeriesWithALegend() throws {
        let s = ParsedSession()
        let one = try s.lines("plot([3, 1, 2])")
        XCTAssertTrue(one[0].hasPrefix("3 ┤"), one[0])
        XCTAssertFalse(one.last?.contains("─") ?? true)   // no legend for a single series
        let two = try s.lines("a = [1, 2, 3]\nb = [3, 2, 1]\nplot([a, b], labels=[\"up\", \"down\"])")
        // Each name with a sample of its stroke: solid, then dashed (4 pixels on, 2 off: ⠒⠒ ⠒⠒).
        XCTAssertEqual(two.last?.trimmingCharacters(in: .whitespaces), "up ⠒⠒⠒⠒⠒⠒  down ⠒⠒ ⠒⠒")
        let lists = try s.lines("plot([[1, 2], [5, 6, 7]])")          // ragged: a list of two series
        XCTAssertEqual(lists.last?.trimmingCharacters(in: .whitespaces), "1 ⠒⠒⠒⠒⠒⠒  2 ⠒⠒ ⠒⠒")
        XCTAssertTrue(lists[0].trimmingCharacters(in: .whitespaces).hasPrefix("7 ┤"), lists[0])
        let xy = try s.lines("plot([10, 20, 30], [1, 4, 9])")
        XCTAssertTrue(xy.last?.hasPrefix(" ") ?? false)
        XCTAssertTrue(xy.last?.contains("10") ?? false && xy.last?.contains("30") ?? false, xy.last ?? "")
        XCTAssertEqual(s.error("plot([1, 2], [1, 2, 3])")?.message, "plot(): xs has 2 values but series 1 has 3")
        XCTAssertEqual(s.error("plot(\"x\")")?.message, "plot(): expects numbers (a list or a 1-D tensor), got a string")
        XCTAssertEqual(s.error("plot([a, b], labels=[\"one\"])")?.message, "plot(): 1 labels for 2 series")
    }

    func testDashedSeriesLeaveGaps() {
        var solid = BrailleCanvas(width: 10, height: 1), dashed = BrailleCanvas(width: 10, height: 1)
        var p = 0, q = 0
        solid.line(0, 0, 19, 0, pattern: .solid, phase: &p)
        dashed.line(0, 0, 19, 0, pattern: .dashed, phase: &q)
        // 20 pixels along row 0: solid sets all; dashed (4 on, 2 off) sets pixels 0–3, 6–9, 12–15, 18–19 = 14.
        func dots(_ c: BrailleCanvas) -> Int { c.rows[0].unicodeScalars.map { ($0.value == 32 ? 0 : $0.value - 0x2800).nonzeroBitCount }.reduce(0, +) }
        XCTAssertEqual(dots(solid), 20)
        XCTAssertEqual(dots(dashed), 14)
    }

    func testHistHeatmapAndGraph() throws {
        let s = ParsedSession()
        // Four values 0, 1, 1, 1 in two bins: counts [1, 3]; the axis runs 0 … 1.
        let h = try s.lines("hist([0, 1, 1, 1], bins=2)")
        // 40 columns, 20 per bin; six rows of 8 eighths against the fuller bin (3): the bin of 1 fills
        // 48/3 = 16 eighths (the two bottom rows), the bin of 3 all 48. Count scale 3 … 0, axis 0 … 1, total.
        XCTAssertEqual(h.count, 9)
        for row in 0..<4 { XCTAssertEqual(h[row], (row == 0 ? "3 ┤" : "  │") + String(repeating: " ", count: 20) + String(repeating: "█", count: 20)) }
        for row in 4..<6 { XCTAssertEqual(h[row], "  │" + String(repeating: "█", count: 40)) }
        XCTAssertEqual(h[6], "0 └┬" + String(repeating: "─", count: 38) + "┬")
        XCTAssertEqual(h[7], "   0" + String(repeating: " ", count: 38) + "1")
        XCTAssertEqual(h[8], "   n = 4")
        XCTAssertEqual(s.error("hist([1], bins=0)")?.message, "hist(): bins must be between 1 and 200, got 0")
        // A 2×2 matrix: each entry its own text row and four characters; min 0 → ' ', max 3 → '@',
        // 1 → round(1/3·9) = 3 '-', 2 → round(2/3·9) = 6 '*'.
        XCTAssertEqual(try s.lines("heatmap([[0, 1], [2, 3]])"),
                       ["    ----", "****@@@@", "2×2   min 0  max 3  (dark → light)"])
        XCTAssertEqual(try s.lines("heatmap([0, 3])").first, "(a [2] tensor, shown as 1×2)")
        XCTAssertEqual(try s.lines("heatmap(zeros(2, 3, 4))").first, "(a [2, 3, 4] tensor, shown as 6×4)")
        XCTAssertEqual(s.error("heatmap(\"W\")")?.message, "heatmap(): 'W' must be a tensor, got a string")
        try s.run("w = param([1, 2])\nloss = sum(w * w)")
        let g = try s.lines("graph(loss)")
        XCTAssertTrue(g[0].hasPrefix("loss  sum  []"), g[0])
        XCTAssertTrue(g[1].hasPrefix("└─ mul  [2]"), g[1])
        XCTAssertTrue(g[2].hasPrefix("   ├─ w  param  [2]"), g[2])
        XCTAssertTrue(g[3].hasPrefix("   └─ w  param  [2]"), g[3])
    }
}
