import CKernels

/// Stochastic gradient descent with PyTorch's `torch.optim.SGD` rule (dampening 0):
///
///     g ← ∇ + weightDecay·θ
///     if momentum ≠ 0:  buf ← g on the first step, then buf ← momentum·buf + g
///                       g ← g + momentum·buf  (nesterov)   or   g ← buf
///     θ ← θ − lr·g
public final class SGD: Optimizer {
    public let parameters: [Variable]
    public var lr: Float
    public let momentum: Float, nesterov: Bool, weightDecay: Float
    private var buffers: [StateBuffer]

    /// `sgd(m, lr=0.01, momentum=0, nesterov=false, weight_decay=0)`.
    public init(_ parameters: [Variable], lr: Float = 0.01, momentum: Float = 0, nesterov: Bool = false,
                weightDecay: Float = 0) throws {
        self.parameters = try OptimizerSupport.unique(parameters, "sgd")
        try OptimizerSupport.checkRate(lr, "lr", "sgd")
        try OptimizerSupport.checkRate(momentum, "momentum", "sgd")
        try OptimizerSupport.checkRate(weightDecay, "weight_decay", "sgd")
        if nesterov && momentum == 0 { throw TensorError("sgd: nesterov needs a momentum > 0") }
        (self.lr, self.momentum, self.nesterov, self.weightDecay) = (lr, momentum, nesterov, weightDecay)
        buffers = OptimizerSupport.zeroState(parameters)
    }

    public var kind: String { "sgd" }

    public func step() throws {
        let (lr, mu, wd, nesterov) = (lr, momentum, weightDecay, nesterov)
        try OptimizerSupport.update(parameters, kind, states: [buffers]) { i, p, g in
            let state = buffers[i]
            let first = !state.started
            state.started = true
            let constants = MaplSGDConstants(lr: lr, momentum: mu, weightDecay: wd, first: first ? 1 : 0, nesterov: nesterov ? 1 : 0)
            // The rule above, element by element, in C (CKernels.h says why).
            OptimizerSupport.inParts(p, g, state, nil) { p, g, buffer, _, count in
                mapl_sgd_update(p, g, buffer, count, constants)
            }
        }
    }
}
