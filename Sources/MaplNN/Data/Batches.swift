/// Mini-batches over a dataset, in order or in a seeded random order, the last partial batch included.
///
/// The order is drawn from `Random` when `batches(size:shuffle:)` is called (not when iteration starts), so
/// `seed(n)` before the call fixes the epoch's order. Iterating twice over the same `Batches` gives the same
/// order; call `batches` again for a new epoch.
public struct Batches: Sequence {
    /// The dataset batched.
    public let dataset: Dataset
    /// The sample order for this epoch.
    public let order: [Int]
    /// Samples per batch (the last batch may have fewer).
    public let size: Int

    /// The number of batches, counting a last partial one.
    public var count: Int { Batches.count(order.count, size: size) }

    /// ⌈samples / size⌉ for positive sizes, without `samples + size − 1` (which overflows for a size near
    /// Int.max, as `batch=2^63-1024` gives).
    public static func count(_ samples: Int, size: Int) -> Int { samples == 0 ? 0 : (samples - 1) / size + 1 }

    /// Iterates the batches as `(x, y)` pairs.
    public struct Iterator: IteratorProtocol {
        let batches: Batches
        var start = 0

        public mutating func next() -> (x: Tensor, y: Tensor)? {
            guard start < batches.order.count else { return nil }
            let end = start + Swift.min(batches.size, batches.order.count - start)
            defer { start = end }
            // `gather` cannot fail for checked indices (see its note), so `try?` never drops a batch.
            return try? batches.dataset.gather(Array(batches.order[start..<end]))
        }
    }

    public func makeIterator() -> Iterator { Iterator(batches: self) }
}

extension Dataset {
    /// Batches of `size` samples, shuffled with `Random` when `shuffle` is true; the last batch may be smaller.
    public func batches(size: Int, shuffle: Bool) throws -> Batches {
        guard size > 0 else { throw TensorError("batch size must be positive, got \(size)") }
        let order = shuffle ? Random.with { $0.permutation(count) } : Array(0..<count)
        return Batches(dataset: self, order: order, size: size)
    }
}
