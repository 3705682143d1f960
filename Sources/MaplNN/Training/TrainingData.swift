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
    /// `batch(indices)` — the same tensors — made while `work` runs (this step computes while the next
    /// batch is made), with `work`'s result. The default runs `work` and then makes the batch.
    func batch<Result>(_ indices: [Int], during work: () throws -> Result) throws -> (batch: (x: Tensor, y: Tensor), result: Result)
}

extension TrainingData {
    public func batch<Result>(_ indices: [Int], during work: () throws -> Result) throws -> (batch: (x: Tensor, y: Tensor), result: Result) {
        let result = try work()
        return (try batch(indices), result)
    }
}

extension Dataset: TrainingData {
    public func epochBatches(size: Int, shuffle: Bool) throws -> [[Int]] {
        let plan = try batches(size: size, shuffle: shuffle)
        // `start + min(size, rest)`, not `min(start + size, count)`: a size near Int.max (2^63 − 1024) would overflow.
        return stride(from: 0, to: plan.order.count, by: size).map { Array(plan.order[$0..<($0 + min(size, plan.order.count - $0))]) }
    }
}
