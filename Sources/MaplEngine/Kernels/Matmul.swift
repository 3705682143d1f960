import Synchronization
import CBLAS
import Foundation

/// Matrix products on OpenBLAS's `cblas_sgemm`. Transposes are passed to BLAS as flags, never copied.
extension Tensor {
    /// The batched product of two tensors of rank ≥ 2 under NumPy `matmul` rules: the last two axes are the
    /// matrices, leading axes broadcast. `transposeA`/`transposeB` use the transpose of that operand's matrices.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) throws -> Tensor {
        guard a.rank >= 2, b.rank >= 2 else {
            throw TensorError("matmul kernel needs matrices, got shapes \(shapeString(a.shape)) and \(shapeString(b.shape))")
        }
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transposeA ? (ac, ar) : (ar, ac)
        let (k2, n) = transposeB ? (bc, br) : (br, bc)
        guard k == k2 else {
            func show(_ s: [Int], _ t: Bool) -> String { shapeString(s) + (t ? "ᵀ" : "") }
            throw TensorError("shape \(show(a.shape, transposeA)) cannot be multiplied by \(show(b.shape, transposeB)): inner dimensions \(k) and \(k2) differ")
        }
        // BLAS takes 32-bit sizes: a larger one would trap converting to Int32.
        let blasLimit = Int(Int32.max)
        guard m <= blasLimit, n <= blasLimit, k <= blasLimit else {
            throw TensorError("shape \(shapeString(a.shape)) cannot be multiplied by \(shapeString(b.shape)): a matrix side above \(blasLimit) is beyond BLAS's 32-bit sizes")
        }
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))

        // A stack of row vectors times one matrix is one big GEMM: fold A's batch axes into its rows.
        let rows = batchA.reduce(1, *) * m   // ≤ A's element count (or 0), so no overflow
        if batchB.isEmpty && !transposeA && rows <= blasLimit {
            try MemoryBudget.check(shape: batchA + [m, n])
            let concurrent = try BLAS.reserveBuffers(m: rows, n: n, k: k)
            var finished = true
            let product = Tensor(uninitializedShape: batchA + [m, n]) { out in
                finished = gemm(a.scalars, 0, b.scalars, 0, out, 0, m: rows, n: n, k: k, transposeA: false, transposeB: transposeB,
                                interruptible: true, concurrent: concurrent)
            }
            guard finished else { throw Interrupted() }
            return product
        }

        guard let batch = Shape.broadcastShape(batchA, batchB) else {
            throw TensorError("shape \(shapeString(a.shape)) cannot be multiplied by \(shapeString(b.shape)): batch dimensions \(shapeString(batchA)) and \(shapeString(batchB)) do not broadcast")
        }
        try MemoryBudget.check(shape: batch + [m, n])
        let concurrent = try BLAS.reserveBuffers(m: m, n: n, k: k)
        let batches = batch.reduce(1, *)
        let sa = Shape.broadcastStrides(batchA, to: batch), sb = Shape.broadcastStrides(batchB, to: batch)
        let strides = Shape.strides(batch)
        var finished = true
        let product = Tensor(uninitializedShape: batch + [m, n]) { out in
            for t in 0..<batches where finished {
                var offA = 0, offB = 0, rest = t
                for axis in 0..<batch.count {
                    let i = rest / strides[axis]; rest %= strides[axis]
                    offA += i * sa[axis]; offB += i * sb[axis]
                }
                finished = gemm(a.scalars, offA * ar * ac, b.scalars, offB * br * bc, out, t * m * n,
                                m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, interruptible: true,
                                concurrent: concurrent)
            }
            if !finished, let base = out.baseAddress { memset(base, 0, out.count * MemoryLayout<Float>.stride) }   // never leave it uninitialised
        }
        guard finished else { throw Interrupted() }
        return product
    }

    /// Multiply-adds above which an interruptible product is computed in stripes of C, checking the
    /// thread's stop flag between them (about 10 ms of work each on this machine's two cores), so Ctrl-C
    /// stops an 8000³ product within a stripe instead of after 11 s. The stripes depend on the shape alone.
    static let stripeWork = 1 << 31

    /// One row-major SGEMM: `C[m×n] = op(A)[m×k] · op(B)[k×n]` on slices of the three buffers. Every element
    /// of the C slice is written (zeros when k = 0), so `c` may be uninitialised memory.
    ///
    /// C is cleared with `memset` and the product accumulated into it (β = 1) rather than asking for β = 0:
    /// OpenBLAS implements β = 0 as its own clearing pass (`sgemm_beta`), which costs more than `memset` —
    /// measured with task-clock on this machine's OpenBLAS 0.3.21, one thread: a weight gradient
    /// `[784, 64]·[64, 128]` 0.22 → 0.20 ms, `[784, 64]·[64, 512]` 0.88 → 0.76 ms. The sums are the same
    /// (OpenBLAS adds its product to the cleared C either way), so results are bit-identical.
    ///
    /// An `interruptible` product larger than `stripeWork` is computed in stripes of C and returns false
    /// (C all written, the rest zero) when the thread's stop flag ends it early; otherwise it returns true.
    /// At most `concurrent` blocks run at once (`BLAS.reserveBuffers`); fewer only runs them one after the
    /// other, with the same bits.
    @inline(__always) @discardableResult
    static func gemm(_ a: [Float], _ aOffset: Int, _ b: [Float], _ bOffset: Int, _ c: UnsafeMutableBufferPointer<Float>, _ cOffset: Int,
                     m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, interruptible: Bool = false,
                     concurrent: Int = Int.max) -> Bool {
        guard m > 0, n > 0, let cBase = c.baseAddress else { return true }
        guard k > 0 else { memset(cBase + cOffset, 0, m * n * MemoryLayout<Float>.stride); return true }
        var finished = true
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                guard let a0 = pa.baseAddress, let b0 = pb.baseAddress else { return }
                finished = gemm(a0 + aOffset, b0 + bOffset, cBase + cOffset, m: m, n: n, k: k, transposeA: transposeA,
                                transposeB: transposeB, interruptible: interruptible, concurrent: concurrent)
            }
        }
        return finished
    }

    /// The same product on pointers: `C[m×n] = op(A)·op(B)` with A, B and C contiguous from `a0`, `b0`, `c0`.
    @inline(__always) @discardableResult
    static func gemm(_ a0: UnsafePointer<Float>, _ b0: UnsafePointer<Float>, _ c0: UnsafeMutablePointer<Float>,
                     m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, interruptible: Bool = false,
                     concurrent: Int = Int.max) -> Bool {
        guard m > 0, n > 0 else { return true }
        /// Zeros in `C[rows, columns]`: one `memset` when the rows are whole, else one per row.
        func clear(_ rows: Range<Int>, _ columns: Range<Int>) {
            if columns.count == n {
                memset(c0 + rows.lowerBound * n, 0, rows.count * n * MemoryLayout<Float>.stride)
            } else {
                for row in rows { memset(c0 + row * n + columns.lowerBound, 0, columns.count * MemoryLayout<Float>.stride) }
            }
        }
        guard k > 0 else { clear(0 ..< m, 0 ..< n); return true }
        /// `C[rows, columns] = op(A)[rows, :] · op(B)[:, columns]`: a block of the product, which BLAS reads
        /// through the full matrices' leading dimensions. The block clears its own part of C first, on the
        /// thread that then accumulates into it: the clearing is split like the product, and the lines it
        /// touches are in that core's cache when BLAS adds into them (cleared by the caller, a worker's half of
        /// C would first have to move over from the caller's core).
        func block(_ rows: Range<Int>, _ columns: Range<Int>) {
            guard !rows.isEmpty, !columns.isEmpty else { return }
            clear(rows, columns)
            cblas_sgemm(CblasRowMajor,
                        transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        Int32(rows.count), Int32(columns.count), Int32(k), 1,
                        a0 + (transposeA ? rows.lowerBound : rows.lowerBound * k), Int32(transposeA ? m : k),
                        b0 + (transposeB ? columns.lowerBound * k : columns.lowerBound), Int32(transposeB ? k : n),
                        1, c0 + rows.lowerBound * n + columns.lowerBound, Int32(n))
        }
        /// `rows × columns` of C split over the pool as one job.
        func product(_ rows: Range<Int>, _ columns: Range<Int>) {
            let parts = BLAS.parts(m: rows.count, n: columns.count, k: k)
            guard parts > 1 else { block(rows, columns); return }
            // Split the longer side of C at OpenBLAS's register blocks: C's columns (its column-major M) in
            // 16s, C's rows (its N) in 4s, taken as 8s. In 16s a weight gradient's 784 rows would split 384 + 400,
            // and the thread with 400 would keep the other waiting ~3 µs each step.
            let splitRows = rows.count > columns.count, length = splitRows ? rows.count : columns.count
            let alignment = splitRows ? 8 : 16
            func part(_ part: Int) {
                let range = Parallel.boundary(part, parts, length, alignment) ..< Parallel.boundary(part + 1, parts, length, alignment)
                if splitRows { block((rows.lowerBound + range.lowerBound) ..< (rows.lowerBound + range.upperBound), columns) }
                else { block(rows, (columns.lowerBound + range.lowerBound) ..< (columns.lowerBound + range.upperBound)) }
            }
            if concurrent < Swift.min(parts, Parallel.threads) { for p in 0..<parts { part(p) } } else { WorkerPool.shared.run(parts: parts) { part($0) } }
        }
        let work = Double(m) * Double(n) * Double(k)
        guard interruptible, work > Double(stripeWork) else { product(0 ..< m, 0 ..< n); return true }
        // Stripes across the longer side of C, each about `stripeWork` multiply-adds, a multiple of 16.
        let alongRows = m >= n, length = alongRows ? m : n, across = alongRows ? n : m
        let stripe = Swift.max(16, (Int(Double(stripeWork) / (Double(across) * Double(k))) / 16) * 16)
        var start = 0
        while start < length {
            if let stop = StopFlag.current, stop.isRequested {
                // The stripes not computed are cleared, so C is never left uninitialised.
                if alongRows { clear(start ..< length, 0 ..< n) } else { clear(0 ..< m, start ..< length) }
                return false
            }
            let range = start ..< Swift.min(start + stripe, length)
            if alongRows { product(range, 0 ..< n) } else { product(0 ..< m, range) }
            start = range.upperBound
        }
        return true
    }
}

