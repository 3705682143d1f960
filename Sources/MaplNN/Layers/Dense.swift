/// A fully connected layer `y = act(x @ W + b)` (`dense(in, out, act=none, bias=true)`).
///
/// Layout as Keras: `W` is `[in, out]`, so a row `x` maps to `x·W + b` — the chapter's `z = Wᵀx + b` with
/// `x` a column. Inputs of rank > 2 (`[batch, time, in]`) apply the layer to every vector of the last axis.
///
/// Initialisation as PyTorch's `nn.Linear`: `W` and `b` uniform in ±1/√in.
public final class Dense: Layer {
    /// The weight matrix `[in, out]`.
    public let W: Variable
    /// The bias `[out]`, or nil with `bias: false`.
    public let b: Variable?
    /// An activation applied after the affine map: a builtin `Activation`, or any parameter-free layer (in
    /// the language, any mapping: `act=x -> tanh(x)`). Part of this layer, so it has no parameters.
    public let activation: (any Layer)?
    public let inFeatures: Int, outFeatures: Int

    /// A dense layer from `inFeatures` to `outFeatures`, with fresh PyTorch-style random weights.
    public convenience init(_ inFeatures: Int, _ outFeatures: Int, activation: Activation? = nil, bias: Bool = true) throws {
        try self.init(inFeatures, outFeatures, applying: activation, bias: bias)
    }

    /// A dense layer followed by any parameter-free layer; one with parameters is refused (it belongs after
    /// the dense layer as a stage of its own, where it is trained and saved).
    public init(_ inFeatures: Int, _ outFeatures: Int, applying activation: (any Layer)?, bias: Bool = true) throws {
        try Init.requirePositive("dense", [("in", inFeatures), ("out", outFeatures)])
        if let activation, !activation.parameters.isEmpty {
            throw TensorError("dense(): the activation \(activation.signature) has parameters; make it a stage of its own: dense(\(inFeatures), \(outFeatures)) >> \(activation.signature)")
        }
        let bound = Init.fanInBound(inFeatures)
        self.W = try Init.uniform([inFeatures, outFeatures], bound: bound, label: "W")
        self.b = bias ? try Init.uniform([outFeatures], bound: bound, label: "b") : nil
        self.activation = activation
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
    }

    public var kind: String { "dense" }
    public var signature: String {
        var s = "dense(\(inFeatures), \(outFeatures)"
        if let activation { s += ", act=\(activation.signature)" }
        if b == nil { s += ", bias=false" }
        return s + ")"
    }
    public var ownParameters: [(name: String, value: Variable)] {
        [("W", W)] + (b.map { [("b", $0)] } ?? [])
    }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        guard x.rank >= 1, x.shape[x.rank - 1] == inFeatures else {
            throw TensorError("\(signature) expects inputs with \(inFeatures) features in the last axis, got shape \(shapeString(x.shape)) (shape \(shapeString(x.shape)) cannot be multiplied by \(shapeString(W.shape)))")
        }
        // relu is fused into the affine node (one pass for bias and relu, and one for their backward);
        // other activations are applied as their own node.
        if (activation as? Activation)?.function == .relu { return try Variable.affine(x, W, b, relu: true) }
        let z = try Variable.affine(x, W, b)
        return try activation.map { try $0(z) } ?? z
    }
}
