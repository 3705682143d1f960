import CConvolution
import CDNNL
import Foundation

/// Convolutions with more than one input channel computed by oneDNN (Sources/CConvolution: Debian's libdnnl,
/// the library PyTorch's CPU convolutions use), in place of im2col + three GEMMs.
///
/// Why: the chapter's second convolution (`[64, 8, 14, 14]`, 16 filters 3×3) unfolds 8 channels into a
/// `[72, 12544]` matrix, and its three products have a side of 16 or 72 — thin shapes where OpenBLAS packs
/// more than it multiplies, plus im2col, col2im and two layout copies around them. oneDNN's direct kernels
/// (jit, channel-blocked layouts) on one thread, measured on the 2-core machine: forward 237 µs, input
/// gradient 466 µs, weight gradient 364 µs, against ≈ 2.5 ms for the im2col path's three products and copies.
///
/// **Threads and determinism.** Each oneDNN call runs on one thread. The batch is cut into parts fixed by
/// its shape alone (two halves for a large enough batch, else one), run on the worker pool; the weight
/// gradient is the parts' partial gradients added in order. So the bits never depend on the thread count.
/// The bias is added and its gradient summed here, the latter in double as every sum of the engine.
extension Tensor {
    /// The plans for one convolution shape: the batch's parts and the oneDNN plan for each.
    struct OneDNNConvolution: @unchecked Sendable {
        // @unchecked: a plan is immutable once made and oneDNN's primitives may run on any thread.
        let parts: [(images: Range<Int>, plan: OpaquePointer)]
        let n: Int, c: Int, h: Int, w: Int, o: Int, oh: Int, ow: Int
    }

    private struct ConvolutionKey: Hashable {
        let n: Int, c: Int, h: Int, w: Int, o: Int, kh: Int, kw: Int, sh: Int, sw: Int, ph: Int, pw: Int
    }

    /// Plans made so far (nil: oneDNN has none for that shape). A session meets a handful of shapes; past
    /// `cacheLimit` nothing more is cached and new shapes take the im2col path.
    private static let plans = Locked<[ConvolutionKey: OpaquePointer?]>([:])
    private static let cacheLimit = 256

    private static func plan(_ key: ConvolutionKey) -> OpaquePointer? {
        plans.withLock { cache in
            if let known = cache[key] { return known }
            guard cache.count < cacheLimit else { return nil }
            let made = mapl_conv_plan_create(key.n, key.c, key.h, key.w, key.o, key.kh, key.kw, key.sh, key.sw, key.ph, key.pw)
            cache[key] = made
            return made
        }
    }

    /// `MAPL_ONEDNN=0` in the environment sends every convolution to the im2col path, for measuring one
    /// against the other (mnist-bench does).
    static let oneDNNEnabled = ProcessInfo.processInfo.environment["MAPL_ONEDNN"] != "0"

    /// The oneDNN convolution for images `[n, c, h, w]` and filters `[o, c, kh, kw]`, or nil when oneDNN
    /// has no kernel for it. Two parts when the batch has ≥ 2 images and ≥ 2²¹ multiply-adds (the size
    /// below which the products are not split either).
    static func oneDNNConvolution(n: Int, c: Int, h: Int, w: Int, o: Int, _ window: Window2D, oh: Int, ow: Int) -> OneDNNConvolution? {
        guard oneDNNEnabled else { return nil }
        let macs = n.multipliedReportingOverflow(by: o * oh * ow * c * window.kernel.h * window.kernel.w)
        let count = n >= 2 && !macs.overflow && macs.partialValue >= 1 << 21 ? 2 : 1
        var parts: [(images: Range<Int>, plan: OpaquePointer)] = []
        for part in 0..<count {
            let images = (n * part / count) ..< (n * (part + 1) / count)
            let key = ConvolutionKey(n: images.count, c: c, h: h, w: w, o: o, kh: window.kernel.h, kw: window.kernel.w,
                                     sh: window.stride.h, sw: window.stride.w, ph: window.padding.h, pw: window.padding.w)
            guard let p = plan(key) else { return nil }
            parts.append((images, p))
        }
        return OneDNNConvolution(parts: parts, n: n, c: c, h: h, w: w, o: o, oh: oh, ow: ow)
    }
}

