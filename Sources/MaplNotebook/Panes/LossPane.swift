import MaplProtocol
import MaplRender

/// The loss pane's data: a `fit`'s curves (loss per batch, the epoch means, validation loss per epoch) and
/// its progress, the series a hand-written loop reports (`report(loss)`), or the last `plot(...)` —
/// whichever came last.
public struct LossPaneData: Sendable {
    public enum Source: Sendable, Equatable { case none, fit, metrics, plot }

    /// A named series reported with `report(value, name=...)`.
    public struct Metric: Sendable, Equatable {
        public var name: String
        public var points: SeriesBuffer
        public var lastStep: Double
    }

    public private(set) var source: Source = .none
    public private(set) var fit: FitStarted?
    /// Loss per batch at x = epoch − 1 + batch / batches per epoch.
    public private(set) var batchLoss = SeriesBuffer()
    /// Its smoothed trend, kept as the batches come (one step each, not a pass over every point a frame), on
    /// the same x's: both buffers take the same points, so they average down alike.
    public private(set) var smoothedLoss = SeriesBuffer()
    private var smoother = LinePlot.Smoother()
    /// Mean training loss of each finished epoch, and validation loss when there is validation data.
    public private(set) var epochLoss: [Double] = []
    public private(set) var valLoss: [Double] = []
    /// The newest batch while the fit runs; nil once it ended.
    public private(set) var progress: BatchProgress?
    public private(set) var ended: FitEnded?
    public private(set) var metrics: [Metric] = []
    public private(set) var plot: PlotData?
    /// Changes with the data (for caches).
    public private(set) var stamp = Stamp.next()
    /// A logarithmic loss axis (`:pane loss log`, F6): ticks at powers of ten, so a loss that falls from 2.3 to
    /// 0.02 does not hug the axis after the first epoch.
    public private(set) var logScale = false
    /// How far the x axis is zoomed to the newest points: the last 1/2^zoom of the run (0: all of it).
    public private(set) var zoom = 0
    /// The most zoom steps (the last 1/64 of the run).
    static let maxZoom = 6

    public init() {}

    mutating func fitStarted(_ f: FitStarted) {
        source = .fit; fit = f
        batchLoss = SeriesBuffer(); smoothedLoss = SeriesBuffer(); smoother = LinePlot.Smoother()
        epochLoss = []; valLoss = []; progress = nil; ended = nil
        stamp = Stamp.next()
    }

    mutating func batch(_ b: BatchProgress) {
        if source != .fit { source = .fit }
        let x = Double(b.epoch - 1) + Double(b.batch) / Double(Swift.max(b.batchesPerEpoch, 1))
        batchLoss.append(x: x, y: b.loss)
        smoothedLoss.append(x: x, y: smoother.next(b.loss))
        progress = b
        stamp = Stamp.next()
    }

    mutating func epoch(_ e: EpochProgress) {
        epochLoss = e.loss
        valLoss = e.valLoss
        stamp = Stamp.next()
    }

    mutating func fitEnded(_ e: FitEnded) {
        progress = nil; ended = e
        stamp = Stamp.next()
    }

    /// Takes a reported value; true when the pane was showing something else (a new thing to look at).
    mutating func metric(_ m: MetricData) -> Bool {
        let isNew = source != .metrics
        source = .metrics
        if let i = metrics.firstIndex(where: { $0.name == m.name }) {
            // A step that goes back starts the series afresh (a new run of the loop with its own steps).
            if m.step <= metrics[i].lastStep { metrics[i].points = SeriesBuffer() }
            metrics[i].points.append(x: m.step, y: m.value)
            metrics[i].lastStep = m.step
        } else {
            var points = SeriesBuffer()
            points.append(x: m.step, y: m.value)
            // "loss" leads (first series, first colour); other names follow in order of arrival.
            let metric = Metric(name: m.name, points: points, lastStep: m.step)
            if m.name == "loss" { metrics.insert(metric, at: 0) } else { metrics.append(metric) }
        }
        stamp = Stamp.next()
        return isNew
    }

    mutating func setLogScale(_ on: Bool) {
        logScale = on
        stamp = Stamp.next()
    }

    /// Zooms in (positive) towards the newest points or back out; 0 shows everything.
    mutating func zoom(by steps: Int) {
        zoom = Swift.min(Swift.max(zoom + steps, 0), LossPaneData.maxZoom)
        stamp = Stamp.next()
    }

    /// The series cut to x ≥ `from` (the zoomed window).
    static func window(_ s: LinePlot.Series, from: Double) -> LinePlot.Series {
        guard let start = s.xs.firstIndex(where: { $0 >= from }) else { return LinePlot.Series(name: s.name, xs: [], ys: []) }
        return LinePlot.Series(name: s.name, xs: Array(s.xs[start...]), ys: Array(s.ys[start..<Swift.min(s.ys.count, s.xs.count)]))
    }

    mutating func showPlot(_ p: PlotData) {
        source = .plot; plot = p
        stamp = Stamp.next()
    }

