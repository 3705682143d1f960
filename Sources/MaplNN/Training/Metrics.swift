/// Classification metrics on plain tensors (no gradients): `accuracy`, macro `precision`, `recall`, `f1`,
/// and the confusion matrix.
///
/// Predictions may be scores `[N, C]` (C ≥ 2; the class is the argmax, so logits and probabilities both
/// work), a single probability column `[N, 1]` (class 1 when ≥ 0.5, as Keras's binary accuracy), or class
/// labels `[N]`. Targets may be labels `[N]` or `[N, 1]`, or one-hot / probability rows `[N, C]` (argmax).
public enum Metrics {
    /// Predicted class indices from scores, a probability column or labels.
    public static func predictedClasses(_ prediction: Tensor) throws -> [Int] {
        if prediction.rank == 2 && prediction.shape[1] >= 2 {
            return try prediction.argmax(axis: 1).scalars.map { Int($0) }
        }
        if prediction.rank == 2 && prediction.shape[1] == 1 {
            return prediction.scalars.map { $0 >= 0.5 ? 1 : 0 }
        }
        guard prediction.rank <= 1 else {
            throw TensorError("metrics expect predictions [batch, classes], [batch, 1] or labels [batch], got shape \(shapeString(prediction.shape))")
        }
        return try labels(prediction, "prediction")
    }

    /// True class indices from labels or one-hot rows.
    public static func trueClasses(_ target: Tensor) throws -> [Int] {
        if target.rank == 2 && target.shape[1] >= 2 { return try target.argmax(axis: 1).scalars.map { Int($0) } }
        guard target.rank <= 2 else {
            throw TensorError("metrics expect targets [batch] (labels) or [batch, classes] (one-hot), got shape \(shapeString(target.shape))")
        }
        return try labels(target, "target")
    }

    private static func labels(_ t: Tensor, _ what: String) throws -> [Int] {
        try t.scalars.withUnsafeBufferPointer { xs in
            try [Int](unsafeUninitializedCapacity: xs.count) { out, initialized in
                for i in 0..<xs.count {
                    let v = xs[i]
                    guard v >= 0, v == v.rounded(.towardZero) else {
                        throw TensorError("\(what) label \(numberString(v)) at position \(i) is not a non-negative integer class index")
                    }
                    // Float32 holds every integer below 2²⁴, and no class count comes near it.
                    guard v < 16_777_216 else {
                        throw TensorError("\(what) label \(v) at position \(i) is too large for a class index (at most 16777215)")
                    }
                    out[i] = Int(v)
                    initialized = i + 1
                }
            }
        }
    }

    /// Both sides as class indices, checked to have the same length.
    static func pairs(_ prediction: Tensor, _ target: Tensor) throws -> (pred: [Int], true: [Int]) {
        let p = try predictedClasses(prediction), t = try trueClasses(target)
        guard p.count == t.count else {
            throw TensorError("metrics: prediction of shape \(shapeString(prediction.shape)) and target of shape \(shapeString(target.shape)) hold \(p.count) and \(t.count) samples")
        }
        return (p, t)
    }

    /// The fraction of samples whose predicted class equals the true class (0 for no samples).
    public static func accuracy(_ prediction: Tensor, _ target: Tensor) throws -> Float {
        let (p, t) = try pairs(prediction, target)
        guard !p.isEmpty else { return 0 }
        let correct = p.withUnsafeBufferPointer { p in
            t.withUnsafeBufferPointer { t in (0..<p.count).reduce(0) { $0 + (p[$1] == t[$1] ? 1 : 0) } }
        }
        return Float(Double(correct) / Double(p.count))  // one rounding (Float(count) stops at 2²⁴)
    }

    /// The confusion matrix `[C, C]`: entry (i, j) counts samples of true class i predicted as j (rows are
    /// the truth, as scikit-learn). C is `classes`, or by default one more than the largest class seen
    /// (at least the score width of a `[N, C]` prediction).
    public static func confusion(_ prediction: Tensor, _ target: Tensor, classes: Int? = nil) throws -> Tensor {
        let (p, t) = try pairs(prediction, target)
        let width = prediction.rank == 2 && prediction.shape[1] >= 2 ? prediction.shape[1] : 0
        let c = classes ?? Swift.max(width, Swift.max(p.max() ?? -1, t.max() ?? -1) + 1)
        // Counted in integers: float32 counting stops at 2²⁴ samples in a cell. c comes from the user
        // (classes=, or the largest label), so the counts are checked against the memory budget first.
        let cells = try MemoryBudget.check(shape: [c, c])
        try MemoryBudget.check(count: cells, elementSize: MemoryLayout<Int>.size, shape: [c, c], what: "the confusion matrix")
        var counts = [Int](repeating: 0, count: cells)
        try p.withUnsafeBufferPointer { p in
            try t.withUnsafeBufferPointer { t in
                for i in 0..<p.count {
                    guard p[i] < c, t[i] < c else {
                        throw TensorError("confusion: class \(Swift.max(p[i], t[i])) is outside 0..<\(c)")
                    }
                    counts[t[i] * c + p[i]] += 1
                }
            }
        }
        return try Tensor(shape: [c, c], scalars: counts.map { Float($0) })
    }

    /// Per-class precision, recall and F1 from a confusion matrix, over the classes that occur in the
    /// truth or the predictions (scikit-learn's `labels=None`); a class never predicted has precision 0,
    /// one never present recall 0, and F1 is 0 when both are 0 (scikit-learn's `zero_division=0`).
    static func perClass(_ prediction: Tensor, _ target: Tensor) throws -> [(precision: Float, recall: Float, f1: Float)] {
        let (p, t) = try pairs(prediction, target)
        let classes = Set(p).union(t).sorted()
        return classes.map { k in
            var tp = 0, fp = 0, fn = 0
            for (pi, ti) in zip(p, t) {
                if pi == k && ti == k { tp += 1 } else if pi == k { fp += 1 } else if ti == k { fn += 1 }
            }
            let precision: Float = tp + fp > 0 ? Float(tp) / Float(tp + fp) : 0
            let recall: Float = tp + fn > 0 ? Float(tp) / Float(tp + fn) : 0
            let f1: Float = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            return (precision, recall, f1)
        }
    }

    private static func macro(_ values: [Float]) -> Float {
        values.isEmpty ? 0 : Float(values.reduce(0.0) { $0 + Double($1) } / Double(values.count))
    }

    /// Macro-averaged precision: the unweighted mean of per-class precision.
    public static func precision(_ prediction: Tensor, _ target: Tensor) throws -> Float {
        macro(try perClass(prediction, target).map(\.precision))
    }

    /// Macro-averaged recall.
    public static func recall(_ prediction: Tensor, _ target: Tensor) throws -> Float {
        macro(try perClass(prediction, target).map(\.recall))
    }

    /// Macro-averaged F1: the mean of per-class F1 (scikit-learn's `f1_score(average="macro")`, not the
    /// harmonic mean of macro precision and recall).
    public static func f1(_ prediction: Tensor, _ target: Tensor) throws -> Float {
        macro(try perClass(prediction, target).map(\.f1))
    }
}
