import CBLAS
import CKernels

/// The LSTM over a whole sequence as one recorded op (what `lstm(in, hidden)` records).
///
/// Written out, an LSTM step is some thirty small ops — a product, four gate slices, four nonlinearities,
/// the cell update — each a node with its own tensors, so a 32-step sequence was a thousand nodes and most
/// of its time went to slicing, allocating and the scalar exp/tanh calls. Here the input products of all
/// steps are one GEMM, each step one GEMM (h_{t−1}·W_hh) and one pass over its gates (LSTMCell.c: the
/// nonlinearities with vectorised exp and tanh, the cell update), into buffers made once per sequence.
/// The batch runs as blocks of rows side by side, and each block keeps its states time-major, so every
/// product reads contiguous rows (LSTMStates, LSTMGradientShares).
extension Variable {
    /// The LSTM of PyTorch's `nn.LSTM` (one layer, b = b_ih + b_hh) on `x` `[batch, time, in]`, with
    /// `W_ih` `[in, 4·hidden]`, `W_hh` `[hidden, 4·hidden]`, `b` `[4·hidden]`, gates in the order i, f, g, o;
    /// h_0 = c_0 = 0. Returns every step's hidden state, `[batch, time, hidden]`:
    ///
    ///     z_t = x_t·W_ih + b + h_{t−1}·W_hh
    ///     i, f, g, o = σ(z_i), σ(z_f), tanh(z_g), σ(z_o)
    ///     c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
    ///
    /// — backward through time, from the last step to the first, with dh_t = g_t + dz_{t+1}·W_hhᵀ:
    ///   dc_t = dh_t ⊙ o ⊙ (1 − tanh² c_t) + dc_{t+1} ⊙ f_{t+1}
    ///   dz_t = [dc_t ⊙ g ⊙ i(1−i),  dc_t ⊙ c_{t−1} ⊙ f(1−f),  dc_t ⊙ i ⊙ (1−g²),  dh_t ⊙ tanh c_t ⊙ o(1−o)]
    ///   ∂L/∂W_ih = Σ_t x_tᵀ·dz_t,  ∂L/∂W_hh = Σ_t h_{t−1}ᵀ·dz_t,  ∂L/∂b = Σ_t Σ_rows dz_t,  ∂L/∂x_t = dz_t·W_ihᵀ
    public static func lstm(_ x: Variable, _ wih: Variable, _ whh: Variable, _ b: Variable) throws -> Variable {
        let n = whh.rank == 2 ? whh.shape[0] : 0
        guard whh.rank == 2, n > 0, whh.shape[1] == 4 * n else {
            throw TensorError("lstm: W_hh must be [hidden, 4·hidden], got \(shapeString(whh.shape))")
        }
        guard x.rank == 3 else { throw TensorError("lstm expects sequences [batch, time, features], got shape \(shapeString(x.shape))") }
        let (batch, time, features) = (x.shape[0], x.shape[1], x.shape[2])
        guard wih.shape == [features, 4 * n], b.shape == [4 * n] else {
            throw TensorError("lstm: for \(features) input features and hidden \(n), W_ih must be [\(features), \(4 * n)] and b [\(4 * n)]; got \(shapeString(wih.shape)) and \(shapeString(b.shape))")
        }
        // What the sequence keeps for its backward: gates and the input products (4·hidden each), c, tanh c, h.
        try MemoryBudget.check(count: try Shape.checkedCount([time, batch, 11, n]), what: "the LSTM's states over \(time) steps")
        let rows = time * batch, width = 4 * n
        guard rows > 0 else {  // an empty batch, or no steps: an empty result, and zero gradients
            return record(lstmOp, [x, wih, whh, b], Tensor(repeating: 0, shape: [batch, time, n])) { _ in
                [x, wih, whh, b].map { $0.requiresGrad ? Tensor(repeating: 0, shape: $0.shape) : nil }
            }
        }

        // The batch's rows run through time independently: `parts` fixed row blocks (by the shape alone, so
        // the bits never depend on the thread count), each its whole recurrence on one thread.
        let parts = recurrenceParts(batch: batch, work: rows * width * n)
        let blocks = (0..<parts).map { part in
            let first = Parallel.boundary(part, parts, batch, 1)
            return LSTMBlock(first: first, count: Parallel.boundary(part + 1, parts, batch, 1) - first)
        }
        let states = LSTMStates(time: time, hidden: n, blocks: blocks)
        let value = Tensor(uninitializedShape: [batch, time, n]) { y in
            x.value.scalars.withUnsafeBufferPointer { px in
                wih.value.scalars.withUnsafeBufferPointer { pwih in
                    b.value.scalars.withUnsafeBufferPointer { pb in
                        whh.value.scalars.withUnsafeBufferPointer { pw in
                            WorkerPool.shared.run(parts: parts) { part in
                                let block = blocks[part], (first, count) = (block.first, block.count)
                                // The block's input products for all its steps in one GEMM: its rows of x, (b, t) in
                                // order, are contiguous; zx(b, t) = x[b, t]·W_ih (the cell loop adds b).
                                let zx = UnsafeMutablePointer<Float>.allocate(capacity: count * time * width)
                                defer { zx.deallocate() }
                                product(px.baseAddress! + first * time * features, pwih.baseAddress!, zx, m: count * time, n: width, k: features)
                                for t in 0..<time {
                                    let gates = states.gates(block, t)
                                    if t > 0 {  // h_{t−1}·W_hh into this step's gates (step 0's are zeros)
                                        product(states.hidden(block, t - 1), pw.baseAddress!, gates, m: count, n: width, k: n)
                                    }
                                    mapl_lstm_cell_forward(zx + t * width, time * width, pb.baseAddress!, gates,
                                                           states.cell(block, t - 1), states.cell(block, t),
                                                           states.tanhCell(block, t), states.hidden(block, t),
                                                           y.baseAddress! + first * time * n + t * n, time * n, count, n)
                                }
                            }
                        }
                    }
                }
            }
        }
        return record(lstmOp, [x, wih, whh, b], value) { g in
            // ∂L/∂z for every step, laid out as the gates (block by block, time-major within a block); every
            // step's is written by the cell loop.
            var dz = [Float](unsafeUninitializedCapacity: rows * width) { _, initialised in initialised = rows * width }
            // W_hhᵀ laid out once, so each step's dz_t·W_hhᵀ is a plain product (BLAS's small-matrix kernel, no packing).
            let whhT = try whh.value.transposed()
            let shares = LSTMGradientShares(parts: parts, hidden: n, features: features, batch: batch, time: time,
                                            wanted: (x.requiresGrad, wih.requiresGrad, whh.requiresGrad, b.requiresGrad))
            g.scalars.withUnsafeBufferPointer { pg in
                whhT.scalars.withUnsafeBufferPointer { pw in
                    x.value.scalars.withUnsafeBufferPointer { px in
                        wih.value.scalars.withUnsafeBufferPointer { pwih in
                            dz.withUnsafeMutableBufferPointer { pdz in
                                /// Block `part`'s shares of the gradients, from its dz (see LSTMGradientShares).
                                func takeShares(_ part: Int, concurrent: Int) {
                                    shares.take(part, blocks[part], states, dz: pdz.baseAddress! + states.gateOffset(blocks[part], 0),
                                                x: px.baseAddress!, wih: pwih.baseAddress!, concurrent: concurrent)
                                }
                                WorkerPool.shared.run(parts: parts) { part in
                                    let block = blocks[part], (first, count) = (block.first, block.count)
                                    // ∂L/∂c and ∂L/∂h carried back from the step after (zero after the last step)
                                    var dc = [Float](repeating: 0, count: count * n), dhNext = dc
                                    for t in stride(from: time - 1, through: 0, by: -1) {
                                        let dzt = pdz.baseAddress! + states.gateOffset(block, t)
                                        mapl_lstm_cell_backward(states.gates(block, t), states.cell(block, t - 1),
                                                                states.tanhCell(block, t), pg.baseAddress! + first * time * n + t * n,
                                                                time * n, dhNext, &dc, dzt, count, n)
                                        shares.addBias(part, dzt, rows: count)
                                        if t > 0 {  // dh_{t−1} from this step's gates: dz_t·W_hhᵀ
                                            product(dzt, pw.baseAddress!, &dhNext, m: count, n: n, k: width)
                                        }
                                    }
                                    // With several blocks, each takes its shares on its own thread while its dz is in cache.
                                    if parts > 1 { takeShares(part, concurrent: 1) }
                                }
                                if parts == 1 { takeShares(0, concurrent: Int.max) }   // one block: its products on every thread
                            }
                        }
                    }
                }
            }
            return shares.gradients(x: x.shape, wih: wih.shape, whh: whh.shape)
        }.differentiable { g, node in
            // For a gradient differentiated again: the same LSTM written out in recorded ops, differentiated
            // with their rules (slow, and only `grad` of `grad` uses it).
            let y = try lstmUnfused(node.inputs[0], node.inputs[1], node.inputs[2], node.inputs[3])
            let s = try sum(y * g)
            return try node.inputs.map { $0.requiresGrad ? try gradient(of: s, withRespectTo: $0) : nil }
        }
    }

