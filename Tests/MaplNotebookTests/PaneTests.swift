import XCTest
import Foundation
@testable import MaplLang
@testable import MaplNotebook

/// The pane's four views, from real cells, at the sizes the layout gives them (and at silly ones).
final class PaneTests: XCTestCase {
    /// The pane's rows of a 120×40 frame (rows 1…36, right of the divider), trailing spaces dropped.
    private func paneText(_ frame: Frame) -> [String] {
        frame.text[1...36].map { line in
            var row = String(line.dropFirst(65).dropLast())
            while row.last == " " { row.removeLast() }
            return row
        }
    }

    func testLossPaneFromARealFit() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        let events = driver.run("seed(1)\nd = spirals(60, 3)\nm = dense(2, 16, act=relu) >> dense(16, 3)\nh = fit(m, d, epochs=3, batch=30, val=d)")
        let batches = events.compactMap { e -> BatchProgress? in if case .training(.batch(let b)) = e { return b }; return nil }
        let epochs = events.compactMap { e -> EpochProgress? in if case .training(.epoch(let p)) = e { return p }; return nil }
        XCTAssertEqual(batches.count, 3 * 6)                 // 180 samples in batches of 30, three times

        // Midway through epoch 2: the curves so far and the live progress line at the pane's bottom.
        let mid = events.firstIndex { if case .training(.batch(let b)) = $0 { return b.epoch == 2 && b.batch == 3 }; return false }!
        state.apply(events[...mid])
        var frame = NotebookRenderer.render(state, width: 120, height: 40)
        var pane = paneText(frame)
        XCTAssertTrue(frame.text[0].contains("loss ─ fit(dense >> dense)"), frame.text[0])
        XCTAssertTrue(pane[35].hasPrefix("epoch 2/3 "), pane[35])
        XCTAssertTrue(pane[35].contains("3/6  loss " + ProgressLine.number(batches[8].loss)), pane[35])
        // The y axis runs from the highest batch loss so far down to the lowest.
        let seen = batches.prefix(9).map(\.loss)
        XCTAssertTrue(pane[0].trimmingCharacters(in: .whitespaces).hasPrefix(AxisFormat.label(seen.max()!) + " ┤"), pane[0])
        XCTAssertTrue(pane.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(AxisFormat.label(seen.min()!) + " ┤") },
                      pane.joined(separator: "\n"))
        // The x axis counts whole epochs from 0: 0 and 1 so far (1.5 epochs done); the legend names the
        // batch losses, the mean and the validation loss of epoch 1.
        let axisLabels = try XCTUnwrap(pane.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("epoch ") })
        XCTAssertEqual(axisLabels.split(separator: " "), ["epoch", "0", "1"])
        XCTAssertTrue(pane.contains { $0.contains("batch") && $0.contains("epoch avg") && $0.contains(" val ") })

        // Finished: the validation curve joins the legend, the ticks are whole epochs, and the last row
        // says how it ended with the last epoch's losses.
        state.apply(events[(mid + 1)...])
        frame = NotebookRenderer.render(state, width: 120, height: 40)
        pane = paneText(frame)
        let last = try XCTUnwrap(epochs.last)
        XCTAssertEqual(pane[35].trimmingCharacters(in: .whitespaces),
                       "3 epochs  loss \(ProgressLine.number(last.loss[2]))  val_loss \(ProgressLine.number(last.valLoss[2]))  done")
        XCTAssertTrue(pane.contains { $0.split(separator: " ") == ["epoch", "0", "1", "2", "3"] }, pane.joined(separator: "\n"))
    }

    func testDigitsPaneShowsTheImageLabelAndPredictedProbabilities() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        // Ten classes; the weights send an all-white 2×2 image to class 7 with score 4, every other class 0:
        // p(7) = e⁴ / (e⁴ + 9) = 0.8585, the others 1 / (e⁴ + 9) = 0.0157 (NumPy).
        let events = driver.run("""
            m = flatten >> dense(4, 10)
            W = zeros(4, 10)
            W[:, 7] = 1
            m.layers[1].W = W
            m.layers[1].b = zeros(10)
            d = dataset([zeros(2, 2), ones(2, 2)], [3, 7])
            show(d, 1, model=m)
            """)
        state.apply(events)
        XCTAssertEqual(state.pane, .digits)
        XCTAssertEqual(state.entries[0].lines.last?.text, "show: sample 1   label 7   predicted 7 (0.858) → pane")
        let frame = NotebookRenderer.render(state, width: 120, height: 40)
        XCTAssertTrue(frame.text[0].contains("digits ─ sample 1   label 7"), frame.text[0])
        let pane = paneText(frame)
        let label = try XCTUnwrap(pane.firstIndex { $0.contains("label 7") })
        XCTAssertTrue(pane[label + 1].contains("predicted 7  (right)"), pane[label + 1])
        // Bars of 10 cells at probability 1: 0.8585 × 80 eighths = 69 → 8 full cells and 5/8.
        let bar7 = try XCTUnwrap(pane.first { $0.contains("7 ████████▋") })
        XCTAssertTrue(bar7.hasSuffix("0.858"), bar7)
        // The next classes in order of probability (ties by class number): 0, 1, 2, 3 at 0.016.
        let rows = pane.filter { $0.hasSuffix(" 0.016") }
        XCTAssertEqual(rows.count, 4)
        XCTAssertTrue(rows[0].contains("0 ▏"), rows[0])
        // The digit itself: white, in the picture left of the text (ones → the top of the grey scale).
        XCTAssertTrue(frame.grid.cells.contains { $0.text == "▀" && $0.style.foreground == .palette(231) })
    }

    func testHistPaneShowsEachLayersWeightsFromTheLatestSnapshot() throws {
        let driver = SessionDriver(snapshots: SnapshotRequest(every: 1))
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("d = spirals(40, 2)\nm = dense(2, 16, act=relu) >> dense(16, 2)\nh = fit(m, d, epochs=1, batch=40)"))
        state.showPane(.hist)
        let frame = NotebookRenderer.render(state, width: 120, height: 40)
        XCTAssertTrue(frame.text[0].contains("hist ─ weights at epoch 1, batch 2"), frame.text[0])
        let pane = paneText(frame)
        let first = try XCTUnwrap(pane.firstIndex { $0.hasPrefix("layers.0.W  [2, 16]") })
        let second = try XCTUnwrap(pane.firstIndex { $0.hasPrefix("layers.1.W  [16, 2]") })
        XCTAssertLessThan(first, second)
        // Each with its count scale and its total: 2·16 = 32 weights, 16·2 = 32 weights.
        XCTAssertEqual(pane.filter { $0.trimmingCharacters(in: .whitespaces) == "n = 32" }.count, 2)
        XCTAssertTrue(pane[first + 1].contains(" ┤"), pane[first + 1])
        // The bins fit the pane: 240 bins added together in groups, never more columns than there are.
        let bars = pane[(first + 1)..<second].filter { $0.contains("│") || $0.contains("┤") }
        XCTAssertFalse(bars.isEmpty)
    }

    func testGraphPaneScrollsAndHeatmapFits() throws {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        // A chain of 60 additions: 61 nodes in a drawing deeper than the pane.
        state.apply(driver.run("x = param([1.0])\ny = x\nfor i in 1..60 { y = y + 1 }\ngraph(sum(y))"))
        var frame = NotebookRenderer.render(state, width: 120, height: 40)
        var pane = paneText(frame)
        XCTAssertTrue(pane[0].hasPrefix("sum  []"), pane[0])
        XCTAssertTrue(pane[35].contains("more lines"), pane[35])
        state.scrollPane(lines: 5)
        frame = NotebookRenderer.render(state, width: 120, height: 40)
        pane = paneText(frame)
        let drawing = state.panes.graph.graphLines
        var expected = String(drawing[5].prefix(54))
        while expected.last == " " { expected.removeLast() }
        XCTAssertEqual(pane[0], expected)
        state.scrollPane(lines: 10_000)                      // to the end, no further
        XCTAssertEqual(state.paneScroll, drawing.count - 36)
        // A heatmap replaces the graph in the same pane, with its size and range.
        state.apply(driver.run("heatmap(eye(4))"))
        frame = NotebookRenderer.render(state, width: 120, height: 40)
        XCTAssertTrue(frame.text[0].contains("heatmap ─ 4×4"))
        XCTAssertTrue(paneText(frame).contains { $0.hasPrefix("4×4   min 0  max 1  (dark → light)") })
    }

    /// Every pane kind, with and without data, in ASCII and not, at sizes down to a single cell: the
    /// picture stays inside the pane's rectangle and nothing traps.
    func testEveryPaneFitsAnySize() {
        let driver = SessionDriver(snapshots: SnapshotRequest(every: 1))
        var full = NotebookState(title: "mapl")
        full.apply(driver.run("d = spirals(30, 2)\nm = dense(2, 8, act=relu) >> dense(8, 2)\nh = fit(m, d, epochs=2, batch=10, val=d)"))
        full.apply(driver.run("show(d, 0, model=m)\nw = param([1.0])\ngraph(sum(w * w))"))
        full.apply(.cellStarted(CellInfo(number: 9, source: "fit", origin: "<cell 9>")))
        full.apply(FakeFit.events(epochs: 3, batches: 10, upTo: (2, 5)))
        for state in [NotebookState(title: "mapl"), full] {
            let panes = state.panes
            for options in [RenderOptions(), RenderOptions(ascii: true, color: false)] {
                for (w, h) in [(1, 1), (2, 2), (3, 1), (8, 3), (12, 5), (20, 8), (53, 36), (200, 60)] {
                    let pictures = [panes.loss.picture(width: w, height: h, options: options),
                                    panes.hist.picture(width: w, height: h, options: options),
                                    panes.digits.picture(width: w, height: h, options: options),
                                    panes.graph.picture(width: w, height: h, scroll: 3, options: options)]
                    for p in pictures {
                        XCTAssertLessThanOrEqual(p.rows.count, h, "\(w)×\(h)")
                        XCTAssertTrue(p.rows.allSatisfy { $0.count <= w }, "\(w)×\(h): \(p.lines)")
                    }
                }
            }
        }
    }

    func testProgressLineFitsItsWidth() {
        let p = BatchProgress(epoch: 4, epochs: 5, batch: 703, batchesPerEpoch: 938, loss: 0.0712, accuracy: 0.9764,
                              samplesPerSecond: 41_234, eta: 3.4)
        // 703/938 of 15 cells = 11.24 cells: 11 full blocks and 1/8 (▏), then 3 empty.
        XCTAssertEqual(ProgressLine.text(p, width: 120),
                       "epoch 4/5 ███████████▏░░░ 703/938  loss 0.071  acc 0.976  41k samples/s  ETA 0:03")
        XCTAssertEqual(ProgressLine.text(p, width: 120, ascii: true),
                       "epoch 4/5 ###########.... 703/938  loss 0.071  acc 0.976  41k samples/s  ETA 0:03")
        XCTAssertEqual(ProgressLine.text(p, width: 50), "epoch 4/5 703/938  loss 0.071  acc 0.976  ETA 0:03")
        XCTAssertEqual(ProgressLine.text(p, width: 30), "epoch 4/5 703/938  loss 0.071")
        // Small losses never read 0.000; long runs show hours; a NaN loss says nan.
        var q = p
        q.loss = 0.00042; q.eta = 7384; q.samplesPerSecond = 2_500_000
        XCTAssertEqual(ProgressLine.text(q, width: 200),
                       "epoch 4/5 ███████████▏░░░ 703/938  loss 4.20e-04  acc 0.976  2.5M samples/s  ETA 2:03:04")
        q.loss = .nan; q.eta = .infinity
        XCTAssertTrue(ProgressLine.text(q, width: 200).contains("loss nan") && ProgressLine.text(q, width: 200).hasSuffix("ETA ?"))
    }
}
