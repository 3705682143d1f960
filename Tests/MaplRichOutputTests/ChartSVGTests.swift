import Foundation
import XCTest
@testable import MaplRichOutput
@testable import MaplLang
import MaplTestSupport

/// `plot` and `hist` as `image/svg+xml`: the document parses as XML (python's xml.etree), and read back
/// through its own tick labels its marks are the data: each curve's points in order and in place, each bar as
/// tall as its count.
final class ChartSVGTests: XCTestCase {
    func testAPlotsPointsAreInOrderAndInPlaceOnItsAxes() throws {
        let ys = [2.31, 1.12, 0.71, 0.43, 0.35, 0.29]
        let plot = PlotData(series: [PlotData.Series(name: "loss", xs: ys.indices.map { Double($0 + 1) }, ys: ys)], title: "loss <per> epoch & more", xLabel: "epoch")
        let bundle = MimeBundles.bundle(for: .plot(plot))
        XCTAssertEqual(bundle["text/plain"], LinePlot(plot).render().joined(separator: "\n"))
        let out = try RichOutputSupport.python(RichOutputSupport.chartReader + """
            lines = [p for p in svg.iter(ns + "polyline") if p.get("class") == "series"]
            pts = [tuple(map(float, xy.split(","))) for xy in lines[0].get("points").split()]
            xs = [round(float(to_x(x)), 2) for x, _ in pts]
            ys = [round(float(to_y(y)), 2) for _, y in pts]
            title = [t.text for t in svg.iter(ns + "text") if t.get("class") == "title"]
            print(len(lines), xs, ys, title)
            """, input: try RichOutputSupport.json(["svg": try XCTUnwrap(bundle["image/svg+xml"])]))
        XCTAssertEqual(out, "1 [1.0, 2.0, 3.0, 4.0, 5.0, 6.0] [2.31, 1.12, 0.71, 0.43, 0.35, 0.29] ['loss <per> epoch & more']")
    }

    /// A NaN breaks the line in two and is counted under the chart; a second series gets a legend.
    func testANaNBreaksTheLineAndIsCounted() throws {
        let plot = PlotData(series: [PlotData.Series(name: "a", xs: [1, 2, 3, 4, 5], ys: [1, 2, .nan, 4, 5]),
                                     PlotData.Series(name: "b", xs: [1, 5], ys: [5, 1])])
        let svg = try XCTUnwrap(MimeBundles.bundle(for: .plot(plot))["image/svg+xml"])
        let out = try RichOutputSupport.python(RichOutputSupport.chartReader + """
            lines = [p for p in svg.iter(ns + "polyline") if p.get("class") == "series"]
            runs = [[(round(float(to_x(float(xy.split(",")[0]))), 2), round(float(to_y(float(xy.split(",")[1]))), 2)) for xy in p.get("points").split()] for p in lines]
            notes = [t.text for t in svg.iter(ns + "text") if t.get("class") == "note"]
            legend = [g.find(ns + "text").text for g in svg.iter(ns + "g") if g.get("class") == "legend"]
            print(runs, notes, legend)
            """, input: try RichOutputSupport.json(["svg": svg]))
        XCTAssertEqual(out, "[[(1.0, 1.0), (2.0, 2.0)], [(4.0, 4.0), (5.0, 5.0)], [(1.0, 5.0), (5.0, 1.0)]] ['1 point not finite (a gap)'] ['a', 'b']")
    }

    /// hist of ten values in 5 bins over 0…10: counts 1, 2, 3, 0, 4 by hand (10 falls in the last bin; no bar for the empty one).
    func testAHistogramsBarsAreAsTallAsTheirCounts() throws {
        let events = try RichOutputSupport.events("hist([0, 2.5, 3, 4.5, 5, 5.5, 8.5, 9, 9.5, 10], bins=5)")
        guard case .histogram(let h)? = events.first(where: { if case .histogram = $0 { return true } else { return false } }) else {
            return XCTFail("no histogram: \(events)")
        }
        let svg = try XCTUnwrap(MimeBundles.bundle(for: .histogram(h))["image/svg+xml"])
        let out = try RichOutputSupport.python(RichOutputSupport.chartReader + """
            bars = [r for r in svg.iter(ns + "rect") if r.get("class") == "bin"]
            base = to_y(0)
            heights = [round(float(to_y(float(r.get("y")))), 2) for r in bars]
            lefts = [round(float(to_x(float(r.get("x")))), 2) for r in bars]
            print(heights, lefts)
            """, input: try RichOutputSupport.json(["svg": svg]))
        XCTAssertEqual(out, "[1.0, 2.0, 3.0, 4.0] [0.0, 2.0, 4.0, 8.0]")
    }

    /// Markup in names is escaped: the SVG still parses and says the name as written.
    func testNamesWithMarkupAreEscaped() throws {
        let h = HistogramData(counts: [1, 2], low: 0, high: 1, title: "a<b & \"c\"")
        let svg = try XCTUnwrap(MimeBundles.bundle(for: .histogram(h))["image/svg+xml"])
        XCTAssertTrue(svg.contains("a&lt;b &amp; &quot;c&quot;"), svg)
        let out = try RichOutputSupport.python(RichOutputSupport.chartReader + """
            print([t.text for t in svg.iter(ns + "text") if t.get("class") == "title"])
            """, input: try RichOutputSupport.json(["svg": svg]))
        XCTAssertEqual(out, "['a<b & \"c\"']")
    }
}
