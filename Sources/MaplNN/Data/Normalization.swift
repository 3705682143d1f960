/// Input normalisation, as PyTorch's `transforms.Normalize` and scikit-learn's `StandardScaler` do it:
/// `(x − mean) / std` per channel, where a channel is the first axis of a sample — the colour planes of an
/// image `[C, H, W]`, or the features of a vector sample `[d]`.
///
/// **Why a map, not new data.** A normalised dataset keeps the same storage (MNIST stays 47 MB of bytes) and
/// composes the normalisation into the affine map each batch applies on conversion, so normalising costs no
/// memory and no pass over the data, and `slice`, `split`, `shuffled` keep it.
extension Dataset {
    /// The mean and (population) standard deviation of the inputs, per channel, as a batch presents them
    /// (for MNIST's training images in [0, 1]: 0.1307 and 0.3081). In double precision and two passes — the
    /// mean, then the squared deviations from it (no `E[x²] − E[x]²`, which cancels when the mean is large
    /// next to the spread); for byte images both from a histogram of the 256 grey levels, so exact.
    public var inputStatistics: (mean: [Float], std: [Float]) {
        let plane = sampleSize / channels
        let n = Double(max(count * plane, 1))
        var mean = [Double](repeating: 0, count: channels), variance = mean
        switch inputs {
        case .bytes(let bytes):
            // Count each grey level per channel, then sum over the 256 presented values.
            var histogram = [Int](repeating: 0, count: channels * 256)
            bytes.withUnsafeBufferPointer { b in
                histogram.withUnsafeMutableBufferPointer { h in
                    for sample in 0..<count {
                        for c in 0..<channels {
                            let start = sample * sampleSize + c * plane
                            for i in start..<(start + plane) { h[c * 256 + Int(b[i])] += 1 }
                        }
                    }
                }
            }
            for c in 0..<channels {
                let (a, o) = mapping.coefficients(channel: c)
                let levels = (0..<256).filter { histogram[c * 256 + $0] > 0 }
                for level in levels { mean[c] += Double(histogram[c * 256 + level]) * (Double(level) * a + o) }
                mean[c] /= n
                for level in levels {
                    let d = Double(level) * a + o - mean[c]
                    variance[c] += Double(histogram[c * 256 + level]) * d * d
                }
            }
        case .floats(let floats):
            for c in 0..<channels {
                let (a, o) = mapping.coefficients(channel: c)
                for pass in 0..<2 {
                    for sample in 0..<count {
                        let start = sample * sampleSize + c * plane
                        for i in start..<(start + plane) {
                            let v = Double(floats[i]) * a + o
                            if pass == 0 { mean[c] += v } else { variance[c] += (v - mean[c]) * (v - mean[c]) }
                        }
                    }
                    if pass == 0 { mean[c] /= n }
                }
            }
        }
        let std = variance.map { ($0 / n).squareRoot() }
        return (mean.map(Float.init), std.map(Float.init))
    }

