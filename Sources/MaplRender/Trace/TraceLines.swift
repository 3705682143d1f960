import MaplProtocol
import MaplCore

/// One line of a traced step, as data: a label (`upstream`) and parts that say what they are, so the handout
/// (`TraceText`) prints them and the notebook's stepper styles them, hides a quiz's numbers and draws a large
/// tensor's mini heatmap under its line.
public struct TraceLine: Sendable {
    public enum Part: Sendable {
        /// Words, names and symbols.
        case text(String)
        /// A tensor: in full when it has at most `TraceLines.fullLimit` elements, else its shape and statistics.
        case value(Tensor)
        /// Numbers already written out (a rule's terms `0.5915·0.4085`, operands plugged in): hidden in a quiz
        /// like values.
        case numbers(String)
        /// Move to this column of the line (label included), or two spaces on when already past it.
        case column(Int)
        /// A gradient that does not exist yet: "not computed yet".
        case pending(String)
    }

    /// `node`, `upstream`, `rule`, `flows`, …; empty on a line that continues the one above.
    public var label: String
    public var parts: [Part]
    /// The line holds what a quiz asks for (an output, a local derivative, a flowing gradient): its values
    /// and numbers stay hidden until revealed.
    public var isAnswer: Bool

    public init(_ label: String, _ parts: [Part], answer: Bool = false) {
        self.label = label; self.parts = parts; self.isAnswer = answer
    }
}

/// The lines of one step — shared by the handout and the stepper, so both say the same thing:
///
///     node     yhat = sigmoid(z)               shape [2]
///     upstream ∂L/∂yhat = [-0.4085, 0.6201]
///     rule     sigmoid: ∂σ/∂x = σ·(1−σ)
///              = [0.5915·0.4085, 0.6201·0.3799] = [0.2416, 0.2356]
///     flows    ∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]
///
/// A node used several times adds its uses' shares term by term (`∂L/∂x = (from x * x as a) [..] + (from x * x as
/// b) [..] = [..]`); a broadcast operand's gradient says which axes it is summed over. The stepper's detail
/// adds, on forward steps, the inputs' values and that the gradient is not computed yet.
public enum TraceLines {
    public enum Detail: Sendable { case handout, stepper }

    /// Tensors up to this many elements are shown in full; larger ones as shape and statistics.
    public static let fullLimit = 12
    /// Labels are padded to this width.
    public static let labelWidth = 9
    /// The column the node line's shape stands in.
    static let shapeColumn = 41

    public static func lines(step index: Int, in trace: TraceIndex, detail: Detail, printer: Printer = Printer()) -> [TraceLine] {
        guard let step = trace.trace.step(index) else { return [] }
        let d = "∂\(TraceNames.operand(trace.trace.root))/∂"
        var lines = [TraceLine("node", [.text(step.formula), .column(shapeColumn), .text("shape " + shapeString(step.shape))])]
        if let layer = step.layer {
            lines.append(TraceLine("layer", [.text(layer.path.joined(separator: " / ") + (layer.kind == "loss" ? "" : "  (stage \(layer.index))"))]))
        }
        if step.phase == .forward {
            forward(step, index: index, trace: trace, detail: detail, d: d, into: &lines)
        } else {
            backward(step, trace: trace, printer: printer, d: d, into: &lines)
        }
        return lines
    }

    private static func forward(_ step: TraceStep, index: Int, trace: TraceIndex, detail: Detail, d: String, into lines: inout [TraceLine]) {
        guard detail == .stepper else {
            lines.append(TraceLine("value", [.value(step.value)], answer: step.op != nil))
            return
        }
        for (k, (name, id)) in zip(step.inputs, step.inputIDs).enumerated() {
            guard let input = trace.forwardStep(of: id) else {
                // A constant written into this step (no step of its own): its name is its value.
                lines.append(TraceLine(k == 0 ? "inputs" : "", [.text(name + " (constant)")]))
                continue
            }
            // A scalar constant is named by its value: `0.5`, not `0.5 = 0.5`.
            let named = !(input.shape.isEmpty && input.op == nil && !input.isParameter && Double(input.name) != nil)
            lines.append(TraceLine(k == 0 ? "inputs" : "", named ? [.text(name + " = "), .value(input.value)] : [.text(name + " (constant)")]))
        }
        lines.append(TraceLine("value", [.text(step.name + " = "), .value(step.value)], answer: step.op != nil))
        if step.requiresGrad {
            lines.append(TraceLine("grad", [.text("\(d)\(TraceNames.operand(step.name)): "), .pending("not computed yet"),
                                             .text(" (the backward pass comes after the forward pass)")]))
        } else {
            lines.append(TraceLine("grad", [.text("none: \(step.name) is a constant, no gradient flows to it")]))
        }
    }

