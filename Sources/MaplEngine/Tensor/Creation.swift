/// The constructors of the contract's "Create" list: `zeros ones full rand randn arange linspace eye onehot`.
extension Tensor {
    /// A valid shape whose buffer the process can get (`MemoryBudget`).
    private static func checkShape(_ shape: [Int]) throws { try MemoryBudget.check(shape: shape) }

    /// All zeros.
    public static func zeros(_ shape: [Int]) throws -> Tensor { try full(shape, 0) }
    /// All ones.
    public static func ones(_ shape: [Int]) throws -> Tensor { try full(shape, 1) }
    /// Every element `value`.
    public static func full(_ shape: [Int], _ value: Float) throws -> Tensor {
        try checkShape(shape)
        return Tensor(repeating: value, shape: shape)
    }

    /// Uniform in [0, 1), from the shared seeded generator.
    public static func rand(_ shape: [Int]) throws -> Tensor {
        try checkShape(shape)
        var data = [Float](repeating: 0, count: Shape.count(shape))
        Random.with { g in for i in data.indices { data[i] = g.nextFloat() } }
        return Tensor(unchecked: shape, data)
    }

    /// Uniform in [low, high).
    public static func uniform(_ shape: [Int], low: Float, high: Float) throws -> Tensor {
        var t = try rand(shape)
        let span = high - low
        t.scalars.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = low + span * p[i] } }
        return t
    }

    /// Standard normal, from the shared seeded generator (Box–Muller).
    public static func randn(_ shape: [Int]) throws -> Tensor {
        try checkShape(shape)
        var data = [Float](repeating: 0, count: Shape.count(shape))
        Random.with { g in for i in data.indices { data[i] = g.nextNormal() } }
        return Tensor(unchecked: shape, data)
    }

    /// `start, start+step, …` up to but excluding `end`, as NumPy's `arange`.
    public static func arange(_ start: Double, _ end: Double, _ step: Double = 1) throws -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw TensorError("arange needs finite bounds and a finite, non-zero step (got start \(numberString(start)), end \(numberString(end)), step \(numberString(step)))")
        }
        // Bound the count while it is still a Double: Int(1e300) would trap.
        let steps = Swift.max(0, ((end - start) / step).rounded(.up))
        guard steps <= Double(1 << 31) else { throw TensorError("arange(\(numberString(start)), \(numberString(end)), \(numberString(step))) would have \(numberString(steps)) elements") }
        let n = Int(steps)
        try checkShape([n])
        return Tensor(unchecked: [n], (0..<n).map { Float(start + Double($0) * step) })
    }

    /// `n` evenly spaced values from `a` to `b` inclusive, as NumPy's `linspace`.
    public static func linspace(_ a: Double, _ b: Double, _ n: Int) throws -> Tensor {
        guard n >= 0 else { throw TensorError("linspace needs a non-negative count, got \(n)") }
        guard n <= 1 << 31 else { throw TensorError("linspace(\(numberString(a)), \(numberString(b)), \(n)) would have too many elements") }
        guard a.isFinite, b.isFinite else { throw TensorError("linspace needs finite end points, got \(numberString(a)) and \(numberString(b))") }
        try checkShape([n])
        if n == 1 { return Tensor(unchecked: [1], [Float(a)]) }
        let step = (b - a) / Double(Swift.max(n - 1, 1))
        return Tensor(unchecked: [n], (0..<n).map { $0 == n - 1 ? Float(b) : Float(a + Double($0) * step) })
    }

    /// The n×n identity.
    public static func eye(_ n: Int) throws -> Tensor {
        var t = try zeros([n, n])
        for i in 0..<n { t.scalars[i * n + i] = 1 }
        return t
    }

    /// One-hot rows: labels of shape `[...]` with integer values in 0..<n give `[..., n]`.
    public static func onehot(_ labels: Tensor, _ n: Int) throws -> Tensor {
        guard n > 0 else { throw TensorError("onehot needs a positive class count, got \(n)") }
        try checkShape(labels.shape + [n])
        var out = [Float](repeating: 0, count: labels.count * n)
        for (i, v) in labels.scalars.enumerated() {
            let k = Int(exactly: v) ?? -1
            guard k >= 0 && k < n else {
                throw TensorError("onehot: label \(numberString(v)) at position \(i) is not an integer in 0..<\(n)")
            }
            out[i * n + k] = 1
        }
        return Tensor(unchecked: labels.shape + [n], out)
    }
}
