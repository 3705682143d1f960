import MaplProtocol
import MaplCore

/// The trace as text — the printable handout `mapl run` prints for `trace(x)` — step by step in the layout
/// of the notebook's stepper (`TraceLines`):
///
///     backward 5/11
///     node     yhat = sigmoid(z)               shape [2]
///     upstream ∂L/∂yhat = [-0.4085, 0.6201]
///     rule     sigmoid: ∂σ/∂x = σ·(1−σ)
///              = [0.5915·0.4085, 0.6201·0.3799] = [0.2416, 0.2356]
///     flows    ∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]
public enum TraceText {
    /// The lines of step `index` of `trace.all`, under its heading (`backward 5/11`: its place in its pass).
    public static func render(_ trace: TraceIndex, step index: Int, printer: Printer = Printer()) -> [String] {
        render(trace, step: index, printer: printer) { line, _ in TraceLines.plain(line, printer: printer) }
    }

    /// The same with each line written by `write` (given the step's heading): the handout's quiz writes an
    /// answer's numbers as blanks.
    public static func render(_ trace: TraceIndex, step index: Int, printer: Printer = Printer(),
                              write: (TraceLine, String) -> String) -> [String] {
        guard let step = trace.trace.step(index) else { return [] }
        let forward = step.phase == .forward
        let position = forward ? index + 1 : index - trace.trace.forward.count + 1
        let total = forward ? trace.trace.forward.count : trace.trace.backward.count
        let heading = "\(step.phase.rawValue) \(position)/\(total)"
        return [heading] + TraceLines.lines(step: index, in: trace, detail: .handout, printer: printer).map { write($0, heading) }
    }

    /// Every step, forward then backward, separated by blank lines, with a heading and the note if any.
    public static func render(_ trace: TraceSteps, printer: Printer = Printer(), maxStepsPerPhase: Int = 500) -> [String] {
        render(trace, printer: printer, maxStepsPerPhase: maxStepsPerPhase) { line, _ in TraceLines.plain(line, printer: printer) }
    }

    /// Every step with each line written by `write` (given its step's heading).
    public static func render(_ trace: TraceSteps, printer: Printer = Printer(), maxStepsPerPhase: Int = 500,
                              write: (TraceLine, String) -> String) -> [String] {
        let index = TraceIndex(trace)
        var lines = ["trace(\(trace.root)): \(trace.forward.count) forward steps, \(trace.backward.count) backward steps"]
        for (offset, steps) in [(0, trace.forward), (trace.forward.count, trace.backward)] {
            for i in steps.indices {
                if i == maxStepsPerPhase {
                    lines.append("… \(steps.count - maxStepsPerPhase) more \(steps[i].phase.rawValue) steps")
                    break
                }
                lines.append("")
                lines += render(index, step: offset + i, printer: printer, write: write)
            }
        }
        if let note = trace.note { lines += ["", note] }
        return lines
    }
}