    /// The same samples presented as `(x − mean) / std` per channel. `mean` and `std` hold one value for every
    /// channel or one per channel; every std must be positive. Normalising twice composes.
    public func normalized(mean: [Float], std: [Float]) throws -> Dataset {
        // A local copy on purpose: reading the property in the loop below crashes Swift 6.3's -O SimplifyCFG pass.
        let channels = self.channels
        for (name, values) in [("mean", mean), ("std", std)] where values.count != 1 && values.count != channels {
            let fix = channels == 1 ? "give one value" : "give one value, or \(channels), one per channel"
            throw TensorError("normalize: \(name) has \(values.count) values, but the samples \(shapeString(sampleShape)) have \(channels) channel\(channels == 1 ? "" : "s"): \(fix)")
        }
        if let bad = mean.first(where: { !$0.isFinite }) { throw TensorError("normalize: mean \(numberString(bad)) is not a finite number") }
        if let bad = std.first(where: { !($0.isFinite && $0 > 0) }) {
            throw TensorError("normalize: std must be positive and finite, got \(numberString(bad))")
        }
        let mapped = mapping.normalized(mean: mean, std: std, channels: channels)
        // A std so small (1e-45) that the stored values map beyond float32 would make every input inf or NaN.
        let (lo, hi): (Float, Float)
        switch inputs {
        case .bytes: (lo, hi) = (0, 255)
        case .floats(let xs):
            let finite = xs.lazy.filter(\.isFinite)
            (lo, hi) = (finite.min() ?? 0, finite.max() ?? 0)
        }
        for c in 0..<max(mapped.scale.count, mapped.offset.count) {
            let (a, o) = mapped.coefficients(channel: c)
            let ends = [Float(a), Float(o), Float(lo) * Float(a) + Float(o), Float(hi) * Float(a) + Float(o)]
            guard ends.allSatisfy(\.isFinite) else {
                let s = std.count == 1 ? std[0] : std[c]
                throw TensorError("normalize: std \(s) is too small: the inputs (\(lo) to \(hi)) would map beyond float32's range")
            }
        }
        return Dataset(unchecked: inputs, mapping: mapped,
                       targets: targets, count: count, sampleShape: sampleShape, targetShape: targetShape, classes: classes)
    }

    /// The same samples normalised by their own statistics (`inputStatistics`): mean 0 and std 1 per channel.
    /// Normalise a test set with the training set's figures instead, as `normalized(mean:std:)`.
    public func normalized() throws -> Dataset {
        let stats = inputStatistics
        if let c = stats.std.firstIndex(where: { !$0.isFinite }) {
            throw TensorError("normalize: channel \(c) of the inputs holds NaN or infinite values, so it has no mean and std to scale by")
        }
        if let c = stats.std.firstIndex(where: { !($0 > 0) }) {
            throw TensorError("normalize: channel \(c) of the inputs is constant (std 0), so it cannot be scaled to std 1")
        }
        return try normalized(mean: stats.mean, std: stats.std)
    }

    /// The normalisation applied so far (relative to the dataset as loaded), or nil.
    public var normalization: Normalization? { mapping.normalization }

    /// Channels of a sample: its first axis (1 for a scalar sample).
    public var channels: Int { max(sampleShape.first ?? 1, 1) }
}

/// The overall `(x − mean) / std` a dataset applies to its inputs as loaded (images in [0, 1]).
public struct Normalization: Equatable, CustomStringConvertible, Sendable {
    /// One value for all channels, or one per channel.
    public var mean: [Float], std: [Float]

    /// `normalized (mean 0.1307, std 0.3081)`.
    public var description: String {
        func list(_ xs: [Float]) -> String {
            let parts = xs.map { String(format: "%.4g", Double($0)) }
            return parts.count == 1 ? parts[0] : "[" + parts.joined(separator: ", ") + "]"
        }
        return "normalized (mean \(list(mean)), std \(list(std)))"
    }
}

/// The per-channel affine map from stored input values to presented ones: `stored · scale[c] + offset[c]`.
/// Kept in double precision so normalisations compose without drift; applied in float32.
struct InputMapping {
    /// One coefficient for all channels, or one per channel.
    var scale: [Double], offset: [Double]
    var normalization: Normalization?

    /// `stored · scale`, nothing subtracted: bytes / 255 for images, floats as they are.
    static func identity(scale: Double) -> InputMapping { InputMapping(scale: [scale], offset: [0], normalization: nil) }

    /// True when presented values are the stored ones.
    var isUnit: Bool { scale == [1] && offset == [0] }

    /// The scale and offset of channel `c`.
    func coefficients(channel c: Int) -> (Double, Double) {
        (scale.count == 1 ? scale[0] : scale[c], offset.count == 1 ? offset[0] : offset[c])
    }

