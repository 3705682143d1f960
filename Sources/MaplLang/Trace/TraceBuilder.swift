import MaplEngine

extension TraceSteps {
    /// Traces the computation behind `root`: every node's forward step and, when `root` is a scalar computed
    /// from parameters whose graph is still held, the backward pass node by node — with each node's
    /// gradient split into what each of its uses sent, and the layer (model stage) that made it.
    ///
    /// The backward pass really runs (`backward(retainGraph: true, observer:)`) so the numbers are the engine's
    /// own, but every leaf's `.grad` is saved first and restored afterwards — even when the pass fails — so
    /// tracing never changes the user's gradients, and the graph is kept for a later `backward(L)`.
    public static func build(_ root: Variable, printer: Printer = Printer()) -> TraceSteps {
        let order = root.topologicalOrder()
        let names = NodeNames(printer: printer)
        let rootName = root.label ?? "L"
        let layers = layerTags(order)
        let used = usedLeafValues(order)
        let forward = order.map { node in
            TraceStep(phase: .forward, name: names.name(node), nodeID: node.id, op: node.op?.name,
                      inputs: node.inputs.map(names.name), inputIDs: node.inputs.map(\.id), formula: names.formula(node),
                      shape: used[node.id]?.shape ?? node.shape, value: used[node.id] ?? node.value, isParameter: node.isParameter,
                      layer: layers[node.id], upstream: nil, rule: nil, factor: nil, flows: [])
        }
        if let reason = whyNoBackward(root, order, rootName) {
            return TraceSteps(root: rootName, forward: forward, backward: [], note: reason)
        }
        let forwardByID = Dictionary(forward.map { ($0.nodeID, $0) }, uniquingKeysWith: { a, _ in a })

        let leaves = order.filter { $0.isLeaf && $0.requiresGrad }
        let saved = leaves.map(\.grad)
        defer { for (leaf, g) in zip(leaves, saved) { leaf.grad = g } }
        var backward: [TraceStep] = []
        // What each node has received so far, one share per use, in the order the pass delivers them.
        var received: [Int: [TraceStep.Contribution]] = [:]
        do {
            try root.backward(retainGraph: true) { step in
                let node = step.node
                var flows: [TraceStep.Flow] = []
                for (k, (input, g)) in zip(node.inputs, step.inputGradients).enumerated() where input.requiresGrad {
                    guard let g else { continue }
                    let (how, unreduced) = FlowRules.explain(node, argument: k, upstream: step.upstream, names: names)
                    flows.append(TraceStep.Flow(input: names.name(input), inputID: input.id, argument: k, gradient: g,
                                                how: how, unreduced: unreduced))
                    received[input.id, default: []].append(TraceStep.Contribution(from: names.name(node), fromID: node.id,
                                                                                 argument: k, gradient: g))
                }
                var factor: TraceStep.LocalFactor? = nil
                if let op = node.op, node.inputs.count == 1 {
                    factor = LocalFactorTable.factor(op: op.name, x: node.usedValue(0), y: node.value, printer: printer)
                }
                guard let base = forwardByID[node.id] else { return }
                backward.append(base.with(phase: .backward, upstream: step.upstream,
                                          contributions: received.removeValue(forKey: node.id) ?? [],
                                          rule: node.op?.rule, factor: factor, flows: flows))
            }
        } catch {
            return TraceSteps(root: rootName, forward: forward, backward: backward, note: "the backward pass stopped: \(error)")
        }
        return TraceSteps(root: rootName, forward: forward, backward: backward, note: nil)
    }

    /// The value each leaf had when the graph used it (the first use's, in the order the forward pass ran):
    /// a parameter stepped or assigned into since shows what the forward pass computed with, as its
    /// gradients are computed from (Variable.usedValue).
    private static func usedLeafValues(_ order: [Variable]) -> [Int: Tensor] {
        var used: [Int: Tensor] = [:]
        for node in order where !node.isLeaf {
            for (k, input) in node.inputs.enumerated() where input.isLeaf && used[input.id] == nil { used[input.id] = node.usedValue(k) }
        }
        return used
    }

    /// The layer of every node: its own scope's outermost stage for nodes computed inside a model; for
    /// parameters and inputs made outside, the layer of the first node that uses them.
    private static func layerTags(_ order: [Variable]) -> [Int: TraceStep.Layer] {
        func tag(_ scope: LayerScope) -> TraceStep.Layer {
            let outer = scope.outermost
            return TraceStep.Layer(id: outer.id, name: outer.name, kind: outer.kind, index: outer.index, path: scope.path)
        }
        var tags: [Int: TraceStep.Layer] = [:]
        for node in order { if let scope = node.scope { tags[node.id] = tag(scope) } }
        var placed = Set<Int>()
        for node in order where !node.isLeaf {
            for input in node.inputs where input.isLeaf && input.scope == nil && placed.insert(input.id).inserted {
                tags[input.id] = tags[node.id]
            }
        }
        return tags
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
