/// A tensor's values summed up for people: how many, their mean and spread, their range, and how many are
/// not finite. The stepper and the value echo show large tensors this way.
public struct TensorStatistics: Sendable, Equatable {
    /// Every element.
    public var count: Int
    /// Elements that are NaN or ±∞; the other fields are over the finite ones only.
    public var nonFinite: Int
    /// Mean of the finite elements (nil when there are none).
    public var mean: Double?
    /// Population standard deviation (dividing by n, as NumPy's default) of the finite elements.
    public var std: Double?
    public var min: Float?
    public var max: Float?

    public init(count: Int, nonFinite: Int, mean: Double?, std: Double?, min: Float?, max: Float?) {
        self.count = count; self.nonFinite = nonFinite; self.mean = mean; self.std = std; self.min = min; self.max = max
    }
}

extension Tensor {
    /// Mean, standard deviation, minimum and maximum over the finite elements, the sums made by the engine's
    /// double-precision kernels (`Tensor.sum`, `sumOfSquaredDeviations`: the mean, then Σ(x − mean)²) — a
    /// float32 running sum loses digits past 10⁶ elements, and E[x²] − E[x]² cancels when the mean is large.
    /// Without `spread` the second pass is skipped and `std` is nil.
    public func statistics(spread: Bool = true) -> TensorStatistics {
        var lo = Float.infinity, hi = -Float.infinity, finite = 0
        scalars.withUnsafeBufferPointer { x in
            for v in x where v.isFinite {
                lo = Swift.min(lo, v); hi = Swift.max(hi, v)
                finite &+= 1
            }
        }
        guard finite > 0 else { return TensorStatistics(count: count, nonFinite: count, mean: nil, std: nil, min: nil, max: nil) }
        // The sums do not skip NaN and ±∞: the rare tensor holding some is summed over a copy of its finite part.
        let values = finite == count ? scalars : scalars.filter(\.isFinite)
        let (mean, squares) = values.withUnsafeBufferPointer { x -> (Double, Double?) in
            guard let p = x.baseAddress else { return (0, nil) }
            let mean = Tensor.sum(p, count: x.count) / Double(x.count)
            return (mean, spread ? Tensor.sumOfSquaredDeviations(p, count: x.count, mean: mean) : nil)
        }
        return TensorStatistics(count: count, nonFinite: count - finite, mean: mean,
                                std: squares.map { ($0 / Double(finite)).squareRoot() }, min: lo, max: hi)
    }
}
