import Synchronization

/// A node of the dynamic computation graph: a tensor value, and — when it was computed by a recorded
/// operation — the operation, its inputs and the backward rule that turns the gradient of the output into
/// gradients of the inputs.
///
/// Leaves are either constants (`requiresGrad == false`) or parameters (`requiresGrad == true`), which
/// accumulate `grad` on `backward`. A parameter is a shared object, as in PyTorch: everybody who holds it
/// sees in-place updates.
public final class Variable {
    /// The value computed on the forward pass (for leaves, the current value; updated in place by optimizers).
    public var value: Tensor
    /// The accumulated gradient of a leaf that requires gradients (`nil` until a backward reaches it).
    public var grad: Tensor?
    /// True for parameters and for every value computed from one while recording.
    public let requiresGrad: Bool
    /// The operation that produced this value; `nil` for a leaf.
    public let op: OpInfo?
    /// The operands of `op`, in order. Kept after backward so the graph can still be drawn.
    public private(set) var inputs: [Variable]
    /// The operands' values as this node used them, in order, kept when an operand is a parameter (see
    /// `usedValue(_:)`); empty otherwise.
    private var usedValues: [Tensor]
    /// A display name (the language sets it to the name a value is bound to, e.g. `z`).
    public var label: String?
    /// The expression that computed the value, as the program wrote it (`W.T @ x`); the language sets it, and
    /// the stepper names a value nobody bound by it.
    public var text: String?
    /// A number unique within the process, in creation order, for stable display.
    public let id: Int
    /// The model stage whose forward pass computed this node (nil outside any model, and for parameters and
    /// values made directly).
    public let scope: LayerScope?

    /// The backward rule: upstream gradient ↦ one gradient per input (`nil` where none is needed).
    /// Dropped after backward, which frees the tensors it saved.
    private var backwardRule: ((Tensor) throws -> [Tensor?])?
    /// The same rule written in recorded ops, for gradients that are differentiated again (`grad` of
    /// `grad`; see HigherOrder.swift); nil for an op that has none. Dropped with the backward rule.
    private(set) var differentiableRule: DifferentiableRule?

    /// Node ids, handed out atomically: several threads may record graphs at once.
    private static let nextID = Atomic<Int>(0)