    /// `C = A·B` (`[m, k]·[k, n]`, all contiguous) on the calling thread, straight to BLAS with β = 0: for a
    /// step's products OpenBLAS's small-matrix kernel then stores C without reading it, and for a block's
    /// input products (k = the input features, often 1) its own clearing of C costs half of `Tensor.gemm`'s
    /// `memset` and β = 1 (the two clearing passes were 3 % of an LSTM step).
    private static func product(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int) {
        guard k > 0 else { c.update(repeating: 0, count: m * n); return }   // no input features: BLAS would refuse lda = 0
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(n), 0, c, Int32(n))
    }

    /// How many row blocks of the batch run their recurrences side by side: one per 32 rows (smaller blocks
    /// make the per-step products too thin), at most 8, and one when the whole is under 2²¹ multiply-adds.
    private static func recurrenceParts(batch: Int, work: Int) -> Int {
        work < 1 << 21 ? 1 : Swift.max(1, Swift.min(8, batch / 32))
    }

    static let lstmOp = OpInfo("lstm", "c_t = f⊙c_{t−1} + i⊙g, h_t = o⊙tanh c_t: back through time, dc_t = dh_t⊙o⊙(1−tanh²c_t) + dc_{t+1}⊙f_{t+1}, "
        + "dz_t = [dc⊙g⊙i(1−i), dc⊙c_{t−1}⊙f(1−f), dc⊙i⊙(1−g²), dh⊙tanh c⊙o(1−o)], ∂W_ih = Σ xᵀdz, ∂W_hh = Σ h_{t−1}ᵀdz, ∂b = Σ dz, ∂x = dz·W_ihᵀ", flow: { f in
        // Operands: x, W_ih, W_hh, b; dz_t are the four gates' gradients, found back through time.
        switch f.argument {
        case 0: return OpFlow("dz_t·\(f.operands[1])ᵀ at each step t")
        case 1: return OpFlow("Σ_t x_tᵀ·dz_t")
        case 2: return OpFlow("Σ_t h_{t−1}ᵀ·dz_t")
        default: return OpFlow("Σ_t Σ_batch dz_t")
        }
    })

    /// The same LSTM as thirty-odd recorded ops per step (product, gate slices, σ and tanh, the cell update):
    /// what `lstm`'s higher-order rule differentiates, and a second way to compute it.
    static func lstmUnfused(_ x: Variable, _ wih: Variable, _ whh: Variable, _ b: Variable) throws -> Variable {
        let (time, n) = (x.shape[1], whh.shape[0])
        func gate(_ z: Variable, _ k: Int) throws -> Variable {
            try index(z, [.all, .slice(start: k * n, end: (k + 1) * n, step: 1)])
        }
        var h: Variable? = nil, c: Variable? = nil
        var outputs: [Variable] = []
        for t in 0..<time {
            var z = try matmul(try index(x, [.all, .at(t), .all]), wih) + b
            if let h { z = try z + matmul(h, whh) }
            let i = sigmoid(try gate(z, 0)), f = sigmoid(try gate(z, 1)), g = tanh(try gate(z, 2)), o = sigmoid(try gate(z, 3))
            let ig = try i * g
            let cell = try c.map { try f * $0 + ig } ?? ig
            let next = try o * tanh(cell)
            outputs.append(next)
            (h, c) = (next, cell)
        }
        return try stack(outputs, axis: 1)
    }
}

