import CKernels

/// Reductions along one axis (or over everything), viewing the tensor as `[outer, n, inner]` so every
/// reduction is two plain loops with a contiguous innermost one.
extension Tensor {
    /// The `[outer, n, inner]` split of `shape` around `axis`.
    @usableFromInline
    static func split(_ shape: [Int], _ axis: Int) -> (outer: Int, n: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// The shape a reduction over `axis` leaves (`nil` means every axis).
    public static func reducedShape(_ shape: [Int], axis: Int?, keepdims: Bool) -> [Int] {
        guard let axis else { return keepdims ? shape.map { _ in 1 } : [] }
        var s = shape
        if keepdims { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }

    /// Folds each `[outer, ·, inner]` fibre with `combine`, starting from `initial` (max and min).
    @inline(__always)
    func fold(axis: Int?, keepdims: Bool, initial: Float, _ combine: (Float, Float) -> Float) throws -> Tensor {
        guard let axis else {
            var acc = initial
            scalars.withUnsafeBufferPointer { x in for i in 0..<x.count { acc = combine(acc, x[i]) } }
            return Tensor(unchecked: Tensor.reducedShape(shape, axis: nil, keepdims: keepdims), [acc])
        }
        let a = try Shape.normalizeAxis(axis, rank: rank, shape: shape)
        let (outer, n, inner) = Tensor.split(shape, a)
        var out = [Float](repeating: initial, count: outer * inner)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for o in 0..<outer {
                    for k in 0..<n {
                        let src = (o * n + k) * inner, dst = o * inner
                        for i in 0..<inner { y[dst + i] = combine(y[dst + i], x[src + i]) }
                    }
                }
            }
        }
        return Tensor(unchecked: Tensor.reducedShape(shape, axis: a, keepdims: keepdims), out)
    }

    /// One long run of `count` elements summed as `Tensor.sum` sums it: `sumOfBlock(start, length)` gives the sum of
    /// each `Tensor.sumBlock`-long block (the last shorter), the blocks run on all threads and are added in
    /// order, so the result is the same bits on any number of them.
    package static func blockSum(count: Int, _ sumOfBlock: (_ start: Int, _ length: Int) -> Double) -> Double {
        let blocks = (count + sumBlock - 1) / sumBlock
        var partial = [Double](repeating: 0, count: blocks)
        partial.withUnsafeMutableBufferPointer { ps in
            Parallel.ranges(blocks, work: count) { part in
                for b in part {
                    let start = b * sumBlock
                    ps[b] = sumOfBlock(start, Swift.min(sumBlock, count - start))
                }
            }
        }
        return partial.reduce(0, +)
    }

