/// Inverted dropout (`dropout(p)`), as PyTorch's `nn.Dropout`: in training each element is zeroed with
/// probability `p` and the survivors are scaled by 1/(1−p), so the expected output equals the input and
/// evaluation needs no rescaling; in evaluation it is the identity.
///
/// The mask is drawn from `Random` (element i is kept when its uniform draw is ≥ p), so a seeded session
/// drops the same units every time. With p = 1 everything is dropped (output zeros), as PyTorch.
public final class Dropout: Layer {
    /// The drop probability, in [0, 1].
    public let p: Float
    /// True in training mode (the default for a new layer, as PyTorch).
    public private(set) var training = true

    /// A dropout layer dropping with probability `p`.
    public init(_ p: Float) throws {
        guard p >= 0, p <= 1 else { throw TensorError("dropout: p must be in [0, 1], got \(numberString(p))") }
        self.p = p
    }

    public var kind: String { "dropout" }
    public var signature: String { "dropout(\(p))" }
    public func setTraining(_ training: Bool) { self.training = training }

    /// Dropout's rule; its numbers are the mask itself (1/(1−p) where kept, 0 where dropped).
    static func dropoutOp(mask: Tensor) -> OpInfo {
        OpInfo.elementwise("dropout", "∂y/∂x = mask/(1−p): 1/(1−p) where kept, 0 where dropped", values: { _, _ in mask })
    }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        guard training, p > 0 else { return x }
        let keep = 1 - p, scale: Float = keep > 0 ? 1 / keep : 0, drop = p
        var mask = Tensor(repeating: 0, shape: x.shape)
        Random.with { g in
            mask.scalars.withUnsafeMutableBufferPointer { m in
                for i in 0..<m.count { m[i] = g.nextFloat() >= drop ? scale : 0 }
            }
        }
        let y = try x.value * mask
        return Variable.record(Dropout.dropoutOp(mask: mask), [x], y) { g in
            [try g * mask]
        }.differentiable { g, _ in [try g * Variable(mask)] }
    }
}
