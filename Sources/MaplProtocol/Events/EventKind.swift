/// Every event's name in the JSON stream (`"event":"batch"`): the one table the codec is driven by. The
/// encoder writes `kind.rawValue`, the decoder switches over `EventKind` exhaustively, and `DisplayEvent.kind`
/// is an exhaustive switch too — so a new event is one case here, one in `DisplayEvent.kind`, and its
/// encode and decode, each flagged by the compiler until written.
public enum EventKind: String, CaseIterable, Sendable {
    case cellQueued, cellStarted, text, value, plot, histogram, image, heatmap, graph, trace, table
    case fitStarted, batch, epoch, paused, fitEnded, snapshot
    case metric, warning, error, interrupted, action, cellEnded
}

extension DisplayEvent {
    /// The event's name in the stream.
    public var kind: EventKind {
        switch self {
        case .cellQueued: return .cellQueued
        case .cellStarted: return .cellStarted
        case .text: return .text
        case .value: return .value
        case .plot: return .plot
        case .histogram: return .histogram
        case .image: return .image
        case .heatmap: return .heatmap
        case .graph: return .graph
        case .trace: return .trace
        case .table: return .table
        case .training(.fitStarted): return .fitStarted
        case .training(.batch): return .batch
        case .training(.epoch): return .epoch
        case .training(.paused): return .paused
        case .training(.fitEnded): return .fitEnded
        case .training(.snapshot): return .snapshot
        case .metric: return .metric
        case .warning: return .warning
        case .error: return .error
        case .interrupted: return .interrupted
        case .action: return .action
        case .cellEnded: return .cellEnded
        }
    }
}
