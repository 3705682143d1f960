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
    /// Mean, standard deviation, minimum and maximum over the finite elements, accumulated in Double in two
    /// passes (the mean, then the squared deviations from it): a float32 running sum loses digits past 10⁶
    /// elements, and the one-pass formula E[x²] − E[x]² cancels catastrophically when the mean is large.
    /// Without `spread` the second pass is skipped and `std` is nil.
    public func statistics(spread: Bool = true) -> TensorStatistics {
        var lo = Float.infinity, hi = -Float.infinity, sum = 0.0, finite = 0
        scalars.withUnsafeBufferPointer { x in
            for v in x where v.isFinite {
                lo = Swift.min(lo, v); hi = Swift.max(hi, v)
                sum += Double(v)
                finite &+= 1
            }
        }
        guard finite > 0 else { return TensorStatistics(count: count, nonFinite: count, mean: nil, std: nil, min: nil, max: nil) }
        let mean = sum / Double(finite)
        guard spread else { return TensorStatistics(count: count, nonFinite: count - finite, mean: mean, std: nil, min: lo, max: hi) }
        var squares = 0.0
        scalars.withUnsafeBufferPointer { x in
            for v in x where v.isFinite {
                let d = Double(v) - mean
                squares += d * d
            }
        }
        return TensorStatistics(count: count, nonFinite: count - finite, mean: mean, std: (squares / Double(finite)).squareRoot(),
                                min: lo, max: hi)
    }
}
