import MaplEngine

extension TraceLines {
    /// The lines of one layer as a whole — the stepper's layer view, the way a lecture explains a network
    /// before it explains matmul:
    ///
    ///     layer    dense(128, 10)  (stage 3)   1 op: affine
    ///     upstream ∂L/∂#20 = [64, 10]  mean …
    ///     params   ∂L/∂W = [128, 10]  mean …
    ///              ∂L/∂b = [10]  mean …
    ///     flows    ∂L/∂#17 = [64, 128]  mean …   (to relu)
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
        let d = "∂\(trace.trace.root)/∂"
        var head = group.name + (group.stageIndex.map { "  (stage \($0))" } ?? "")
        head += "   \(ops.count) op\(ops.count == 1 ? "" : "s")" + (distinct.isEmpty ? "" : ": " + distinct.prefix(4).joined(separator: ", ")
            + (distinct.count > 4 ? ", …" : ""))
        var lines = [TraceLine("layer", [.text(head)])]
        // The group's owner of each outside node, for "(to relu)".
        func owner(_ id: Int) -> String? {
            guard let i = trace.forwardStep[id], let gi = trace.group(ofStep: i) else { return nil }
            return trace.groups[gi].name
        }

        if group.phase == .forward {
            var entering: [Int] = []
            for s in steps { for id in s.inputIDs where !members.contains(id) && !entering.contains(id) { entering.append(id) } }
            for (k, id) in entering.enumerated() {
                guard let input = trace.forwardStep(of: id) else { continue }
                lines.append(TraceLine(k == 0 ? "input" : "", [.text(input.name + " = "), .value(input.value)]
                                       + (owner(id).map { [.text("  (from \($0))")] } ?? [])))
            }
            let params = steps.filter(\.isParameter)
            for (k, p) in params.enumerated() {
                lines.append(TraceLine(k == 0 ? "params" : "", [.text(p.name + " = "), .value(p.value)]))
            }
            // A layer that only reshaped a constant (flatten on the input) recorded no op: its output is a constant.
            if let out = steps.last(where: { $0.op != nil }) ?? steps.last(where: { !$0.isParameter }) {
                lines.append(TraceLine("output", [.text(out.name + " = "), .value(out.value)], answer: out.op != nil))
                lines.append(out.requiresGrad
                    ? TraceLine("grad", [.text("\(d)\(out.name): "), .pending("not computed yet"),
                                         .text(" (the backward pass comes after the forward pass)")])
                    : TraceLine("grad", [.text("none: computed from constants only, no gradient flows to it")]))
            }
            return lines
        }

        if let first = steps.first, let upstream = first.upstream {
            lines.append(TraceLine("upstream", [.text("\(d)\(first.name) = "), .value(upstream)]))
        }
        // Parameters in the order the layer holds them (W before b), not the order the pass reached them.
        let params = steps.filter(\.isParameter).sorted { (trace.forwardStep[$0.nodeID] ?? 0) < (trace.forwardStep[$1.nodeID] ?? 0) }
        for (k, p) in params.enumerated() {
            guard let g = p.upstream else { continue }
            lines.append(TraceLine(k == 0 ? "params" : "", [.text("\(d)\(p.name) = "), .value(g)], answer: true))
        }
        var k = 0
        for s in steps {
            for flow in s.flows where !members.contains(flow.inputID) {
                lines.append(TraceLine(k == 0 ? "flows" : "", [.text("\(d)\(flow.input) = "), .value(flow.gradient)]
                                       + (owner(flow.inputID).map { [.text("  (to \($0))")] } ?? []), answer: true))
                k += 1
            }
        }
        return lines
    }
}
