import CKernels

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

extension Tensor {
    // MARK: - Sums, in double precision

    /// How many consecutive elements one `mapl_sum` call adds: a long run is summed block by block and the
    /// block sums added in order. The blocks are fixed, so a run split over threads (one block each) gives the
    /// same bits as on one thread.
    @usableFromInline package static let sumBlock = 1 << 16

    /// Σ of `count` contiguous floats, in double precision (`mapl_sum`, eight lanes, block by block).
    @inlinable
    package static func sum(_ p: UnsafePointer<Float>, count: Int) -> Double {
        var total = 0.0, start = 0
        while start < count {
            let n = Swift.min(sumBlock, count - start)
            total += mapl_sum(p + start, n)
            start += n
        }
        return total
    }

    /// Σ (x − mean)² of `count` contiguous floats, block by block as `sum`.
    @inlinable
    package static func sumOfSquaredDeviations(_ p: UnsafePointer<Float>, count: Int, mean: Double) -> Double {
        var total = 0.0, start = 0
        while start < count {
            let n = Swift.min(sumBlock, count - start)
            total += mapl_sum_squared_deviations(p + start, n, mean)
            start += n
        }
        return total
    }
}
