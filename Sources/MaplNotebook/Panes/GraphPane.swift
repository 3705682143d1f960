import MaplProtocol
import MaplRender

/// The graph pane: the last `graph(x)` as its tree of nodes (scrollable), or the last `heatmap(W)` —
/// whichever came last.
public struct GraphPaneData: Sendable {
    public enum Source: Sendable, Equatable { case none, graph, heatmap }

    public private(set) var source: Source = .none
    public private(set) var graph: GraphData?
    /// The graph drawn once when it arrived (the drawing does not depend on the pane's size).
    public private(set) var graphLines: [String] = []
    public private(set) var heatmap: HeatmapData?
    public private(set) var stamp = Stamp.next()

    /// Lines of a graph's drawing kept for scrolling.
    public static let maxGraphLines = 5000

    public init() {}

    mutating func show(_ g: GraphData) {
        graph = g
        graphLines = GraphDrawing.render(g, maxLines: GraphPaneData.maxGraphLines)
        source = .graph
        stamp = Stamp.next()
    }

    mutating func show(_ h: HeatmapData) {
        heatmap = h
        source = .heatmap
        stamp = Stamp.next()
    }

    func title(_ glyphs: Glyphs) -> String {
        let dash = " \(glyphs.horizontal) "
        switch source {
        case .none: return "graph"
        case .graph: return "graph" + (graph.map { dash + "\($0.totalNodes) nodes" } ?? "")
        case .heatmap: return "heatmap" + (heatmap.map { dash + "\($0.sourceRows)\(glyphs.times)\($0.sourceColumns)" } ?? "")
        }
    }

    /// The largest useful scroll offset for a pane `height` rows tall.
    func maxScroll(height: Int) -> Int { source == .graph ? Swift.max(graphLines.count - height, 0) : 0 }

    func picture(width: Int, height: Int, scroll: Int, options: RenderOptions) -> Picture {
        switch source {
        case .none:
            return PaneText.placeholder(["graph(x) draws the computation graph behind x here;", "heatmap(W) a matrix."], width: width, height: height)
        case .heatmap:
            guard let heatmap else { return Picture() }
            let noteRows = heatmap.note == nil ? 0 : 1
            var picture = Picture()
            if let note = heatmap.note { picture.append(options.ascii ? ASCIIFold.fold(note) : note, ink: .axis) }
            picture.append(Heatmap.picture(heatmap, maxColumns: width, maxRows: Swift.max(height - 1 - noteRows, 1),
                                           style: DigitsPaneData.style(options), ascii: options.ascii, fill: true))
            return picture.clipped(width: width, height: height)
        case .graph:
            let start = Swift.min(Swift.max(scroll, 0), maxScroll(height: height))
            let more = graphLines.count - start - height
            let shown = more > 0 ? height - 1 : height
            var picture = Picture()
            for line in graphLines.dropFirst(start).prefix(Swift.max(shown, 0)) {
                picture.append(options.ascii ? ASCIIFold.fold(line) : line)
            }
            if more > 0 { picture.append("\(Glyphs(ascii: options.ascii).ellipsis) \(more + 1) more lines", ink: .axis) }
            return picture.clipped(width: width, height: height)
        }
    }
}
