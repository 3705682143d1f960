import Foundation
import XCTest
@testable import MaplRichOutput
@testable import MaplLang
import MaplTestSupport

/// The live `fit` display: the loss curve (read back through its ticks) holds every batch's loss in order at
/// its place in epochs; the text is the progress line while training and `mapl run`'s epoch lines; the
/// throttle sends a few updates a second and always the last.
final class LiveFitTests: XCTestCase {
    private let start = FitStarted(model: "dense(2, 1)", epochs: 2, batchesPerEpoch: 4, batchSize: 8, samples: 32, validationSamples: 0, loss: "mse")
    private let losses = [0.9, 0.7, 0.55, 0.5, 0.42, 0.4, 0.35, 0.33]

    private func batch(_ k: Int) -> TrainingEvent {
        .batch(BatchProgress(epoch: k / 4 + 1, epochs: 2, batch: k % 4 + 1, batchesPerEpoch: 4, loss: losses[k], accuracy: nil,
                             samplesPerSecond: 1600, eta: Double(7 - k) * 0.005))
    }

    private func epoch(_ e: Int) -> TrainingEvent {
        .epoch(EpochProgress(epoch: e, epochs: 2, loss: e == 1 ? [0.6625] : [0.6625, 0.375], valLoss: [], valAccuracy: [], accuracy: nil,
                             seconds: 0.02, stoppedEarly: false))
    }

    func testTheDisplayFollowsTheFitAndEndsAsMaplRunPrintsIt() throws {
        var live = LiveFit()
        live.add(.fitStarted(start))
        XCTAssertNil(live.bundle["image/svg+xml"])
        for k in 0..<3 { live.add(batch(k)) }
        XCTAssertEqual(live.bundle["text/plain"], "epoch 1/2  batch 3/4  loss 0.55  1600 samples/s  ETA 0:00")
        live.add(batch(3)); live.add(epoch(1))
        for k in 4..<8 { live.add(batch(k)) }
        live.add(epoch(2))
        live.add(.fitEnded(FitEnded(reason: .finished, epochsCompleted: 2, batches: 8, bestEpoch: nil, patience: nil, modelState: "", seconds: 0.04)))
        XCTAssertTrue(live.isFinished)
        // By hand: mapl run prints one line per epoch, its mean loss to four decimals and its time.
        XCTAssertEqual(live.bundle["text/plain"], "epoch 1/2  loss 0.6625  20 ms\nepoch 2/2  loss 0.3750  20 ms")
        let out = try RichOutputSupport.python(RichOutputSupport.chartReader + """
            lines = [p for p in svg.iter(ns + "polyline") if p.get("class") == "series"]
            pts = [tuple(map(float, xy.split(","))) for xy in lines[0].get("points").split()]
            print([round(float(to_x(x)), 3) for x, _ in pts], [round(float(to_y(y)), 3) for _, y in pts])
            """, input: try RichOutputSupport.json(["svg": try XCTUnwrap(live.bundle["image/svg+xml"])]))
        // Batch b of epoch e sits at e − 1 + b/4.
        XCTAssertEqual(out, "[0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0] [0.9, 0.7, 0.55, 0.5, 0.42, 0.4, 0.35, 0.33]")
    }

    /// A real fit's events (xor, 3 epochs): the display ends as exactly the lines `mapl run` prints for them,
    /// and its curve has a point for every batch, in order along the epochs.
    func testARealFitEndsAsMaplRunPrintsIt() throws {
        let events = try RichOutputSupport.events("seed(3)\nd = xor()\nm = dense(2, 4) >> tanh >> dense(4, 1)\nh = fit(m, d, loss=mse, epochs=3, batch=2)")
        var live = LiveFit()
        var printed: [String] = []
        var batches = 0
        for case .training(let t) in events {
            live.add(t)
            printed += TextRenderer(style: .ascii).lines(for: .training(t))
            if case .batch = t { batches += 1 }
        }
        XCTAssertTrue(live.isFinished)
        XCTAssertEqual(printed.count, 3)
        XCTAssertEqual(live.bundle["text/plain"], printed.joined(separator: "\n"))
        let out = try RichOutputSupport.python(RichOutputSupport.chartReader + """
            lines = [p for p in svg.iter(ns + "polyline") if p.get("class") == "series"]
            xs = [float(to_x(float(xy.split(",")[0]))) for xy in lines[0].get("points").split()]
            print(len(xs), all(a < b for a, b in zip(xs, xs[1:])), round(xs[-1], 3))
            """, input: try RichOutputSupport.json(["svg": try XCTUnwrap(live.bundle["image/svg+xml"])]))
        XCTAssertEqual(out, "\(batches) True 3.0")
        XCTAssertEqual(batches, 6)  // 4 samples in batches of 2, 3 epochs
    }

    /// More batches than the curve draws are averaged in equal groups: 1200 batches of loss 1, 2, 1, 2, … are
    /// 600 points of 1.5.
    func testALongFitIsAveragedDown() throws {
        var live = LiveFit()
        live.add(.fitStarted(start))
        for k in 0..<1200 {
            live.add(.batch(BatchProgress(epoch: 1, epochs: 1, batch: k + 1, batchesPerEpoch: 1200, loss: Double(1 + k % 2), accuracy: nil,
                                          samplesPerSecond: 0, eta: 0)))
        }
        let out = try RichOutputSupport.python(RichOutputSupport.chartReader + """
            lines = [p for p in svg.iter(ns + "polyline") if p.get("class") == "series"]
            ys = {round(float(to_y(float(xy.split(",")[1]))), 3) for xy in lines[0].get("points").split()}
            print(len(lines[0].get("points").split()), ys)
            """, input: try RichOutputSupport.json(["svg": try XCTUnwrap(live.bundle["image/svg+xml"])]))
        XCTAssertEqual(out, "600 {1.5}")
    }

    /// Twenty updates over a second with an interval of 0.25 s: those at 0, 0.25, 0.5, 0.75 go, the rest wait;
    /// the last (1.0) goes whatever the clock.
    func testTheThrottleSendsAFewASecondAndAlwaysTheLast() {
        var throttle = DisplayThrottle(interval: 0.25)
        var sent: [Double] = []
        for k in 0..<20 {
            let t = Double(k) * 0.05
            if throttle.shouldSend(at: t) { sent.append(t) }
        }
        XCTAssertEqual(sent.map { ($0 * 100).rounded() / 100 }, [0, 0.25, 0.5, 0.75])
        XCTAssertTrue(throttle.isPending)
        XCTAssertTrue(throttle.shouldSend(at: 0.96, isLast: true))
        XCTAssertFalse(throttle.isPending)
        // A clock that jumps back or a NaN time never blocks updates for good.
        var odd = DisplayThrottle(interval: 0.25)
        XCTAssertTrue(odd.shouldSend(at: 10))
        XCTAssertTrue(odd.shouldSend(at: .nan))
        XCTAssertTrue(odd.shouldSend(at: 1))
    }
}
