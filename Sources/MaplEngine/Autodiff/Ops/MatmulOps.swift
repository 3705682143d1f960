/// The matrix product with NumPy `matmul` rules, on BLAS.
extension Variable {
    /// A @ B: the upstream gradient times the other operand, transposed, on the matching side.
    static let matmulOp = OpInfo("matmul", "∂L/∂A = g·Bᵀ, ∂L/∂B = Aᵀ·g", flow: { f in
        OpFlow(f.argument == 0 ? "upstream·\(f.operands[1])ᵀ" : "\(f.operands[0])ᵀ·upstream")
    })

    /// a @ b. 1-D operands are promoted (a row vector on the left, a column on the right) and the added axis
    /// removed from the result; leading axes broadcast.
    /// — ∂L/∂a = g·bᵀ, ∂L/∂b = aᵀ·g (summed over broadcast batch axes)
    public static func matmul(_ a: Variable, _ b: Variable) throws -> Variable {
        guard a.rank >= 1, b.rank >= 1 else {
            throw TensorError("matmul needs tensors of rank ≥ 1, got shapes \(shapeString(a.shape)) and \(shapeString(b.shape)); use * for scalars")
        }
        let k1 = a.shape[a.rank - 1], k2 = b.rank == 1 ? b.shape[0] : b.shape[b.rank - 2]
        guard k1 == k2 else {
            throw TensorError("shape \(shapeString(a.shape)) cannot be multiplied by \(shapeString(b.shape)): inner dimensions \(k1) and \(k2) differ")
        }
        if a.rank == 1 || b.rank == 1 { return try vectorMatmul(a, b) }
        let y = try Tensor.matmul(a.value, b.value)
        return record(matmulOp, [a, b], y) { g in
            var da: Tensor? = nil, db: Tensor? = nil
            if a.requiresGrad { da = try Tensor.matmul(g, b.value, transposeB: true).sum(toShape: a.shape) }
            if b.requiresGrad {
                if b.rank == 2 && a.rank > 2 {
                    // Fold the batch into rows: one GEMM instead of a loop and a sum.
                    let k = a.shape[a.rank - 1], n = b.shape[1]
                    db = try Tensor.matmul(a.value.reshaped([-1, k]), g.reshaped([-1, n]), transposeA: true)
                } else {
                    db = try Tensor.matmul(a.value, g, transposeA: true).sum(toShape: b.shape)
                }
            }
            return [da, db]
        }.differentiable { g, _ in
            [a.requiresGrad ? try sumTo(try matmul(g, try transpose(b, -2, -1)), a.shape) : nil,
             b.requiresGrad ? try sumTo(try matmul(try transpose(a, -2, -1), g), b.shape) : nil]
        }
    }

    /// a @ b with a 1-D operand, as one node (the stepper shows `W.T @ x` as one step): the vector is promoted
    /// (a row on the left, a column on the right), multiplied, and the added axis removed; the backward pass
    /// does the same with the upstream gradient.
    private static func vectorMatmul(_ a: Variable, _ b: Variable) throws -> Variable {
        let aShape = a.shape, bShape = b.shape
        let a2Shape = a.rank == 1 ? [1, aShape[0]] : aShape
        let b2Shape = b.rank == 1 ? [bShape[0], 1] : bShape
        let y2 = try Tensor.matmul(try a.value.reshaped(a2Shape), try b.value.reshaped(b2Shape))
        let y2Shape = y2.shape
        var shape = y2Shape
        if b.rank == 1 { shape.removeLast() }
        if a.rank == 1 { shape.remove(at: shape.count - (b.rank == 1 ? 1 : 2)) }
        return record(matmulOp, [a, b], try y2.reshaped(shape)) { g in
            let g2 = try g.reshaped(y2Shape)
            let da = a.requiresGrad
                ? try Tensor.matmul(g2, try b.value.reshaped(b2Shape), transposeB: true).sum(toShape: a2Shape).reshaped(aShape) : nil
            let db = b.requiresGrad
                ? try Tensor.matmul(try a.value.reshaped(a2Shape), g2, transposeA: true).sum(toShape: b2Shape).reshaped(bShape) : nil
            return [da, db]
        }.differentiable { g, _ in
            let g2 = try reshape(g, y2Shape), a2 = try reshape(a, a2Shape), b2 = try reshape(b, b2Shape)
            return [a.requiresGrad ? try reshape(try sumTo(try matmul(g2, try transpose(b2, -2, -1)), a2Shape), aShape) : nil,
                    b.requiresGrad ? try reshape(try sumTo(try matmul(try transpose(a2, -2, -1), g2), b2Shape), bShape) : nil]
        }
    }
}
