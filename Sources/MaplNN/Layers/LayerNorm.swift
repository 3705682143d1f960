/// Layer normalisation over the last axis (`layernorm(n)`), as PyTorch's `nn.LayerNorm(n)`:
/// `y = γ·(x − mean)/√(var + ε) + β` per vector of the last axis, ε = 1e-5, biased variance, `gamma`
/// starting at 1 and `beta` at 0. Same in training and evaluation.
public final class LayerNorm: Layer {
    /// Scale and shift `[n]`.
    public let gamma: Variable, beta: Variable
    public let features: Int
    public let eps: Float = 1e-5

    /// Normalisation over a last axis of size `n`.
    public init(_ features: Int) throws {
        try Init.requirePositive("layernorm", [("n", features)])
        self.features = features
        gamma = try Init.constant("layernorm", [features], 1, label: "gamma")
        beta = try Init.constant("layernorm", [features], 0, label: "beta")
    }

    public var kind: String { "layernorm" }
    public var signature: String { "layernorm(\(features))" }
    public var ownParameters: [(name: String, value: Variable)] { [("gamma", gamma), ("beta", beta)] }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        guard x.rank >= 1, x.shape[x.rank - 1] == features else {
            throw TensorError("layernorm(\(features)) expects a last axis of size \(features), got shape \(shapeString(x.shape))")
        }
        // Composed from recorded ops: the gradient through mean and variance comes out of the chain rule.
        let mu = try Variable.mean(x, axis: -1, keepdims: true)
        let variance = try Variable.variance(x, axis: -1, keepdims: true)
        let centered = try x - mu
        let denom = Variable.sqrt(try variance + Variable(Tensor(eps)))
        return try centered / denom * gamma + beta
    }
}
