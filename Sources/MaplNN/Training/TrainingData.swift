/// What the training loop needs of a data set: its size and seeded mini-batches.
/// `Dataset` conforms; anything else that can produce `(x, y)` batches can be trained on.
public protocol TrainingData {
    /// Number of samples.
    var count: Int { get }
    /// Mini-batches of at most `size` samples, reshuffled by the shared seeded generator when `shuffle`.
    func trainingBatches(size: Int, shuffle: Bool) throws -> [Range<Int>]
    /// The inputs and targets of the samples a batch plan selected.
    func trainingBatch(_ plan: Range<Int>) throws -> (x: Tensor, y: Tensor)
}

/// Receives progress from `fit` as it happens — the notebook draws live from it. Called on the thread that
/// trains; implementations must be quick and must not touch the model.
public protocol TrainingObserver: AnyObject {
    /// After every batch: the running epoch (1-based), the batch index (1-based) and count, and the batch loss.
    func batchEnded(epoch: Int, batch: Int, of batches: Int, loss: Double, samplesPerSecond: Double)
    /// After every epoch, with the history so far.
    func epochEnded(epoch: Int, of epochs: Int, history: History)
}

extension TrainingObserver {
    public func batchEnded(epoch: Int, batch: Int, of batches: Int, loss: Double, samplesPerSecond: Double) {}
    public func epochEnded(epoch: Int, of epochs: Int, history: History) {}
}