extension Tensor.OneDNNConvolution {
    /// Runs `body(part)` for each part on the worker pool; throws if oneDNN reported a failure.
    private func eachPart(_ body: (Int) -> Int32) throws {
        var status = [Int32](repeating: 0, count: parts.count)
        status.withUnsafeMutableBufferPointer { status in
            WorkerPool.shared.run(parts: parts.count) { part in status[part] = body(part) }
        }
        if let failed = status.first(where: { $0 != 0 }) {
            throw TensorError("conv2d: oneDNN failed (status \(failed)) on images [\(n), \(c), \(h), \(w)]")
        }
    }

    /// `y = w ⋆ x + b`, `[n, o, oh, ow]`.
    func forward(_ x: Tensor, _ weights: Tensor, bias: Tensor?) throws -> Tensor {
        let (inImage, outImage, plane) = (c * h * w, o * oh * ow, oh * ow)
        // oneDNN writes every element (or the call throws), so the output starts uninitialised.
        var y = [Float](unsafeUninitializedCapacity: n * outImage) { _, k in k = n * outImage }
        try x.scalars.withUnsafeBufferPointer { xs in
            try weights.scalars.withUnsafeBufferPointer { ws in
                try y.withUnsafeMutableBufferPointer { ys in
                    try eachPart { part in
                        let images = parts[part].images
                        let status = mapl_conv_forward(parts[part].plan, xs.baseAddress! + images.lowerBound * inImage,
                                                       ws.baseAddress!, ys.baseAddress! + images.lowerBound * outImage)
                        if status == 0, let bias {
                            bias.scalars.withUnsafeBufferPointer { bs in
                                for img in images {
                                    for ch in 0..<o {
                                        let d = ys.baseAddress! + img * outImage + ch * plane, b = bs[ch]
                                        for j in 0..<plane { d[j] += b }
                                    }
                                }
                            }
                        }
                        return status
                    }
                }
            }
        }
        return Tensor(unchecked: [n, o, oh, ow], y)
    }

    /// The input gradient `[n, c, h, w]` for upstream gradient `g` `[n, o, oh, ow]`.
    func inputGradient(_ g: Tensor, _ weights: Tensor) throws -> Tensor {
        let (inImage, outImage) = (c * h * w, o * oh * ow)
        var dx = [Float](unsafeUninitializedCapacity: n * inImage) { _, k in k = n * inImage }  // written whole, as y
        try g.scalars.withUnsafeBufferPointer { gs in
            try weights.scalars.withUnsafeBufferPointer { ws in
                try dx.withUnsafeMutableBufferPointer { ds in
                    try eachPart { part in
                        let images = parts[part].images
                        return mapl_conv_backward_data(parts[part].plan, gs.baseAddress! + images.lowerBound * outImage,
                                                       ws.baseAddress!, ds.baseAddress! + images.lowerBound * inImage)
                    }
                }
            }
        }
        return Tensor(unchecked: [n, c, h, w], dx)
    }

    /// The filters' gradient `[o, c, kh, kw]` (each part's, added in part order) and, when asked, the bias
    /// gradient: each channel's planes summed in double, image by image.
    func parameterGradients(_ x: Tensor, _ g: Tensor, filterShape: [Int], bias: Bool) throws -> (dw: Tensor, db: Tensor?) {
        let (inImage, outImage, plane, size) = (c * h * w, o * oh * ow, oh * ow, filterShape.reduce(1, *))
        var partial = [Float](repeating: 0, count: parts.count * size)
        var db = [Double](repeating: 0, count: bias ? o : 0)
        try x.scalars.withUnsafeBufferPointer { xs in
            try g.scalars.withUnsafeBufferPointer { gs in
                try partial.withUnsafeMutableBufferPointer { ps in
                    try db.withUnsafeMutableBufferPointer { db in
                        try eachPart { part in
                            let images = parts[part].images
                            // The bias sums are split by channel, each part summing its share of the channels
                            // over all images (in order) beside its images' filter gradient: the parts stay even.
                            if bias {
                                for ch in (o * part / parts.count) ..< (o * (part + 1) / parts.count) {
                                    for img in 0..<n { db[ch] += Tensor.sum(gs.baseAddress! + img * outImage + ch * plane, count: plane) }
                                }
                            }
                            return mapl_conv_backward_weights(parts[part].plan, xs.baseAddress! + images.lowerBound * inImage,
                                                              gs.baseAddress! + images.lowerBound * outImage, ps.baseAddress! + part * size)
                        }
                    }
                }
            }
        }
        var dw = Array(partial[0 ..< size])
        for part in 1 ..< parts.count {
            for i in 0 ..< size { dw[i] += partial[part * size + i] }
        }
        return (Tensor(unchecked: filterShape, dw), bias ? Tensor(db.map { Float($0) }) : nil)
    }
}
