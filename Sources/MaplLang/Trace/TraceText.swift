import MaplEngine

/// The trace as text, step by step in the layout of the notebook's stepper box:
///
///     backward 5/10
///     node     yhat = sigmoid(z)                shape [2]
///     upstream ∂L/∂yhat = [-0.4085, 0.6201]
///     rule     sigmoid: ∂y/∂x = y·(1−y)
///              = [0.5915·0.4085, 0.6201·0.3799] = [0.2416, 0.2356]
///     flows    ∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]
public enum TraceText {
    /// The lines of one step; `position` is its 1-based place among `total` steps of its phase.
    public static func render(_ step: TraceStep, position: Int, total: Int, root: String, printer: Printer = Printer()) -> [String] {
        var lines = ["\(step.phase.rawValue) \(position)/\(total)"]
        let node = "node     " + step.formula
        lines.append(pad(node, 41) + "shape " + shapeString(step.shape))
        guard step.phase == .backward, let upstream = step.upstream else {
            lines.append("value    " + printer.compact(step.value))
            return lines
        }
        let d = "∂\(root)/∂"
        lines.append("upstream \(d)\(step.name) = " + printer.compact(upstream))
        guard let op = step.op, let rule = step.rule else {
            lines.append("rule     a parameter: \(d)\(step.name) is added into \(step.name).grad")
            return lines
        }
        lines.append("rule     \(op): \(rule)")
        if let factor = step.factor {
            var line = "         = "
            if let terms = factor.terms, factor.values.count <= 6 { line += "[" + terms.joined(separator: ", ") + "] = " }
            lines.append(line + printer.compact(factor.values))
        }
        for (i, flow) in step.flows.enumerated() {
            let lead = i == 0 ? "flows    " : "         "
            let how = step.factor != nil && step.flows.count == 1 ? "upstream ⊙ rule = " : ""
            lines.append(lead + "\(d)\(flow.input) = " + how + printer.compact(flow.gradient))
        }
        return lines
    }

    /// Every step, forward then backward, separated by blank lines, with a heading and the note if any.
    public static func render(_ trace: TraceSteps, printer: Printer = Printer(), maxStepsPerPhase: Int = 500) -> [String] {
        var lines = ["trace(\(trace.root)): \(trace.forward.count) forward steps, \(trace.backward.count) backward steps"]
        for steps in [trace.forward, trace.backward] {
            for (i, step) in steps.enumerated() {
                if i == maxStepsPerPhase {
                    lines.append("… \(steps.count - maxStepsPerPhase) more \(step.phase.rawValue) steps")
                    break
                }
                lines.append("")
                lines += render(step, position: i + 1, total: steps.count, root: trace.root, printer: printer)
            }
        }
        if let note = trace.note { lines += ["", note] }
        return lines
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + "  " : s + String(repeating: " ", count: width - s.count)
    }
}
