import XCTest
@testable import MaplLang
import MaplEngine

final class RenderTests: XCTestCase {
    func testBrailleDotsFollowUnicodeNumbering() {
        var c = BrailleCanvas(width: 2, height: 1)
        c.set(0, 0)          // dot 1 → U+2801
        c.set(3, 3)          // second cell, dot 8 → U+2880
        XCTAssertEqual(c.rows, ["\u{2801}\u{2880}"])
        c.set(99, 99)        // outside: ignored, no trap
        XCTAssertEqual(c.rows.count, 1)
    }

    func testBrailleLineCoversBothEnds() {
        var c = BrailleCanvas(width: 1, height: 1)
        c.line(0, 0, 1, 3)
        // A 2×4 diagonal sets (0,0) (0,1) or (1,1)… ; both corners must be set.
        let scalar = c.rows[0].unicodeScalars.first!.value - 0x2800
        XCTAssertNotEqual(scalar & 0x01, 0)
        XCTAssertNotEqual(scalar & 0x80, 0)
    }

    func testLinePlotLabelsTheRangeAndTicks() {
        let plot = LinePlot([.init(name: "loss", ys: [2.3, 1.0, 0.5, 0.1])], title: "loss").render(width: 40, height: 10)
        XCTAssertEqual(plot.first, "loss")
        XCTAssertTrue(plot[1].hasPrefix("2.3 ┤"), plot[1])
        XCTAssertTrue(plot.contains { $0.hasPrefix("0.1 ┤") })
        XCTAssertTrue(plot.contains { $0.contains("└┬") })
        // x labels are the first and last step numbers
        let xLabels = plot.last!
        XCTAssertTrue(xLabels.contains("1") && xLabels.contains("4"), xLabels)
        // the first point (top-left) is drawn: first plot row starts with a braille dot
        XCTAssertTrue(plot[1].dropFirst(5).first.map { ("\u{2801}"..."\u{28FF}").contains(String($0)) } ?? false)
    }

    func testLinePlotSurvivesDegenerateInput() {
        XCTAssertEqual(LinePlot([.init(name: "x", ys: [])]).render().last, "(nothing to plot)")
        XCTAssertFalse(LinePlot([.init(name: "x", ys: [1, 1, .nan, 1])]).render().isEmpty)
        XCTAssertEqual(LinePlot([.init(name: "x", ys: [.nan, .infinity])]).render(), ["(nothing to plot)", "2 points not finite (gaps at x = 1, 2)"])
        // Huge and tiny ranges cannot overflow a pixel position.
        for ys in [[-1e308, 1e308], [Double.leastNonzeroMagnitude * 2024, Double.leastNonzeroMagnitude * 4048], [Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, 0]] {
            XCTAssertEqual(LinePlot([.init(name: "x", ys: ys)]).render(width: 30, height: 8).count, 8)
        }
    }

    func testPointsThatAreNotFiniteAreGapsWithANote() {
        let lines = LinePlot([.init(name: "x", ys: [1, 2, .nan, 4, .infinity, 6, -.infinity, 8])]).render(width: 60, height: 10)
        XCTAssertEqual(lines.last, "3 points not finite (gaps at x = 3, 5, 7)")
        // A narrow plot wraps the note rather than cut it.
        let many = LinePlot([.init(name: "x", ys: [1, .nan, .nan, .nan, .nan, 6])]).render(width: 30, height: 10, ascii: true)
        XCTAssertEqual(Array(many.suffix(2)), ["4 points not finite (gaps at x", "= 2, 3, 4, ...)"])
    }

    func testAnIndexAxisHasWholeNumberTicks() {
        // plot(ys) of 102 values puts x = 1…102; ticks fall on round whole numbers, never "51.5".
        let lines = LinePlot([.init(name: "x", ys: (0..<102).map { Double($0) })]).render(width: 60, height: 12)
        let labels = lines[lines.count - 1].split(separator: " ").map(String.init)
        XCTAssertEqual(labels, ["20", "40", "60", "80", "100"])
        // A short index axis: every step gets its tick.
        let short = LinePlot([.init(name: "x", ys: [3, 1, 2])]).render(width: 40, height: 8)
        XCTAssertEqual(short.last?.split(separator: " "), ["1", "2", "3"])
        // Real-valued x keeps decimals: 0 … 1 in steps of 0.2.
        let real = LinePlot([.init(name: "x", xs: [0, 0.5, 1], ys: [1, 2, 3])]).render(width: 60, height: 8)
        XCTAssertEqual(real.last?.split(separator: " "), ["0", "0.2", "0.4", "0.6", "0.8", "1"])
    }

