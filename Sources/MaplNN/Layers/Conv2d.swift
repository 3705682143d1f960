/// A 2-D convolution over images `[batch, channels, height, width]` (`conv2d(in_ch, out_ch, k, stride=1,
/// pad=0)`), computed as PyTorch's `nn.Conv2d` (cross-correlation, zero padding).
///
/// `W` is `[out, in, k, k]` and `b` `[out]`, both uniform in ±1/√(in·k·k) as PyTorch initialises them.
/// The forward is the engine's fused `Variable.conv2d`: the whole batch unfolded side by side and one BLAS
/// GEMM by the weights reshaped `[out, in·k·k]`, the bias added in the same node.
public final class Conv2d: Layer {
    /// The filters `[out, in, k, k]`.
    public let W: Variable
    /// The bias `[out]`.
    public let b: Variable
    public let inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int

    /// A convolution with `k`×`k` filters, fresh PyTorch-style random weights.
    public init(_ inChannels: Int, _ outChannels: Int, _ kernel: Int, stride: Int = 1, padding: Int = 0) throws {
        try Init.requirePositive("conv2d", [("in_ch", inChannels), ("out_ch", outChannels), ("k", kernel), ("stride", stride)])
        guard padding >= 0 else { throw TensorError("conv2d: pad must be ≥ 0, got \(padding)") }
        try Init.checkShape("conv2d", "W", [outChannels, inChannels, kernel, kernel])
        guard padding <= Shape.maxElements else { throw TensorError("conv2d: pad \(padding) is too large") }
        let bound = Init.fanInBound(inChannels * kernel * kernel)
        W = try Init.uniform([outChannels, inChannels, kernel, kernel], bound: bound, label: "W")
        b = try Init.uniform([outChannels], bound: bound, label: "b")
        (self.inChannels, self.outChannels, self.kernel, self.stride, self.padding) = (inChannels, outChannels, kernel, stride, padding)
    }

    public var kind: String { "conv2d" }
    public var signature: String {
        "conv2d(\(inChannels), \(outChannels), \(kernel)" + (stride != 1 ? ", stride=\(stride)" : "") + (padding != 0 ? ", pad=\(padding)" : "") + ")"
    }
    public var ownParameters: [(name: String, value: Variable)] { [("W", W), ("b", b)] }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        guard x.rank == 4, x.shape[1] == inChannels else {
            throw TensorError("\(signature) expects images [batch, \(inChannels), height, width], got shape \(shapeString(x.shape))")
        }
        return try Variable.conv2d(x, W, b, Window2D(kernel: kernel, stride: stride, padding: padding))
    }
}
