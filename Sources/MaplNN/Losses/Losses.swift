import Foundation

/// A loss: `(prediction, target) → scalar`, the mean over the batch. The prediction carries the graph;
/// the target is data.
public typealias LossFunction = (_ prediction: Variable, _ target: Tensor) throws -> Variable

/// The losses of mapl's language (`mse`, `cross_entropy`, `bce`, `nll`), each the mean over the batch
/// as PyTorch's default `reduction="mean"`.
public enum Losses {
    /// The loss named as the language spells it, or nil.
    public static func named(_ name: String) -> LossFunction? {
        switch name {
        case "mse": return mse
        case "cross_entropy": return crossEntropy
        case "bce": return bce
        case "nll": return nll
        default: return nil
        }
    }

    /// Mean squared error `mean((p − t)²)` over every element, as `nn.MSELoss` (one node, `Variable.meanSquaredError`).
    ///
    /// Shapes must match. The one tolerance: shapes equal up to axes of size 1 (`[N]` against `[N, 1]`) are
    /// lined up element by element rather than broadcast to `[N, N]` — the silent bug that broadcasting
    /// would give.
    public static func mse(_ prediction: Variable, _ target: Tensor) throws -> Variable {
        try Variable.meanSquaredError(prediction, try aligned(target, to: prediction, "mse"))
    }

    /// Cross-entropy from raw scores (logits) `[N, C]`, computed stably as `−mean(log_softmax(x)[n, yₙ])`
    /// (`nn.CrossEntropyLoss`). The target is either integer class labels `[N]` (or `[N, 1]`), or rows of
    /// class probabilities `[N, C]` such as one-hot rows, giving `−mean_n Σ_c t[n,c]·log_softmax(x)[n,c]`.
    /// A single sample may be given as logits `[C]` with a one-element label. Fewer than two classes is an
    /// error: with one column softmax is always 1 and the loss always 0, so a model with one sigmoid output
    /// trained this way reports "loss 0.0000" and learns nothing (PyTorch returns that 0 silently).
    public static func crossEntropy(_ prediction: Variable, _ target: Tensor) throws -> Variable {
        let logits = prediction.rank == 1 ? try Variable.reshape(prediction, [1, prediction.shape[0]]) : prediction
        guard logits.rank == 2 else {
            throw TensorError("cross_entropy expects logits [batch, classes], got shape \(shapeString(prediction.shape)) with target \(shapeString(target.shape))")
        }
        let (n, c) = (logits.shape[0], logits.shape[1])
        try requireSamples(logits, "cross_entropy")
        if c == 1 {
            throw TensorError("cross_entropy needs scores for at least 2 classes, got one column (shape \(shapeString(prediction.shape))): its loss is 0 whatever the model does; for one yes/no output use sigmoid and bce (loss=bce), or give 2 columns of logits")
        }
        if target.shape != [n, c] {
            // Integer labels: the engine's fused node (same values, a fraction of the per-op cost).
            let labels = try classLabels(target, n: n, c: c, prediction.shape, "cross_entropy", allowProbabilities: true)
            do { return try Variable.softmaxCrossEntropy(logits, labels) } catch let e as TensorError {
                throw TensorError("cross_entropy: class labels must be integers in 0..<\(c): \(e.message)")
            }
        }
        let logp = try Variable.logSoftmax(logits, axis: 1)
        return try fromLogProbabilities(logp, target, prediction.shape, "cross_entropy", allowProbabilities: true)
    }

    /// Negative log-likelihood of log-probabilities `[N, C]` (e.g. a `log_softmax` output) with integer
    /// class labels `[N]`: `−mean(x[n, yₙ])`, as `nn.NLLLoss`.
    public static func nll(_ prediction: Variable, _ target: Tensor) throws -> Variable {
        guard prediction.rank == 2 else {
            throw TensorError("nll expects log-probabilities [batch, classes], got shape \(shapeString(prediction.shape)) with target \(shapeString(target.shape))")
        }
        try requireSamples(prediction, "nll")
        return try fromLogProbabilities(prediction, target, prediction.shape, "nll", allowProbabilities: false)
    }

    /// A loss is a mean over the batch: with no samples (or no classes) there is nothing to average, an error
    /// rather than NaN.
    static func requireSamples(_ prediction: Variable, _ name: String) throws {
        guard prediction.value.count > 0 else {
            throw TensorError("\(name) needs at least one sample with at least one value, got a prediction of shape \(shapeString(prediction.shape))")
        }
    }

    /// The clamp `bce` applies to probabilities: Keras's ε = 1e-7, so p ∈ [1e-7, 1 − 1e-7].
    public static let bceEpsilon: Float = 1e-7

    /// Binary cross-entropy of probabilities (e.g. a sigmoid output) against 0/1 (or soft) targets:
    /// `−mean(t·log p + (1−t)·log(1−p))`.
    ///
    /// Probabilities are first clamped to [1e-7, 1 − 1e-7] as Keras does (so a confident wrong answer costs
    /// about 16.1, not ∞); inside the clamp it equals `nn.BCELoss`, which instead caps each log at −100.
    /// Like Keras, the clamp passes no gradient where it is active. Shapes must match as for `mse`.
    public static func bce(_ prediction: Variable, _ target: Tensor) throws -> Variable {
        let t = try aligned(target, to: prediction, "bce")
        let p = Variable.clip(prediction, bceEpsilon, 1 - bceEpsilon)
        let one = Variable(Tensor(1))
        let tv = Variable(t), oneMinusT = Variable(t.map { 1 - $0 })
        let ll = try tv * Variable.log(p) + oneMinusT * Variable.log(try one - p)
        return -(try Variable.mean(ll))
    }

