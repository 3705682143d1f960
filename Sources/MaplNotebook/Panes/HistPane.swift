import MaplCore
import MaplProtocol
import MaplRender

/// The hist pane's data: one histogram per weight of the latest training snapshot (`layers.1.W`), or the
/// last `hist(...)` — whichever came last.
public struct HistPaneData: Sendable {
    public enum Source: Sendable, Equatable { case none, snapshot, hist }

    /// One tensor of a snapshot. Binned only when drawn: snapshots arrive during training, when the pane
    /// usually shows the loss, and binning each on arrival cost the UI thread a fifth of its time.
    public struct Layer: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
        public var bins: HistogramData { HistogramData(binning: values, bins: HistPaneData.snapshotBins, title: name) }
    }

    public private(set) var source: Source = .none
    public private(set) var layers: [Layer] = []
    /// When the snapshot was taken.
    public private(set) var epoch = 0, batch = 0
    public private(set) var histogram: HistogramData?
    public private(set) var stamp = Stamp.next()

    /// Snapshots are binned this finely when they arrive; drawing adds neighbouring bins together to fit
    /// the pane (240 divides evenly into 120, 80, 60, 48, 40, … columns), so a frame never re-reads weights.
    public static let snapshotBins = 240

    public init() {}

    /// Keeps the weights of a snapshot (tensors of rank ≥ 2; every tensor when there are none), not the
    /// batch's outputs and targets.
    mutating func snapshot(_ s: TrainingSnapshot) {
        let candidates = s.tensors.filter { $0.name != "outputs" && $0.name != "targets" }
        let weights = candidates.filter { $0.value.shape.count >= 2 }
        layers = (weights.isEmpty ? candidates : weights).map {
            Layer(name: $0.name, shape: $0.value.shape, values: $0.value.scalars)
        }
        epoch = s.epoch; batch = s.batch
        source = .snapshot
        stamp = Stamp.next()
    }

    mutating func show(_ h: HistogramData) {
        histogram = h
        source = .hist
        stamp = Stamp.next()
    }

    func title(_ glyphs: Glyphs) -> String {
        let dash = " \(glyphs.horizontal) "
        switch source {
        case .none: return "hist"
        case .snapshot: return "hist" + dash + "weights at epoch \(epoch), batch \(batch)"
        case .hist:
            guard let h = histogram else { return "hist" }
            if !h.peers.isEmpty { return "hist" + dash + ([h] + h.peers).map { $0.title ?? "" }.joined(separator: " vs ") }
            return "hist" + (h.title.map { dash + $0 } ?? "")
        }
    }

    func picture(width: Int, height: Int, options: RenderOptions) -> Picture {
        switch source {
        case .none:
            return PaneText.placeholder(["Histograms appear here:", "hist(x) of any tensor,", "the weights of each layer while fit trains."],
                                        width: width, height: height)
        case .hist:
            guard let histogram else { return Picture() }
            if !histogram.peers.isEmpty { return Histogram.comparison(histogram, width: width, height: height, ascii: options.ascii) }
            return Histogram(histogram).picture(width: width, height: height, ascii: options.ascii)
        case .snapshot:
            guard !layers.isEmpty else { return PaneText.placeholder(["(the snapshot holds no tensors)"], width: width, height: height) }
            // Stacked blocks of a title row and a histogram, as many as fit at 5 rows or more each.
            let blocks = Swift.min(layers.count, Swift.max(height / 5, 1))
            let moreRow = blocks < layers.count && height > blocks * 5 ? 1 : 0
            let blockHeight = Swift.max((height - moreRow) / blocks, 1)
            var picture = Picture()
            for layer in layers.prefix(blocks) {
                var block = Picture()
                block.append(layer.name + "  " + shapeString(layer.shape), ink: .emphasis)
                if blockHeight > 1 {
                    block.append(Histogram(layer.bins).picture(width: width, height: blockHeight - 1, ascii: options.ascii))
                }
                while block.rows.count < blockHeight { block.rows.append([]) }
                picture.append(block)
            }
            if blocks < layers.count {
                let rest = layers.dropFirst(blocks).map(\.name)
                let text = "+\(rest.count) more: " + rest.joined(separator: ", ")
                if moreRow == 1 { picture.append(text, ink: .axis) } else if !picture.rows.isEmpty {
                    picture.rows[picture.rows.count - 1] = Picture.row(text, .axis)
                }
            }
            return picture.clipped(width: width, height: height)
        }
    }
}