/// A block of the batch's rows, which runs its recurrence on one thread.
private struct LSTMBlock {
    let first: Int, count: Int
}

/// What an `lstm` node keeps from its forward pass for its backward: the activated gates, the cells, their
/// tanh and the hidden states, block by block and time-major within a block (`[block][time][row]`), so a
/// block's steps are contiguous for the product that sums over them. Allocated once per sequence and freed
/// with the node's backward rule.
private final class LSTMStates {
    private let gates0: UnsafeMutablePointer<Float>, tanhCells: UnsafeMutablePointer<Float>, hiddens: UnsafeMutablePointer<Float>
    /// Each block's c_{−1} = 0 in front of its c_0…c_{T−1}, so every step finds its previous cell the same way.
    private let cells: UnsafeMutablePointer<Float>
    private let time: Int, n: Int, batch: Int, blocks: [LSTMBlock]

    init(time: Int, hidden n: Int, blocks: [LSTMBlock]) {
        let batch = blocks.last.map { $0.first + $0.count } ?? 0, rows = time * batch
        (self.time, self.n, self.batch, self.blocks) = (time, n, batch, blocks)
        gates0 = .allocate(capacity: rows * 4 * n)
        cells = .allocate(capacity: rows * n + batch * n)
        tanhCells = .allocate(capacity: rows * n)
        hiddens = .allocate(capacity: rows * n)
        for block in blocks {
            gates(block, 0).initialize(repeating: 0, count: block.count * 4 * n)   // step 0's h_{−1}·W_hh
            cell(block, -1).initialize(repeating: 0, count: block.count * n)
        }
    }