    func testSeriesAreToldApartByStrokeMarkerAndLegend() {
        // Six braille strokes, each sampled in the legend, all different; six ASCII markers likewise.
        let samples = LinePattern.allCases.map { $0.sample() }
        XCTAssertEqual(Set(samples).count, 6, "\(samples)")
        XCTAssertEqual(Set((0..<6).map(ASCIICanvas.marker)).count, 6)
        let series = (0..<3).map { k in LinePlot.Series(name: "s\(k)", ys: [Double(k), Double(k + 1)]) }
        let ascii = LinePlot(series).render(width: 40, height: 10, ascii: true)
        XCTAssertEqual(ascii.last?.trimmingCharacters(in: .whitespaces), "s0 *  s1 o  s2 @")
        XCTAssertTrue(ascii.joined().allSatisfy(\.isASCII), ascii.joined(separator: "\n"))
        for marker in ["*", "o", "@"] { XCTAssertTrue(ascii.dropLast().contains { $0.contains(marker) }, marker) }
        // No marker is one of the axes' characters.
        XCTAssertTrue((0..<6).map(ASCIICanvas.marker).allSatisfy { !"+-|`".contains($0) })
    }

    func testHistogramCountsByHand() {
        // values 0,0,0,1,2,3 over [0,3] in 3 bins of width 1: [0,1)→3, [1,2)→1, [2,3]→2
        let h = Histogram([0, 0, 0, 1, 2, 3], bins: 3)
        XCTAssertEqual(h.counts, [3, 1, 2])
        // Two rows of 8 eighths against the fullest bin (3): 3 → 16 eighths, 1 → 16/3 ≈ 5, 2 → 32/3 ≈ 11.
        // Top row: 8, 0, 3 eighths; bottom row: 8, 5, 8. The count scale reads 3 at the top, 0 at the axis.
        XCTAssertEqual(h.render(height: 2), ["3 ┤█ ▃", "  │█▅█", "0 └┬─┬", "   0 3", "   n = 6"])
        XCTAssertEqual(h.render(height: 2, ascii: true), ["3 +# _", "  |#=#", "0 ++-+", "   0 3", "   n = 6"])
    }

    func testHistogramCountsWhatIsNotFiniteApartAndMarksZero() {
        // -1, 1 and 2 over [-1, 2] in 3 bins: [-1,0)→1, [0,1)→0, [1,2]→2; NaN and inf are counted apart.
        let h = Histogram([-1, 1, 2, .nan, .infinity], bins: 3)
        XCTAssertEqual(h.counts, [1, 0, 2])
        let lines = h.render(height: 1, width: 30)
        // 30 columns, 10 per bin; 0 lies a third of the way: column 10 gets a tick labelled "0".
        XCTAssertEqual(lines.last, "   n = 3, 2 not finite")
        XCTAssertEqual(lines[1], "0 └┬" + String(repeating: "─", count: 9) + "┬" + String(repeating: "─", count: 18) + "┬")
        XCTAssertEqual(lines[2], "   -1" + String(repeating: " ", count: 8) + "0" + String(repeating: " ", count: 18) + "2")
    }

    func testPictureSizesAreKeptAtEveryScale() {
        let h = Histogram((0..<1000).map { Float($0 % 37) }, bins: 240)
        let plot = LinePlot([.init(name: "a", ys: (0..<500).map { sin(Double($0) / 20) }), .init(name: "b", ys: [1, .nan, 3])])
        for (w, ht) in [(1, 1), (2, 1), (5, 3), (11, 4), (12, 5), (30, 8), (80, 30)] {
            for ascii in [false, true] {
                for p in [h.picture(width: w, height: ht, ascii: ascii), plot.picture(width: w, height: ht, ascii: ascii)] {
                    XCTAssertLessThanOrEqual(p.rows.count, ht, "\(w)×\(ht)")
                    XCTAssertTrue(p.rows.allSatisfy { $0.count <= w }, "\(w)×\(ht): \(p.lines)")
                }
            }
        }
    }

