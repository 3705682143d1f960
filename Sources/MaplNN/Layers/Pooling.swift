/// Max pooling over `[batch, channels, height, width]` (`maxpool2d(k, stride=k)`), as PyTorch's
/// `nn.MaxPool2d` (no padding; windows that would run past the edge are dropped). The gradient goes to
/// each window's (first) largest element.
public final class MaxPool2d: Layer {
    public let kernel: Int, stride: Int

    /// Pooling with `k`×`k` windows moved by `stride` (default `k`, non-overlapping).
    public init(_ kernel: Int, stride: Int? = nil) throws {
        try Init.requirePositive("maxpool2d", [("k", kernel), ("stride", stride ?? kernel)])
        self.kernel = kernel
        self.stride = stride ?? kernel
    }

    public var kind: String { "maxpool2d" }
    public var signature: String { "maxpool2d(\(kernel)" + (stride != kernel ? ", stride=\(stride)" : "") + ")" }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        try Variable.maxPool2d(x, Window2D(kernel: kernel, stride: stride))
    }

    /// This pooling applied to relu(x), as one node (`Variable.reluMaxPool2d`): what a `relu` stage then
    /// this one compute, bit for bit.
    public func callAsFunction(reluOf x: Variable) throws -> Variable {
        try Variable.reluMaxPool2d(x, Window2D(kernel: kernel, stride: stride))
    }
}

/// Average pooling with non-overlapping `k`×`k` windows (`avgpool2d(k)`), as PyTorch's `nn.AvgPool2d(k)`.
public final class AvgPool2d: Layer {
    public let kernel: Int, stride: Int

    /// Pooling with `k`×`k` windows moved by `stride` (default `k`).
    public init(_ kernel: Int, stride: Int? = nil) throws {
        try Init.requirePositive("avgpool2d", [("k", kernel), ("stride", stride ?? kernel)])
        self.kernel = kernel
        self.stride = stride ?? kernel
    }

    public var kind: String { "avgpool2d" }
    public var signature: String { "avgpool2d(\(kernel)" + (stride != kernel ? ", stride=\(stride)" : "") + ")" }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        try Variable.avgPool2d(x, Window2D(kernel: kernel, stride: stride))
    }
}

/// `[batch, …]` → `[batch, product of the rest]` (`flatten`), as PyTorch's `nn.Flatten()`.
public final class Flatten: Layer {
    public init() {}
    public var kind: String { "flatten" }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        guard x.rank >= 1 else { throw TensorError("flatten needs a batch axis, got a scalar") }
        return try Variable.reshape(x, [x.shape[0], x.shape.dropFirst().reduce(1, *)])
    }
}