    /// Where step t of `block` starts among values of `perRow` floats a row.
    private func offset(_ block: LSTMBlock, _ t: Int, _ perRow: Int) -> Int { (block.first * time + t * block.count) * perRow }
    func gateOffset(_ block: LSTMBlock, _ t: Int) -> Int { offset(block, t, 4 * n) }
    func gates(_ block: LSTMBlock, _ t: Int) -> UnsafeMutablePointer<Float> { gates0 + gateOffset(block, t) }
    func tanhCell(_ block: LSTMBlock, _ t: Int) -> UnsafeMutablePointer<Float> { tanhCells + offset(block, t, n) }
    func hidden(_ block: LSTMBlock, _ t: Int) -> UnsafeMutablePointer<Float> { hiddens + offset(block, t, n) }
    /// c_t for t ≥ −1.
    func cell(_ block: LSTMBlock, _ t: Int) -> UnsafeMutablePointer<Float> { cells + (block.first * (time + 1) + (t + 1) * block.count) * n }

    /// `block`'s rows of `x` `[batch, time, f]` into `out` in the states' order (`[time][row]`, f each).
    func gather(_ x: UnsafePointer<Float>, _ block: LSTMBlock, features f: Int, into out: UnsafeMutablePointer<Float>) {
        for t in 0..<time {
            for r in 0..<block.count { (out + (t * block.count + r) * f).update(from: x + ((block.first + r) * time + t) * f, count: f) }
        }
    }

    /// The inverse of `gather`: `block`'s rows in the states' order back to their places in `[batch, time, f]`.
    func scatter(_ rows: UnsafePointer<Float>, _ block: LSTMBlock, features f: Int, into out: UnsafeMutablePointer<Float>) {
        for t in 0..<time {
            for r in 0..<block.count { (out + ((block.first + r) * time + t) * f).update(from: rows + (t * block.count + r) * f, count: f) }
        }
    }

    deinit {
        for p in [gates0, cells, tanhCells, hiddens] { p.deallocate() }
    }
}

/// The LSTM's gradients gathered block by block: each block of rows computes its shares of ∂L/∂W_hh
/// (Σ_t h_{t−1}ᵀ·dz_t over its steps: h at 0…T−2 against dz at 1…T−1, both contiguous in the block's
/// layout, one product), ∂L/∂W_ih (its rows of x gathered into the same order, one product), ∂L/∂b (its
/// steps' rows of dz added in double as they are made) and its own rows of ∂L/∂x (dz·W_ihᵀ, scattered back);
/// then the shares are added in block order. The blocks are fixed by the shape, so the bits do not depend on
/// the thread count.
private final class LSTMGradientShares {
    private let parts: Int, n: Int, width: Int, features: Int, batch: Int, time: Int
    private let wanted: (x: Bool, wih: Bool, whh: Bool, b: Bool)
    private let whhShares: UnsafeMutablePointer<Float>, wihShares: UnsafeMutablePointer<Float>
    private let biasShares: UnsafeMutablePointer<Double>, dx: UnsafeMutablePointer<Float>

