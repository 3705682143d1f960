import Foundation

/// Batch normalisation (`batchnorm(n)`), as PyTorch's `BatchNorm1d`/`BatchNorm2d`: on features `[N, C]`
/// it normalises each column over the batch; on images `[N, C, H, W]` each channel over batch and space.
///
/// `y = γ·(x − μ)/√(σ² + ε) + β` with ε = 1e-5. In training μ and σ² are the batch's mean and biased
/// variance, and the running statistics move with momentum 0.1:
/// `running = 0.9·running + 0.1·batch`, where the running variance takes the **unbiased** batch variance
/// (·m/(m−1), m values per channel) exactly as PyTorch. In evaluation the running statistics are used.
/// `gamma` starts at 1, `beta` at 0, running mean at 0, running variance at 1. The running statistics and
/// the count of batches they have seen are the layer's buffers (`running_mean`, `running_var`,
/// `num_batches_tracked`, PyTorch's names), saved with the model.
public final class BatchNorm: Layer {
    /// Scale `[C]` and shift `[C]` (PyTorch's `weight` and `bias`).
    public let gamma: Variable, beta: Variable
    /// Running statistics `[C]` and the training batches seen `[]`, as buffers (constant leaves).
    let runningMeanBuffer: Variable, runningVarBuffer: Variable, batchesTracked: Variable
    /// Running statistics `[C]` (not trained; saved with the model).
    public var runningMean: Tensor { runningMeanBuffer.value }
    public var runningVar: Tensor { runningVarBuffer.value }
    public let features: Int
    public let momentum: Float = 0.1, eps: Float = 1e-5
    /// True in training mode (the default for a new layer).
    public private(set) var training = true

    /// Batch normalisation over `features` channels.
    public init(_ features: Int) throws {
        try Init.requirePositive("batchnorm", [("n", features)])
        self.features = features
        gamma = try Init.constant("batchnorm", [features], 1, label: "gamma")
        beta = try Init.constant("batchnorm", [features], 0, label: "beta")
        runningMeanBuffer = Variable(try Tensor.zeros([features]))
        runningVarBuffer = Variable(try Tensor.ones([features]))
        batchesTracked = Variable(Tensor(0))
    }

    public var kind: String { "batchnorm" }
    public var signature: String { "batchnorm(\(features))" }
    public var ownParameters: [(name: String, value: Variable)] { [("gamma", gamma), ("beta", beta)] }
    public var ownBuffers: [(name: String, value: Variable)] {
        [("running_mean", runningMeanBuffer), ("running_var", runningVarBuffer), ("num_batches_tracked", batchesTracked)]
    }
    public func setTraining(_ training: Bool) { self.training = training }

    /// Replaces the running statistics (e.g. when loading a saved model).
    public func setRunningStatistics(mean: Tensor, variance: Tensor) throws {
        guard mean.shape == [features], variance.shape == [features] else {
            throw TensorError("batchnorm(\(features)): running statistics must be [\(features)], got \(shapeString(mean.shape)) and \(shapeString(variance.shape))")
        }
        runningMeanBuffer.value = mean; runningVarBuffer.value = variance
    }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        guard (x.rank == 2 || x.rank == 4), x.shape[1] == features else {
            throw TensorError("batchnorm(\(features)) expects [batch, \(features)] or [batch, \(features), height, width], got shape \(shapeString(x.shape))")
        }
        // View the input as [outer, C, inner]: the statistics of channel c run over outer × inner.
        let outer = x.shape[0], c = features, inner = x.rank == 4 ? x.shape[2] * x.shape[3] : 1
        let m = outer * inner
        var mean = [Float](repeating: 0, count: c), invStd = [Float](repeating: 0, count: c)
        if training {
            guard m > 1 else {
                throw TensorError("batchnorm(\(features)) in training needs more than one value per channel, got shape \(shapeString(x.shape)) (use eval(model) for single samples)")
            }
            var variance = [Float](repeating: 0, count: c)
            x.value.scalars.withUnsafeBufferPointer { px in
                for ch in 0..<c {
                    var s: Double = 0
                    for o in 0..<outer { let base = (o * c + ch) * inner; for i in 0..<inner { s += Double(px[base + i]) } }
                    let mu = s / Double(m)
                    var ss: Double = 0
                    for o in 0..<outer { let base = (o * c + ch) * inner; for i in 0..<inner { let d = Double(px[base + i]) - mu; ss += d * d } }
                    mean[ch] = Float(mu); variance[ch] = Float(ss / Double(m))
                }
            }
            for ch in 0..<c {
                invStd[ch] = 1 / (variance[ch] + eps).squareRoot()
                let unbiased = variance[ch] * Float(m) / Float(m - 1)
                runningMeanBuffer.value.scalars[ch] = (1 - momentum) * runningMeanBuffer.value.scalars[ch] + momentum * mean[ch]
                runningVarBuffer.value.scalars[ch] = (1 - momentum) * runningVarBuffer.value.scalars[ch] + momentum * unbiased
            }
            batchesTracked.value = Tensor(batchesTracked.value.scalars[0] + 1)
        } else {
            for ch in 0..<c {
                mean[ch] = runningMean.scalars[ch]
                invStd[ch] = 1 / (runningVar.scalars[ch] + eps).squareRoot()
            }
        }
        return try Variable.normalize(x, gamma, beta, mean: mean, invStd: invStd, outer: outer, inner: inner,
                                      batchStatistics: training)
    }
}

