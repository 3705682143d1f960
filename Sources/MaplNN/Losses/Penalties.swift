/// Weight penalties to add to a loss: `loss + 1e-4 * l2(model)`.
///
/// **Which parameters count.** Given a model (`l1(model)`), only its *weights* count — parameters of rank
/// ≥ 2: dense and convolution kernels, embedding tables, recurrent and attention matrices — and not
/// biases or normalisation gains/shifts (rank 1), as Keras's per-layer kernel regularisers and the usual
/// textbook form of weight decay. Given an explicit list of parameters, every parameter in it counts:
/// the user chose them. (PyTorch's `weight_decay` on an optimizer, by contrast, decays every parameter.)
///
/// The penalties carry no factor: `l1 = Σ|w|`, `l2 = Σw²` (not ½Σw²); the coefficient is the user's.
public enum Regularization {
    /// Σ|w| over the model's weights (rank ≥ 2). — ∂/∂w = sign(w) (0 at 0)
    public static func l1(_ model: Layer) throws -> Variable { try l1(weights(of: model)) }
    /// Σw² over the model's weights (rank ≥ 2). — ∂/∂w = 2w
    public static func l2(_ model: Layer) throws -> Variable { try l2(weights(of: model)) }

    static let l1Op = OpInfo("l1", "∂(Σ|w|)/∂w = sign(w)", flow: { f in OpFlow("upstream·sign(\(f.operand))") })

    /// Σ|w| over every given parameter.
    public static func l1(_ params: [Variable]) throws -> Variable {
        try penalty(params, l1Op, { Swift.abs($0) }) { w in w > 0 ? 1 : (w < 0 ? -1 : 0) }
    }

    static let l2Op = OpInfo("l2", "∂(Σw²)/∂w = 2w", flow: { f in OpFlow("upstream·2·\(f.operand)") })

    /// Σw² over every given parameter.
    public static func l2(_ params: [Variable]) throws -> Variable {
        try penalty(params, l2Op, { $0 * $0 }) { w in 2 * w }
    }

    /// The weights a model-level penalty covers: its parameters of rank ≥ 2, each once.
    public static func weights(of model: Layer) -> [Variable] {
        var seen = Set<ObjectIdentifier>()
        return model.parameters.filter { $0.rank >= 2 && seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// One recorded node `Σ_params Σ_elements f(w)` whose backward gives each parameter `g·f′(w)`.
    /// Summed in double precision so a large model's penalty does not lose small weights.
    private static func penalty(_ params: [Variable], _ op: OpInfo, _ f: (Float) -> Float,
                                _ df: @escaping (Float) -> Float) throws -> Variable {
        var total: Double = 0
        for p in params {
            p.value.scalars.withUnsafeBufferPointer { w in for j in 0..<w.count { total += Double(f(w[j])) } }
        }
        return Variable.record(op, params, Tensor(Float(total))) { g in
            let s = g.scalars[0]
            return params.map { p in p.requiresGrad ? p.value.map { s * df($0) } : nil }
        }
    }
}
