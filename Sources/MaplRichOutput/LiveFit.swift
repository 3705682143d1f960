import Foundation
import MaplProtocol
import MaplRender

/// The live display of a running `fit`, for one Jupyter `display_id`: fed the training events as they come,
/// it gives the bundle to send — the loss curve as SVG (each batch's loss, and the validation loss after each
/// epoch, against epochs) and as `text/plain` the lines `mapl run` prints for the fit so far (one per epoch,
/// how it ended) under the current progress line. When the fit has ended the bundle is the final curve and
/// exactly `mapl run`'s lines.
public struct LiveFit: Sendable {
    /// At most this many points of the batch losses are drawn: more are averaged in equal groups.
    public static let maxCurvePoints = 600

    private var started: FitStarted?
    private var batchLosses: [(x: Double, loss: Double)] = []
    private var validation: [(x: Double, loss: Double)] = []
    private var printed: [String] = []
    private var progress: String?
    /// The fit has ended: nothing more will change the display.
    public private(set) var isFinished = false

    public init() {}

    /// Takes one event of the fit. Snapshots change nothing.
    public mutating func add(_ event: TrainingEvent) {
        switch event {
        case .fitStarted(let s):
            self = LiveFit()
            started = s
        case .batch(let b):
            let perEpoch = Double(Swift.max(b.batchesPerEpoch, 1))
            batchLosses.append((Double(b.epoch - 1) + Double(b.batch) / perEpoch, b.loss))
            progress = LiveFit.progressLine(b)
        case .epoch(let e):
            if e.valLoss.count == e.loss.count, let v = e.valLoss.last { validation.append((Double(e.epoch), v)) }
            printed += TextRenderer.training(event)
        case .paused:
            printed += TextRenderer.training(event)
            progress = nil
        case .fitEnded:
            printed += TextRenderer.training(event)
            progress = nil
            isFinished = true
        case .snapshot: break
        }
    }

    /// The display's bundle now: `image/svg+xml` once there is a loss to draw, and `text/plain`.
    public var bundle: [String: String] {
        var text = printed
        if let progress { text.append(progress) }
        if text.isEmpty, let started { text = ["training \(started.model) for \(started.epochs) epoch\(started.epochs == 1 ? "" : "s")"] }
        var bundle = ["text/plain": text.joined(separator: "\n")]
        if !batchLosses.isEmpty { bundle["image/svg+xml"] = curve }
        return bundle
    }

    /// The loss curve: batch losses (averaged down to `maxCurvePoints`), the validation losses over them.
    var curve: String {
        let group = (batchLosses.count + LiveFit.maxCurvePoints - 1) / LiveFit.maxCurvePoints
        var xs: [Double] = [], ys: [Double] = []
        var start = 0
        while start < batchLosses.count {
            let end = Swift.min(start + group, batchLosses.count)
            let slice = batchLosses[start..<end]
            // A non-finite loss stays one (a gap) rather than vanishing into a mean.
            xs.append(batchLosses[end - 1].x)
            ys.append(slice.reduce(0) { $0 + $1.loss } / Double(slice.count))
            start += group
        }
        var series = [PlotData.Series(name: started.map { "loss (\($0.loss))" } ?? "loss", xs: xs, ys: ys)]
        if !validation.isEmpty { series.append(PlotData.Series(name: "val_loss", xs: validation.map(\.x), ys: validation.map(\.loss))) }
        let title = started.map { "fit \($0.model)" }
        return PlotSVG.svg(PlotData(series: series, title: title, xLabel: "epoch"), yLabel: "loss", xLowerBound: 0)
    }

    /// `epoch 2/5  batch 120/469  loss 0.341  acc 0.912  41k samples/s  ETA 0:12`.
    static func progressLine(_ p: BatchProgress) -> String {
        var parts = ["epoch \(p.epoch)/\(p.epochs)", "batch \(p.batch)/\(p.batchesPerEpoch)", "loss " + AxisFormat.label(p.loss)]
        if let a = p.accuracy, a.isFinite { parts.append(String(format: "acc %.3f", a)) }
        if p.samplesPerSecond.isFinite, p.samplesPerSecond > 0 { parts.append(String(format: "%.0f samples/s", p.samplesPerSecond)) }
        if p.eta.isFinite, p.eta >= 0, p.eta < 1e7 {
            let s = Int(p.eta.rounded())
            parts.append(String(format: "ETA %d:%02d", s / 60, s % 60))
        }
        return parts.joined(separator: "  ")
    }
}