/// How the matrix products use the cores.
///
/// With `Engine.configure(.recommended)` (what `mapl` and the benchmarks do) OpenBLAS runs single-threaded
/// and the engine splits each large product itself into blocks of C on its `WorkerPool` (see there for why,
/// with measurements). **The blocks depend on the product's shape alone, never on the number of threads**:
/// products below 2²¹ multiply-adds (`m·n·k`), or with fewer than 512 output elements, are one block —
/// those with a tiny output and a long inner dimension (a first convolution's weight gradient
/// `[8, 50176]·[50176, 9]`) only lose by splitting; then 2 blocks up to 2²⁵, 4 up to 2²⁷ and 8 beyond.
/// Whoever runs a block, the caller or a worker, it is the same single-threaded OpenBLAS call, so a session
/// gives the same bits on one core or eight (OpenBLAS's own threads do not: they change how it cuts the
/// inner dimension — measured here, a CNN's weights after one epoch differed by 1.9e-5 between 1 and 2
/// OpenBLAS threads). Two blocks up to 2²⁵ because on the 2-core machine this is built for, cutting the
/// chapter's products finer only costs: `[64,784]·[784,128]` took 488 µs in 2 blocks and 541 µs in 4 (one
/// thread, each block packs its operands again).
///
/// Unconfigured (a program embedding the engine that has not chosen), or after `setThreads`, every product
/// is one OpenBLAS call on OpenBLAS's own threads, and results may then depend on their number.
public enum BLAS {
    /// The products worth splitting: enough work, and an output with room for blocks.
    static let parallelWork = 1 << 21, parallelOutput = 512

