/// A labelled dataset: `count` samples, each an input of `sampleShape` and a target of `targetShape`.
///
/// **Why a struct.** A dataset is an immutable value, like `Tensor`: its storage is Swift arrays, which are
/// copy-on-write, so binding a dataset to another name or handing it to `fit` costs O(1) and no one can change
/// it under someone else. `slice` and `subset` copy the rows they keep (as bytes for images — cheap), so every
/// dataset is self-contained and the parent can be freed.
///
/// **Why bytes.** Images are kept as their original grey levels (`UInt8`, one byte a pixel) and converted to
/// float32 in [0, 1] only when a batch is made: the MNIST training set costs 47 MB instead of 188 MB. Synthetic
/// and CSV data are stored as float32 directly.
///
/// Targets are float32: class indices (`targetShape == []`, `classes` set) or arbitrary target vectors
/// (`classes == nil`, e.g. `xor`'s `[1]`).
public struct Dataset: CustomStringConvertible {
    /// How the inputs are held.
    enum Inputs {
        /// Grey levels 0…255, read as `value / 255`.
        case bytes([UInt8])
        /// float32 values as they are.
        case floats([Float])
    }

    let inputs: Inputs
    /// The per-channel affine map from stored values to the values a batch presents (identity: bytes / 255).
    let mapping: InputMapping
    /// `count × targetShape.product` target values, row-major.
    let targets: [Float]

    /// The number of samples.
    public let count: Int
    /// The shape of one input, e.g. `[1, 28, 28]`.
    public let sampleShape: [Int]
    /// The shape of one target: `[]` for a class index, `[1]` for `xor`'s targets.
    public let targetShape: [Int]
    /// The number of classes when the targets are class indices 0..<classes; nil for other targets.
    public let classes: Int?

    /// Elements in one input.
    var sampleSize: Int { Shape.count(sampleShape) }
    /// Elements in one target.
    var targetSize: Int { Shape.count(targetShape) }
    /// True when the inputs are images stored as bytes.
    public var isImages: Bool { if case .bytes = inputs { return true } else { return false } }

    /// A dataset of byte images (grey levels 0…255, presented as float32 in [0, 1]) with class labels.
    /// Throws when the sizes disagree or a label is not in 0..<classes.
    public init(images: [UInt8], sampleShape: [Int], labels: [UInt8], classes: Int) throws {
        try Dataset.validate(inputCount: images.count, sampleShape: sampleShape, samples: labels.count)
        if let bad = labels.first(where: { Int($0) >= classes }) {
            throw TensorError("dataset: label \(bad) is not a class index in 0..<\(classes)")
        }
        self.init(unchecked: .bytes(images), targets: labels.map { Float($0) }, count: labels.count,
                  sampleShape: sampleShape, targetShape: [], classes: classes)
    }

    /// A dataset of float32 inputs and targets. `targets` holds `count × targetShape.product` values; when
    /// `classes` is given the targets must be integer class indices in 0..<classes (and `targetShape` `[]`).
    public init(inputs: [Float], sampleShape: [Int], targets: [Float], targetShape: [Int] = [], classes: Int? = nil) throws {
        let tsize = Shape.count(targetShape)
        guard targetShape.allSatisfy({ $0 >= 0 }), tsize > 0 else {
            throw TensorError("dataset: target shape \(shapeString(targetShape)) must have at least one element")
        }
        guard targets.count % tsize == 0 else {
            throw TensorError("dataset: \(targets.count) target values do not divide into targets of shape \(shapeString(targetShape))")
        }
        let n = targets.count / tsize
        try Dataset.validate(inputCount: inputs.count, sampleShape: sampleShape, samples: n)
        if let classes {
            guard targetShape.isEmpty else { throw TensorError("dataset: class labels must be scalars, not targets of shape \(shapeString(targetShape))") }
            if let bad = targets.first(where: { !($0 >= 0 && $0 < Float(classes) && $0 == $0.rounded()) }) {
                throw TensorError("dataset: label \(numberString(bad)) is not a class index in 0..<\(classes)")
            }
        }
        self.init(unchecked: .floats(inputs), targets: targets, count: n, sampleShape: sampleShape,
                  targetShape: targetShape, classes: classes)
    }

