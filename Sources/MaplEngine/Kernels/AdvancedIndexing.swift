/// NumPy's advanced indexing, the part mapl has: one integer list (`x[:, [0, 2]]`, `x[[2, 0, 2]]`) or one
/// boolean mask (`x[x > 0]`, a mask over the leading axes or a 1-D mask on any axis) per subscript, combined
/// with integers and slices. Reading gathers the selected elements, writing stores into them, and the
/// gradient of a read adds back into them (a position listed twice gets both contributions).
///
/// The result's layout is NumPy's: the list's (or mask's) axis stands where the list stood, unless integers
/// stand apart from it, separated by a slice (`x[0, :, [1, 2]]`) — then it comes first, as NumPy puts it.
/// Several lists or masks in one subscript (which NumPy pairs element by element) are refused with an error
/// that says how to write the block instead.
///
/// A selection is computed as the buffer offset of every selected element, in the result's row-major order:
/// simple, and exact for repeated positions; basic indexing (integers and slices only) keeps the strided
/// path in Indexing.swift.
extension Tensor {
    /// True when `items` hold an integer list or a mask.
    static func isAdvanced(_ items: [IndexItem]) -> Bool {
        items.contains { if case .at = $0 { return false }; if case .slice = $0 { return false }; return true }
    }

    /// One subscript item resolved against the axes it covers: the buffer offset each of its positions
    /// contributes, whether it keeps an axis in the result, and whether NumPy counts it as advanced.
    private struct Group {
        var contributions: [Int]
        var kept: Bool
        var isArray: Bool
        var isInteger: Bool
    }