    private static func backward(_ step: TraceStep, trace: TraceIndex, printer: Printer, d: String, into lines: inout [TraceLine]) {
        guard let upstream = step.upstream else { return }
        let head = "\(d)\(TraceNames.operand(step.name)) = "
        if step.contributions.count >= 2 {
            let twice = Set(step.contributions.map(\.fromID)).count < step.contributions.count
            let indent = labelWidth + head.count - 2
            for (i, c) in step.contributions.enumerated() {
                let from = "(from \(c.from)" + (twice ? " as \(operand(c.argument))" : "") + ") "
                lines.append(i == 0 ? TraceLine("upstream", [.text(head + from), .value(c.gradient)])
                                    : TraceLine("", [.column(indent), .text("+ " + from), .value(c.gradient)]))
            }
            lines.append(TraceLine("", [.column(indent), .text("= "), .value(upstream)]))
        } else {
            lines.append(TraceLine("upstream", [.text(head), .value(upstream)]))
        }
        guard let op = step.op, let rule = step.rule else {
            lines.append(TraceLine("rule", [.text("a parameter: \(d)\(TraceNames.operand(step.name)) is added into \(step.name).grad")]))
            return
        }
        lines.append(TraceLine("rule", [.text("\(op): \(rule)")]))
        if let factor = step.factor {
            var parts: [TraceLine.Part] = [.text("= ")]
            if let terms = factor.terms, factor.values.count <= 6 { parts += [.numbers("[" + terms.joined(separator: ", ") + "]"), .text(" = ")] }
            lines.append(TraceLine("", parts + [.value(factor.values)], answer: true))
        }
        if op == "affine_relu", let masked = step.flows.first(where: { $0.argument == 2 })?.unreduced {
            lines.append(TraceLine("", [.text("m = upstream ⊙ [y > 0] = "), .value(masked)], answer: true))
        }
        for (i, flow) in step.flows.enumerated() {
            lines.append(TraceLine(i == 0 ? "flows" : "", flowParts(flow, step, trace: trace, printer: printer, d: d), answer: true))
            if Broadcast.ops.contains(op), let input = trace.forwardStep(of: flow.inputID), input.shape != step.shape,
               let axes = Broadcast.summedAxes(from: step.shape, to: input.shape) {
                lines.append(TraceLine("", [.text("(\(flow.input) \(shapeString(input.shape)) was broadcast to \(shapeString(step.shape)): its copies' gradients add up over \(axes))")]))
            }
        }
    }

    /// `∂L/∂b = Σ over axis 0 of upstream = [..]`, `∂L/∂x = upstream ⊙ x = [1.] ⊙ [2.] = [2.]  (share 1 of 2)`.
    private static func flowParts(_ flow: TraceStep.Flow, _ step: TraceStep, trace: TraceIndex, printer: Printer, d: String) -> [TraceLine.Part] {
        var parts: [TraceLine.Part] = [.text("\(d)\(TraceNames.operand(flow.input)) = ")]
        let input = trace.forwardStep(of: flow.inputID)
        let broadcast = Broadcast.ops.contains(step.op ?? "") && (input.map { $0.shape != step.shape } ?? false)
        if var how = flow.how {
            if broadcast, !how.hasPrefix("Σ"), let input, let axes = Broadcast.summedAxes(from: step.shape, to: input.shape) {
                how = "Σ over \(axes) of " + (how.contains(" ") ? "(\(how))" : how)
            }
            parts.append(.text(how + " = "))
            if broadcast, let unreduced = flow.unreduced, unreduced.count <= fullLimit, !how.hasSuffix("of upstream") {
                parts += [.text("Σ "), .numbers(printer.compact(unreduced, maxItems: fullLimit)), .text(" = ")]
            } else if !broadcast, let plugged = plugged(flow, step, trace: trace, printer: printer) {
                parts += [.numbers(plugged), .text(" = ")]
            }
        }
        parts.append(.value(flow.gradient))
        if let share = share(of: flow, from: step, trace: trace) { parts.append(.text("  (share \(share.0) of \(share.1))")) }
        return parts
    }