    /// The pane's title: what it shows.
    func title(_ glyphs: Glyphs) -> String {
        let dash = " \(glyphs.horizontal) "
        switch source {
        case .none: return "loss"
        case .fit:
            var marks: [String] = []
            if logScale { marks.append("log") }
            if zoom > 0 { marks.append("last 1/\(1 << zoom)") }
            return "loss" + (fit.map { dash + "fit(\($0.model))" } ?? "") + (marks.isEmpty ? "" : " (" + marks.joined(separator: ", ") + ")")
        case .metrics: return "loss" + dash + "report(" + metrics.map(\.name).joined(separator: ", ") + ")"
        case .plot: return "plot" + (plot?.title.map { dash + $0 } ?? "") + (logScale ? " (log)" : "")
        }
    }

    func picture(width: Int, height: Int, options: RenderOptions) -> Picture {
        switch source {
        case .none:
            return PaneText.placeholder(["Loss curves appear here:", "fit(...) while it trains,", "report(loss) from a loop of your own,",
                                         "plot(...) for any series."], width: width, height: height)
        case .plot:
            guard let plot else { return Picture() }
            var chart = LinePlot(plot)
            chart.title = nil
            chart.logY = logScale
            return chart.picture(width: width, height: height, ascii: options.ascii)
        case .metrics:
            var chart = LinePlot(metrics.map { LinePlot.Series(name: $0.name, xs: $0.points.xs, ys: $0.points.ys) }, xLabel: "step")
            chart.alwaysLegend = true
            chart.logY = logScale
            return chart.picture(width: width, height: height, ascii: options.ascii)
        case .fit:
            let status = statusLine(width: width, ascii: options.ascii)
            let chartHeight = status == nil || height < 3 ? height : height - 1
            // Within the first epoch the x axis counts batches (a paused run two batches in reads "batch 2", not
            // "epoch 0.002"); from the second epoch on, epochs.
            let perEpoch = Double(fit?.batchesPerEpoch ?? 0)
            let inFirstEpoch = epochLoss.isEmpty && (progress?.epoch ?? 1) <= 1 && perEpoch > 0
            let xs = inFirstEpoch ? batchLoss.xs.map { $0 * perEpoch } : batchLoss.xs
            // The raw batch losses, their smoothed trend, the epoch means and validation (at each epoch's end).
            // (Smoothed last: the others keep their colours whether or not it is there.)
            var series = [LinePlot.Series(name: "batch", xs: xs, ys: batchLoss.ys)]
            if !epochLoss.isEmpty { series.append(LinePlot.Series(name: "epoch avg", ys: epochLoss)) }
            if !valLoss.isEmpty { series.append(LinePlot.Series(name: "val", ys: valLoss)) }
            if batchLoss.ys.count >= 10 { series.append(LinePlot.Series(name: "smoothed", xs: xs, ys: smoothedLoss.ys)) }
            var lowerBound: Double? = 0
            if zoom > 0, let last = xs.last {
                let from = last - last / Double(1 << zoom)
                series = series.map { LossPaneData.window($0, from: from) }
                lowerBound = nil
            }
            var chart = LinePlot(series, xLabel: inFirstEpoch ? "batch" : "epoch")
            chart.xLowerBound = lowerBound
            chart.alwaysLegend = true
            chart.logY = logScale
            let span = Double(Swift.max(progress?.epoch ?? 0, epochLoss.count, 1))
            chart.xTicks = inFirstEpoch || span >= 2 ? .integers : .auto
            var picture = batchLoss.isEmpty && epochLoss.isEmpty
                ? PaneText.placeholder(["waiting for the first batch"], width: width, height: chartHeight)
                : chart.picture(width: width, height: chartHeight, ascii: options.ascii)
            if let status, chartHeight < height {
                while picture.rows.count < height - 1 { picture.rows.append([]) }
                picture.append(status, ink: progress == nil ? .text : .emphasis)
            }
            return picture.clipped(width: width, height: height)
        }
    }

    /// The progress line while training; afterwards how it ended.
    func statusLine(width: Int, ascii: Bool) -> String? {
        if let progress { return ProgressLine.text(progress, width: width, ascii: ascii) }
        guard let ended else { return nil }
        var parts = ["\(ended.epochsCompleted) epoch" + (ended.epochsCompleted == 1 ? "" : "s")]
        if let l = epochLoss.last { parts.append("loss " + ProgressLine.number(l)) }
        if let v = valLoss.last { parts.append("val_loss " + ProgressLine.number(v)) }
        switch ended.reason {
        case .finished: parts.append("done")
        case .stoppedEarly: parts.append("stopped early" + (ended.bestEpoch.map { ", best epoch \($0)" } ?? ""))
        case .interrupted: parts.append("interrupted after \(ended.batches) batches")
        case .stopped: parts.append("stopped while paused after \(ended.batches) batches")
        }
        return parts.joined(separator: "  ")
    }
}
