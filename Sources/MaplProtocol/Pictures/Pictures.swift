
/// `plot(...)`: one or more series of points. Points with a NaN or infinite coordinate are kept (a front end
/// shows them as gaps).
public struct PlotData: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        public var name: String
        public var xs: [Double]
        public var ys: [Double]
        public init(name: String, xs: [Double], ys: [Double]) { self.name = name; self.xs = xs; self.ys = ys }
    }
    public var series: [Series]
    public var title: String?
    public var xLabel: String?
    public init(series: [Series], title: String? = nil, xLabel: String? = nil) {
        self.series = series; self.title = title; self.xLabel = xLabel
    }
}

/// `hist(x, bins)`: counts of equal-width bins over [low, high]; values that are not finite are counted in
/// `nonFinite`, not in a bin.
public struct HistogramData: Sendable, Equatable {
    public var counts: [Int]
    public var low: Double
    public var high: Double
    public var nonFinite: Int
    /// What was binned (`m.layers[1].W`), when known.
    public var title: String?
    /// Histograms of other tensors on the same bins, drawn under this one on the same axes (`hist(a, b)`:
    /// before and after), each with its own title.
    public var peers: [HistogramData]
    public init(counts: [Int], low: Double, high: Double, nonFinite: Int = 0, title: String? = nil, peers: [HistogramData] = []) {
        self.counts = counts; self.low = low; self.high = high; self.nonFinite = nonFinite; self.title = title; self.peers = peers
    }

    /// Bins `values` into `bins` equal-width bins over their finite range (a constant range is widened by
    /// ±0.5 so the value sits in the middle).
    public init(binning values: [Float], bins: Int, title: String? = nil) {
        self.init(binning: values, bins: bins, over: HistogramData.range(values), title: title)
    }

    /// Each tensor binned on the same bins, over the range of all of them: the first holds the others as peers.
    public init(comparing tensors: [[Float]], bins: Int, titles: [String]) {
        let range = HistogramData.range(tensors.flatMap { $0 })
        let all = tensors.enumerated().map { k, values in
            HistogramData(binning: values, bins: bins, over: range, title: k < titles.count ? titles[k] : nil)
        }
        self = all[0]
        peers = Array(all.dropFirst())
    }

    /// The finite range of `values` (0…1 when none is finite), a constant widened by ±0.5.
    static func range(_ values: [Float]) -> (low: Double, high: Double) {
        var lo = Float.infinity, hi = -Float.infinity
        for v in values where v.isFinite { lo = Swift.min(lo, v); hi = Swift.max(hi, v) }
        var low = lo.isFinite ? Double(lo) : 0, high = hi.isFinite ? Double(hi) : 1
        if high == low { low -= 0.5; high += 0.5 }
        return (low, high)
    }

    private init(binning values: [Float], bins: Int, over range: (low: Double, high: Double), title: String?) {
        let n = Swift.max(bins, 1)
        let (low, high) = range
        let nonFinite = values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
        var counts = [Int](repeating: 0, count: n)
        // Past 2⁵³ `low − 0.5` is low again (span 0): UnitScale puts such a constant in the first bin rather
        // than dividing by 0, and never hands a NaN to the Int conversion.
        for v in values where v.isFinite { counts[UnitScale.cell(Double(v), from: low, to: high, count: n)] += 1 }
        self.init(counts: counts, low: low, high: high, nonFinite: nonFinite, title: title)
    }
}

