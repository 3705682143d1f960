/// What `fit` returns: per-epoch training loss and, with validation data, validation loss and accuracy;
/// plus every batch loss for fine-grained plots.
public struct History: Sendable {
    public var loss: [Double] = []
    public var valLoss: [Double] = []
    public var valAccuracy: [Double] = []
    public var batchLoss: [Double] = []
    /// The epoch whose weights the model holds after early stopping restored the best ones (1-based).
    public var bestEpoch: Int? = nil
    /// True when training ended early: patience ran out, a stop was requested, or a paused run was stopped.
    public var stoppedEarly = false
    /// True when a stop request (Ctrl-C) ended training.
    public var interrupted = false
    /// True when a paused run was ended where it stood (`stop(run)`).
    public var stopped = false
    public init() {}
}