    // MARK: - Inputs of the wrong kind

    /// What looks wrong with a loss's input, or nil: the traps that train silently worse rather than fail.
    /// `cross_entropy` given probabilities (a softmax ending the model — the chapter's Keras code, which in
    /// mapl trained to 93.7 % instead of 95.2 %), `nll` given probabilities instead of their log, `bce` given
    /// values outside [0, 1] (logits: the clamp passes no gradient there). Cheap: a scan that stops at the
    /// first value that rules the trap out, which for healthy inputs is the first one or two.
    public static func inputProblem(_ name: String, _ prediction: Tensor) -> String? {
        switch name {
        case "cross_entropy" where looksLikeProbabilities(prediction):
            return "cross_entropy takes raw scores (logits) and applies softmax itself, but its input looks like probabilities (every row in [0, 1] summing to 1), as after a softmax, which trains worse: drop the softmax from the model, or use nll(log(p))"
        case "nll" where looksLikeProbabilities(prediction):
            return "nll takes log-probabilities, but its input looks like probabilities (every row in [0, 1] summing to 1): use nll(log(p)), or cross_entropy on the scores before the softmax"
        case "bce" where prediction.scalars.contains(where: { $0 < 0 || $0 > 1 }):
            return "bce takes probabilities, but its input has values outside [0, 1], like raw scores (logits): they are clamped to [1e-7, 1 − 1e-7] and pass no gradient; end the model with sigmoid"
        default:
            return nil
        }
    }

    /// True when `scores` `[N, C]` (C ≥ 2) hold probabilities rather than scores: every entry in [0, 1] and
    /// every row summing to 1 within 1e-3 — what a softmax gives.
    public static func looksLikeProbabilities(_ scores: Tensor) -> Bool {
        guard scores.rank == 2, scores.shape[0] > 0, scores.shape[1] >= 2 else { return false }
        let c = scores.shape[1]
        return scores.scalars.withUnsafeBufferPointer { x in
            for r in 0..<scores.shape[0] {
                var total: Float = 0
                for j in 0..<c {
                    let v = x[r * c + j]
                    guard v >= 0, v <= 1 else { return false }
                    total += v
                }
                guard Swift.abs(total - 1) <= 1e-3 else { return false }
            }
            return true
        }
    }

    // MARK: - Shared pieces

    /// `target` reshaped to the prediction's shape when the two differ only by axes of size 1; otherwise
    /// an error naming both shapes.
    static func aligned(_ target: Tensor, to prediction: Variable, _ name: String) throws -> Tensor {
        try requireSamples(prediction, name)
        if target.shape == prediction.shape { return target }
        let squeeze = { (s: [Int]) in s.filter { $0 != 1 } }
        guard target.count == prediction.value.count, squeeze(target.shape) == squeeze(prediction.shape) else {
            throw TensorError("\(name): prediction of shape \(shapeString(prediction.shape)) does not match target of shape \(shapeString(target.shape))")
        }
        return try target.reshaped(prediction.shape)
    }

    /// The target as `[N]` class labels, or an error naming the shapes when it is not one label per row.
    static func classLabels(_ target: Tensor, n: Int, c: Int, _ shown: [Int], _ name: String,
                            allowProbabilities: Bool) throws -> Tensor {
        guard target.count == n, target.rank <= 2, target.rank == 0 || target.shape[0] == n || n == 1 else {
            let expected = allowProbabilities ? "labels [\(n)] or probability rows [\(n), \(c)]" : "labels [\(n)]"
            throw TensorError("\(name): prediction of shape \(shapeString(shown)) does not match target of shape \(shapeString(target.shape)) (expected \(expected))")
        }
        return try target.reshaped([n])
    }

    /// `−mean` of the picked (labels) or probability-weighted (rows) log-probabilities.
    static func fromLogProbabilities(_ logp: Variable, _ target: Tensor, _ shown: [Int], _ name: String,
                                     allowProbabilities: Bool) throws -> Variable {
        let (n, c) = (logp.shape[0], logp.shape[1])
        if allowProbabilities && target.shape == [n, c] {
            // Each row's Σ_c t·log p, then their mean: one sum over every element, rounded to float32 and
            // then divided, would lose digits a mean keeps (2·10⁶ rows of ln 10 gave 2.302585).
            let weighted = try Variable(target) * logp
            guard n > 0 else { return -(try Variable.sum(weighted)) }  // no rows: 0
            return -(try Variable.mean(try Variable.sum(weighted, axis: 1)))
        }
        let labels = try classLabels(target, n: n, c: c, shown, name, allowProbabilities: allowProbabilities)
        let picked: Variable
        do { picked = try Variable.pick(logp, labels) } catch let e as TensorError {
            throw TensorError("\(name): class labels must be integers in 0..<\(c): \(e.message)")
        }
        return -(try Variable.mean(picked))
    }
}
