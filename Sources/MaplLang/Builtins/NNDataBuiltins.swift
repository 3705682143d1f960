import MaplNN

/// Datasets: `mnist`, `fashion`, `xor`, `spirals`, `moons`, `csv`, `dataset(x, y)`, `split`, `normalize`, `batches`.
extension BuiltinRegistry {
    func registerNNDataBuiltins() {
        let c = "data"
        register("mnist(split)", category: c, "the MNIST digits: mnist(\"train\") 60,000 or mnist(\"test\") 10,000 images [1, 28, 28] in [0, 1], labels 0–9") { a in
            .object(DatasetValue(try a.mnist("split", .digits)))
        }
        register("fashion(split)", category: c, "Fashion-MNIST: fashion(\"train\") or fashion(\"test\"), images [1, 28, 28], 10 clothing classes") { a in
            .object(DatasetValue(try a.mnist("split", .fashion)))
        }
        register("xor()", category: c, "the four XOR points: x [4, 2], y [4, 1]") { _ in
            .object(DatasetValue(Dataset.xor()))
        }
        register("spirals(n, classes)", category: c, "n points per class on `classes` interleaved spiral arms (x [n·classes, 2], class labels), shuffled") { a in
            .object(DatasetValue(try Dataset.spirals(n: a.int("n"), classes: a.int("classes"))))
        }
        register("moons(n, noise)", category: c, "n points on two interleaving half circles with Gaussian noise (as scikit-learn's make_moons), shuffled") { a in
            .object(DatasetValue(try Dataset.moons(n: a.int("n"), noise: a.double("noise"))))
        }
        register("csv(path, label=none)", category: c, "a dataset from a CSV file with a header; label names the target column (default: the last)") { a in
            .object(DatasetValue(try Dataset.csv(a.string("path"), label: a.isNone("label") ? nil : a.string("label"))))
        }
        register("dataset(x, y)", category: c, "a dataset from inputs x [n, …] and targets y [n, …]; whole-number labels y [n] make it a classification set") { a in
            .object(DatasetValue(try a.datasetFromTensors()))
        }
        register("split(d, fraction)", category: c, "the first fraction of a dataset's samples and the rest, in order: a list of two datasets") { a in
            let d = try a.dataset("d").dataset
            let parts = try d.split(a.double("fraction"))
            return .list([.object(DatasetValue(parts.first)), .object(DatasetValue(parts.second))])
        }
        register("normalize(d, mean=none, std=none)", category: c, "d presented as (x − mean) / std per channel, as PyTorch's Normalize; without mean and std, by d's own d.mean and d.std") { a in
            let d = try a.dataset("d").dataset
            switch (a.isNone("mean"), a.isNone("std")) {
            case (true, true): return .object(DatasetValue(try d.normalized()))
            case (false, false): return .object(DatasetValue(try d.normalized(mean: a.tensor("mean").scalars, std: a.tensor("std").scalars)))
            case (true, false): throw a.error("std", "normalize takes mean and std together, or neither (then d's own statistics)")
            case (false, true): throw a.error("mean", "normalize takes mean and std together, or neither (then d's own statistics)")
            }
        }
        register("batches(d, size, shuffle=true)", category: c, "the mini-batches of a dataset as records {x, y}, for `for b in batches(d, 64) { … }`") { a in
            let d = try a.dataset("d").dataset
            let size = try a.int("size")
            guard size >= 1 else { throw a.error("size", "the batch size must be ≥ 1, got \(size)") }
            return .object(BatchesValue(try d.batches(size: size, shuffle: a.bool("shuffle"))))
        }
    }
}

/// A dataset as a mapl value: `d.x`, `d.y`, `len(d)`, `d[i]` (a record `{x, y}`, negative i from the end),
/// `d[a:b]` (a dataset; bounds clamp as Python's), `d[indices]` (a 1-D tensor or list: those samples),
/// `d.mean` and `d.std` (the inputs' statistics per channel, `[channels]`).
public final class DatasetValue: ObjectValue, IndexableValue, LengthValue {
    public let dataset: Dataset
    /// `d.x` and `d.y`, made on first use (they copy every sample) and kept: the dataset never changes.
    private var cachedX: Variable?, cachedY: Variable?
    /// `d.mean` and `d.std`, computed together on first use.
    private var cachedStatistics: (mean: Tensor, std: Tensor)?

    public init(_ dataset: Dataset) { self.dataset = dataset }

    public var typeName: String { "dataset" }
    public var displayString: String { "<\(dataset.description)>" }
    public var length: Int { dataset.count }

    public var fieldNames: [String] { ["x", "y", "classes", "mean", "std"] }
    public func field(_ name: String) throws -> Value? {
        switch name {
        case "x":
            if cachedX == nil { cachedX = Variable(try dataset.x) }
            return cachedX.map { .tensor($0) }
        case "y":
            if cachedY == nil { cachedY = Variable(try dataset.y) }
            return cachedY.map { .tensor($0) }
        case "classes": return dataset.classes.map { .number(Double($0)) } ?? Value.none
        case "mean", "std":
            if cachedStatistics == nil {
                let s = dataset.inputStatistics
                cachedStatistics = (try Tensor(shape: [s.mean.count], scalars: s.mean), try Tensor(shape: [s.std.count], scalars: s.std))
            }
            return cachedStatistics.map { .constant(name == "mean" ? $0.mean : $0.std) }
        default: return nil
        }
    }

