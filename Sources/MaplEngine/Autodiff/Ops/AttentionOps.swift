import CBLAS
import CKernels

/// Multi-head scaled dot-product attention as one recorded op (what `attention(d, heads)` records between
/// its input and output projections).
///
/// Written out it was a dozen ops: each of Q, K, V reshaped and permuted to `[batch, heads, seq, dh]` (a
/// copy each), K transposed, the batched product, the scale, the mask, softmax, the second product and the
/// permute back — and their backward passes copying as much again. Here each head is read where it lies:
/// head h of batch b is the `[seq, dh]` block of columns h·dh… of `[batch, seq, d]`, which BLAS reads and
/// writes through a leading dimension of d, so no layout copy of the whole is ever made (only a head's K and
/// V are laid out transposed, in a thread's scratch, for the two products that need them). The softmax is
/// one vectorised pass per row (CKernels/AttentionRows.c), and its probabilities are all the backward keeps.
extension Variable {
    /// softmax(Q·Kᵀ/√dh)·V for each of `heads` heads of `q`, `k`, `v` `[batch, seq, d]` (dh = d / heads;
    /// with `causal`, position i attends to j ≤ i), the heads' results side by side in `[batch, seq, d]`:
    ///
    ///     S = Q·Kᵀ/√dh,  P = softmax(S) row by row,  Y = P·V          (per batch and head)
    ///
    /// — with G = ∂L/∂Y:  ∂L/∂V = Pᵀ·G,  ∂L/∂P = G·Vᵀ,  ∂L/∂S = P ⊙ (∂L/∂P − Σ_row P⊙∂L/∂P),
    ///   ∂L/∂Q = ∂L/∂S·K/√dh,  ∂L/∂K = (∂L/∂S)ᵀ·Q/√dh
    public static func attention(_ q: Variable, _ k: Variable, _ v: Variable, heads: Int, causal: Bool) throws -> Variable {
        guard q.rank == 3, k.shape == q.shape, v.shape == q.shape else {
            throw TensorError("attention: queries, keys and values must be [batch, seq, d] alike, got \(shapeString(q.shape)), \(shapeString(k.shape)) and \(shapeString(v.shape))")
        }
        let (batch, seq, d) = (q.shape[0], q.shape[1], q.shape[2])
        guard heads > 0, d % heads == 0 else { throw TensorError("attention: d = \(d) is not divisible by heads = \(heads)") }
        let dh = d / heads, pairs = batch * heads, scale = 1 / Float(dh).squareRoot()
        guard pairs > 0, seq > 0, dh > 0 else {  // nothing to attend over: an empty result, zero gradients
            return record(attentionOp, [q, k, v], Tensor(repeating: 0, shape: q.shape)) { _ in
                [q, k, v].map { $0.requiresGrad ? Tensor(repeating: 0, shape: $0.shape) : nil }
            }
        }
        guard seq <= Int(Int32.max), d <= Int(Int32.max) else { throw TensorError("attention: a sequence of \(seq) is beyond BLAS's 32-bit sizes") }
        try MemoryBudget.check(count: try Shape.checkedCount([batch, heads, seq, seq]), what: "attention's [\(batch), \(heads), \(seq), \(seq)] weights")
        let (n32, ld, dh32) = (Int32(seq), Int32(d), Int32(dh))  // sizes as BLAS takes them; ld: a head's rows are d apart
        /// Where head h of batch b starts in a `[batch, seq, d]` tensor.
        func head(_ pair: Int) -> Int { (pair / heads) * seq * d + (pair % heads) * dh }

        // P for every batch and head, [batch, heads, seq, seq]: what the backward pass needs.
        var probabilities = [Float](unsafeUninitializedCapacity: pairs * seq * seq) { _, n in n = pairs * seq * seq }
        let value = try Tensor(uninitializedShape: q.shape) { y in
            try q.value.scalars.withUnsafeBufferPointer { pq in
                try k.value.scalars.withUnsafeBufferPointer { pk in
                    try v.value.scalars.withUnsafeBufferPointer { pv in
                        try probabilities.withUnsafeMutableBufferPointer { pp in
                            try forEachPair(pairs, seq: seq, dh: dh, scratch: seq * dh) { pair, kt in
                                let p = pp.baseAddress! + pair * seq * seq, at = head(pair)
                                mapl_attention_transpose_head(pk.baseAddress! + at, d, kt, seq, dh)
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n32, n32, dh32, 1,
                                            pq.baseAddress! + at, ld, kt, n32, 0, p, n32)   // Q·Kᵀ
                                mapl_attention_softmax(p, seq, seq, causal ? 1 : 0, scale)
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n32, dh32, n32, 1,
                                            p, n32, pv.baseAddress! + at, ld, 0, y.baseAddress! + at, ld)   // P·V
                            }
                        }
                    }
                }
            }
        }
        return record(attentionOp, [q, k, v], value) { g in
            // Every element is written by a product (β = 0: BLAS stores without reading), head by head.
            func unwritten() -> [Float] { [Float](unsafeUninitializedCapacity: q.value.count) { _, n in n = q.value.count } }
            var (dq, dk, dv) = (unwritten(), unwritten(), unwritten())
            try g.scalars.withUnsafeBufferPointer { pg in
                try q.value.scalars.withUnsafeBufferPointer { pq in
                    try k.value.scalars.withUnsafeBufferPointer { pk in
                        try v.value.scalars.withUnsafeBufferPointer { pv in
                            try probabilities.withUnsafeBufferPointer { pp in
                                try dq.withUnsafeMutableBufferPointer { pdq in
                                    try dk.withUnsafeMutableBufferPointer { pdk in
                                        try dv.withUnsafeMutableBufferPointer { pdv in
                                            try forEachPair(pairs, seq: seq, dh: dh, scratch: seq * seq + seq * dh) { pair, scratch in
                                                let p = pp.baseAddress! + pair * seq * seq, at = head(pair), g0 = pg.baseAddress! + at
                                                let d0 = scratch, vt = scratch + seq * seq   // ∂L/∂P, then ∂L/∂S; Vᵀ
                                                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n32, dh32, n32, 1,
                                                            p, n32, g0, ld, 0, pdv.baseAddress! + at, ld)                  // ∂V = Pᵀ·G
                                                mapl_attention_transpose_head(pv.baseAddress! + at, d, vt, seq, dh)
                                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n32, n32, dh32, 1,
                                                            g0, ld, vt, n32, 0, d0, n32)                                    // ∂P = G·Vᵀ
                                                mapl_attention_softmax_backward(p, d0, seq, seq, scale)             // ∂S (with 1/√dh)
                                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n32, dh32, n32, 1,
                                                            d0, n32, pk.baseAddress! + at, ld, 0, pdq.baseAddress! + at, ld)   // ∂Q = ∂S·K
                                                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n32, dh32, n32, 1,
                                                            d0, n32, pq.baseAddress! + at, ld, 0, pdk.baseAddress! + at, ld)   // ∂K = ∂Sᵀ·Q
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return [q.requiresGrad ? Tensor(unchecked: q.shape, dq) : nil, k.requiresGrad ? Tensor(unchecked: k.shape, dk) : nil,
                    v.requiresGrad ? Tensor(unchecked: v.shape, dv) : nil]
        }.differentiable { g, node in
            // For a gradient differentiated again: the same attention written out in recorded ops.
            let y = try attentionUnfused(node.inputs[0], node.inputs[1], node.inputs[2], heads: heads, causal: causal)
            let s = try sum(y * g)
            return try node.inputs.map { $0.requiresGrad ? try gradient(of: s, withRespectTo: $0) : nil }
        }
    }

    /// Runs `body(pair, scratch)` for every (batch, head) pair, spread over the worker pool: pairs are
    /// independent and each writes only its own blocks, and each is the same BLAS calls wherever it runs, so
    /// the result is the same bits on any number of threads. `scratch` points at `scratch` floats of the
    /// thread's own. Pairs go in chunks of about 2²² multiply-adds, with an interrupt check before each
    /// chunk (on the calling thread, so a replay counts the same checks).
    private static func forEachPair(_ pairs: Int, seq: Int, dh: Int, scratch: Int,
                                    _ body: (Int, UnsafeMutablePointer<Float>) -> Void) throws {
        let perPair = seq * seq * dh
        let chunk = Swift.max(1, (1 << 22) / Swift.max(perPair, 1))
        try MemoryBudget.check(count: Swift.min(Parallel.threads, pairs) * scratch, what: "attention's per-thread scores")
        var start = 0
        while start < pairs {
            try Interrupted.check()
            let count = Swift.min(chunk, pairs - start), first = start
            Parallel.ranges(count, work: count * perPair, minimumWork: 1 << 18) { range in
                let buffer = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(scratch, 1))
                defer { buffer.deallocate() }
                for pair in range { body(first + pair, buffer) }
            }
            start += count
        }
    }

    static let attentionOp = OpInfo("attention", "S = Q·Kᵀ/√dh, P = softmax(S), Y = P·V per head: ∂V = Pᵀ·G, ∂P = G·Vᵀ, "
        + "∂S = P⊙(∂P − Σ_row P⊙∂P), ∂Q = ∂S·K/√dh, ∂K = ∂Sᵀ·Q/√dh", flow: { f in
        // Operands: Q, K, V; per head, ∂S = P⊙(∂P − Σ_row P⊙∂P) with ∂P = upstream·Vᵀ.
        switch f.argument {
        case 0: return OpFlow("∂S·\(f.operands[1])/√dh")
        case 1: return OpFlow("∂Sᵀ·\(f.operands[0])/√dh")
        default: return OpFlow("Pᵀ·upstream")
        }
    })

    /// The same attention as recorded ops (heads split by reshape and permute, batched products, softmax):
    /// what `attention`'s higher-order rule differentiates, and a second way to compute it.
    static func attentionUnfused(_ q: Variable, _ k: Variable, _ v: Variable, heads: Int, causal: Bool) throws -> Variable {
        let (batch, seq, d) = (q.shape[0], q.shape[1], q.shape[2])
        let dh = d / heads
        func split(_ t: Variable) throws -> Variable { try permute(try reshape(t, [batch, seq, heads, dh]), [0, 2, 1, 3]) }
        var scores = try matmul(try split(q), try transpose(try split(k), -2, -1)) * Variable(Tensor(1 / Float(dh).squareRoot()))
        if causal {
            var mask = try Tensor.zeros([seq, seq])
            for i in 0..<seq { for j in (i + 1)..<Swift.max(seq, i + 1) { mask.scalars[i * seq + j] = -Float.infinity } }
            scores = try scores + Variable(mask)
        }
        let context = try matmul(try softmax(scores, axis: -1), try split(v))
        return try reshape(try permute(context, [0, 2, 1, 3]), [batch, seq, d])
    }
}
