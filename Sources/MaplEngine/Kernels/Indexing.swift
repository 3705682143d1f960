/// One entry of an index expression `x[i, a:b:s, :]`.
public enum IndexItem: Sendable, Equatable {
    /// A single position; negative counts from the end. Removes the axis.
    case at(Int)
    /// A slice `start:end:step` with Python's defaults and clamping; keeps the axis.
    case slice(start: Int?, end: Int?, step: Int)
    /// A list of positions on one axis (negative from the end, repeats allowed); keeps the axis, with the
    /// list's length. See AdvancedIndexing.swift.
    case positions([Int])
    /// A boolean mask over the next `shape.count` axes (row-major): they become one axis holding the
    /// elements where the mask is true. See AdvancedIndexing.swift.
    case mask([Bool], shape: [Int])

    /// `:` — the whole axis.
    public static let all = IndexItem.slice(start: nil, end: nil, step: 1)
}

/// A strided window onto a contiguous buffer: what an index expression or a transpose selects.
/// Reading gathers it into a new contiguous tensor; writing scatters values into the window.
public struct StridedView: Sendable {
    public var offset: Int
    public var shape: [Int]
    public var strides: [Int]

    /// Visits the buffer offset of every element of the window in row-major order of `shape`.
    @inline(__always)
    func forEachOffset(_ body: (_ position: Int, _ offset: Int) -> Void) {
        let rank = shape.count
        let total = Shape.count(shape)
        if total == 0 { return }
        if rank == 0 { body(0, offset); return }
        let n = shape[rank - 1], step = strides[rank - 1]
        var counter = [Int](repeating: 0, count: rank)
        var base = offset
        var position = 0
        while position < total {
            var o = base
            for _ in 0..<n { body(position, o); o += step; position += 1 }
            var axis = rank - 2
            while axis >= 0 {
                counter[axis] += 1
                base += strides[axis]
                if counter[axis] < shape[axis] { break }
                base -= strides[axis] * shape[axis]
                counter[axis] = 0
                axis -= 1
            }
        }
    }
}

extension Tensor {
    /// Resolves an index expression against this tensor's shape into a strided window.
    /// `keptShape` is the shape the result has (integer indices drop their axes).
    public func view(_ items: [IndexItem]) throws -> (view: StridedView, keptShape: [Int]) {
        guard items.count <= rank else {
            throw TensorError("too many indices (\(items.count)) for a tensor of shape \(shapeString(shape))")
        }
        let st = strides
        var offset = 0
        var vShape: [Int] = [], vStrides: [Int] = [], kept: [Int] = []
        for axis in 0..<rank {
            let dim = shape[axis]
            let item = axis < items.count ? items[axis] : .all
            switch item {
            case .at(let i):
                let j = i < 0 ? i + dim : i
                guard j >= 0 && j < dim else {
                    throw TensorError("index \(i) is out of range for axis \(axis) of size \(dim) (shape \(shapeString(shape)))")
                }
                offset += j * st[axis]
            case .slice(let start, let end, let step):
                guard step != 0 else { throw TensorError("slice step cannot be zero") }
                let (first, n) = Tensor.sliceBounds(start: start, end: end, step: step, dim: dim)
                offset += first * st[axis]
                // A window of one element never steps, and with two or more |step| < dim: no overflow.
                vShape.append(n); vStrides.append(n > 1 ? st[axis] * step : 0); kept.append(n)
            case .positions, .mask:
                throw TensorError("internal: an index list or mask has no strided view (use indexed/assign)")
            }
        }
        return (StridedView(offset: offset, shape: vShape, strides: vStrides), kept)
    }

    /// Python's slice semantics: clamps out-of-range bounds, counts negatives from the end. Any `Int` step is
    /// accepted (`Int.min` too): the count is computed from the step's magnitude, so nothing overflows.
    public static func sliceBounds(start: Int?, end: Int?, step: Int, dim: Int) -> (first: Int, count: Int) {
        func clampIndex(_ v: Int, lower: Int, upper: Int) -> Int {
            let w = v < 0 ? v + dim : v   // cannot overflow: dim ≥ 0
            return Swift.min(Swift.max(w, lower), upper)
        }
        let magnitude = step.magnitude
        if step > 0 {
            let s = start.map { clampIndex($0, lower: 0, upper: dim) } ?? 0
            let e = end.map { clampIndex($0, lower: 0, upper: dim) } ?? dim
            return (s, e > s ? 1 + Int(UInt(e - s - 1) / magnitude) : 0)
        } else {
            let s = start.map { clampIndex($0, lower: -1, upper: dim - 1) } ?? dim - 1
            let e = end.map { clampIndex($0, lower: -1, upper: dim - 1) } ?? -1
            return (Swift.max(s, 0), s > e ? 1 + Int(UInt(s - e - 1) / magnitude) : 0)
        }
    }