    func testAsciiDigitUsesRampAndAveragesRowPairs() {
        // 2×3 image: column 0 black, column 1 half, column 2 white (both rows equal)
        let img = GreyImage.render([0, 0.5, 1, 0, 0.5, 1], rows: 2, columns: 3, low: 0, high: 1, style: .ascii)
        XCTAssertEqual(img, [" +@"])  // ramp " .:-=+*#%@": 0 → ' ', 0.5·9+0.5 → index 5 '+', 1 → '@'
    }

    func testHalfBlocksCarry24BitGrey() {
        let img = GreyImage.picture([1, 0], rows: 2, columns: 1, low: 0, high: 1, style: .halfBlocks)
        XCTAssertEqual(img.ansiLines(trueColor: true), ["\u{1B}[38;2;255;255;255m\u{1B}[48;2;0;0;0m▀\u{1B}[0m"])
        XCTAssertEqual(img.ansiLines(trueColor: false), ["\u{1B}[38;5;231m\u{1B}[48;5;16m▀\u{1B}[0m"])
    }

    func testHeatmapPoolsLargeMatrices() {
        let values = (0..<(100 * 100)).map { Float($0 % 100) }
        let lines = Heatmap.render(values, rows: 100, columns: 100, maxColumns: 10, maxRows: 5, style: .ascii)
        XCTAssertEqual(lines.count, 5 + 1)
        XCTAssertEqual(lines[0].count, 10)
        XCTAssertEqual(lines.last, "100×100   min 0  max 99  (dark → light)")
    }

    func testGraphDrawingShowsOpsLabelsAndSharing() throws {
        let x = Variable.parameter(Tensor([1, 2]), label: "x")
        let y = try x * x          // x used twice
        y.label = "y"
        let s = try Variable.sum(y)
        let lines = GraphDrawing.render(s)
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[0].hasPrefix("sum  []"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("└─ y  mul  [2]"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("   ├─ x  param  [2]"), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("   └─ x  param  [2]"), lines[3])
    }

    /// Values to pixels, bins and grey levels: a fraction in 0…1 whatever the range — constant (span 0, as
    /// `2^24 + 1 == 2^24` in float32), wider than Double (−1e308…1e308), reversed (a y axis) or NaN.
    func testUnitScaleNeverGivesNaN() {
        XCTAssertEqual(UnitScale.fraction(5, from: 0, to: 10), 0.5)
        XCTAssertEqual(UnitScale.fraction(-3, from: 0, to: 10), 0)
        XCTAssertEqual(UnitScale.fraction(30, from: 0, to: 10), 1)
        XCTAssertEqual(UnitScale.fraction(2, from: 10, to: 0), 0.8)          // counted from the top
        XCTAssertEqual(UnitScale.fraction(0, from: -1e308, to: 1e308), 0.5)
        XCTAssertEqual(UnitScale.fraction(16_777_216, from: 16_777_216, to: 16_777_216), 0)
        XCTAssertEqual(UnitScale.fraction(.nan, from: 0, to: 1), 0)
        XCTAssertEqual(UnitScale.fraction(1, from: 0, to: .infinity), 0)
        XCTAssertEqual(UnitScale.cell(10, from: 0, to: 10, count: 4), 3)
        XCTAssertEqual(UnitScale.cell(2.5, from: 0, to: 10, count: 4), 1)
        XCTAssertEqual(UnitScale.point(10, from: 0, to: 10, count: 5), 4)
        // The picture of a constant 2^24: every level black, no trap.
        let lines = GreyImage.render([Float](repeating: 16_777_216, count: 4), rows: 2, columns: 2, style: .ascii)
        XCTAssertEqual(lines, ["  "])
    }
}