    private init(value: Tensor, requiresGrad: Bool, op: OpInfo?, inputs: [Variable], rule: ((Tensor) throws -> [Tensor?])?,
                 scope: LayerScope? = nil) {
        self.value = value
        self.scope = scope
        self.requiresGrad = requiresGrad
        self.op = op
        self.inputs = inputs
        // Only parameters are written in place (constants are values, computed nodes are never written), so
        // only a node using one keeps what it used — most nodes of a deep graph allocate nothing for this.
        self.usedValues = inputs.contains(where: \.isParameter) ? inputs.map(\.value) : []
        self.backwardRule = rule
        self.id = Variable.nextID.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// Frees the graph behind this node without recursion. Swift's default would release `inputs` recursively,
    /// one nested deinit per node, so dropping a chain 100k ops deep (a long loop or RNN unroll) overflowed the
    /// stack. Instead, nodes only this one keeps alive are unlinked here, in a loop.
    deinit {
        backwardRule = nil  // its closure also holds the inputs
        differentiableRule = nil
        var pending = inputs
        inputs = []
        usedValues = []
        while var node = pending.popLast() {
            guard isKnownUniquelyReferenced(&node) else { continue }  // someone else still uses it
            node.backwardRule = nil
            node.differentiableRule = nil
            pending.append(contentsOf: node.inputs)
            node.inputs = []
            node.usedValues = []
        }
    }

    /// A constant leaf: never receives a gradient.
    public convenience init(_ value: Tensor) {
        self.init(value: value, requiresGrad: false, op: nil, inputs: [], rule: nil)
    }

    /// A trainable leaf (`param(t)`): accumulates `grad` on every backward.
    public static func parameter(_ value: Tensor, label: String? = nil) -> Variable {
        let v = Variable(value: value, requiresGrad: true, op: nil, inputs: [], rule: nil)
        v.label = label
        return v
    }

    /// True for a value with no recorded operation behind it.
    public var isLeaf: Bool { op == nil }
    /// True for a leaf that requires gradients — a parameter.
    public var isParameter: Bool { isLeaf && requiresGrad }
    /// The value's shape.
    public var shape: [Int] { value.shape }
    /// The value's rank.
    public var rank: Int { value.rank }

    /// The same value cut off from the graph (`detach(t)`).
    public func detached() -> Variable { Variable(value) }

    /// Records one operation. When recording is off or no input requires gradients, the result is a plain
    /// constant and nothing is kept — this is what makes inference and `nograd` cheap. Either way the result
    /// is stamped with the thread's current `LayerScope` (one thread-local load), so even a layer that only
    /// reshapes a constant input (`flatten`) shows in a trace's layer view.
    public static func record(_ op: OpInfo, _ inputs: [Variable], _ value: Tensor,
                              backward: @escaping (Tensor) throws -> [Tensor?]) -> Variable {
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else {
            return Variable(value: value, requiresGrad: false, op: nil, inputs: [], rule: nil, scope: LayerScope.current)
        }
        return Variable(value: value, requiresGrad: true, op: op, inputs: inputs, rule: backward, scope: LayerScope.current)
    }

    /// The value of input `k` as this node used it. The graph keeps what it used (value semantics): a leaf
    /// written since — a parameter stepped by an optimizer, assigned into, reloaded — got new storage
    /// (`Tensor` is copy-on-write and this node still holds the old one), so this is the old value, and the
    /// backward pass, `grad` and `trace` all see the numbers the forward pass computed with.
    public func usedValue(_ k: Int) -> Tensor { usedValues.isEmpty ? inputs[k].value : usedValues[k] }

    /// Runs `body` with every leaf input holding the value this node used, then puts back what the leaves
    /// hold now. The backward rules read their operands' `.value` when they run; only leaves can have
    /// changed since (computed values are never written), and for an unchanged leaf nothing is swapped.
    func withInputsAsUsed<T>(_ body: () throws -> T) rethrows -> T {
        var changed: [(leaf: Variable, now: Tensor)] = []
        for (input, used) in zip(inputs, usedValues) where input.isLeaf && !input.value.sharesStorage(with: used) {
            changed.append((input, input.value))
            input.value = used
        }
        defer { for (leaf, now) in changed.reversed() { leaf.value = now } }
        return try body()
    }

    /// Whether this node can still run its backward rule (false once a backward has released it).
    public var hasBackwardRule: Bool { backwardRule != nil }

    /// The gradients this node's rule gives for an upstream gradient, checked against the inputs' shapes.
    public func localGradients(_ upstream: Tensor) throws -> [Tensor?] {
        guard let rule = backwardRule else {
            throw TensorError("the graph behind '\(op?.name ?? "value")' was already released by an earlier backward; compute the loss again")
        }
        let grads = try withInputsAsUsed { try rule(upstream) }
        for (k, g) in grads.enumerated() where k < inputs.count {
            if let g, g.shape != usedValue(k).shape {
                throw TensorError("internal: \(op?.name ?? "op") produced a gradient of shape \(shapeString(g.shape)) for an input of shape \(shapeString(usedValue(k).shape))")
            }
        }
        return grads
    }

    /// Drops the backward rules (and the tensors they saved).
    func release() { backwardRule = nil; differentiableRule = nil }

    /// Gives this recorded node its backward rule in recorded ops (`rule(upstream, node)`: the gradient of
    /// each input as a Variable built from `upstream`, `node` and `node.inputs`), so that a gradient through
    /// it can be differentiated again. Returns the node; nothing happens to an unrecorded value.
    @discardableResult
    public func differentiable(_ rule: @escaping DifferentiableRule) -> Variable {
        if op != nil { differentiableRule = rule }
        return self
    }
}

extension Variable: CustomStringConvertible {
    public var description: String {
        "Variable(\(label ?? op?.name ?? "leaf"), shape \(shapeString(shape))\(requiresGrad ? ", requires grad" : ""))"
    }
}