    /// The operands written out for the elementwise products, when both are small: `[1.] ⊙ [2.]`.
    private static func plugged(_ flow: TraceStep.Flow, _ step: TraceStep, trace: TraceIndex, printer: Printer) -> String? {
        guard let upstream = step.upstream, upstream.count <= 6, step.inputIDs.count == 2 else { return nil }
        let k = 1 - min(flow.argument, 1)
        let v: String
        if let value = trace.forwardStep(of: step.inputIDs[k])?.value {
            guard value.count <= 6 else { return nil }
            v = printer.compact(value)
        } else {
            // A constant written into the step is named by its value.
            guard k < step.inputs.count, !step.inputs[k].hasPrefix("a [") else { return nil }
            v = step.inputs[k]
        }
        let g = printer.compact(upstream)
        switch (step.op, flow.argument) {
        case ("mul", _): return "\(g) ⊙ \(v)"
        case ("div", 0): return "\(g) ⊙ 1/\(v)"
        default: return nil
        }
    }

    /// Which of the input's shares this flow is, when the input gets more than one.
    private static func share(of flow: TraceStep.Flow, from step: TraceStep, trace: TraceIndex) -> (Int, Int)? {
        guard let b = trace.backwardStep[flow.inputID], let input = trace.trace.step(b), input.contributions.count >= 2,
              let k = input.contributions.firstIndex(where: { $0.fromID == step.nodeID && $0.argument == flow.argument }) else { return nil }
        return (k + 1, input.contributions.count)
    }

    /// `a`, `b`, `c` for the operands of an op.
    static func operand(_ k: Int) -> String { k < 26 ? String(UnicodeScalar(UInt8(97 + k))) : "#\(k)" }

    /// A tensor as a line shows it: in full up to `fullLimit` elements (`[-0.4085, 0.6201]`; the session's
    /// `show_limit` when smaller), else its shape and statistics (`[64, 10]  mean 0.0123  std 0.3101  min -1.204  max 1.391`).
    public static func valueText(_ t: Tensor, printer: Printer = Printer()) -> String {
        let limit = Swift.min(fullLimit, printer.showLimit ?? fullLimit)
        guard t.count > limit else { return printer.compact(t, maxItems: limit) }
        let s = t.statistics()
        var text = shapeString(t.shape)
        if let mean = s.mean, let std = s.std, let lo = s.min, let hi = s.max {
            text += "  mean \(printer.number(mean))  std \(printer.number(std))  min \(printer.number(Double(lo)))  max \(printer.number(Double(hi)))"
        }
        if s.nonFinite > 0 { text += "  (\(s.nonFinite) not finite)" }
        return text
    }

    /// A line as plain text: the label padded to `labelWidth`, values in full or summed up, numbers shown.
    public static func plain(_ line: TraceLine, printer: Printer = Printer()) -> String {
        var text = line.label.isEmpty ? String(repeating: " ", count: labelWidth) : pad(line.label, labelWidth - 1) + " "
        for part in line.parts {
            switch part {
            case .text(let s), .numbers(let s), .pending(let s): text += s
            case .value(let t): text += valueText(t, printer: printer)
            case .column(let c): text = text.count >= c ? text + "  " : pad(text, c)
            }
        }
        return text
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}

/// Which axes a broadcast operand's gradient is summed over.
enum Broadcast {
    /// The ops that broadcast their operands elementwise.
    static let ops: Set<String> = ["add", "sub", "mul", "div", "pow", "mod", "where"]

    /// `axis 0`, `axes 0, 2`: the leading axes the operand lacks and those where it has size 1; nil when the
    /// shapes are not a broadcast pair.
    static func summedAxes(from out: [Int], to input: [Int]) -> String? {
        guard out.count >= input.count else { return nil }
        let lead = out.count - input.count
        var axes = Array(0..<lead)
        for (k, n) in input.enumerated() {
            if n == out[lead + k] { continue }
            guard n == 1 else { return nil }
            axes.append(lead + k)
        }
        guard !axes.isEmpty else { return nil }
        return (axes.count == 1 ? "axis " : "axes ") + axes.map(String.init).joined(separator: ", ")
    }
}