    public func index(_ subscripts: [SubscriptValue]) throws -> Value {
        guard subscripts.count == 1 else { throw RuntimeError("a dataset takes one index, got \(subscripts.count)") }
        switch subscripts[0] {
        case .slice(let start, let end, let step):
            // The engine's Python slice rules on the sample positions give the clamped, stepped indices.
            let positions = Tensor.slicePositions(start: start, end: end, step: step ?? 1, count: dataset.count)
            return .object(DatasetValue(try dataset.subset(positions)))
        case .value(.tensor(let t)) where t.rank == 1:
            return .object(DatasetValue(try dataset.subset(try DatasetValue.positions(t.value.scalars, dataset.count))))
        case .value(.list(let items)):
            let xs = try items.map { Float(try Convert.int($0, what: "a dataset index")) }
            return .object(DatasetValue(try dataset.subset(try DatasetValue.positions(xs, dataset.count))))
        case .value(let v):
            let i = try Convert.int(v, what: "a dataset index")
            let s = try dataset.sample(i)
            return .record(Record([("x", .constant(s.x)), ("y", .constant(s.y))]))
        }
    }

    /// Whole-number positions, negative ones counted from the end.
    private static func positions(_ xs: [Float], _ count: Int) throws -> [Int] {
        try xs.map { x in
            guard let i = Int(exactly: x) else { throw RuntimeError("a dataset index must be a whole number, got \(numberString(x))") }
            return i < 0 ? i + count : i
        }
    }
}

/// `batches(d, size, shuffle)`: iterable records `{x, y}`; `len` is the number of batches.
public final class BatchesValue: ObjectValue, IterableValue, LengthValue {
    let batches: Batches
    init(_ batches: Batches) { self.batches = batches }
    public var typeName: String { "batches" }
    public var displayString: String { "<\(batches.count) batches of up to \(batches.size) from \(batches.dataset.description)>" }
    public var length: Int { batches.count }
    public func makeValueIterator() throws -> ValueIterator {
        var iterator = batches.makeIterator()
        return ClosureValueIterator {
            iterator.next().map { .record(Record([("x", .constant($0.x)), ("y", .constant($0.y))])) }
        }
    }
}

extension Arguments {
    /// The dataset argument.
    func dataset(_ name: String) throws -> DatasetValue {
        if case .object(let d as DatasetValue) = value(name) { return d }
        throw error(name, "'\(name)' must be a dataset (mnist(\"train\"), spirals(100, 3), dataset(x, y), …), got \(Convert.describeKind(value(name)))")
    }

    /// `mnist(split)` / `fashion(split)`, with download progress written to the session's output.
    func mnist(_ name: String, _ kind: MNIST.Kind) throws -> Dataset {
        let split = try string(name)
        guard split == "train" || split == "test" else {
            throw error(name, "the split must be \"train\" or \"test\", got \"\(split)\"")
        }
        let interp = interpreter
        return try MNIST.load(split: split, kind: kind, progress: { interp.write($0) })
    }

    /// `dataset(x, y)`: x `[n, …]` and y `[n, …]` with the same n. Targets `[n]` of whole numbers ≥ 0 are
    /// class labels (classes = the largest + 1), so `evaluate` reports accuracy; others are plain targets.
    func datasetFromTensors() throws -> Dataset {
        let x = try tensor("x"), y = try tensor("y")
        guard x.rank >= 1 else { throw error("x", "the inputs need a sample axis: [n, …], got a scalar") }
        guard y.rank >= 1 else { throw error("y", "the targets need a sample axis: [n, …], got a scalar") }
        guard x.shape[0] == y.shape[0] else {
            throw error("y", "\(x.shape[0]) inputs (shape \(shapeString(x.shape))) but \(y.shape[0]) targets (shape \(shapeString(y.shape)))")
        }
        guard x.shape[0] > 0 else { throw error("x", "a dataset needs at least one sample") }
        let sampleShape = Array(x.shape.dropFirst()), targetShape = Array(y.shape.dropFirst())
        guard sampleShape.allSatisfy({ $0 > 0 }) else { throw error("x", "samples of shape \(shapeString(sampleShape)) are empty") }
        guard targetShape.allSatisfy({ $0 > 0 }) else { throw error("y", "targets of shape \(shapeString(targetShape)) are empty") }
        let isLabels = targetShape.isEmpty && y.scalars.allSatisfy { $0 >= 0 && $0 == $0.rounded() && $0 < 1e7 }
        let classes = isLabels ? Int(y.scalars.max() ?? 0) + 1 : nil
        return try Dataset(inputs: x.scalars, sampleShape: sampleShape, targets: y.scalars, targetShape: targetShape, classes: classes)
    }
}

/// `show(d, i)` draws a dataset's sample with its label.
extension DatasetValue: ImageSampleSource {
    public var sampleCount: Int { dataset.count }
    public func imageSample(_ i: Int) throws -> (pixels: Tensor, label: String) {
        let s = try dataset.sample(i)
        let label = s.y.count == 1 ? Printer.formatNumber(Double(s.y.scalars[0])) : "\(shapeString(s.y.shape)) target"
        return (s.x, label)
    }
}