    /// The positions `start:end:step` selects from `0..<count` (what a slice of a list or dataset picks).
    public static func slicePositions(start: Int?, end: Int?, step: Int, count: Int) -> [Int] {
        let (first, n) = sliceBounds(start: start, end: end, step: step, dim: count)
        // With two or more positions |step| < count, so the products stay in range.
        return (0..<n).map { first + $0 * step }
    }

    /// The elements a window selects, as a new contiguous tensor.
    public func gather(_ view: StridedView) throws -> Tensor {
        try MemoryBudget.check(count: Shape.count(view.shape), shape: view.shape)
        var out = [Float](repeating: 0, count: Shape.count(view.shape))
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                view.forEachOffset { p, o in y[p] = x[o] }
            }
        }
        return Tensor(unchecked: view.shape, out)
    }

    /// `x[items]` (a comparison's 0/1 mask stays a mask).
    public func indexed(_ items: [IndexItem]) throws -> Tensor {
        if Tensor.isAdvanced(items) { return try advancedIndexed(items) }
        let (v, kept) = try view(items)
        var out = try gather(v).reshaped(kept)
        out.isMask = isMask
        return out
    }

    /// This value broadcast to the shape of a selection it is assigned to (`x[items] = value`): the
    /// selection's shape must come out of the broadcast unchanged.
    func broadcast(toSelection shape: [Int]) throws -> Tensor {
        guard try Shape.broadcast(self.shape, shape) == shape else {
            throw TensorError("cannot assign a value of shape \(shapeString(self.shape)) to a selection of shape \(shapeString(shape))")
        }
        return self.shape == shape ? self : try Tensor.zip(Tensor(repeating: 0, shape: shape), self) { $1 }
    }

    /// `x[items] = value`, with `value` broadcast to the selected shape. Writes in place.
    public mutating func assign(_ items: [IndexItem], _ value: Tensor) throws {
        if Tensor.isAdvanced(items) { return try advancedAssign(items, value) }
        let (v, kept) = try view(items)
        let src = try value.broadcast(toSelection: kept)
        src.scalars.withUnsafeBufferPointer { s in
            scalars.withUnsafeMutableBufferPointer { x in
                v.forEachOffset { p, o in x[o] = s[p] }
            }
        }
    }

    /// Adds `value` (already of the window's kept shape) into the window: the backward of indexing.
    public mutating func scatterAdd(_ items: [IndexItem], _ value: Tensor) throws {
        if Tensor.isAdvanced(items) { return try advancedScatterAdd(items, value) }
        let (v, _) = try view(items)
        value.scalars.withUnsafeBufferPointer { s in
            scalars.withUnsafeMutableBufferPointer { x in
                v.forEachOffset { p, o in x[o] += s[p] }
            }
        }
    }

    /// The axes reordered by `permutation` (a new contiguous tensor).
    public func permuted(_ permutation: [Int]) throws -> Tensor {
        guard permutation.count == rank, Set(permutation) == Set(0..<rank) else {
            throw TensorError("permutation \(permutation) does not fit a tensor of shape \(shapeString(shape))")
        }
        let st = strides
        let view = StridedView(offset: 0, shape: permutation.map { shape[$0] }, strides: permutation.map { st[$0] })
        return try gather(view)
    }

    /// Swaps two axes (negative axes count from the end). A 2-D tensor's `.T`.
    public func transposed(_ a: Int = -2, _ b: Int = -1) throws -> Tensor {
        if rank < 2 { return self }
        let i = try Shape.normalizeAxis(a, rank: rank, shape: shape), j = try Shape.normalizeAxis(b, rank: rank, shape: shape)
        var p = Array(0..<rank); p.swapAt(i, j)
        return try permuted(p)
    }

    /// Joins tensors along an existing axis; every other axis must agree.
    public static func concat(_ parts: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = parts.first else { throw TensorError("concat needs at least one tensor") }
        guard first.rank > 0 else { throw TensorError("concat cannot join scalars; use stack") }
        let a = try Shape.normalizeAxis(axis, rank: first.rank, shape: first.shape)
        for p in parts where p.rank != first.rank || p.shape.enumerated().contains(where: { $0.offset != a && $0.element != first.shape[$0.offset] }) {
            throw TensorError("concat along axis \(axis): shape \(shapeString(p.shape)) does not match \(shapeString(first.shape))")
        }
        // Each part exists, so each extent is below 2³³; the sum of many could still overflow.
        var total = 0
        for p in parts {
            let (sum, overflow) = total.addingReportingOverflow(p.shape[a])
            guard !overflow else { throw TensorError("concat of \(parts.count) tensors along axis \(axis) is too large") }
            total = sum
        }
        var shape = first.shape; shape[a] = total
        try MemoryBudget.check(shape: shape)
        let (outer, _, inner) = Tensor.split(shape, a)
        var out = [Float](repeating: 0, count: Shape.count(shape))
        var column = 0
        for p in parts {
            let n = p.shape[a]
            p.scalars.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { y in
                    for o in 0..<outer {
                        let src = o * n * inner, dst = (o * total + column) * inner
                        for i in 0..<(n * inner) { y[dst + i] = x[src + i] }
                    }
                }
            }
            column += n
        }
        return Tensor(unchecked: shape, out)
    }

    /// Joins equal-shaped tensors along a new axis.
    public static func stack(_ parts: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = parts.first else { throw TensorError("stack needs at least one tensor") }
        for p in parts where p.shape != first.shape {
            throw TensorError("stack needs equal shapes, got \(shapeString(first.shape)) and \(shapeString(p.shape))")
        }
        let a = try Shape.normalizeAxis(axis, rank: first.rank + 1, shape: first.shape)
        var expanded = first.shape; expanded.insert(1, at: a)
        return try concat(parts.map { Tensor(unchecked: expanded, $0.scalars) }, axis: a)
    }

    /// Rows of a table `[V, d…]` picked by integer indices of any shape: `[…, d…]` (embedding lookup).
    public static func gatherRows(_ table: Tensor, _ indices: Tensor) throws -> Tensor {
        guard table.rank >= 1 else { throw TensorError("gather needs a table of rank ≥ 1, got a scalar") }
        let rows = table.shape[0], width = table.count / Swift.max(rows, 1)
        let idx = try rowIndices(indices, rows: rows)
        try MemoryBudget.check(shape: indices.shape + Array(table.shape.dropFirst()))
        var out = [Float](repeating: 0, count: idx.count * width)
        table.scalars.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { y in
                for (r, i) in idx.enumerated() {
                    for j in 0..<width { y[r * width + j] = t[i * width + j] }
                }
            }
        }
        return Tensor(unchecked: indices.shape + Array(table.shape.dropFirst()), out)
    }

    /// The backward of `gatherRows`: adds each row of `grad` into the table row it came from.
    public static func scatterAddRows(_ grad: Tensor, _ indices: Tensor, tableShape: [Int]) throws -> Tensor {
        let rows = tableShape[0], width = Shape.count(tableShape) / Swift.max(rows, 1)
        let idx = try rowIndices(indices, rows: rows)
        var out = [Float](repeating: 0, count: Shape.count(tableShape))
        grad.scalars.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { t in
                for (r, i) in idx.enumerated() {
                    for j in 0..<width { t[i * width + j] += g[r * width + j] }
                }
            }
        }
        return Tensor(unchecked: tableShape, out)
    }

    /// Validates float-encoded integer indices against a row count.
    public static func rowIndices(_ indices: Tensor, rows: Int) throws -> [Int] {
        try indices.scalars.enumerated().map { (p, v) in
            guard let i = Int(exactly: v), i >= 0, i < rows else {
                throw TensorError("index \(numberString(v)) at position \(p) is not an integer in 0..<\(rows)")
            }
            return i
        }
    }
}
