/// Shape arithmetic shared by every kernel: element counts, strides, axis normalisation and NumPy broadcasting.
public enum Shape {
    /// The number of elements of a shape (1 for a scalar).
    @inlinable
    public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// The most elements one tensor may have (2³³ floats, 32 GiB): anything larger is a typo, not a request.
    public static let maxElements = 1 << 33

    /// The most axes a tensor may have: NumPy's limit (64). Without one, `L = [L]` in a loop built a tensor
    /// of rank 100,000 whose every operation walked its shape.
    public static let maxRank = 64

    /// The element count of a user-supplied shape, or an error naming it when a dimension is negative, the
    /// rank is above `maxRank` or the product is too large — computed without overflowing, so `[Int.max, 2]`
    /// is an error rather than a trap. Zero-sized axes do not hide the others (`[0, 10¹⁵]` is still too large).
    public static func checkedCount(_ shape: [Int]) throws -> Int {
        guard shape.count <= maxRank else { throw TensorError("a tensor may have at most \(maxRank) dimensions, this one would have \(shape.count)") }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorError("negative dimension in shape \(shapeString(shape))") }
        var bound = 1
        for d in shape {
            let (p, overflow) = bound.multipliedReportingOverflow(by: Swift.max(d, 1))
            guard !overflow, p <= maxElements else {
                throw TensorError("shape \(shapeString(shape)) is too large: a tensor holds at most 2^33 (\(maxElements)) elements")
            }
            bound = p
        }
        return count(shape)
    }

    /// Row-major strides in elements.
    @inlinable
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// Turns a possibly negative axis into 0..<rank, or throws naming the axis and shape.
    public static func normalizeAxis(_ axis: Int, rank: Int, shape: [Int]? = nil) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0 && a < rank else {
            let what = shape.map { " of shape \(shapeString($0))" } ?? ""
            throw TensorError("axis \(axis) is out of range for a tensor\(what) with \(rank) dimension\(rank == 1 ? "" : "s")")
        }
        return a
    }

    /// The shape two operands broadcast to under NumPy's rules, nil when they do not (whatever its size).
    public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { out[i] = da }
            else if da == 1 { out[i] = db }
            else { return nil }
        }
        return out
    }

    /// The shape two operands broadcast to under NumPy's rules, or an error naming both shapes — also when
    /// the result would be too large for the process (`MemoryBudget`).
    public static func broadcast(_ a: [Int], _ b: [Int]) throws -> [Int] {
        guard let out = broadcastShape(a, b) else {
            throw TensorError("shapes \(shapeString(a)) and \(shapeString(b)) cannot be broadcast together")
        }
        // Two modest operands can broadcast to an enormous result ([10⁶, 1] with [1, 10⁶]).
        guard let n = try? checkedCount(out) else {
            throw TensorError("shapes \(shapeString(a)) and \(shapeString(b)) broadcast to \(shapeString(out)), which is too large")
        }
        do { try MemoryBudget.check(count: n, shape: out) } catch let e as TensorError {
            throw TensorError("shapes \(shapeString(a)) and \(shapeString(b)) broadcast to \(shapeString(out)), which \(e.message)")
        }
        return out
    }

    /// Strides that read an operand of `shape` as if it had the larger `target` shape (0 on broadcast axes).
    public static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let offset = target.count - shape.count
        var out = [Int](repeating: 0, count: target.count)
        for i in 0..<shape.count where shape[i] != 1 || target[i + offset] == 1 {
            out[i + offset] = shape[i] == 1 ? 0 : own[i]
        }
        return out
    }

    /// Resolves a reshape target with at most one -1.
    public static func resolveReshape(_ target: [Int], count: Int, from shape: [Int]) throws -> [Int] {
        var resolved = target
        let unknown = target.indices.filter { target[$0] == -1 }
        guard unknown.count <= 1, target.allSatisfy({ $0 >= -1 }) else {
            throw TensorError("cannot reshape \(shapeString(shape)) to \(shapeString(target)): at most one dimension may be -1 and none other negative")
        }
        let known = try checkedCount(target.filter { $0 != -1 })
        if let u = unknown.first {
            guard known > 0, count % known == 0 else {
                throw TensorError("cannot reshape \(shapeString(shape)) (\(count) elements) to \(shapeString(target))")
            }
            resolved[u] = count / known
        } else if known != count {
            throw TensorError("cannot reshape \(shapeString(shape)) (\(count) elements) to \(shapeString(target)) (\(known) elements)")
        }
        return resolved
    }
}
