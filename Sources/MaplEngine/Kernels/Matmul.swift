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
    /// of the C slice is written (beta = 0; zeros when k = 0), so `c` may be uninitialised memory.
    @inline(__always)
    static func gemm(_ a: [Float], _ aOffset: Int, _ b: [Float], _ bOffset: Int, _ c: UnsafeMutableBufferPointer<Float>, _ cOffset: Int,
                     m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) {
        _ = BLAS.defaultThreads
        guard m > 0, n > 0 else { return }
        guard k > 0 else { (c.baseAddress! + cOffset).update(repeating: 0, count: m * n); return }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                cblas_sgemm(CblasRowMajor,
                            transposeA ? CblasTrans : CblasNoTrans,
                            transposeB ? CblasTrans : CblasNoTrans,
                            Int32(m), Int32(n), Int32(k), 1,
                            pa.baseAddress! + aOffset, Int32(transposeA ? m : k),
                            pb.baseAddress! + bOffset, Int32(transposeB ? k : n),
                            0, c.baseAddress! + cOffset, Int32(n))
            }
        }
    }
}

/// Control over OpenBLAS's own thread pool.
///
/// mapl runs OpenBLAS on ONE thread unless the environment sets `OPENBLAS_NUM_THREADS` or `setThreads` is
/// called. The products of training a small network (`[64, 784]·[784, 128]`, a convolution's
/// `[16, 72]·[72, 12544]`) are too short to amortise waking and joining a second thread, and on a shared
/// machine the idle thread spins in `sched_yield` stealing the core from the work: on the MNIST benchmark
/// (2 cores) two threads made the CNN epoch 9.9 s instead of 6.5 s with the machine lightly loaded, and
/// 26.8 s instead of 13.2 s under load.
public enum BLAS {
    /// Applied once, before the first product or thread query.
    static let defaultThreads: Void = {
        if ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil { openblas_set_num_threads(1) }
    }()

    /// Sets how many threads OpenBLAS may use.
    public static func setThreads(_ n: Int) { _ = defaultThreads; openblas_set_num_threads(Int32(n)) }
    /// How many threads OpenBLAS uses.
    public static var threads: Int { _ = defaultThreads; return Int(openblas_get_num_threads()) }
}
