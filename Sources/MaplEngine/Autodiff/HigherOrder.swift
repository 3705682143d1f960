/// Gradients that can be differentiated again: `grad` of `grad` (second derivatives, Hessian-vector
/// products), as PyTorch's `torch.autograd.grad(…, create_graph=True)`.
///
/// A first-order backward runs each node's rule on plain tensors — fast, and what training uses. A gradient
/// that will itself be differentiated is computed instead with each node's **differentiable rule**: the same
/// local derivative written in recorded ops (`Variable.differentiable { upstream, node in … }`, next to the
/// op's forward and backward), so the gradient is a Variable whose graph reaches back to the inputs. Every
/// op used in those rules has a differentiable rule itself, so any order works.
///
/// Ops without one (convolution, pooling, batchnorm, GELU, …) make a higher-order gradient through them an
/// error that names the op — never a silent 0.
public typealias DifferentiableRule = (_ upstream: Variable, _ node: Variable) throws -> [Variable?]

extension Variable {
    /// ∂y/∂x for a scalar `y`, as a recorded Variable of x's shape whose graph reaches x's inputs (so it can
    /// be differentiated again). Gradients flow only through nodes that depend on `x`; each must have a
    /// differentiable rule. Zero (a constant) when `y` does not depend on `x`.
    public static func gradient(of y: Variable, withRespectTo x: Variable) throws -> Variable {
        guard y.value.count == 1 else {
            throw TensorError("a gradient needs a scalar (one-element) value, got shape \(shapeString(y.shape))")
        }
        let order = y.topologicalOrder()  // inputs before the nodes that use them
        var reaches: Set<ObjectIdentifier> = [ObjectIdentifier(x)]
        for node in order where node.inputs.contains(where: { reaches.contains(ObjectIdentifier($0)) }) {
            reaches.insert(ObjectIdentifier(node))
        }
        let zero = Variable(Tensor(repeating: 0, shape: x.shape))
        guard reaches.contains(ObjectIdentifier(y)) else { return zero }
        var pending: [ObjectIdentifier: Variable] = [ObjectIdentifier(y): Variable(Tensor(repeating: 1, shape: y.shape))]
        for node in order.reversed() {
            let key = ObjectIdentifier(node)
            guard reaches.contains(key), let upstream = pending.removeValue(forKey: key) else { continue }
            // Every node using x comes before x in this order, so x's gradient is complete here.
            if node === x {
                guard upstream.shape == x.shape else {
                    throw TensorError("\(x.label ?? "the value") has shape \(shapeString(x.shape)) now, but the gradient was computed when it had shape \(shapeString(upstream.shape)); compute the value again")
                }
                return upstream
            }
            guard let rule = node.differentiableRule else {
                let name = node.op?.name ?? "value"
                if node.op != nil && !node.hasBackwardRule {
                    throw TensorError("the graph behind '\(name)' was already released by an earlier backward; compute the value again")
                }
                throw TensorError("grad of grad: the second derivative through '\(name)' is not supported — gradients can be differentiated again through arithmetic, elementwise functions (not gelu), sum/mean/max/min/var/std, matmul, dense layers, softmax, cross_entropy, nll, mse, bce, indexing and reshaping")
            }
            let grads = try node.withInputsAsUsed { try rule(upstream, node) }
            for (k, (input, g)) in zip(node.inputs, grads).enumerated() where reaches.contains(ObjectIdentifier(input)) {
                guard let g else { continue }
                guard g.shape == node.usedValue(k).shape else {
                    throw TensorError("internal: the differentiable rule of \(name(node)) gave a gradient of shape \(shapeString(g.shape)) for an input of shape \(shapeString(node.usedValue(k).shape))")
                }
                let k = ObjectIdentifier(input)
                pending[k] = try pending[k].map { try $0 + g } ?? g
            }
        }
        return zero
    }

    private static func name(_ node: Variable) -> String { "'\(node.op?.name ?? "value")'" }

    // MARK: - Linear pieces the differentiable rules are built from

    static let sumToOp = OpInfo("sum_to", "∂L/∂g = g broadcast back", flow: { f in
        OpFlow("upstream broadcast back to \(shapeString(f.input.shape))")
    })

    /// `g` summed down to `shape` (over broadcast axes): the recorded form of `Tensor.sum(toShape:)`.
    public static func sumTo(_ g: Variable, _ shape: [Int]) throws -> Variable {
        if g.shape == shape { return g }
        let from = g.shape
        return record(sumToOp, [g], g.value.sum(toShape: shape)) { h in
            [try Tensor.zip(Tensor(repeating: 0, shape: from), h) { $1 }]
        }.differentiable { h, _ in [try broadcastTo(h, from)] }
    }

    static let broadcastOp = OpInfo("broadcast", "∂L/∂x = g summed over the broadcast axes", flow: { _ in
        OpFlow("upstream summed over the broadcast axes")
    })

    /// `x` broadcast to `shape` (NumPy's `broadcast_to`, as a copy).
    public static func broadcastTo(_ x: Variable, _ shape: [Int]) throws -> Variable {
        if x.shape == shape { return x }
        let from = x.shape
        let y = try Tensor.zip(Tensor(repeating: 0, shape: shape), x.value) { $1 }
        guard y.shape == shape else { throw TensorError("cannot broadcast shape \(shapeString(from)) to \(shapeString(shape))") }
        return record(broadcastOp, [x], y) { h in [h.sum(toShape: from)] }
            .differentiable { h, _ in [try sumTo(h, from)] }
    }

    /// The linear map named `forward` (a placement, a pick, a scatter): its gradient is its adjoint's value.
    static func linearOp(_ forward: String, adjoint: String) -> OpInfo {
        OpInfo(forward, "linear: ∂L/∂g = its adjoint (\(adjoint)) of g", flow: { _ in OpFlow("\(adjoint)(upstream)") })
    }

    /// A linear map `forward` of `g` whose adjoint is `adjoint` — the shape of every backward rule that only
    /// moves or scatters values (indexing, max, picking labels, gathering rows). Its gradient is the adjoint,
    /// recorded the same way, so it can be differentiated to any order.
    static func linear(_ g: Variable, _ names: (forward: String, adjoint: String),
                       _ forward: @escaping (Tensor) throws -> Tensor, adjoint: @escaping (Tensor) throws -> Tensor) throws -> Variable {
        record(linearOp(names.forward, adjoint: names.adjoint), [g], try forward(g.value)) { h in [try adjoint(h)] }
            .differentiable { h, _ in [try linear(h, (names.adjoint, names.forward), adjoint, adjoint: forward)] }
    }

    /// A constant with the given values (no gradient).
    static func constant(_ t: Tensor) -> Variable { Variable(t) }
}
