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
        let rootName = names.name(root)
        let layers = layerTags(order)
        let used = usedLeafValues(order)
        // A constant nobody named (`0.5`, `[1, 0]`) is written into the steps that use it, not a step of its own.
        let forward = order.filter { $0 === root || !names.isInlineConstant($0) }.map { node in
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
                let operands = node.inputs.map { TraceNames.operand(names.name($0)) }
                let used = node.inputs.indices.map(node.usedValue)
                for (k, (input, g)) in zip(node.inputs, step.inputGradients).enumerated() where input.requiresGrad {
                    guard let g else { continue }
                    // The op's own explanation (OpInfo, declared beside its forward and backward).
                    let explained = node.op?.flow(OpFlowContext(argument: k, operands: operands, inputs: used,
                                                                output: node.value, upstream: step.upstream))
                    flows.append(TraceStep.Flow(input: names.name(input), inputID: input.id, argument: k, gradient: g,
                                                how: explained?.how, unreduced: explained?.unreduced))
                    received[input.id, default: []].append(TraceStep.Contribution(from: names.name(node), fromID: node.id,
                                                                                 argument: k, gradient: g))
                }
                var factor: TraceStep.LocalFactor? = nil
                if let op = node.op, node.inputs.count == 1,
                   let numbers = op.factor(x: node.usedValue(0), y: node.value, format: printer.compactTerms) {
                    factor = TraceStep.LocalFactor(terms: numbers.terms, values: numbers.values)
                }
                guard let base = forwardByID[node.id] else { return }
                backward.append(base.with(phase: .backward, upstream: step.upstream,
                                          contributions: received.removeValue(forKey: node.id) ?? [],
                                          rule: node.op?.shownRule(needsGradient: node.inputs.map(\.requiresGrad)),
                                          factor: factor, flows: flows))
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

/// How the trace names nodes as the program does: by the name a value is bound to (`z`), else by the
/// expression that computed it (`W.T @ x`), a constant nobody named by its value (`0.5`, `[1, 0]`), and what
/// the language did not compute itself (a model's inner steps) by its op applied to its inputs' names
/// (`relu(affine(xb, W, b))`, inner parts elided past 40 characters).
struct NodeNames {
    let printer: Printer
    /// How long a name built from a node's op and inputs may get before its innermost parts become `…`.
    static let builtLimit = 40

    func name(_ node: Variable) -> String {
        if let label = node.label { return label }
        if let text = node.text { return text }
        if node.isLeaf && !node.requiresGrad {
            // A constant a layer made (`flatten` of the input) is that layer's output.
            if let scope = node.scope { return "\(scope.outermost.name) output" }
            return constant(node.value)
        }
        return ExprText.shortened(limit: NodeNames.builtLimit) { depth in built(node, depth: depth ?? 8) }
    }

    /// A constant the program wrote as a literal or computed in place (`0.5`, `[1, 0]`) and did not name: the
    /// steps using it show its value in its place. (A constant a layer made — `flatten` of the input — stays
    /// a step: it is that layer's output.)
    func isInlineConstant(_ node: Variable) -> Bool {
        node.isLeaf && !node.requiresGrad && node.label == nil && node.scope == nil
    }

    /// A constant by its value: the shortest text that reads back as the same float (0.5, 2, 0.1) for a
    /// scalar, the elements for a small tensor, its shape for a large one.
    private func constant(_ t: Tensor) -> String {
        if t.rank == 0, let x = t.scalars.first {
            return x == x.rounded() && Swift.abs(x) < 1e8 ? Printer.formatNumber(Double(x)) : numberString(x)
        }
        return t.count <= 6 ? printer.compact(t) : "a \(shapeString(t.shape)) constant"
    }

    /// `op(inputs)` from the inputs' names, `depth` levels deep before `…`.
    private func built(_ node: Variable, depth: Int) -> String {
        guard let op = node.op else { return name(node) }
        let args = node.inputs.map { input -> String in
            if input.label != nil || input.text != nil || input.isLeaf { return name(input) }
            return depth <= 1 ? "…" : built(input, depth: depth - 1)
        }
        return NodeNames.rhs(op.name, args)
    }

    /// `yhat = sigmoid(z)`, `z = W.T @ x + b`, `W.T @ x` (a node named by its own expression is that
    /// expression), `W (parameter)`, `x (constant)`.
    func formula(_ node: Variable) -> String {
        guard let op = node.op else { return name(node) + (node.isParameter ? " (parameter)" : " (constant)") }
        let own = name(node)
        if node.label == nil { return own }
        let rhs = node.text ?? NodeNames.rhs(op.name, node.inputs.map(name))
        return rhs == own ? own : "\(own) = \(rhs)"
    }

    /// An op applied to its operands' names, with the language's operator where it has one.
    static func rhs(_ op: String, _ args: [String]) -> String {
        if args.count == 2, let symbol = infix[op] {
            let (a, b) = (TraceNames.operand(args[0]), TraceNames.operand(args[1]))
            return symbol == "^" ? "\(a)^\(b)" : "\(a) \(symbol) \(b)"
        }
        if op == "neg", args.count == 1 { return "-" + TraceNames.operand(args[0]) }
        return "\(op)(\(args.joined(separator: ", ")))"
    }

    /// Ops written with the language's own operators.
    static let infix = ["add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "^", "matmul": "@", "mod": "%"]
}