    /// This map followed by `(x − mean) / std`; the recorded overall normalisation composes as
    /// `(x − m₁)/s₁ − m₂)/s₂ = (x − (m₁ + m₂s₁)) / (s₁s₂)`.
    func normalized(mean: [Float], std: [Float], channels: Int) -> InputMapping {
        let perChannel = scale.count > 1 || offset.count > 1 || mean.count > 1 || std.count > 1
        let n = perChannel ? channels : 1
        func at(_ xs: [Float], _ c: Int) -> Double { Double(xs.count == 1 ? xs[0] : xs[c]) }
        let previous = normalization ?? Normalization(mean: [0], std: [1])
        var scales: [Double] = [], offsets: [Double] = [], overall = Normalization(mean: [], std: [])
        for c in 0..<n {
            let (a, o) = coefficients(channel: c)
            let m2 = at(mean, c), s2 = at(std, c), m1 = at(previous.mean, c), s1 = at(previous.std, c)
            scales.append(a / s2)
            offsets.append((o - m2) / s2)
            overall.mean.append(Float(m1 + m2 * s1))
            overall.std.append(Float(s1 * s2))
        }
        return InputMapping(scale: scales, offset: offsets, normalization: overall)
    }

    /// Rows `rows` of `source` (samples of `sampleSize` values) mapped to float32, converted on all cores.
    func apply<Stored: StoredInput>(_ source: [Stored], rows: [Int], sampleSize: Int) -> [Float] {
        let total = rows.count * sampleSize
        return [Float](unsafeUninitializedCapacity: total) { out, initialized in
            let conversion = RowConversion(mapping: self, source: source, rows: rows, sampleSize: sampleSize, out: out)
            // Rows are independent: a batch's rows are converted on all cores.
            Parallel.ranges(rows.count, work: total) { conversion.convert($0) }
            initialized = total
        }
    }
}

/// The conversion of a batch's rows into `out`: its k-th row is row `rows[k]` of `source` mapped by `mapping`.
/// Each row is computed the same way whichever range, chunk or thread it falls in.
struct RowConversion<Stored: StoredInput> {
    let source: [Stored]
    let rows: [Int]
    let sampleSize: Int
    let out: UnsafeMutableBufferPointer<Float>
    /// Rows a background chunk converts: about 8 K values (10 MNIST rows, a few µs — how long a parallel loop
    /// may wait for a worker busy with one), at most 255 chunks.
    let rowsPerChunk: Int
    private let scale: [Float], offset: [Float], plane: Int

    init(mapping: InputMapping, source: [Stored], rows: [Int], sampleSize: Int, out: UnsafeMutableBufferPointer<Float>) {
        let channels = max(mapping.scale.count, mapping.offset.count)
        self.source = source; self.rows = rows; self.sampleSize = sampleSize; self.out = out
        scale = (0..<channels).map { Float(mapping.coefficients(channel: $0).0) }
        offset = (0..<channels).map { Float(mapping.coefficients(channel: $0).1) }
        plane = sampleSize / channels
        rowsPerChunk = Swift.max(Swift.max(1, 8192 / Swift.max(sampleSize, 1)), (rows.count + 254) / 255)
    }

    /// Converts the batch's rows `part`.
    func convert(_ part: Range<Int>) {
        source.withUnsafeBufferPointer { src in
            guard let from0 = src.baseAddress, let to0 = out.baseAddress else { return }
            for k in part {
                let from = from0 + rows[k] * sampleSize
                let to = to0 + k * sampleSize
                for c in 0..<scale.count {
                    let a = scale[c], o = offset[c], base = c * plane
                    for j in base..<(base + plane) { to[j] = from[j].floatValue * a + o }
                }
            }
        }
    }

    /// The number of background chunks.
    var chunks: Int { (rows.count + rowsPerChunk - 1) / rowsPerChunk }
    /// Converts background chunk `c`.
    func convert(chunk c: Int) {
        convert(c * rowsPerChunk ..< Swift.min(rows.count, (c + 1) * rowsPerChunk))
    }
}

/// A stored input element: a grey level byte or a float32.
protocol StoredInput { var floatValue: Float { get } }
extension UInt8: StoredInput { @inline(__always) var floatValue: Float { Float(self) } }
extension Float: StoredInput { @inline(__always) var floatValue: Float { self } }