extension Variable {
    /// Batch normalisation's rule: with batch statistics every x of a channel moves its mean and variance, so
    /// its gradient has the two correction terms; with running statistics (evaluation) it is a scaling.
    static func makeBatchNormOp(batchStatistics: Bool) -> OpInfo {
        let rule = batchStatistics ? "∂L/∂x = invStd/m·(m·ĝ − Σĝ − x̂·Σĝx̂), ĝ = g·γ; ∂L/∂γ = Σ g·x̂; ∂L/∂β = Σ g"
                                   : "∂L/∂x = g·γ·invStd (running statistics); ∂L/∂γ = Σ g·x̂; ∂L/∂β = Σ g"
        return OpInfo("batchnorm", rule, flow: { f in
            switch f.argument {
            case 0:
                let gamma = f.operands[1]
                return OpFlow(batchStatistics ? "invStd/m·(m·ĝ − Σĝ − x̂·Σĝx̂) with ĝ = upstream·\(gamma), per channel"
                                              : "upstream·\(gamma)·invStd, per channel")
            case 1: return OpFlow("Σ of upstream·x̂ per channel")
            default: return OpFlow("Σ of upstream per channel")
            }
        })
    }
    static let batchNormOp = makeBatchNormOp(batchStatistics: true)
    static let batchNormRunningOp = makeBatchNormOp(batchStatistics: false)

    /// `y = γ·x̂ + β`, `x̂ = (x − μ_c)·invStd_c`, on `x` viewed as `[outer, C, inner]`.
    ///
    /// With `batchStatistics` μ and σ depend on x, and the backward is the batch-norm formula
    /// `∂L/∂x = invStd/m · (m·ĝ − Σĝ − x̂·Σ(ĝ·x̂))` with ĝ = g·γ (sums per channel over its m values);
    /// otherwise they are constants and `∂L/∂x = g·γ·invStd`. Always ∂L/∂γ = Σ g·x̂, ∂L/∂β = Σ g.
    static func normalize(_ x: Variable, _ gamma: Variable, _ beta: Variable, mean: [Float], invStd: [Float],
                          outer: Int, inner: Int, batchStatistics: Bool) throws -> Variable {
        let c = mean.count, m = outer * inner
        var xhat = Tensor(repeating: 0, shape: x.shape)
        var y = Tensor(repeating: 0, shape: x.shape)
        x.value.scalars.withUnsafeBufferPointer { px in
            gamma.value.scalars.withUnsafeBufferPointer { pg in
                beta.value.scalars.withUnsafeBufferPointer { pb in
                    xhat.scalars.withUnsafeMutableBufferPointer { ph in
                        y.scalars.withUnsafeMutableBufferPointer { py in
                            for o in 0..<outer {
                                for ch in 0..<c {
                                    let base = (o * c + ch) * inner
                                    let mu = mean[ch], s = invStd[ch], ga = pg[ch], be = pb[ch]
                                    for i in 0..<inner {
                                        let h = (px[base + i] - mu) * s
                                        ph[base + i] = h
                                        py[base + i] = ga * h + be
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return record(batchStatistics ? batchNormOp : batchNormRunningOp, [x, gamma, beta], y) { g in
            // Σg and Σg·x̂ per channel, in double as every sum of the engine.
            var sumG = [Double](repeating: 0, count: c), sumGH = [Double](repeating: 0, count: c)
            g.scalars.withUnsafeBufferPointer { pg in
                xhat.scalars.withUnsafeBufferPointer { ph in
                    for o in 0..<outer {
                        for ch in 0..<c {
                            let base = (o * c + ch) * inner
                            var a = 0.0, b = 0.0
                            for i in 0..<inner { a += Double(pg[base + i]); b += Double(pg[base + i] * ph[base + i]) }
                            sumG[ch] += a; sumGH[ch] += b
                        }
                    }
                }
            }
            var dx: Tensor? = nil
            if x.requiresGrad {
                var out = Tensor(repeating: 0, shape: x.shape)
                g.scalars.withUnsafeBufferPointer { pg in
                    xhat.scalars.withUnsafeBufferPointer { ph in
                        gamma.value.scalars.withUnsafeBufferPointer { pgam in
                            out.scalars.withUnsafeMutableBufferPointer { pd in
                                for o in 0..<outer {
                                    for ch in 0..<c {
                                        let base = (o * c + ch) * inner
                                        let k = pgam[ch] * invStd[ch]
                                        if batchStatistics {
                                            let mg = Float(sumG[ch] / Double(m)), mgh = Float(sumGH[ch] / Double(m))
                                            for i in 0..<inner { pd[base + i] = k * (pg[base + i] - mg - ph[base + i] * mgh) }
                                        } else {
                                            for i in 0..<inner { pd[base + i] = k * pg[base + i] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                dx = out
            }
            return [dx, gamma.requiresGrad ? Tensor(sumGH.map { Float($0) }) : nil, beta.requiresGrad ? Tensor(sumG.map { Float($0) }) : nil]
        }
    }
}