    /// Whether the engine splits products itself (set by `Engine.configure`).
    public static var adaptive: Bool { splitting.load(ordering: .relaxed) }
    private static let splitting = Atomic<Bool>(false)

    /// The engine splits products over its pool, with OpenBLAS on one thread.
    static func splitProducts() {
        openblas_set_num_threads(1)
        splitting.store(true, ordering: .relaxed)
    }

    /// How many blocks one `m×k · k×n` product is split into: a function of the shape only.
    @inline(__always)
    static func parts(m: Int, n: Int, k: Int) -> Int {
        guard adaptive else { return 1 }
        return blocks(m: m, n: n, k: k)
    }

    /// The fixed decomposition (see the type's notes).
    static func blocks(m: Int, n: Int, k: Int) -> Int {
        guard m * n >= parallelOutput else { return 1 }
        let work = Double(m) * Double(n) * Double(k)  // in Double: the product of three sizes may pass Int.max
        if work < Double(parallelWork) { return 1 }
        if work < Double(1 << 25) { return 2 }
        return work < Double(1 << 27) ? 4 : 8
    }

    /// Fixes how many threads OpenBLAS uses for every product (turning off the engine's own split).
    public static func setThreads(_ n: Int) {
        splitting.store(false, ordering: .relaxed)
        openblas_set_num_threads(Int32(Swift.max(1, n)))
    }
    /// The most threads one product uses.
    public static var threads: Int { adaptive ? Parallel.threads : Int(openblas_get_num_threads()) }

    /// OpenBLAS's work buffer (its `BUFFER_SIZE`, 128 MiB on x86-64, and a page): mapped the first time a call
    /// needs one more than are mapped, then kept. Measured: two blocks running at once raise the mapped
    /// size by 262 144 KiB.
    static let bufferBytes = (128 << 20) + 4096
    /// How many buffers earlier products had room for (OpenBLAS never unmaps them).
    private static let buffersMapped = Atomic<Int>(0)

    /// How many blocks of an `m×k · k×n` product may run at once, after checking that OpenBLAS can map the
    /// work buffers they need: where it cannot (`ulimit -v`), OpenBLAS retries the map forever — threads
    /// spinning at 100 % that Ctrl-C cannot stop. Blocks beyond the room take turns (same bits); with room
    /// for none the product is refused with the memory budget's error.
    static func reserveBuffers(m: Int, n: Int, k: Int) throws -> Int {
        let wanted = Swift.max(1, Swift.min(parts(m: m, n: n, k: k), threads))
        let mapped = buffersMapped.load(ordering: .acquiring)
        if wanted <= mapped { return wanted }
        let room = (MemoryBudget.available().bytes - MemoryBudget.reserve) / bufferBytes
        let allowed = Swift.min(wanted, mapped + Swift.max(0, room))
        if allowed < 1 {
            try MemoryBudget.check(bytes: bufferBytes, what: "OpenBLAS's work buffer for a matrix product")
            return 1   // the budget changed between the two looks: it fits after all
        }
        var current = mapped
        while current < allowed {
            let (exchanged, original) = buffersMapped.compareExchange(expected: current, desired: allowed, ordering: .acquiringAndReleasing)
            if exchanged { break }
            current = original
        }
        return allowed
    }
}