    init(unchecked inputs: Inputs, mapping: InputMapping? = nil, targets: [Float], count: Int, sampleShape: [Int],
         targetShape: [Int], classes: Int?) {
        self.inputs = inputs
        if let mapping {
            self.mapping = mapping
        } else if case .bytes = inputs {
            self.mapping = .identity(scale: 1.0 / 255.0)
        } else {
            self.mapping = .identity(scale: 1)
        }
        self.targets = targets
        self.count = count
        self.sampleShape = sampleShape
        self.targetShape = targetShape
        self.classes = classes
    }

    private static func validate(inputCount: Int, sampleShape: [Int], samples: Int) throws {
        guard sampleShape.allSatisfy({ $0 > 0 }) else {
            throw TensorError("dataset: sample shape \(shapeString(sampleShape)) must have positive dimensions")
        }
        guard inputCount == samples * Shape.count(sampleShape) else {
            throw TensorError("dataset: \(inputCount) input values cannot make \(samples) samples of shape \(shapeString(sampleShape))")
        }
    }

    /// `dataset: 60000 images [1, 28, 28], 10 classes` or `dataset: 4 samples [2], targets [1]`.
    public var description: String {
        let what = isImages ? "images" : "samples"
        let labels = classes.map { "\($0) classes" } ?? "targets \(shapeString(targetShape))"
        return "dataset: \(count) \(what) \(shapeString(sampleShape)), \(labels)" + (mapping.normalization.map { ", \($0)" } ?? "")
    }

    // MARK: Whole tensors and single samples

    /// All inputs as one float32 tensor `[count] + sampleShape` (materialised on each access: for MNIST that is
    /// 188 MB — prefer `batches` in loops).
    public var x: Tensor { get throws { try gather(Array(0..<count)).x } }

    /// All targets as one tensor `[count] + targetShape` (class indices as floats for classification).
    public var y: Tensor { get throws { try Tensor(shape: [count] + targetShape, scalars: targets) } }

    /// Sample `i` (negative counts from the end, as in Python): input of `sampleShape`, target of `targetShape`.
    public func sample(_ i: Int) throws -> (x: Tensor, y: Tensor) {
        let j = i < 0 ? i + count : i
        guard j >= 0, j < count else { throw TensorError("sample index \(i) is out of range for a dataset of \(count) samples") }
        let b = try gather([j])
        return (try b.x.reshaped(sampleShape), try b.y.reshaped(targetShape))
    }

