import Foundation
import MaplProtocol
import MaplRender
import MaplRichOutput

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
/// for it; pictures, plots, the walk and tables also carry what `MaplRichOutput` makes of them (PNG, SVG,
/// HTML). `fit` is one live display (`display_id`): `LiveFit` says what it shows, `DisplayThrottle` how often
/// it is replaced (at most every `liveInterval` seconds, and always at the end).
struct Outputs {
    /// The cell's name in error and warning reports (`<cell 3>`).
    let origin: String
    private var fit: (id: String, live: LiveFit)?
    private var throttle: DisplayThrottle

    init(origin: String, liveInterval: Double = 0.25) {
        self.origin = origin
        throttle = DisplayThrottle(interval: liveInterval)
    }

    /// The outputs `event` becomes at time `now` (seconds, any monotonic clock).
    mutating func outputs(for event: DisplayEvent, now: Double) -> [KernelOutput] {
        switch event {
        case .text(let s): return [.stream(name: "stdout", text: s + "\n")]
        case .warning(let w): return [.stream(name: "stderr", text: w.reported(in: origin) + "\n")]
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
        if case .fitStarted = event {
            var live = LiveFit()
            live.add(event)
            let id = "mapl-fit-" + UUID().uuidString.lowercased()
            fit = (id, live)
            _ = throttle.shouldSend(at: now, isLast: true)
            return [.display(data: json(live.bundle), displayID: id, update: false)]
        }
        if case .snapshot = event { return [] }
        guard let (id, current) = fit else {
            // A training event with no fit open (a resume's pause): its lines as text.
            let lines = TextRenderer.training(event)
            return lines.isEmpty ? [] : [.stream(name: "stdout", text: lines.joined(separator: "\n") + "\n")]
        }
        var live = current
        live.add(event)
        let ends: Bool
        if case .paused = event { ends = true } else { ends = live.isFinished }
        fit = ends ? nil : (id, live)
        guard throttle.shouldSend(at: now, isLast: ends) else { return [] }
        return [.display(data: json(live.bundle), displayID: id, update: true)]
    }
}

/// The text forms are drawn as the notebook draws them (Unicode blocks and braille), for a monospace cell.
private let kernelRenderer = TextRenderer(style: .halfBlocks, ascii: false)

/// The forms of a discrete output (a picture, a table, a walk): `text/plain` as `mapl run` prints it, and
/// `image/png`, `image/svg+xml` or `text/html` beside it.
func mimeBundle(for event: DisplayEvent) -> [String: JSON] {
    json(MimeBundles.bundle(for: event, renderer: kernelRenderer))
}

private func json(_ bundle: [String: String]) -> [String: JSON] { bundle.mapValues { .string($0) } }
