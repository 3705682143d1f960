import CKernels
import Foundation

/// Adam with PyTorch's `torch.optim.Adam` rule (bias-corrected moments; eps added after the square root):
///
///     t ← t + 1;  g ← ∇ + weightDecay·θ
///     m ← β₁·m + (1−β₁)·g        v ← β₂·v + (1−β₂)·g²
///     θ ← θ − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + eps)
///
/// `AdamW` is the same with decoupled weight decay. The step count t is per parameter (a parameter that
/// received no gradient is not stepped and its count does not advance), as PyTorch's per-parameter state.
public class Adam: Optimizer {
    public let parameters: [Variable]
    public var lr: Float
    public let beta1: Float, beta2: Float, eps: Float, weightDecay: Float
    /// True for AdamW: decay θ ← θ·(1 − lr·weightDecay) before the step instead of adding it to ∇.
    let decoupled: Bool
    private var first: [StateBuffer], second: [StateBuffer]
    private var steps: [Int]

    /// `adam(m, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0)`.
    public convenience init(_ parameters: [Variable], lr: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
                            eps: Float = 1e-8, weightDecay: Float = 0) throws {
        try self.init(parameters, lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, decoupled: false)
    }

    init(_ parameters: [Variable], lr: Float, beta1: Float, beta2: Float, eps: Float, weightDecay: Float, decoupled: Bool) throws {
        let kind = decoupled ? "adamw" : "adam"
        self.parameters = try OptimizerSupport.unique(parameters, kind)
        try OptimizerSupport.checkRate(lr, "lr", kind)
        try OptimizerSupport.checkRate(eps, "eps", kind)
        try OptimizerSupport.checkRate(weightDecay, "weight_decay", kind)
        for (name, b) in [("beta1", beta1), ("beta2", beta2)] where !(b >= 0 && b < 1) {
            throw TensorError("\(kind): \(name) must be in [0, 1), got \(numberString(b))")
        }
        (self.lr, self.beta1, self.beta2, self.eps, self.weightDecay, self.decoupled) = (lr, beta1, beta2, eps, weightDecay, decoupled)
        first = OptimizerSupport.zeroState(parameters)
        second = OptimizerSupport.zeroState(parameters)
        steps = [Int](repeating: 0, count: parameters.count)
    }

    public var kind: String { decoupled ? "adamw" : "adam" }

    public func step() throws {
        let (lr, b1, b2, eps, wd, decoupled) = (lr, beta1, beta2, eps, weightDecay, decoupled)
        try OptimizerSupport.update(parameters, kind, states: [first, second]) { i, p, g in
            if first[i].started == false || second[i].started == false { steps[i] = 0 }
            first[i].started = true; second[i].started = true
            steps[i] += 1
            let t = Double(steps[i])
            // Bias corrections in double precision (β₂ᵗ is close to 1 for small t).
            let c1 = 1 - Foundation.pow(Double(b1), t), c2 = 1 - Foundation.pow(Double(b2), t)
            let stepSize = Float(Double(lr) / c1), rootC2 = Float(c2.squareRoot())
            let constants = MaplAdamConstants(
                beta1: b1, beta2: b2, oneMinusBeta1: 1 - b1, oneMinusBeta2: 1 - b2, stepSize: stepSize, rootC2: rootC2,
                eps: eps, coupledDecay: decoupled ? 0 : wd, shrink: decoupled ? 1 - lr * wd : 1)
            // The rule above, element by element, in C (CKernels.h says why).
            OptimizerSupport.inParts(p, g, first[i], second[i]) { p, g, m, v, count in
                mapl_adam_update(p, g, m, v, count, constants)
            }
        }
    }
}

/// AdamW (`adamw(m, …)`): Adam with decoupled weight decay, PyTorch's `torch.optim.AdamW` —
/// θ ← θ·(1 − lr·weightDecay) and then the Adam step on the raw gradient. Default weight decay 0.01.
public final class AdamW: Adam {
    /// `adamw(m, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01)`.
    public init(_ parameters: [Variable], lr: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
                eps: Float = 1e-8, weightDecay: Float = 0.01) throws {
        try super.init(parameters, lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, decoupled: true)
    }
}
