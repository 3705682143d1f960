import CKernels

/// RMSprop with PyTorch's `torch.optim.RMSprop` rule (not centred):
///
///     g ← ∇ + weightDecay·θ
///     s ← alpha·s + (1 − alpha)·g²
///     θ ← θ − lr·g / (√s + eps)                      (momentum 0)
///     b ← momentum·b + g/(√s + eps); θ ← θ − lr·b     (momentum > 0)
///
/// Defaults follow mapl's contract: lr 0.001 (Keras's default; PyTorch's is 0.01), alpha 0.99, eps 1e-8.
public final class RMSprop: Optimizer {
    public let parameters: [Variable]
    public var lr: Float
    public let alpha: Float, eps: Float, momentum: Float, weightDecay: Float
    private var square: [StateBuffer], velocity: [StateBuffer]

    /// `rmsprop(m, lr=0.001, alpha=0.99)`.
    public init(_ parameters: [Variable], lr: Float = 0.001, alpha: Float = 0.99, eps: Float = 1e-8,
                momentum: Float = 0, weightDecay: Float = 0) throws {
        self.parameters = try OptimizerSupport.unique(parameters, "rmsprop")
        try OptimizerSupport.checkRate(lr, "lr", "rmsprop")
        try OptimizerSupport.checkRate(eps, "eps", "rmsprop")
        try OptimizerSupport.checkRate(momentum, "momentum", "rmsprop")
        try OptimizerSupport.checkRate(weightDecay, "weight_decay", "rmsprop")
        guard alpha >= 0, alpha <= 1 else { throw TensorError("rmsprop: alpha must be in [0, 1], got \(numberString(alpha))") }
        (self.lr, self.alpha, self.eps, self.momentum, self.weightDecay) = (lr, alpha, eps, momentum, weightDecay)
        square = OptimizerSupport.zeroState(parameters)
        velocity = OptimizerSupport.zeroState(parameters)
    }

    public var kind: String { "rmsprop" }

    public func step() throws {
        let (lr, alpha, eps, mu, wd) = (lr, alpha, eps, momentum, weightDecay)
        try OptimizerSupport.update(parameters, kind, states: [square, velocity]) { i, p, g in
            let constants = MaplRMSpropConstants(lr: lr, alpha: alpha, oneMinusAlpha: 1 - alpha, eps: eps, momentum: mu, weightDecay: wd)
            // The rule above, element by element, in C (CKernels.h says why).
            OptimizerSupport.inParts(p, g, square[i], velocity[i]) { p, g, square, velocity, count in
                mapl_rmsprop_update(p, g, square, velocity, count, constants)
            }
        }
    }
}