    /// The samples `range` as a new dataset (rows copied; bounds must lie within 0...count).
    public func slice(_ range: Range<Int>) throws -> Dataset {
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw TensorError("slice \(range.lowerBound):\(range.upperBound) is outside a dataset of \(count) samples")
        }
        return select(Array(range))
    }

    /// The samples at `indices` (in that order, repeats allowed) as a new dataset.
    public func subset(_ indices: [Int]) throws -> Dataset {
        try check(indices)
        return select(indices)
    }

    /// The samples at `indices` stacked into one batch: x `[b] + sampleShape`, y `[b] + targetShape`.
    public func batch(_ indices: [Int]) throws -> (x: Tensor, y: Tensor) {
        try check(indices)
        return try gather(indices)
    }

    /// `batch(indices)` made while `work` runs: the rows are converted by the cores `work` leaves idle
    /// (between its parallel loops, while it runs its serial pieces) and by the caller after it — the
    /// next batch's rows fetched from memory and converted off the step's critical path. Each row is
    /// converted exactly as `batch` converts it.
    public func batch<Result>(_ indices: [Int], during work: () throws -> Result) throws -> (batch: (x: Tensor, y: Tensor), result: Result) {
        try check(indices)
        if case .floats = inputs, mapping.isUnit {  // rows copied as they are (−0 stays −0): no conversion to spread
            let result = try work()
            return (try gather(indices), result)
        }
        var result: Result? = nil
        let x = try Tensor(uninitializedShape: [indices.count] + sampleShape) { out in
            // Spelled out per storage kind: inside this function, generic over `Result`, a conversion generic
            // over the stored type too would not be specialised, and its inner loop would call through witnesses.
            switch inputs {
            case .bytes(let b):
                let conversion = RowConversion(mapping: mapping, source: b, rows: indices, sampleSize: sampleSize, out: out)
                result = try Parallel.background(chunks: conversion.chunks, { conversion.convert(chunk: $0) }, while: work)
            case .floats(let f):
                let conversion = RowConversion(mapping: mapping, source: f, rows: indices, sampleSize: sampleSize, out: out)
                result = try Parallel.background(chunks: conversion.chunks, { conversion.convert(chunk: $0) }, while: work)
            }
        }
        let y = try targetRows(indices)
        guard let result else { throw TensorError("dataset: the step made alongside the batch gave no result") }
        return ((x, y), result)
    }

    /// The same samples in an order drawn from `Random` (seeded, reproducible).
    public func shuffled() -> Dataset { select(Random.with { $0.permutation(count) }) }

    /// Splits into the first `fraction` of the samples and the rest, **in order** (deterministic, like Keras's
    /// `validation_split`): `split(0.9)` on 60000 images gives 54000 and 6000. The built-in generators already
    /// shuffle their samples and MNIST's order is mixed; call `shuffled()` first for a random split.
    public func split(_ fraction: Double) throws -> (first: Dataset, second: Dataset) {
        guard fraction > 0, fraction < 1 else { throw TensorError("split fraction must be between 0 and 1 (exclusive), got \(numberString(fraction))") }
        let cut = Int((Double(count) * fraction).rounded())
        guard cut > 0, cut < count else {
            throw TensorError("split(\(fraction)) of \(count) samples would leave one part empty")
        }
        return (select(Array(0..<cut)), select(Array(cut..<count)))
    }

    // MARK: Row gathering (the hot path)

    private func check(_ indices: [Int]) throws {
        if let bad = indices.first(where: { $0 < 0 || $0 >= count }) {
            throw TensorError("sample index \(bad) is out of range for a dataset of \(count) samples")
        }
    }

    /// A new dataset of the rows at `indices` (already checked), keeping the storage kind.
    func select(_ indices: [Int]) -> Dataset {
        let newInputs: Inputs
        switch inputs {
        case .bytes(let b): newInputs = .bytes(Dataset.copyRows(b, indices, sampleSize))
        case .floats(let f): newInputs = .floats(Dataset.copyRows(f, indices, sampleSize))
        }
        return Dataset(unchecked: newInputs, mapping: mapping, targets: Dataset.copyRows(targets, indices, targetSize),
                       count: indices.count, sampleShape: sampleShape, targetShape: targetShape, classes: classes)
    }

    /// One batch of the rows at `indices` (already checked), converted to float32. Each output buffer is
    /// allocated once at its final size and filled through raw pointers. (It throws only because `Tensor`'s
    /// public initialiser checks shapes; here they are right by construction.)
    func gather(_ indices: [Int]) throws -> (x: Tensor, y: Tensor) {
        let xs: [Float]
        switch inputs {
        case .floats(let f) where mapping.isUnit:
            xs = Dataset.copyRows(f, indices, sampleSize)
        case .floats(let f):
            xs = mapping.apply(f, rows: indices, sampleSize: sampleSize)
        case .bytes(let b):
            xs = mapping.apply(b, rows: indices, sampleSize: sampleSize)
        }
        return (try Tensor(shape: [indices.count] + sampleShape, scalars: xs), try targetRows(indices))
    }

    /// The targets of the samples at `indices` (already checked) as one tensor `[b] + targetShape`.
    private func targetRows(_ indices: [Int]) throws -> Tensor {
        try Tensor(shape: [indices.count] + targetShape, scalars: Dataset.copyRows(targets, indices, targetSize))
    }

    /// Rows `indices` of a row-major array with rows of `width` elements, copied with one memcpy a row.
    static func copyRows<T>(_ source: [T], _ indices: [Int], _ width: Int) -> [T] {
        let total = indices.count * width
        return [T](unsafeUninitializedCapacity: total) { out, initialized in
            if total > 0 {
                source.withUnsafeBufferPointer { src in
                    for (k, row) in indices.enumerated() {
                        (out.baseAddress! + k * width).initialize(from: src.baseAddress! + row * width, count: width)
                    }
                }
            }
            initialized = total
        }
    }
}
