import Foundation

/// softmax and log-softmax along an axis, computed stably (the maximum is subtracted first).
extension Variable {
    static let softmaxOp = OpInfo("softmax", "∂L/∂x = y ⊙ (g − Σⱼ gⱼyⱼ)", flow: { _ in OpFlow("y ⊙ (upstream − Σⱼ upstreamⱼ·yⱼ)") })

    /// softmax(x)ᵢ = e^xᵢ / Σⱼ e^xⱼ — ∂L/∂x = y ⊙ (g − Σ g⊙y)
    public static func softmax(_ x: Variable, axis: Int = -1) throws -> Variable {
        let a = try Shape.normalizeAxis(axis, rank: x.rank, shape: x.shape)
        let y = try Tensor.softmax(x.value, axis: a)
        return record(softmaxOp, [x], y) { g in
            if a == y.rank - 1 && g.shape == y.shape { return [Tensor.softmaxLastAxisGradient(g, y)] }
            let gy = try g * y
            let dot = try gy.sum(axis: a, keepdims: true)
            return [try gy - y * dot]
        }.differentiable { g, y in
            let gy = try g * y
            return [try gy - y * sum(gy, axis: a, keepdims: true)]
        }
    }

    static let logSoftmaxOp = OpInfo("log_softmax", "∂L/∂x = g − softmax(x)·Σⱼ gⱼ", flow: { f in
        OpFlow("upstream − softmax(\(f.operand))·Σⱼ upstreamⱼ")
    })

    /// log softmax(x)ᵢ = xᵢ − log Σⱼ e^xⱼ — ∂L/∂x = g − softmax(x) · Σ g
    public static func logSoftmax(_ x: Variable, axis: Int = -1) throws -> Variable {
        let a = try Shape.normalizeAxis(axis, rank: x.rank, shape: x.shape)
        let y = try Tensor.logSoftmax(x.value, axis: a)
        return record(logSoftmaxOp, [x], y) { g in
            let total = try g.sum(axis: a, keepdims: true)
            return [try g - y.map { Foundation.exp($0) } * total]
        }.differentiable { g, y in [try g - exp(y) * sum(g, axis: a, keepdims: true)] }
    }
}

extension Tensor {
    /// Stable softmax along `axis`.
    public static func softmax(_ x: Tensor, axis: Int) throws -> Tensor {
        // An empty batch (or no classes) gives an empty result of the same shape, as NumPy and PyTorch.
        if x.count == 0 { _ = try Shape.normalizeAxis(axis, rank: x.rank, shape: x.shape); return x }
        if x.rank >= 1 && (axis == x.rank - 1 || axis == -1) { return softmaxLastAxis(x) }
        let shifted = try x - x.max(axis: axis, keepdims: true)
        let e = shifted.map { Foundation.exp($0) }
        return try e / e.sum(axis: axis, keepdims: true)
    }

    /// Softmax over the last axis, row by row in one pass each: the general path's operations in its order
    /// (the maximum with NaN winning, x − max, exp, the row's Σ in double rounded once, the division), so the
    /// same bits, without its four temporaries and broadcasts (attention's scores are `[B, heads, T, T]`).
    static func softmaxLastAxis(_ x: Tensor) -> Tensor {
        let n = x.shape[x.rank - 1], rows = x.count / n
        return Tensor(uninitializedShape: x.shape) { out in
            x.scalars.withUnsafeBufferPointer { xs in
                Parallel.ranges(rows, work: 4 * x.count) { part in
                    for r in part {
                        let row = xs.baseAddress! + r * n, o = out.baseAddress! + r * n
                        var m = -Float.infinity
                        for j in 0..<n { m = row[j] > m || row[j].isNaN ? row[j] : m }
                        for j in 0..<n { o[j] = Foundation.exp(row[j] - m) }
                        let total = Float(Tensor.sum(o, count: n))
                        for j in 0..<n { o[j] = o[j] / total }
                    }
                }
            }
        }
    }

    /// softmax's backward over the last axis, `y ⊙ (g − Σ g⊙y)` written as the general path computes it
    /// (`g⊙y − y·Σ(g⊙y)`, the Σ in double rounded once), a row at a time.
    static func softmaxLastAxisGradient(_ g: Tensor, _ y: Tensor) -> Tensor {
        let n = y.shape[y.rank - 1], rows = n == 0 ? 0 : y.count / n
        return Tensor(uninitializedShape: y.shape) { out in
            g.scalars.withUnsafeBufferPointer { gs in
                y.scalars.withUnsafeBufferPointer { ys in
                    Parallel.ranges(rows, work: 4 * y.count) { part in
                        for r in part {
                            let gr = gs.baseAddress! + r * n, yr = ys.baseAddress! + r * n, o = out.baseAddress! + r * n
                            for j in 0..<n { o[j] = gr[j] * yr[j] }
                            let dot = Float(Tensor.sum(o, count: n))
                            for j in 0..<n { o[j] = o[j] - yr[j] * dot }
                        }
                    }
                }
            }
        }
    }

