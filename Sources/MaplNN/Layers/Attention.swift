/// Multi-head scaled dot-product self-attention on `[batch, seq, d]` (`attention(d, heads=1,
/// causal=false)`), as PyTorch's `nn.MultiheadAttention` with query = key = value = x:
///
///     Q = x·Wq + bq,  K = x·Wk + bk,  V = x·Wv + bv          (each [batch, seq, d])
///     split d into `heads` heads of size dh = d / heads
///     A = softmax(Q·Kᵀ / √dh)  per head (row-wise; with `causal`, position i sees only j ≤ i)
///     y = concat_heads(A·V)·Wo + bo
///
/// Weights are `[d, d]` in the Keras layout (x·W), initialised Xavier-uniform (±√(6/(2d))) with zero
/// biases, as PyTorch initialises its attention projections.
public final class Attention: Layer {
    public let Wq: Variable, Wk: Variable, Wv: Variable, Wo: Variable
    public let bq: Variable, bk: Variable, bv: Variable, bo: Variable
    public let dimension: Int, heads: Int, causal: Bool

    /// Self-attention over model width `d` split into `heads` heads (`d` must be divisible by `heads`).
    public init(_ dimension: Int, heads: Int = 1, causal: Bool = false) throws {
        try Init.requirePositive("attention", [("d", dimension), ("heads", heads)])
        guard dimension % heads == 0 else {
            throw TensorError("attention: d = \(dimension) is not divisible by heads = \(heads)")
        }
        try Init.checkShape("attention", "Wq", [dimension, dimension])
        let bound = (6 / (2 * Float(dimension))).squareRoot()
        func weight(_ name: String) throws -> Variable { try Init.uniform([dimension, dimension], bound: bound, label: name) }
        func bias(_ name: String) throws -> Variable { try Init.constant("attention", [dimension], 0, label: name) }
        (Wq, Wk, Wv, Wo) = (try weight("Wq"), try weight("Wk"), try weight("Wv"), try weight("Wo"))
        (bq, bk, bv, bo) = (try bias("bq"), try bias("bk"), try bias("bv"), try bias("bo"))
        (self.dimension, self.heads, self.causal) = (dimension, heads, causal)
    }

    public var kind: String { "attention" }
    public var signature: String {
        "attention(\(dimension)" + (heads != 1 ? ", heads=\(heads)" : "") + (causal ? ", causal=true" : "") + ")"
    }
    public var ownParameters: [(name: String, value: Variable)] {
        [("Wq", Wq), ("bq", bq), ("Wk", Wk), ("bk", bk), ("Wv", Wv), ("bv", bv), ("Wo", Wo), ("bo", bo)]
    }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        guard x.rank == 3, x.shape[2] == dimension else {
            throw TensorError("\(signature) expects [batch, seq, \(dimension)], got shape \(shapeString(x.shape))")
        }
        // The projections, then every head's softmax(Q·Kᵀ/√dh)·V as one node (Variable.attention: heads read in
        // place, no layout copies), then the output projection.
        let q = try Variable.affine(x, Wq, bq), k = try Variable.affine(x, Wk, bk), v = try Variable.affine(x, Wv, bv)
        let merged = try Variable.attention(q, k, v, heads: heads, causal: causal)
        return try Variable.affine(merged, Wo, bo)
    }
}
