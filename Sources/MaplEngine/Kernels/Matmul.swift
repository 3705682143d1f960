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
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))

        // A stack of row vectors times one matrix is one big GEMM: fold A's batch axes into its rows.
        if batchB.isEmpty && !transposeA {
            let rows = batchA.reduce(1, *) * m
            return Tensor(uninitializedShape: batchA + [m, n]) { out in
                gemm(a.scalars, 0, b.scalars, 0, out, 0, m: rows, n: n, k: k, transposeA: false, transposeB: transposeB)
            }
        }

        let batch: [Int]
        do { batch = try Shape.broadcast(batchA, batchB) } catch {
            throw TensorError("shape \(shapeString(a.shape)) cannot be multiplied by \(shapeString(b.shape)): batch dimensions \(shapeString(batchA)) and \(shapeString(batchB)) do not broadcast")
        }
        let batches = batch.reduce(1, *)
        let sa = Shape.broadcastStrides(batchA, to: batch), sb = Shape.broadcastStrides(batchB, to: batch)
        let strides = Shape.strides(batch)
        return Tensor(uninitializedShape: batch + [m, n]) { out in
            for t in 0..<batches {
                var offA = 0, offB = 0, rest = t
                for axis in 0..<batch.count {
                    let i = rest / strides[axis]; rest %= strides[axis]
                    offA += i * sa[axis]; offB += i * sb[axis]
                }
                gemm(a.scalars, offA * ar * ac, b.scalars, offB * br * bc, out, t * m * n,
                     m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
            }
        }
    }

    /// One row-major SGEMM: `C[m×n] = op(A)[m×k] · op(B)[k×n]` on slices of the three buffers. Every element
    /// of the C slice is written (zeros when k = 0), so `c` may be uninitialised memory.
    ///
    /// C is cleared with `memset` and the product accumulated into it (β = 1) rather than asking for β = 0:
    /// OpenBLAS implements β = 0 as its own clearing pass (`sgemm_beta`), which costs more than `memset` —
    /// measured with task-clock on this machine's OpenBLAS 0.3.21, one thread: a weight gradient
    /// `[784, 64]·[64, 128]` 0.22 → 0.20 ms, `[784, 64]·[64, 512]` 0.88 → 0.76 ms. The sums are the same
    /// (OpenBLAS adds its product to the cleared C either way), so results are bit-identical.
    @inline(__always)
    static func gemm(_ a: [Float], _ aOffset: Int, _ b: [Float], _ bOffset: Int, _ c: UnsafeMutableBufferPointer<Float>, _ cOffset: Int,
                     m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) {
        guard m > 0, n > 0 else { return }
        memset(c.baseAddress! + cOffset, 0, m * n * MemoryLayout<Float>.stride)
        guard k > 0 else { return }
        BLAS.prepare(m: m, n: n, k: k)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                cblas_sgemm(CblasRowMajor,
                            transposeA ? CblasTrans : CblasNoTrans,
                            transposeB ? CblasTrans : CblasNoTrans,
                            Int32(m), Int32(n), Int32(k), 1,
                            pa.baseAddress! + aOffset, Int32(transposeA ? m : k),
                            pb.baseAddress! + bOffset, Int32(transposeB ? k : n),
                            1, c.baseAddress! + cOffset, Int32(n))
            }
        }
    }
}

/// Control over OpenBLAS's own thread pool: how many threads each product uses.
///
/// One global count is wrong at both ends (measured on 2 cores, docs/training.md): a `1024³` product runs
/// 1.9× faster on two threads and even `[64, 784]·[784, 128]` (6.4 M multiply-adds) 1.4× faster, while small
/// products lose to waking the second thread, and so do products with a tiny output and a long inner
/// dimension (a first convolution's weight gradient `[8, 50176]·[50176, 9]` takes 1.8× longer on two).
/// So by default every product picks its own count: one thread per 2²⁰ multiply-adds (`m·n·k`), at most
/// OpenBLAS's own count (the cores), and one whenever the output has fewer than 512 elements. The count is
/// only changed when it differs from the last product's.
///
/// `OPENBLAS_NUM_THREADS` in the environment, or a call to `setThreads`, fixes the count for every product.
public enum BLAS {
    /// The products worth a second thread: enough work, and an output OpenBLAS can split.
    static let parallelWork = 1 << 20, parallelOutput = 512

    /// OpenBLAS's own thread count at start-up (its cores, or the environment's setting).
    nonisolated(unsafe) static let available: Int = Int(openblas_get_num_threads())
    /// Whether the count is chosen per product (false once the user or the environment fixed it).
    nonisolated(unsafe) static var adaptive: Bool = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil
    /// The count last given to OpenBLAS by `prepare` (0: not yet), so unchanged calls are skipped.
    nonisolated(unsafe) static var current = 0

    /// Chooses the thread count for one `m×k · k×n` product.
    @inline(__always)
    static func prepare(m: Int, n: Int, k: Int) {
        guard adaptive else { return }
        // One thread per 2²⁰ multiply-adds, up to OpenBLAS's count (on 2 cores: two from 2²⁰ up).
        let wanted = m * n >= parallelOutput ? Swift.max(1, Swift.min(available, (m * n * k) / parallelWork)) : 1
        if wanted != current { current = wanted; openblas_set_num_threads(Int32(wanted)) }
    }

    /// Fixes how many threads OpenBLAS uses for every product (turning off the per-product choice).
    public static func setThreads(_ n: Int) { adaptive = false; current = n; openblas_set_num_threads(Int32(n)) }
    /// The most threads OpenBLAS uses for one product.
    public static var threads: Int { adaptive ? available : Int(openblas_get_num_threads()) }
}