/// `show(...)`: a grey image, row-major, with what to write around it.
public struct ImageData: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var pixels: [Float]
    /// The grey range black…white: [0, 1] for images already in it, else nil (stretch min…max).
    public var low: Float?
    public var high: Float?
    /// The line above the picture (`sample 7   label 9`).
    public var caption: String?
    /// The true label, when the image is a dataset's sample.
    public var label: String?
    /// A model's predicted probabilities per class, when a model was given (`show(d, i, model=m)`).
    public var probabilities: [Double]?
    /// Several images drawn as a grid (`show(d, 0..15)`, `show(d, errors(m, d), model=m)`), each with its
    /// label and prediction under it; empty for one image (this one). The first is this image.
    public var sheet: [ImageData]
    /// The most images one sheet holds (`show` draws no more; a journal with more does not read back).
    public static let sheetLimit = 100
    public init(rows: Int, columns: Int, pixels: [Float], low: Float? = nil, high: Float? = nil, caption: String? = nil,
                label: String? = nil, probabilities: [Double]? = nil, sheet: [ImageData] = []) {
        self.rows = rows; self.columns = columns; self.pixels = pixels; self.low = low; self.high = high
        self.caption = caption; self.label = label; self.probabilities = probabilities; self.sheet = sheet
    }
    /// The class with the highest probability, when there are probabilities.
    public var predicted: Int? {
        guard let p = probabilities, !p.isEmpty else { return nil }
        return p.indices.max(by: { p[$0] < p[$1] || (p[$0].isNaN && !p[$1].isNaN) })
    }
}

/// `heatmap(W)`: a matrix of values (averaged down when larger than `HeatmapData.maxSide` on a side),
/// with the original size and range.
public struct HeatmapData: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var values: [Float]
    /// The matrix's own size, before any averaging.
    public var sourceRows: Int
    public var sourceColumns: Int
    public var min: Float
    public var max: Float
    /// How a tensor that is not a matrix was laid out (`(a [5] tensor, shown as 1×5)`).
    public var note: String?
    public static let maxSide = 256
    public init(rows: Int, columns: Int, values: [Float], sourceRows: Int, sourceColumns: Int, min: Float, max: Float, note: String? = nil) {
        self.rows = rows; self.columns = columns; self.values = values; self.sourceRows = sourceRows
        self.sourceColumns = sourceColumns; self.min = min; self.max = max; self.note = note
    }
}

/// `graph(x)`: the nodes of a computation graph and the edges from each node to its inputs.
public struct GraphData: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        public var id: Int
        public var label: String?
        /// The op's name, nil for a leaf.
        public var op: String?
        public var shape: [Int]
        public var isParameter: Bool
        /// The input node ids, in order.
        public var inputs: [Int]
        public init(id: Int, label: String?, op: String?, shape: [Int], isParameter: Bool, inputs: [Int]) {
            self.id = id; self.label = label; self.op = op; self.shape = shape; self.isParameter = isParameter; self.inputs = inputs
        }
    }
    public var root: Int
    /// Every node reachable from the root (up to `maxNodes`), root first.
    public var nodes: [Node]
    /// True when the graph had more nodes than were kept.
    public var truncated: Bool
    public var totalNodes: Int
    public static let maxNodes = 5000

    public init(root: Int, nodes: [Node], truncated: Bool, totalNodes: Int) {
        self.root = root; self.nodes = nodes; self.truncated = truncated; self.totalNodes = totalNodes
    }

    /// The node with `id`, if kept.
    public func node(_ id: Int) -> Node? { index[id].map { nodes[$0] } }
    private var index: [Int: Int] { Dictionary(nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a }) }
}

/// `trace(x)`: the steps, and the printing precision they were shown with.
public struct TraceData: Sendable {
    public var steps: TraceSteps
    public var precision: Int
    /// `show_limit(n)` when set: values up to `n` elements show in full; nil: what fits the pane.
    public var showLimit: Int?
    /// `trace(x, quiz=true)`: the stepper hides each answer until asked.
    public var quiz: Bool
    public init(steps: TraceSteps, precision: Int, showLimit: Int? = nil, quiz: Bool = false) {
        self.steps = steps; self.precision = precision; self.showLimit = showLimit; self.quiz = quiz
    }
}

/// `summary(model)`: a table with a header row, body rows and notes under it.
public struct TableData: Sendable, Equatable {
    public enum Alignment: String, Sendable { case left, right }
    public var header: [String]
    public var rows: [[String]]
    /// How each column's body cells align (the header is always left-aligned).
    public var alignments: [Alignment]
    public var notes: [String]
    public init(header: [String], rows: [[String]], alignments: [Alignment], notes: [String] = []) {
        self.header = header; self.rows = rows; self.alignments = alignments; self.notes = notes
    }
}
