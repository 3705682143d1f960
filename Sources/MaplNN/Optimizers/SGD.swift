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
            state.values.withUnsafeMutableBufferPointer { buf in
                OptimizerSupport.halves(p.count) { r in
                    let (p, g, buf, _) = OptimizerSupport.slice(r, p, g, buf.baseAddress, nil)
                    OptimizerSupport.lanes(p, g, buf, nil) { p, g, buf, _ in
                        var d = g + wd * p
                        if mu != 0 {
                            buf = first ? d : mu * buf + d
                            d = nesterov ? d + mu * buf : buf
                        }
                        p -= lr * d
                    }
                }
            }
        }
    }
}
