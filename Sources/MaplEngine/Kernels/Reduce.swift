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

    /// Folds each `[outer, ·, inner]` fibre with `combine`, starting from `initial`.
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

    /// The sum of `count` contiguous floats in eight interleaved partial sums: a single running sum is a
    /// chain of dependent adds (no vectorising, 3–4 cycles an element); eight lanes vectorise. The rounding
    /// order differs from a left-to-right sum, so use it where that order is not part of the contract
    /// (bias gradients), not for `sum`.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i &+ 8 <= count {
            acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            i &+= 8
        }
        var s = acc.sum()
        while i < count { s += p[i]; i &+= 1 }
        return s
    }

    /// Sum over `axis` (or all elements).
    public func sum(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        try fold(axis: axis, keepdims: keepdims, initial: 0, +)
    }

    /// Mean over `axis` (or all elements).
    public func mean(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        let n = try reductionCount(axis)
        guard n > 0 else { throw TensorError("mean of an empty tensor of shape \(shapeString(shape))") }
        let s = try sum(axis: axis, keepdims: keepdims)
        let inv = 1 / Float(n)
        return s.map { $0 * inv }
    }

    /// Largest element over `axis` (or all). As NumPy: an empty axis has no maximum (an error), while a
    /// non-empty axis of a tensor that is empty elsewhere gives an empty result (`[0, 3]` over axis 1: `[0]`).
    public func max(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        try requireElements("max", axis)
        return try fold(axis: axis, keepdims: keepdims, initial: -.infinity) { Swift.max($0, $1) }
    }

    /// Smallest element over `axis` (or all); empty inputs as `max`.
    public func min(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
        try requireElements("min", axis)
        return try fold(axis: axis, keepdims: keepdims, initial: .infinity) { Swift.min($0, $1) }
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
