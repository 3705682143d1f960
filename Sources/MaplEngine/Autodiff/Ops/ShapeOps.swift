/// Operations that move elements without changing them: the gradient moves back the same way.
extension Variable {
    static let reshapeOp = OpInfo("reshape", "∂L/∂x = reshape(g, shape of x)", flow: { f in
        OpFlow("upstream reshaped to \(shapeString(f.input.shape))")
    })

    /// reshape — the gradient is reshaped back
    public static func reshape(_ x: Variable, _ shape: [Int]) throws -> Variable {
        let y = try x.value.reshaped(shape)
        if y.shape == x.shape { return x }
        return record(reshapeOp, [x], y) { g in
            [Tensor(unchecked: x.shape, g.scalars)]
        }.differentiable { g, _ in [try reshape(g, x.shape)] }
    }

    static let transposeOp = OpInfo("transpose", "∂L/∂x = transpose(g)", flow: { _ in OpFlow("upstreamᵀ") })

    /// transpose of two axes — the gradient is transposed back
    public static func transpose(_ x: Variable, _ a: Int = -2, _ b: Int = -1) throws -> Variable {
        if x.rank < 2 { return x }
        let y = try x.value.transposed(a, b)
        return record(transposeOp, [x], y) { g in [try g.transposed(a, b)] }
            .differentiable { g, _ in [try transpose(g, a, b)] }
    }

    static let permuteOp = OpInfo("permute", "∂L/∂x = permute(g, inverse)", flow: { _ in OpFlow("upstream with its axes put back (the inverse permutation)") })

    /// axes reordered by a permutation — the gradient goes through the inverse permutation
    public static func permute(_ x: Variable, _ permutation: [Int]) throws -> Variable {
        let y = try x.value.permuted(permutation)
        var inverse = [Int](repeating: 0, count: permutation.count)
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        return record(permuteOp, [x], y) { g in [try g.permuted(inverse)] }
            .differentiable { g, _ in [try permute(g, inverse)] }
    }

    static let indexOp = OpInfo("index", "∂L/∂x = g placed at the selected positions, 0 elsewhere", flow: { f in
        OpFlow("upstream placed at the selected positions of \(f.operand), 0 elsewhere")
    })

    /// x[items] — the gradient is scattered back into a zero tensor of x's shape
    public static func index(_ x: Variable, _ items: [IndexItem]) throws -> Variable {
        let y = try x.value.indexed(items)
        return record(indexOp, [x], y) { g in
            var out = Tensor(repeating: 0, shape: x.shape)
            try out.scatterAdd(items, g)
            return [out]
        }.differentiable { g, _ in
            [try linear(g, ("scatter", "index"), { g in
                var out = Tensor(repeating: 0, shape: x.shape)
                try out.scatterAdd(items, g)
                return out
            }, adjoint: { try $0.indexed(items) })]
        }
    }

    static let concatOp = OpInfo("concat", "∂L/∂partₖ = the k-th slice of g", flow: { f in
        OpFlow("the slice of upstream where \(f.operand) sits (part \(f.argument + 1) of \(f.inputs.count))")
    })

    /// concatenation along an axis — each part gets its slice of the gradient
    public static func concat(_ parts: [Variable], axis: Int = 0) throws -> Variable {
        let y = try Tensor.concat(parts.map(\.value), axis: axis)
        let a = try Shape.normalizeAxis(axis, rank: y.rank, shape: y.shape)
        // Part k's slice of the output along the axis (nil for a part that needs no gradient).
        var start = 0
        let slices: [[IndexItem]?] = parts.map { p in
            let n = p.shape[a]
            defer { start += n }
            guard p.requiresGrad else { return nil }
            var items = [IndexItem](repeating: .all, count: a + 1)
            items[a] = .slice(start: start, end: start + n, step: 1)
            return items
        }
        return record(concatOp, parts, y) { g in
            try slices.map { try $0.map { try g.indexed($0) } }
        }.differentiable { g, _ in
            try slices.map { try $0.map { try index(g, $0) } }
        }
    }

    /// stacking along a new axis — each part gets its slice of the gradient
    public static func stack(_ parts: [Variable], axis: Int = 0) throws -> Variable {
        guard let first = parts.first else { throw TensorError("stack needs at least one tensor") }
        let a = try Shape.normalizeAxis(axis, rank: first.rank + 1, shape: first.shape)
        var expanded = first.shape; expanded.insert(1, at: a)
        for p in parts where p.shape != first.shape {
            throw TensorError("stack needs equal shapes, got \(shapeString(first.shape)) and \(shapeString(p.shape))")
        }
        return try concat(parts.map { try reshape($0, expanded) }, axis: a)
    }

    static let gatherOp = OpInfo("gather", "∂L/∂table[i] = Σ of g over the positions that picked row i", flow: { f in
        OpFlow("each row of upstream added into the row of \(f.operand) it picked")
    })

    /// rows of a table picked by integer indices (embedding lookup) — the gradient is added back into the picked rows
    public static func gatherRows(_ table: Variable, _ indices: Tensor) throws -> Variable {
        let y = try Tensor.gatherRows(table.value, indices)
        return record(gatherOp, [table], y) { g in
            [try Tensor.scatterAddRows(g, indices, tableShape: table.shape)]
        }.differentiable { g, _ in
            [try linear(g, ("scatter_rows", "gather"), { try Tensor.scatterAddRows($0, indices, tableShape: table.shape) },
                        adjoint: { try Tensor.gatherRows($0, indices) })]
        }
    }

    static let pickOp = OpInfo("pick", "∂L/∂x[n, yₙ] = gₙ, 0 elsewhere", flow: { _ in OpFlow("upstreamₙ at row n's label, 0 elsewhere") })

    /// x[n, labels[n]] for each row n of `[N, C]` scores: the per-sample score of the true class — the
    /// gradient goes to those entries only. Cross-entropy and NLL are built on it.
    public static func pick(_ x: Variable, _ labels: Tensor) throws -> Variable {
        guard x.rank == 2, labels.count == x.shape[0] else {
            throw TensorError("expected scores [batch, classes] and one label per row, got \(shapeString(x.shape)) and labels \(shapeString(labels.shape))")
        }
        let (n, c) = (x.shape[0], x.shape[1])
        let idx = try Tensor.rowIndices(labels, rows: c)
        var out = [Float](repeating: 0, count: n)
        for r in 0..<n { out[r] = x.value.scalars[r * c + idx[r]] }
        return record(pickOp, [x], Tensor(unchecked: [n], out)) { g in
            var d = [Float](repeating: 0, count: n * c)
            for r in 0..<n { d[r * c + idx[r]] = g.scalars[r] }
            return [Tensor(unchecked: [n, c], d)]
        }.differentiable { g, _ in
            [try linear(g, ("place", "pick"), { g in
                var d = [Float](repeating: 0, count: n * c)
                for r in 0..<n { d[r * c + idx[r]] = g.scalars[r] }
                return Tensor(unchecked: [n, c], d)
            }, adjoint: { t in Tensor(unchecked: [n], (0..<n).map { t.scalars[$0 * c + idx[$0]] }) })]
        }
    }
}
