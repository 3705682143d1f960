/// What the training loop needs of a data set: its size and seeded mini-batches.
/// `Dataset` conforms; anything else that can produce `(x, y)` batches can be trained on.
public protocol TrainingData {
    /// Number of samples.
    var count: Int { get }
    /// One epoch's mini-batches as sample indices, at most `size` each, reshuffled by the shared seeded
    /// generator when `shuffle`.
    func epochBatches(size: Int, shuffle: Bool) throws -> [[Int]]
    /// The inputs and targets of the samples at `indices`.
    func batch(_ indices: [Int]) throws -> (x: Tensor, y: Tensor)
    /// A hint that `batch(indices)` comes next: the samples may start loading while this step computes.
    /// Changes nothing a batch contains; the default does nothing.
    func prefetch(_ indices: [Int])
}

extension TrainingData {
    public func prefetch(_ indices: [Int]) {}
}

extension Dataset: TrainingData {
    public func epochBatches(size: Int, shuffle: Bool) throws -> [[Int]] {
        let plan = try batches(size: size, shuffle: shuffle)
        // `start + min(size, rest)`, not `min(start + size, count)`: a size near Int.max (2^63 − 1024) would overflow.
        return stride(from: 0, to: plan.order.count, by: size).map { Array(plan.order[$0..<($0 + min(size, plan.order.count - $0))]) }
    }
}
