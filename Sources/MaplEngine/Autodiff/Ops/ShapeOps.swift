/// Operations that move elements without changing them: the gradient moves back the same way.
extension Variable {
    /// reshape — the gradient is reshaped back
    public static func reshape(_ x: Variable, _ shape: [Int]) throws -> Variable {
        let y = try x.value.reshaped(shape)
        if y.shape == x.shape { return x }
        return record(OpInfo("reshape", "∂L/∂x = reshape(g, shape of x)"), [x], y) { g in
            [Tensor(unchecked: x.shape, g.scalars)]
        }.differentiable { g, _ in [try reshape(g, x.shape)] }
    }

    /// transpose of two axes — the gradient is transposed back
    public static func transpose(_ x: Variable, _ a: Int = -2, _ b: Int = -1) throws -> Variable {
        if x.rank < 2 { return x }
        let y = try x.value.transposed(a, b)
        return record(OpInfo("transpose", "∂L/∂x = transpose(g)"), [x], y) { g in [try g.transposed(a, b)] }
            .differentiable { g, _ in [try transpose(g, a, b)] }
    }

    /// axes reordered by a permutation — the gradient goes through the inverse permutation
    public static func permute(_ x: Variable, _ permutation: [Int]) throws -> Variable {
        let y = try x.value.permuted(permutation)
        var inverse = [Int](repeating: 0, count: permutation.count)
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        return record(OpInfo("permute", "∂L/∂x = permute(g, inverse)"), [x], y) { g in [try g.permuted(inverse)] }
            .differentiable { g, _ in [try permute(g, inverse)] }
    }

    /// x[items] — the gradient is scattered back into a zero tensor of x's shape
    public static func index(_ x: Variable, _ items: [IndexItem]) throws -> Variable {
        let y = try x.value.indexed(items)
        return record(OpInfo("index", "∂L/∂x = g placed at the selected positions, 0 elsewhere"), [x], y) { g in
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
        return record(OpInfo("concat", "∂L/∂partₖ = the k-th slice of g"), parts, y) { g in
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

    /// rows of a table picked by integer indices (embedding lookup) — the gradient is added back into the picked rows
    public static func gatherRows(_ table: Variable, _ indices: Tensor) throws -> Variable {
        let y = try Tensor.gatherRows(table.value, indices)
        return record(OpInfo("gather", "∂L/∂table[i] = Σ of g over the positions that picked row i"), [table], y) { g in
            [try Tensor.scatterAddRows(g, indices, tableShape: table.shape)]
        }.differentiable { g, _ in
            [try linear(g, ("scatter_rows", "gather"), { try Tensor.scatterAddRows($0, indices, tableShape: table.shape) },
                        adjoint: { try Tensor.gatherRows($0, indices) })]
        }
    }

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
        return record(OpInfo("pick", "∂L/∂x[n, yₙ] = gₙ, 0 elsewhere"), [x], Tensor(unchecked: [n], out)) { g in
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
