/// Reductions over one axis or everything (`axis: nil`), with `keepdims` as in NumPy.
extension Variable {
    /// The upstream gradient of a reduction, reshaped so it broadcasts against the input again.
    static func keepdimsGradient(_ g: Tensor, inputShape: [Int], axis: Int?) -> Tensor {
        let kept = Tensor.reducedShape(inputShape, axis: axis, keepdims: true)
        return Tensor(unchecked: kept, g.scalars)
    }

    /// `f(upstream)` copied back over every element the reduction took in: one fill when it reduced to a
    /// single number (a loss's mean), else broadcast over the reduced axis.
    @inline(__always)
    static func spreadBack(_ g: Tensor, inputShape: [Int], axis: Int?, _ f: (Float) -> Float) throws -> Tensor {
        if g.count == 1 { return Tensor(repeating: f(g.scalars[0]), shape: inputShape) }
        return try Tensor.zip(Tensor(repeating: 0, shape: inputShape), keepdimsGradient(g, inputShape: inputShape, axis: axis)) { f($1) }
    }

    /// The upstream gradient of a reduction broadcast back over the input, in recorded ops.
    static func spread(_ g: Variable, inputShape: [Int], axis: Int?) throws -> Variable {
        try broadcastTo(try reshape(g, Tensor.reducedShape(inputShape, axis: axis, keepdims: true)), inputShape)
    }

    static let sumOp = OpInfo("sum", "∂(Σx)/∂xᵢ = 1", flow: { _ in OpFlow("upstream copied back to every summed element") })

    /// Σx — ∂y/∂xᵢ = 1
    public static func sum(_ x: Variable, axis: Int? = nil, keepdims: Bool = false) throws -> Variable {
        let a = try axis.map { try Shape.normalizeAxis($0, rank: x.rank, shape: x.shape) }
        let y = try x.value.sum(axis: a, keepdims: keepdims)
        return record(sumOp, [x], y) { g in
            [try spreadBack(g, inputShape: x.shape, axis: a) { 0 + $0 }]   // 0 + g, as the zero-filled sum always made it (−0 → +0)
        }.differentiable { g, y in [try spread(g, inputShape: x.shape, axis: a)] }
    }

    static let meanOp = OpInfo("mean", "∂(mean x)/∂xᵢ = 1/n", flow: { _ in OpFlow("upstream / n, copied back to every averaged element") })

    /// mean x — ∂y/∂xᵢ = 1/n
    public static func mean(_ x: Variable, axis: Int? = nil, keepdims: Bool = false) throws -> Variable {
        let a = try axis.map { try Shape.normalizeAxis($0, rank: x.rank, shape: x.shape) }
        let n = try x.value.reductionCount(a)
        let y = try x.value.mean(axis: a, keepdims: keepdims)
        return record(meanOp, [x], y) { g in
            let inv = 1 / Float(n)
            return [try spreadBack(g, inputShape: x.shape, axis: a) { $0 * inv }]
        }.differentiable { g, _ in [try spread(g, inputShape: x.shape, axis: a) * Variable(Tensor(1 / Float(n)))] }
    }

    /// max x — the gradient flows to the (first) largest element of each fibre
    public static func max(_ x: Variable, axis: Int? = nil, keepdims: Bool = false) throws -> Variable {
        try extreme(x, axis: axis, keepdims: keepdims, greater: true)
    }

    /// min x — the gradient flows to the (first) smallest element of each fibre
    public static func min(_ x: Variable, axis: Int? = nil, keepdims: Bool = false) throws -> Variable {
        try extreme(x, axis: axis, keepdims: keepdims, greater: false)
    }

    static let maxOp = OpInfo("max", "∂(max x)/∂xᵢ = 1 for the largest xᵢ, 0 elsewhere", flow: { _ in
        OpFlow("upstream to the (first) largest element, 0 elsewhere")
    })
    static let minOp = OpInfo("min", "∂(min x)/∂xᵢ = 1 for the smallest xᵢ, 0 elsewhere", flow: { _ in
        OpFlow("upstream to the (first) smallest element, 0 elsewhere")
    })

    private static func extreme(_ x: Variable, axis: Int?, keepdims: Bool, greater: Bool) throws -> Variable {
        let a = try axis.map { try Shape.normalizeAxis($0, rank: x.rank, shape: x.shape) }
        let y = greater ? try x.value.max(axis: a, keepdims: keepdims) : try x.value.min(axis: a, keepdims: keepdims)
        let name = greater ? "max" : "min"
        // The gradient goes to one element per fibre: a fixed placement of g, and its adjoint picks them back.
        let winnerOffsets = { () throws -> [Int] in
            let winners = try x.value.argExtremeIndices(axis: a, greater: greater)
            let (outer, n, inner) = a.map { Tensor.split(x.shape, $0) } ?? (1, x.value.count, 1)
            var offsets = [Int](repeating: 0, count: outer * inner)
            for o in 0..<outer { for i in 0..<inner { offsets[o * inner + i] = (o * n + winners[o * inner + i]) * inner + i } }
            return offsets
        }
        let place = { (offsets: [Int], g: Tensor) -> Tensor in
            var out = [Float](repeating: 0, count: x.value.count)
            for (i, o) in offsets.enumerated() { out[o] = g.scalars[i] }
            return Tensor(unchecked: x.shape, out)
        }
        return record(greater ? maxOp : minOp, [x], y) { g in
            [place(try winnerOffsets(), g)]
        }.differentiable { g, y in
            let offsets = try winnerOffsets(), shape = y.shape
            return [try linear(g, ("place_\(name)", "pick_\(name)"), { place(offsets, $0) },
                               adjoint: { t in Tensor(unchecked: shape, offsets.map { t.scalars[$0] }) })]
        }
    }

    static let varOp = OpInfo("var", "∂(var x)/∂xᵢ = 2(xᵢ − x̄)/n", flow: { f in OpFlow("upstream ⊙ 2(\(f.operand) − mean)/n") })

    /// Population variance (NumPy's default, ddof = 0): mean((x − x̄)²) — ∂y/∂xᵢ = 2(xᵢ − x̄)/n
    public static func variance(_ x: Variable, axis: Int? = nil, keepdims: Bool = false) throws -> Variable {
        let a = try axis.map { try Shape.normalizeAxis($0, rank: x.rank, shape: x.shape) }
        let n = try x.value.reductionCount(a)
        let (y, means) = try x.value.variance(axis: a, keepdims: keepdims)
        return record(varOp, [x], y) { g in
            let scale = 2 / Float(n)
            let mean = Tensor(unchecked: Tensor.reducedShape(x.shape, axis: a, keepdims: true), means.map { Float($0) })
            let centered = try x.value - mean
            return [try Tensor.zip(centered, keepdimsGradient(g, inputShape: x.shape, axis: a)) { $0 * $1 * scale }]
        }.differentiable { g, _ in
            let centered = try x - mean(x, axis: a, keepdims: true)
            return [try spread(g, inputShape: x.shape, axis: a) * centered * Variable(Tensor(2 / Float(n)))]
        }
    }

    /// Population standard deviation √var — ∂y/∂xᵢ = (xᵢ − x̄)/(n·y)
    public static func std(_ x: Variable, axis: Int? = nil, keepdims: Bool = false) throws -> Variable {
        try sqrt(variance(x, axis: axis, keepdims: keepdims))
    }
}
