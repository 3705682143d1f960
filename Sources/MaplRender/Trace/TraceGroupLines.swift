import MaplProtocol
import MaplCore

extension TraceLines {
    /// The lines of one layer as a whole — the stepper's layer view, the way a lecture explains a network
    /// before it explains matmul:
    ///
    ///     layer    dense(128, 10)  (stage 3)   1 op: affine
    ///     upstream ∂L/∂m(x) = [64, 10]  mean …
    ///     params   ∂L/∂W = [128, 10]  mean …
    ///              ∂L/∂b = [10]  mean …
    ///     flows    ∂L/∂relu(…) = [64, 128]  mean …   (to relu)
    ///
    /// Forward: what enters the layer from outside, its parameters, what it outputs, and that no gradient
    /// exists yet. Backward: the gradient arriving at its output, its parameters' gradients and what flows
    /// out of it to the layers before.
    public static func lines(group g: Int, in trace: TraceIndex, printer: Printer = Printer()) -> [TraceLine] {
        guard g >= 0 && g < trace.groups.count else { return [] }
        let group = trace.groups[g]
        let steps = group.steps.compactMap(trace.trace.step)
        let members = Set(steps.map(\.nodeID))
        let ops = steps.compactMap(\.op)
        var distinct: [String] = []
        for op in ops where !distinct.contains(op) { distinct.append(op) }
        let d = "∂\(TraceNames.operand(trace.trace.root))/∂"
        var head = group.name + (group.stageIndex.map { "  (stage \($0))" } ?? "")
        head += "   \(ops.count) op\(ops.count == 1 ? "" : "s")" + (distinct.isEmpty ? "" : ": " + distinct.prefix(4).joined(separator: ", ")
            + (distinct.count > 4 ? ", …" : ""))
        var lines = [TraceLine("layer", [.text(head)])]
        // The group's owner of each outside node, for "(to relu)".
        func owner(_ id: Int) -> String? {
            guard let i = trace.forwardStep[id], let gi = trace.group(ofStep: i) else { return nil }
            return trace.groups[gi].name
        }
        func isParameter(_ id: Int) -> Bool { trace.forwardStep(of: id)?.isParameter ?? false }

        if group.phase == .forward {
            // The data entering the layer: an input placed in it (the first layer is where the model's input
            // first shows), then what comes from other layers.
            var entering = steps.filter { $0.op == nil && !$0.isParameter }.map(\.nodeID)
            for s in steps { for id in s.inputIDs where !members.contains(id) && !entering.contains(id) { entering.append(id) } }
            for (k, id) in entering.enumerated() {
                guard let input = trace.forwardStep(of: id) else { continue }
                let from = members.contains(id) ? nil : owner(id)
                lines.append(TraceLine(k == 0 ? "input" : "", [.text(input.name + " = "), .value(input.value)]
                                       + (from.map { [.text("  (from \($0))")] } ?? [])))
            }
            let params = steps.filter(\.isParameter)
            for (k, p) in params.enumerated() {
                lines.append(TraceLine(k == 0 ? "params" : "", [.text(p.name + " = "), .value(p.value)]))
            }
            // A layer that only reshaped a constant (flatten on the input) recorded no op: its output is a constant.
            if let out = steps.last(where: { $0.op != nil }) ?? steps.last(where: { !$0.isParameter }) {
                lines.append(TraceLine("output", [.text(out.name + " = "), .value(out.value)], answer: out.op != nil))
                lines.append(out.requiresGrad
                    ? TraceLine("grad", [.text("\(d)\(TraceNames.operand(out.name)): "), .pending("not computed yet"),
                                         .text(" (the backward pass comes after the forward pass)")])
                    : TraceLine("grad", [.text("none: computed from constants only, no gradient flows to it")]))
            }
            return lines
        }

        if let first = steps.first, let upstream = first.upstream {
            lines.append(TraceLine("upstream", [.text("\(d)\(TraceNames.operand(first.name)) = "), .value(upstream)]))
        }
        lines += parameterLines(steps, members: members, in: trace, d: d)
        var k = 0
        for s in steps {
            for flow in s.flows where !members.contains(flow.inputID) && !isParameter(flow.inputID) {
                lines.append(TraceLine(k == 0 ? "flows" : "", [.text("\(d)\(TraceNames.operand(flow.input)) = "), .value(flow.gradient)]
                                       + (owner(flow.inputID).map { [.text("  (to \($0))")] } ?? []), answer: true))
                k += 1
            }
        }
        return lines
    }

    /// Two gradients of one node summed element by element (both have the node's shape); nil if the shapes
    /// differ. Float addition per element, as the engine's `+` does it for equal shapes.
    private static func added(_ a: Tensor, _ b: Tensor) -> Tensor? {
        guard a.shape == b.shape else { return nil }
        return try? Tensor(shape: a.shape, scalars: zip(a.scalars, b.scalars).map { $0 + $1 })
    }

    /// The gradients of the parameters a layer uses, in the order the layer holds them (W before b). A
    /// parameter used by several layers (a layer applied twice, tied weights) shows this layer's share, then
    /// every layer's share and their sum — the layer-sized form of the op view's shares.
    private static func parameterLines(_ steps: [TraceStep], members: Set<Int>, in trace: TraceIndex, d: String) -> [TraceLine] {
        var order: [Int] = steps.filter(\.isParameter).map(\.nodeID)
        var share: [Int: Tensor] = [:]
        for s in steps {
            for flow in s.flows where trace.forwardStep(of: flow.inputID)?.isParameter ?? false {
                if !order.contains(flow.inputID) { order.append(flow.inputID) }
                share[flow.inputID] = share[flow.inputID].map { added($0, flow.gradient) ?? $0 } ?? flow.gradient
            }
        }
        order.sort { (trace.forwardStep[$0] ?? 0) < (trace.forwardStep[$1] ?? 0) }
        func layer(of id: Int) -> String {
            guard let i = trace.forwardStep[id] ?? trace.backwardStep[id], let g = trace.group(ofStep: i) else { return "outside" }
            let group = trace.groups[g]
            return group.name + (group.stageIndex.map { " (stage \($0))" } ?? "")
        }
        var lines: [TraceLine] = []
        for id in order {
            guard let param = trace.forwardStep(of: id), let b = trace.backwardStep[id], let total = trace.trace.step(b)?.upstream else { continue }
            let name = "\(d)\(TraceNames.operand(param.name))"
            let contributions = trace.trace.step(b)?.contributions ?? []
            // Each using layer's share, in the order the backward pass delivered them.
            var layers: [(String, Tensor)] = []
            for c in contributions {
                let l = layer(of: c.fromID)
                if let i = layers.firstIndex(where: { $0.0 == l }) { layers[i].1 = added(layers[i].1, c.gradient) ?? layers[i].1 }
                else { layers.append((l, c.gradient)) }
            }
            let label = lines.isEmpty ? "params" : ""
            guard layers.count >= 2 else {
                lines.append(TraceLine(label, [.text(name + " = "), .value(total)], answer: true))
                continue
            }
            if let mine = share[id] {
                lines.append(TraceLine(label, [.text(name + " from this layer = "), .value(mine)], answer: true))
            }
            let indent = labelWidth + name.count + 1
            for (i, (l, g)) in layers.enumerated() {
                lines.append(TraceLine(i == 0 && share[id] == nil ? label : "", i == 0 ? [.text(name + " = (from \(l)) "), .value(g)]
                                                                                : [.column(indent), .text("+ (from \(l)) "), .value(g)], answer: true))
            }
            lines.append(TraceLine("", [.column(indent), .text("= "), .value(total)], answer: true))
        }
        return lines
    }
}
