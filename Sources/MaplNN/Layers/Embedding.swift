/// A lookup table of `n` vectors of size `d` (`embedding(n, d)`), as PyTorch's `nn.Embedding`: an input
/// of integer indices of any shape `[…]` (float-encoded, as mapl's labels) gives `[…, d]`. The table `W`
/// `[n, d]` starts standard normal, as PyTorch. The indices receive no gradient; the table rows they
/// picked do.
public final class Embedding: Layer {
    /// The table `[n, d]`.
    public let W: Variable
    public let count: Int, dimension: Int

    /// A table of `n` embeddings of size `d`.
    public init(_ count: Int, _ dimension: Int) throws {
        try Init.requirePositive("embedding", [("n", count), ("d", dimension)])
        W = Variable.parameter(try Tensor.randn([count, dimension]), label: "W")
        (self.count, self.dimension) = (count, dimension)
    }

    public var kind: String { "embedding" }
    public var signature: String { "embedding(\(count), \(dimension))" }
    public var ownParameters: [(name: String, value: Variable)] { [("W", W)] }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        do { return try Variable.gatherRows(W, x.value) } catch let e as TensorError {
            throw TensorError("embedding(\(count), \(dimension)): \(e.message)")
        }
    }
}
