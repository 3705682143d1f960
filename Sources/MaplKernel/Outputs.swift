import Foundation
import MaplLang

/// One output of a cell as the kernel publishes it on iopub.
enum KernelOutput: Equatable {
    /// `stream`: `stdout` (what `print` prints) or `stderr` (warnings).
    case stream(name: String, text: String)
    /// `execute_result`: the cell's value.
    case result(data: [String: JSON])
    /// `display_data` (or `update_display_data` when `update`): a picture, a table, a walk, the live fit. A
    /// display with an id can be replaced in place later.
    case display(data: [String: JSON], displayID: String?, update: Bool)
    /// `error`: the error that stopped the cell, or the interruption.
    case error(name: String, value: String, traceback: [String])
}

/// What a cell's events become in Jupyter. Every output carries `text/plain`, the text `mapl run` prints
/// for it (`TextRenderer`); `mimeBundle(for:)` is the one place richer forms (PNG, SVG, HTML) are added.
/// `fit` is one live display (`display_id`), replaced as training goes at most `liveInterval` apart.
struct Outputs {
    /// The cell's name in error and warning reports (`<cell 3>`).
    let origin: String
    /// Seconds between two updates of a live display; the last update always goes.
    var liveInterval: Double = 0.25
    private var fit: FitProgress?
    private var lastUpdate: Double = -Double.infinity

    init(origin: String) { self.origin = origin }

    /// The outputs `event` becomes at time `now` (seconds, any monotonic clock).
    mutating func outputs(for event: DisplayEvent, now: Double) -> [KernelOutput] {
        switch event {
        case .text(let s): return [.stream(name: "stdout", text: s + "\n")]
        case .warning(let w):
            // As `mapl run` writes warnings (compiler style: `file:3:5: warning: message`).
            let place = w.range.map { "\($0.start.line):\($0.start.column): " } ?? ""
            return [.stream(name: "stderr", text: "\(origin):\(place)warning: \(w.message)\n")]
        case .value(let v): return [.result(data: ["text/plain": .string(v.printed)])]
        case .error(let report):
            let name = report.error.kind == .syntax ? "SyntaxError" : report.error.kind == .assertion ? "AssertionError" : "Error"
            return [.error(name: name, value: report.error.message, traceback: report.rendered.components(separatedBy: "\n"))]
        case .interrupted(let report):
            return [.error(name: "Interrupted", value: report.error.message, traceback: report.rendered.components(separatedBy: "\n"))]
        case .training(let t): return training(t, now: now)
        case .plot, .histogram, .image, .heatmap, .graph, .trace, .table:
            return [.display(data: mimeBundle(for: event), displayID: nil, update: false)]
        case .cellQueued, .cellStarted, .metric, .action, .cellEnded: return []
        }
    }

    private mutating func training(_ event: TrainingEvent, now: Double) -> [KernelOutput] {
        switch event {
        case .fitStarted(let start):
            let progress = FitProgress(id: "mapl-fit-" + UUID().uuidString.lowercased(), started: start)
            fit = progress
            lastUpdate = now
            return [.display(data: mimeBundle(for: progress), displayID: progress.id, update: false)]
        case .snapshot: return []
        default:
            guard var progress = fit else {
                // A training event with no fit open (a resume's pause): its lines as text.
                let lines = TextRenderer.training(event)
                return lines.isEmpty ? [] : [.stream(name: "stdout", text: lines.joined(separator: "\n") + "\n")]
            }
            progress.add(event)
            fit = progress
            let ends: Bool
            if case .fitEnded = event { ends = true } else if case .paused = event { ends = true } else { ends = false }
            if ends { fit = nil }
            guard ends || now - lastUpdate >= liveInterval else { return [] }
            lastUpdate = now
            return [.display(data: mimeBundle(for: progress), displayID: progress.id, update: true)]
        }
    }
}

/// A `fit` as it goes: what its live display shows.
struct FitProgress {
    let id: String
    let started: FitStarted
    /// The epoch lines so far, as `mapl run` prints them.
    var lines: [String] = []
    var latest: BatchProgress?
    var ended = false

    init(id: String, started: FitStarted) { self.id = id; self.started = started }

    mutating func add(_ event: TrainingEvent) {
        switch event {
        case .batch(let b): latest = b
        case .fitEnded, .paused: ended = true; lines += TextRenderer.training(event)
        default: lines += TextRenderer.training(event)
        }
    }
}

/// The forms of a discrete output (a picture, a table, a walk) — `text/plain` is what `mapl run` prints.
/// Richer forms (`image/png`, `image/svg+xml`, `text/html`) go in beside it here.
func mimeBundle(for event: DisplayEvent) -> [String: JSON] {
    let renderer = TextRenderer(style: .halfBlocks, ascii: false)
    return ["text/plain": .string(renderer.lines(for: event).joined(separator: "\n"))]
}

/// The forms of the live `fit` display: the epoch lines so far and, while it runs, the latest batch.
func mimeBundle(for fit: FitProgress) -> [String: JSON] {
    var lines = ["training \(fit.started.model): \(fit.started.epochs) epochs of \(fit.started.batchesPerEpoch) batches"] + fit.lines
    if !fit.ended, let b = fit.latest {
        let loss = b.loss.isNaN ? "nan" : String(format: "%.4f", b.loss)  // never "-nan"
        lines.append("epoch \(b.epoch)/\(b.epochs)  batch \(b.batch)/\(b.batchesPerEpoch)  loss \(loss)")
    }
    return ["text/plain": .string(lines.joined(separator: "\n"))]
}