    /// The sum of every fibre along `axis` (of everything when nil), in double precision, laid out as the
    /// reduced tensor (`[outer, inner]`); with `means` (one per fibre, the same layout), Σ(x − mean)² instead.
    ///
    /// Why double: float32 running sums stop growing at 2²⁴ (`sum(ones(20000000))` was 16777216) and lose
    /// digits long before (`mean(ones(5000, 5000))` was 0.6711); NumPy sums pairwise. Double partial sums are
    /// exact to far below float32's resolution for any size a tensor can have, and vectorise as well
    /// (`mapl_sum`). Work is split over threads by fibre, by column, or for one long run by block — each sum
    /// is made in the same order whatever the split, so results do not depend on the thread count.
    package func fibreSums(_ axis: Int?, deviationsFrom means: [Double]? = nil) throws -> [Double] {
        let (outer, n, inner): (Int, Int, Int)
        if let axis {
            (outer, n, inner) = Tensor.split(shape, try Shape.normalizeAxis(axis, rank: rank, shape: shape))
        } else {
            (outer, n, inner) = (1, count, 1)
        }
        // Twice the size of the float result: checked, for a reduction over an axis of length 1 of a huge tensor.
        try MemoryBudget.check(count: outer * inner, elementSize: MemoryLayout<Double>.size, what: "the sums of a reduction over \(shapeString(shape))")
        var out = [Double](repeating: 0, count: outer * inner)
        guard n > 0, !out.isEmpty else { return out }
        scalars.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { ys in
                let x = xs.baseAddress!, y = ys.baseAddress!
                if inner == 1 && outer == 1 && n > Tensor.sumBlock {
                    y[0] = Tensor.blockSum(count: n) { start, length in
                        means.map { mapl_sum_squared_deviations(x + start, length, $0[0]) } ?? mapl_sum(x + start, length)
                    }
                } else if inner == 1 {
                    // Contiguous fibres (the last axis): one run each.
                    Parallel.ranges(outer, work: outer * n) { part in
                        for o in part {
                            y[o] = means.map { Tensor.sumOfSquaredDeviations(x + o * n, count: n, mean: $0[o]) } ?? Tensor.sum(x + o * n, count: n)
                        }
                    }
                } else {
                    // Strided fibres: rows of `inner` added into the fibres' sums, in order. Split by outer
                    // slab when there are enough, else by columns.
                    means.map { m in m.withUnsafeBufferPointer { accumulate(x, y, $0.baseAddress, outer, n, inner) } }
                        ?? accumulate(x, y, nil, outer, n, inner)
                }
            }
        }
        return out
    }

    /// `y[o, i] += Σₖ x[o, k, i]` (or the squared deviations from `means[o, i]`), k in order.
    private func accumulate(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Double>, _ means: UnsafePointer<Double>?,
                            _ outer: Int, _ n: Int, _ inner: Int) {
        func rows(_ o: Int, _ columns: Range<Int>) {
            let acc = y + o * inner + columns.lowerBound, first = x + o * n * inner + columns.lowerBound
            if let means {
                mapl_accumulate_squared_deviations_rows(acc, first, n, inner, means + o * inner + columns.lowerBound, columns.count)
            } else {
                mapl_accumulate_rows(acc, first, n, inner, columns.count)
            }
        }
        if outer >= Parallel.threads {
            Parallel.ranges(outer, work: outer * n * inner) { part in for o in part { rows(o, 0 ..< inner) } }
        } else {
            for o in 0..<outer {
                Parallel.ranges(inner, work: n * inner, alignment: 16) { columns in rows(o, columns) }
            }
        }
    }

    /// Sum over `axis` (or all elements), accumulated in double precision.
    public func sum(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        let sums = try fibreSums(axis)
        let a = try axis.map { try Shape.normalizeAxis($0, rank: rank, shape: shape) }
        return Tensor(unchecked: Tensor.reducedShape(shape, axis: a, keepdims: keepdims), sums.map { Float($0) })
    }

    /// Mean over `axis` (or all elements): the double-precision sum divided by n, rounded once.
    public func mean(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        let n = try reductionCount(axis)
        guard n > 0 else { throw TensorError("mean of an empty tensor of shape \(shapeString(shape))") }
        let a = try axis.map { try Shape.normalizeAxis($0, rank: rank, shape: shape) }
        let means = try fibreSums(a).map { $0 / Double(n) }
        return Tensor(unchecked: Tensor.reducedShape(shape, axis: a, keepdims: keepdims), means.map { Float($0) })
    }

    /// Population variance (ddof = 0) over `axis` (or all elements), in two passes in double precision —
    /// the mean, then Σ(x − mean)² / n — and the means themselves (unrounded, for the backward pass).
    public func variance(axis: Int? = nil, keepdims: Bool = false) throws -> (variance: Tensor, means: [Double]) {
        let n = try reductionCount(axis)
        guard n > 0 else { throw TensorError("var of an empty tensor of shape \(shapeString(shape))") }
        let a = try axis.map { try Shape.normalizeAxis($0, rank: rank, shape: shape) }
        let means = try fibreSums(a).map { $0 / Double(n) }
        let variances = try fibreSums(a, deviationsFrom: means).map { Float($0 / Double(n)) }
        return (Tensor(unchecked: Tensor.reducedShape(shape, axis: a, keepdims: keepdims), variances), means)
    }

    /// Largest element over `axis` (or all); NaN when the fibre holds one, as NumPy. As NumPy too: an empty
    /// axis has no maximum (an error), while a non-empty axis of a tensor that is empty elsewhere gives an
    /// empty result (`[0, 3]` over axis 1: `[0]`).
    public func max(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        try requireElements("max", axis)
        return try fold(axis: axis, keepdims: keepdims, initial: -.infinity) { acc, x in x > acc || x.isNaN ? x : acc }
    }

    /// Smallest element over `axis` (or all); NaN when the fibre holds one; empty inputs as `max`.
    public func min(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        try requireElements("min", axis)
        return try fold(axis: axis, keepdims: keepdims, initial: .infinity) { acc, x in x < acc || x.isNaN ? x : acc }
    }

    /// Throws when the reduction `op` over `axis` would pick from nothing: the axis (or, without one, the
    /// tensor) is empty.
    func requireElements(_ op: String, _ axis: Int?) throws {
        if try reductionCount(axis) > 0 { return }
        if let axis { throw TensorError("\(op) over axis \(axis) of shape \(shapeString(shape)): the axis is empty, so there is nothing to pick") }
        throw TensorError("\(op) of an empty tensor (shape \(shapeString(shape))): there is nothing to pick")
    }

    /// How many elements a reduction over `axis` combines.
    public func reductionCount(_ axis: Int?) throws -> Int {
        guard let axis else { return count }
        return shape[try Shape.normalizeAxis(axis, rank: rank, shape: shape)]
    }

    /// Index of the largest element along `axis` (first one on ties), as float indices; over the
    /// flattened tensor when `axis` is nil, as NumPy.
    public func argmax(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        try argExtreme(axis: axis, keepdims: keepdims, greater: true)
    }

    /// Index of the smallest element along `axis` (first one on ties).
    public func argmin(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        try argExtreme(axis: axis, keepdims: keepdims, greater: false)
    }

    /// Integer positions of the extreme element in each fibre, the form max/min backward and pooling use.
    public func argExtremeIndices(axis: Int?, greater: Bool) throws -> [Int] {
        try requireElements(greater ? "argmax" : "argmin", axis)
        let (outer, n, inner): (Int, Int, Int)
        if let axis {
            (outer, n, inner) = Tensor.split(shape, try Shape.normalizeAxis(axis, rank: rank, shape: shape))
        } else {
            (outer, n, inner) = (1, count, 1)
        }
        var idx = [Int](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { x in
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = x[o * n * inner + i], bestK = 0
                    for k in 1..<Swift.max(n, 1) {
                        let v = x[(o * n + k) * inner + i]
                        if greater ? (v > best || (best.isNaN == false && v.isNaN)) : (v < best || (best.isNaN == false && v.isNaN)) {
                            best = v; bestK = k
                        }
                    }
                    idx[o * inner + i] = bestK
                }
            }
        }
        return idx
    }

    private func argExtreme(axis: Int?, keepdims: Bool, greater: Bool) throws -> Tensor {
        let idx = try argExtremeIndices(axis: axis, greater: greater)
        let a = try axis.map { try Shape.normalizeAxis($0, rank: rank, shape: shape) }
        return Tensor(unchecked: Tensor.reducedShape(shape, axis: a, keepdims: keepdims), idx.map(Float.init))
    }
}