    init(parts: Int, hidden n: Int, features: Int, batch: Int, time: Int, wanted: (x: Bool, wih: Bool, whh: Bool, b: Bool)) {
        (self.parts, self.n, self.width, self.features, self.batch, self.time, self.wanted) = (parts, n, 4 * n, features, batch, time, wanted)
        whhShares = .allocate(capacity: wanted.whh ? parts * n * 4 * n : 0)
        wihShares = .allocate(capacity: wanted.wih ? parts * features * 4 * n : 0)
        biasShares = .allocate(capacity: wanted.b ? parts * 4 * n : 0)
        biasShares.initialize(repeating: 0, count: wanted.b ? parts * 4 * n : 0)
        dx = .allocate(capacity: wanted.x ? batch * time * features : 0)
    }

    deinit {
        whhShares.deallocate(); wihShares.deallocate(); biasShares.deallocate(); dx.deallocate()
    }

    /// Adds one step's `rows` rows of dz into block `part`'s bias share.
    func addBias(_ part: Int, _ dzt: UnsafePointer<Float>, rows: Int) {
        if wanted.b { mapl_accumulate_rows(biasShares + part * width, dzt, rows, width, width) }
    }

    /// Block `part`'s shares of ∂L/∂W_hh and ∂L/∂W_ih and its rows of ∂L/∂x, from its dz (`[time][row]`, from
    /// step 0), with products on at most `concurrent` threads.
    func take(_ part: Int, _ block: LSTMBlock, _ states: LSTMStates, dz: UnsafePointer<Float>, x: UnsafePointer<Float>,
              wih: UnsafePointer<Float>, concurrent: Int) {
        let rows = time * block.count
        if wanted.whh {   // k = 0 with one step: zeros
            Tensor.gemm(states.hidden(block, 0), dz + block.count * width, whhShares + part * n * width, m: n, n: width,
                        k: (time - 1) * block.count, transposeA: true, transposeB: false, concurrent: concurrent)
        }
        if wanted.wih {
            let xRows = UnsafeMutablePointer<Float>.allocate(capacity: rows * features)
            defer { xRows.deallocate() }
            states.gather(x, block, features: features, into: xRows)
            Tensor.gemm(xRows, dz, wihShares + part * features * width, m: features, n: width, k: rows,
                        transposeA: true, transposeB: false, concurrent: concurrent)
        }
        if wanted.x {
            let dxRows = UnsafeMutablePointer<Float>.allocate(capacity: rows * features)
            defer { dxRows.deallocate() }
            Tensor.gemm(dz, wih, dxRows, m: rows, n: features, k: width, transposeA: false, transposeB: true, concurrent: concurrent)
            states.scatter(dxRows, block, features: features, into: dx)
        }
    }

    /// ∂L/∂x, ∂L/∂W_ih, ∂L/∂W_hh, ∂L/∂b (nil where not wanted): the blocks' shares added in block order.
    func gradients(x: [Int], wih: [Int], whh: [Int]) -> [Tensor?] {
        /// Σ over blocks of `count`-float shares.
        func added(_ shares: UnsafeMutablePointer<Float>, _ count: Int, _ shape: [Int]) -> Tensor {
            Tensor(uninitializedShape: shape) { out in
                guard count > 0, let o = out.baseAddress else { return }   // no input features: an empty W_ih
                o.update(from: shares, count: count)
                for part in 1..<parts {
                    let share = shares + part * count
                    for i in 0..<count { o[i] += share[i] }
                }
            }
        }
        return [wanted.x ? Tensor(uninitializedShape: x) { $0.baseAddress?.update(from: dx, count: batch * time * features) } : nil,
                wanted.wih ? added(wihShares, features * width, wih) : nil,
                wanted.whh ? added(whhShares, n * width, whh) : nil,
                wanted.b ? Tensor((0..<width).map { j in Float((0..<parts).reduce(0.0) { $0 + biasShares[$1 * width + j] }) }) : nil]
    }
}