    /// The result shape of an advanced index and the offset of every selected element, in row-major order of
    /// that shape.
    public func selection(_ items: [IndexItem]) throws -> (shape: [Int], offsets: [Int]) {
        let st = strides
        var groups: [Group] = []
        var axis = 0
        func needAxes(_ n: Int) throws {
            guard axis + n <= rank else {
                throw TensorError("too many indices for a tensor of shape \(shapeString(shape)): the subscript covers \(axis + n) axes")
            }
        }
        for item in items {
            switch item {
            case .at(let i):
                try needAxes(1)
                let dim = shape[axis], j = i < 0 ? i &+ dim : i
                guard j >= 0 && j < dim else {
                    throw TensorError("index \(i) is out of range for axis \(axis) of size \(dim) (shape \(shapeString(shape)))")
                }
                groups.append(Group(contributions: [j * st[axis]], kept: false, isArray: false, isInteger: true))
                axis += 1
            case .slice(let start, let end, let step):
                try needAxes(1)
                guard step != 0 else { throw TensorError("slice step cannot be zero") }
                let (first, n) = Tensor.sliceBounds(start: start, end: end, step: step, dim: shape[axis])
                groups.append(Group(contributions: (0..<n).map { (first + $0 * step) * st[axis] }, kept: true, isArray: false, isInteger: false))
                axis += 1
            case .positions(let list):
                try needAxes(1)
                let dim = shape[axis]
                let contributions = try list.map { i -> Int in
                    let j = i < 0 ? i &+ dim : i
                    guard j >= 0 && j < dim else {
                        throw TensorError("index \(i) in the index list is out of range for axis \(axis) of size \(dim) (shape \(shapeString(shape)))")
                    }
                    return j * st[axis]
                }
                groups.append(Group(contributions: contributions, kept: true, isArray: true, isInteger: false))
                axis += 1
            case .mask(let mask, let maskShape):
                try needAxes(maskShape.count)
                let covered = Array(shape[axis ..< axis + maskShape.count])
                guard covered == maskShape, mask.count == Shape.count(maskShape) else {
                    let axes = maskShape.count == 1 ? "axis \(axis)" : "axes \(axis)…\(axis + maskShape.count - 1)"
                    throw TensorError("a boolean mask of shape \(shapeString(maskShape)) does not match \(axes) of the tensor of shape \(shapeString(shape)), which are \(shapeString(covered)); a mask must have the shape of the axes it selects from")
                }
                // The offset of each true element within the covered axes.
                let maskStrides = Shape.strides(maskShape)
                var contributions: [Int] = []
                for (flat, keep) in mask.enumerated() where keep {
                    var offset = 0, rest = flat
                    for d in 0..<maskShape.count {
                        offset += (rest / maskStrides[d]) * st[axis + d]
                        rest %= maskStrides[d]
                    }
                    contributions.append(offset)
                }
                groups.append(Group(contributions: contributions, kept: true, isArray: true, isInteger: false))
                axis += maskShape.count
            }
        }
        while axis < rank {  // the axes not named are whole
            groups.append(Group(contributions: (0..<shape[axis]).map { $0 * st[axis] }, kept: true, isArray: false, isInteger: false))
            axis += 1
        }
        let arrays = groups.indices.filter { groups[$0].isArray }
        guard arrays.count <= 1 else {
            throw TensorError("only one index list or mask per subscript: NumPy pairs several lists element by element, which mapl does not do; select one axis at a time, e.g. x[[0, 1]][:, [1, 2]] for a block")
        }
        // NumPy: with integers beside the list, the advanced indices (list and integers) must stand together
        // for the list's axis to stay in place; separated by a slice, it goes first.
        var order = groups.indices.filter { groups[$0].kept }
        if let a = arrays.first {
            let advanced = groups.indices.filter { groups[$0].isArray || groups[$0].isInteger }
            if let lo = advanced.first, let hi = advanced.last, hi - lo + 1 != advanced.count {
                order.removeAll { $0 == a }
                order.insert(a, at: 0)
            }
        }
        let resultShape = order.map { groups[$0].contributions.count }
        let total = try MemoryBudget.check(shape: resultShape)
        try MemoryBudget.check(count: total, elementSize: MemoryLayout<Int>.size, shape: resultShape, what: "the selection of a \(shapeString(resultShape)) index")
        let base = groups.filter { !$0.kept }.reduce(0) { $0 + $1.contributions[0] }
        var offsets = [Int](repeating: base, count: total)
        // Row-major over `order`: each group's contribution repeats over the axes after it.
        var inner = total
        for g in order {
            let c = groups[g].contributions
            guard !c.isEmpty else { break }
            inner /= c.count
            offsets.withUnsafeMutableBufferPointer { o in
                var i = 0
                while i < total {
                    for value in c {
                        for k in i ..< i + inner { o[k] += value }
                        i += inner
                    }
                }
            }
        }
        return (resultShape, offsets)
    }

    /// `x[items]` with an integer list or a mask: the selected elements, gathered.
    func advancedIndexed(_ items: [IndexItem]) throws -> Tensor {
        let (resultShape, offsets) = try selection(items)
        var out = Tensor(unchecked: resultShape, scalars.withUnsafeBufferPointer { x in offsets.map { x[$0] } })
        out.isMask = isMask
        return out
    }

    /// `x[items] = value` with an integer list or a mask, `value` broadcast to the selection's shape; a
    /// position listed twice keeps the later value, as NumPy.
    mutating func advancedAssign(_ items: [IndexItem], _ value: Tensor) throws {
        let (resultShape, offsets) = try selection(items)
        let source = try value.broadcast(toSelection: resultShape)
        source.scalars.withUnsafeBufferPointer { s in
            scalars.withUnsafeMutableBufferPointer { x in
                for (i, o) in offsets.enumerated() { x[o] = s[i] }
            }
        }
    }

    /// Adds `value` (of the selection's shape) into the selected elements: the backward of an advanced read.
    mutating func advancedScatterAdd(_ items: [IndexItem], _ value: Tensor) throws {
        let (_, offsets) = try selection(items)
        value.scalars.withUnsafeBufferPointer { s in
            scalars.withUnsafeMutableBufferPointer { x in
                for (i, o) in offsets.enumerated() { x[o] += s[i] }
            }
        }
    }
}