    /// Stable log-softmax along `axis`.
    public static func logSoftmax(_ x: Tensor, axis: Int) throws -> Tensor {
        if x.count == 0 { _ = try Shape.normalizeAxis(axis, rank: x.rank, shape: x.shape); return x }
        let shifted = try x - x.max(axis: axis, keepdims: true)
        let lse = try shifted.map { Foundation.exp($0) }.sum(axis: axis, keepdims: true).map { Foundation.log($0) }
        return try shifted - lse
    }
}

/// Softmax cross-entropy with integer labels as ONE node.
extension Variable {
    static let crossEntropyOp = OpInfo("cross_entropy", "∂L/∂x = (softmax(x) − onehot(y))·g/N", flow: { f in
        OpFlow("(softmax(\(f.operand)) − onehot(labels))·upstream/N")
    })

    /// `−mean_n log_softmax(logits)[n, labelsₙ]` for logits `[N, C]` (N ≥ 1) and N float-encoded class labels.
    ///
    /// Why fused: as `log_softmax → pick → mean → neg` it is four nodes, each allocating its value and its
    /// gradient, and log_softmax's backward alone makes three `[N, C]` temporaries — per-op overhead that
    /// dominated this tiny `[64, 10]` computation in a training step. Fused, the forward is one pass per row
    /// and the backward the textbook `(softmax − onehot)·g/N`. The arithmetic is the unfused chain's, in the
    /// same order (max-shift, Σexp and the mean's Σ both in double by `Tensor.sum`, log, softmax as
    /// exp(log_softmax)), so values match it bit for bit.
    ///
    /// — ∂L/∂logits[n, c] = (softmax[n, c] − [c = labelsₙ]) · g / N
    public static func softmaxCrossEntropy(_ logits: Variable, _ labels: Tensor) throws -> Variable {
        guard logits.rank == 2, logits.shape[0] >= 1, labels.count == logits.shape[0] else {
            throw TensorError("softmax cross-entropy expects logits [batch ≥ 1, classes] and one label per row, got \(shapeString(logits.shape)) and labels \(shapeString(labels.shape))")
        }
        let (n, c) = (logits.shape[0], logits.shape[1])
        let idx = try Tensor.rowIndices(labels, rows: c)
        var picked = [Float](repeating: 0, count: n)
        let logp = Tensor(uninitializedShape: [n, c]) { lp in
            logits.value.scalars.withUnsafeBufferPointer { x in
                for r in 0..<n {
                    let row = x.baseAddress! + r * c, out = lp.baseAddress! + r * c
                    var m = -Float.infinity
                    for j in 0..<c { m = row[j] > m || row[j].isNaN ? row[j] : m }  // as `max`: NaN wins
                    for j in 0..<c { out[j] = Foundation.exp(row[j] - m) }       // Σexp as `sum` adds it
                    let lse = Foundation.log(Float(Tensor.sum(out, count: c)))
                    for j in 0..<c { out[j] = (row[j] - m) - lse }
                    picked[r] = out[idx[r]]
                }
            }
        }
        let inv = 1 / Float(n)
        let total = picked.withUnsafeBufferPointer { Tensor.sum($0.baseAddress!, count: n) }
        let loss = Tensor(-Float(total / Double(n)))
        return record(crossEntropyOp, [logits], loss) { g in
            let s = -g.scalars[0] * inv
            let dx = Tensor(uninitializedShape: [n, c]) { d in
                logp.scalars.withUnsafeBufferPointer { lp in
                    for i in 0..<(n * c) { d[i] = 0 - Foundation.exp(lp[i]) * s }
                    for r in 0..<n { d[r * c + idx[r]] = s - Foundation.exp(lp[r * c + idx[r]]) * s }
                }
            }
            return [dx]
        }.differentiable { g, _ in
            var hot = Tensor(repeating: 0, shape: [n, c])
            for r in 0..<n { hot.scalars[r * c + idx[r]] = 1 }
            return [try (try softmax(logits, axis: 1) - Variable(hot)) * (g * Variable(Tensor(inv)))]
        }
    }
}
