import MaplEngine

extension TraceSteps {
    /// Traces the computation behind `root`: every node's forward step and, when `root` is a scalar computed
    /// from parameters whose graph is still held, the backward pass node by node.
    ///
    /// The backward pass really runs (`backward(retainGraph: true, observer:)`) so the numbers are the engine's
    /// own, but every leaf's `.grad` is saved first and restored afterwards — even when the pass fails — so
    /// tracing never changes the user's gradients, and the graph is kept for a later `backward(L)`.
    public static func build(_ root: Variable, printer: Printer = Printer()) -> TraceSteps {
        let order = root.topologicalOrder()
        let names = NodeNames(printer: printer)
        let rootName = root.label ?? "L"
        let forward = order.map { node in
            TraceStep(phase: .forward, name: names.name(node), nodeID: node.id, op: node.op?.name,
                      inputs: node.inputs.map(names.name), formula: names.formula(node), shape: node.shape,
                      value: node.value, isParameter: node.isParameter, upstream: nil, rule: nil, factor: nil, flows: [])
        }
        if let reason = whyNoBackward(root, order, rootName) {
            return TraceSteps(root: rootName, forward: forward, backward: [], note: reason)
        }

        let leaves = order.filter { $0.isLeaf && $0.requiresGrad }
        let saved = leaves.map(\.grad)
        defer { for (leaf, g) in zip(leaves, saved) { leaf.grad = g } }
        var backward: [TraceStep] = []
        do {
            try root.backward(retainGraph: true) { step in
                let node = step.node
                var flows: [TraceStep.Flow] = []
                for (input, g) in zip(node.inputs, step.inputGradients) where input.requiresGrad {
                    if let g { flows.append(TraceStep.Flow(input: names.name(input), gradient: g)) }
                }
                var factor: TraceStep.LocalFactor? = nil
                if let op = node.op, node.inputs.count == 1 {
                    factor = LocalFactorTable.factor(op: op.name, x: node.inputs[0].value, y: node.value, printer: printer)
                }
                backward.append(TraceStep(phase: .backward, name: names.name(node), nodeID: node.id, op: node.op?.name,
                                          inputs: node.inputs.map(names.name), formula: names.formula(node),
                                          shape: node.shape, value: node.value, isParameter: node.isParameter,
                                          upstream: step.upstream, rule: node.op?.rule, factor: factor, flows: flows))
            }
        } catch {
            return TraceSteps(root: rootName, forward: forward, backward: backward, note: "the backward pass stopped: \(error)")
        }
        return TraceSteps(root: rootName, forward: forward, backward: backward, note: nil)
    }

    /// Why the backward pass cannot be traced, or nil when it can.
    private static func whyNoBackward(_ root: Variable, _ order: [Variable], _ name: String) -> String? {
        if root.value.count != 1 {
            return "no backward pass: \(name) has shape \(shapeString(root.shape)); backward starts from a scalar such as a loss (reduce it with sum or mean)"
        }
        if !root.requiresGrad {
            return "no backward pass: \(name) does not depend on any parameter (make inputs trainable with param(...))"
        }
        if order.contains(where: { !$0.isLeaf && !$0.hasBackwardRule }) {
            return "no backward pass: the graph behind \(name) was released by an earlier backward; compute \(name) again to trace it"
        }
        return nil
    }
}

/// How the trace names nodes: by label (`z`), a scalar constant by its value (`0.5`), anything else `#id`.
struct NodeNames {
    let printer: Printer

    func name(_ node: Variable) -> String {
        if let label = node.label { return label }
        if node.isLeaf && !node.requiresGrad && node.rank == 0, let x = node.value.scalars.first {
            // The shortest text that reads back as the same float: 0.5, 2, 0.1.
            return x == x.rounded() && Swift.abs(x) < 1e8 ? Printer.formatNumber(Double(x)) : numberString(x)
        }
        return "#\(node.id)"
    }

    /// `yhat = sigmoid(z)`, `z = #9 + b`, `#7 = -#6`, `W (parameter)`, `x (constant)`.
    func formula(_ node: Variable) -> String {
        guard let op = node.op else { return name(node) + (node.isParameter ? " (parameter)" : " (constant)") }
        let args = node.inputs.map(name)
        let rhs: String
        if args.count == 2, let symbol = NodeNames.infix[op.name] {
            rhs = "\(args[0]) \(symbol) \(args[1])"
        } else if op.name == "neg", args.count == 1 {
            rhs = "-" + args[0]
        } else {
            rhs = "\(op.name)(\(args.joined(separator: ", ")))"
        }
        return "\(name(node)) = \(rhs)"
    }

    /// Ops written with the language's own operators.
    static let infix = ["add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "^", "matmul": "@", "mod": "%"]
}
