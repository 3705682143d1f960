import XCTest
import Foundation
@testable import MaplLang
@testable import MaplNotebook

/// The loss pane for a class: log scale with ticks at powers of ten, the smoothed batch curve with the raw
/// points, epoch means and validation in the legend, zoom to the newest points and back, several runs
/// compared — at 80×24, 120×36 and 200×50.
final class LossPaneViewTests: XCTestCase {
    static let sizes = [(80, 24), (120, 36), (200, 50)]

    /// A fit of 5 epochs of 100 batches whose loss falls from 2.3 to 0.015 (FakeFit: 2.3·e^(−x)).
    private func trained() -> NotebookState {
        var state = NotebookState(title: "mapl")
        state.apply(.cellStarted(CellInfo(number: 1, source: "h = fit(m, train, epochs=5, val=test)", origin: "<cell 1>")))
        state.apply(FakeFit.events(epochs: 5, batches: 100))
        return state
    }

    /// The y-axis labels of the frame's pane: the text before each `┤` right of `fromColumn`.
    private func yLabels(_ frame: Frame, fromColumn: Int) -> [String] {
        frame.text.compactMap { line -> String? in
            let chars = Array(line)
            guard chars.count > fromColumn, let tick = chars[fromColumn...].firstIndex(of: "┤") else { return nil }
            let head = String(chars[fromColumn..<tick]).split(separator: " ").last.map(String.init)
            return head.flatMap { Double($0) == nil ? nil : $0 }
        }
    }

    func testLogScaleTicksAtPowersOfTen() throws {
        var state = trained()
        state.setLossLogScale(true)
        for (w, h) in LossPaneViewTests.sizes {
            let frame = NotebookRenderer.render(state, width: w, height: h)
            XCTAssertNotNil(frame.position(of: "(log)"), "\(w)×\(h)\n" + frame.joined)
            let title = try XCTUnwrap(frame.position(of: "loss ─ fit("))
            let column = w >= NotebookRenderer.sideBySideWidth ? title.column - 1 : 1
            let labels = yLabels(frame, fromColumn: column)
            // The losses run from 2.3 down to 2.3·e^-5 ≈ 0.0155: the powers of ten between are 1 and 0.1; the
            // lowest label is within the range, not 0.
            XCTAssertTrue(labels.contains("1"), "\(w)×\(h): \(labels)\n" + frame.joined)
            XCTAssertTrue(labels.contains("0.1"), "\(w)×\(h): \(labels)")
            XCTAssertFalse(labels.contains("0"), "\(w)×\(h): \(labels)")
            // 1 stands above 0.1, one decade of rows apart, as 0.1 is above 0.0155's bottom row.
            let one = try XCTUnwrap(frame.text.firstIndex { $0.contains(" 1 ┤") || $0.contains("│1 ┤") })
            let tenth = try XCTUnwrap(frame.text.firstIndex { $0.contains("0.1 ┤") })
            XCTAssertLessThan(one, tenth)
        }
        state.setLossLogScale(false)
        let linear = NotebookRenderer.render(state, width: 120, height: 36)
        XCTAssertNil(linear.position(of: "(log)"))
        XCTAssertTrue(yLabels(linear, fromColumn: 60).contains("2.3") || yLabels(linear, fromColumn: 60).contains("2.28"), linear.joined)
    }

    func testTheLegendNamesTheRawSmoothedEpochAndValidationCurves() throws {
        let state = trained()
        for (w, h) in LossPaneViewTests.sizes {
            let frame = NotebookRenderer.render(state, width: w, height: h)
            // On one row or wrapped over several, every name is there, in the pane.
            let pane = frame.joined
            let legend = try XCTUnwrap(frame.text.firstIndex { $0.contains("batch ") && $0.contains("epoch avg") }, "\(w)×\(h)\n" + pane)
            let rows = frame.text[legend...].prefix(2).joined(separator: "\n")
            XCTAssertTrue(rows.contains("val "), rows)
            XCTAssertTrue(rows.contains("smoothed "), "\(w)×\(h)\n" + pane)
        }
    }

    /// The smoothing is TensorBoard's debiased EMA: for 1, 2, 3 with weight 0.5 — by hand: averages 0.5,
    /// 1.25, 2.125 over 1 − 0.5ᵏ = 0.5, 0.75, 0.875: 1, 1.6667, 2.4286.
    func testSmoothingIsTheDebiasedMovingAverage() {
        let s = LinePlot.smoothed([1, 2, .nan, 3], weight: 0.5)
        XCTAssertEqual(s[0], 1, accuracy: 1e-12)
        XCTAssertEqual(s[1], 1.25 / 0.75, accuracy: 1e-12)
        XCTAssertTrue(s[2].isNaN)
        XCTAssertEqual(s[3], 2.125 / 0.875, accuracy: 1e-12)
    }

    /// The pane keeps the smoothed curve batch by batch: the same numbers as smoothing the whole series at once.
    func testThePanesRunningSmoothingMatchesTheWholeSeries() {
        let state = trained()
        let loss = state.panes.loss
        XCTAssertEqual(loss.smoothedLoss.xs, loss.batchLoss.xs)
        let whole = LinePlot.smoothed(loss.batchLoss.ys)
        XCTAssertEqual(loss.smoothedLoss.ys.count, whole.count)
        for (a, b) in zip(loss.smoothedLoss.ys, whole) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    }

    /// + zooms the x axis to the newest half of the run, again to the newest quarter; − goes back out.
    func testZoomToTheNewestPointsAndBack() throws {
        var state = trained()
        let full = NotebookRenderer.render(state, width: 120, height: 36)
        let axis = try XCTUnwrap(full.text.first { $0.contains("epoch 0 ") }, full.joined)
        XCTAssertTrue(axis.contains("5"), axis)
        state.zoomLoss(by: 1)
        var frame = NotebookRenderer.render(state, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "last 1/2"), frame.joined)
        // The newest half: epochs 2.5 to 5 — the axis no longer starts at 0.
        XCTAssertNil(frame.text.first { $0.contains("epoch 0 ") }, frame.joined)
        XCTAssertNotNil(frame.text.first { $0.contains("epoch") && $0.contains("3") && $0.contains("5") }, frame.joined)
        state.zoomLoss(by: 1)
        frame = NotebookRenderer.render(state, width: 120, height: 36)
        XCTAssertNotNil(frame.position(of: "last 1/4"), frame.joined)
        state.zoomLoss(by: -LossPaneData.maxZoom)
        frame = NotebookRenderer.render(state, width: 120, height: 36)
        XCTAssertNil(frame.position(of: "last 1/"), frame.joined)
        XCTAssertNotNil(frame.text.first { $0.contains("epoch 0 ") }, frame.joined)
    }

    /// `compare(h1, h2, names=...)` of two real fits: one plot in the loss pane, each run's curve and its
    /// validation named in the legend.
    func testCompareOverlaysTwoNamedRuns() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("""
            seed(1)
            d = spirals(50, 3)
            m1 = dense(2, 16, act=relu) >> dense(16, 3)
            h1 = fit(m1, d, epochs=3, batch=16, val=d)
            m2 = dense(2, 16, act=relu) >> dense(16, 3)
            h2 = fit(m2, d, epochs=3, batch=16, val=d, opt=sgd(m2, lr=0.1))
            compare(h1, h2, names=["adam", "sgd"])
            """))
        for (w, h) in LossPaneViewTests.sizes {
            let frame = NotebookRenderer.render(state, width: w, height: h)
            XCTAssertNotNil(frame.position(of: "plot ─ compare: adam, sgd"), "\(w)×\(h)\n" + frame.joined)
            let legend = try XCTUnwrap(frame.text.firstIndex { $0.contains("adam ") && $0.contains("adam val") }, "\(w)×\(h)\n" + frame.joined)
            let rows = frame.text[legend...].prefix(2).joined(separator: "\n")
            XCTAssertTrue(rows.contains("sgd "), rows)
            XCTAssertTrue(rows.contains("sgd val "), "\(w)×\(h)\n" + frame.joined)
        }
        let events = driver.run("compare(h1, 3)")
        XCTAssertTrue(events.contains { if case .error(let r) = $0 { return r.rendered.contains("compare takes the histories fit returns") } else { return false } })
        let delay = driver.run("fit(m1, d, delay=-1)")
        XCTAssertTrue(delay.contains { if case .error(let r) = $0 { return r.rendered.contains("delay must be between 0 and 60 seconds, got -1") } else { return false } })
    }
}

/// `hist(a, b)`: before and after on the same bins, count scale and axis, titled.
final class HistComparisonViewTests: XCTestCase {
    func testBeforeAndAfterShareTheirAxes() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        // a: 0, 1, 1, 2, 2, 2 (and more of each); b = a + 2. On 4 bins over 0…4 (width 1): a fills bins 0-2, b bins 2-3.
        state.apply(driver.run("""
            a = [0, 1, 1, 2, 2, 2]
            b = a + 2
            hist(a, b, bins=4, names=["before", "after"])
            """))
        XCTAssertEqual(state.panes.hist.histogram?.counts, [1, 2, 3, 0])
        XCTAssertEqual(state.panes.hist.histogram?.peers.first?.counts, [0, 0, 1, 5])
        for (w, h) in [(80, 24), (120, 36), (200, 50)] {
            let frame = NotebookRenderer.render(state, width: w, height: h)
            XCTAssertNotNil(frame.position(of: "hist ─ before vs after"), "\(w)×\(h)\n" + frame.joined)
            let before = try XCTUnwrap(frame.position(of: "before"), frame.joined)
            let after = try XCTUnwrap(frame.text.indices.first { $0 > before.row && frame.text[$0].contains("after") }, frame.joined)
            XCTAssertGreaterThan(after, before.row)
            guard h >= 36 else { continue }  // at 80×24 each chart has 3 rows: bars without axes
            // One count scale: both charts' top label is the fullest bin of either (5).
            let peaks = frame.text.filter { $0.contains("5 ┤") }
            XCTAssertEqual(peaks.count, 2, "\(w)×\(h)\n" + frame.joined)
            // One value axis: 0 and 4 at the same columns in both.
            let axes = frame.text.indices.filter { frame.text[$0].contains("└┬") }
            XCTAssertEqual(axes.count, 2, frame.joined)
            if axes.count == 2 {
                let labels = frame.text[axes[0] + 1], labels2 = frame.text[axes[1] + 1]
                XCTAssertEqual(labels.firstIndex(of: "4"), labels2.firstIndex(of: "4"), labels + "\n" + labels2)
            }
        }
        let legacy = driver.run("hist([1, 2, 3], 3)")
        XCTAssertTrue(legacy.contains { if case .histogram(let h) = $0 { return h.counts == [1, 1, 1] } else { return false } })
    }
}
