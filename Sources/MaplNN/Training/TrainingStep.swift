import Foundation

/// What one training step changed: the batch's loss before and after the update, and each parameter's move.
public struct StepReport: Sendable, Equatable {
    /// One parameter's update.
    public struct Update: Sendable, Equatable {
        /// The parameter's dotted name in the model (`layers.1.W`), or `params[i]` (its place in the
        /// optimizer's list) for one the model does not hold.
        public var name: String
        public var shape: [Int]
        /// ‖θ‖ before the update (Euclidean, over every element).
        public var parameterNorm: Double
        /// ‖Δθ‖ = ‖θ_after − θ_before‖.
        public var updateNorm: Double
        /// ‖Δθ‖ / ‖θ‖; nil when ‖θ‖ is 0 (a bias that starts at zero), where the ratio means nothing.
        public var relative: Double? { parameterNorm > 0 ? updateNorm / parameterNorm : nil }
        public init(name: String, shape: [Int], parameterNorm: Double, updateNorm: Double) {
            self.name = name; self.shape = shape; self.parameterNorm = parameterNorm; self.updateNorm = updateNorm
        }
    }
    /// The batch's loss with the weights before the update (the loss the step differentiated).
    public var lossBefore: Double
    /// The same batch's loss with the updated weights, computed in the same mode with the same dropout masks.
    public var lossAfter: Double
    /// Every parameter the optimizer updates, in its order.
    public var updates: [Update]
    public init(lossBefore: Double, lossAfter: Double, updates: [Update]) {
        self.lossBefore = lossBefore; self.lossAfter = lossAfter; self.updates = updates
    }
}

/// One training step — forward, loss, zero_grad, backward, update — as `fit` takes it for every batch and
/// `step(model, batch, loss, opt)` takes it once.
public enum TrainingStep {
    /// The step's loss and output; `report` when `measure` was asked.
    public struct Result {
        public var loss: Double
        public var output: Variable
        public var report: StepReport?
    }

    /// The batch's loss was NaN or infinite: nothing of the step was kept (no update, and the buffers the
    /// forward pass moved — batchnorm's running statistics — put back).
    public struct NonFiniteLoss: Error, Sendable {
        public let loss: Double
    }

    /// Trains `model` on one batch. `buffers` are the model's buffers (`model.namedBuffers`, looked up once
    /// by a caller stepping many times), restored when the loss is not finite. With `measure`, it also
    /// copies the parameters before the update and runs the batch forward once more afterwards for the
    /// report — the random generator rewound to where the step's forward drew from (same dropout masks)
    /// and the buffers put back, so measuring changes nothing later steps see. Without `measure` it does
    /// nothing beyond the step itself.
    public static func run(_ model: Layer, x: Tensor, y: Tensor, loss: LossFunction, optimizer: Optimizer,
                           buffers: [Variable], measure: Bool = false) throws -> Result {
        let randomBefore = measure ? Random.with { $0 } : nil
        let state = buffers.map(\.value)  // copy-on-write: costs nothing unless the forward moves them
        // The graph is let go before the update: it holds the parameters' values as the forward pass used
        // them (Variable.usedValue), and an update of storage a graph still holds would copy it first.
        let (output, lossBefore) = try { () throws -> (Variable, Double) in
            let output = try model(Variable(x))
            let value = try loss(output, y)
            let lossBefore = Double(value.value.scalars.first ?? .nan)
            guard lossBefore.isFinite else {
                for (buffer, saved) in zip(buffers, state) { buffer.value = saved }
                throw NonFiniteLoss(loss: lossBefore)
            }
            optimizer.zeroGrad()
            try value.backward()
            return (Variable(output.value), lossBefore)
        }()
        let before = measure ? optimizer.parameters.map { $0.value.copied() } : []
        try optimizer.step()
        guard measure, let randomBefore else { return Result(loss: lossBefore, output: output, report: nil) }

        let after = try ForwardProbe.run(model, random: randomBefore) {
            try GradMode.withoutGrad { try loss(model(Variable(x)), y) }
        }
        let names = ParameterNames(model)
        let updates = zip(optimizer.parameters, before).enumerated().map { i, pair in
            let (p, old) = pair
            return StepReport.Update(name: names.name(of: p, index: i), shape: p.shape,
                                     parameterNorm: Norms.norm(old), updateNorm: Norms.distance(p.value, old))
        }
        let report = StepReport(lossBefore: lossBefore, lossAfter: Double(after.value.scalars.first ?? .nan), updates: updates)
        return Result(loss: lossBefore, output: output, report: report)
    }
}

/// A forward pass that leaves no trace besides its result: the session's random generator (dropout masks)
/// and the model's buffers (batchnorm's running statistics) are as before afterwards. How a paused run
/// shows the next batch's loss, and a measured step the loss after its update, without changing the bits
/// of the training that follows.
public enum ForwardProbe {
    /// Runs `body` with the random generator set to `random` (nil: its current state), then puts the
    /// generator and the buffers back as they were before the call.
    public static func run<T>(_ model: Layer, random: RandomGenerator? = nil, _ body: () throws -> T) throws -> T {
        let savedRandom = Random.with { $0 }
        let buffers = model.namedBuffers.map(\.value)
        let saved = buffers.map(\.value)
        defer {
            Random.with { $0 = savedRandom }
            for (buffer, value) in zip(buffers, saved) { buffer.value = value }
        }
        if let random { Random.with { $0 = random } }
        return try body()
    }
}

/// A model's parameters by their dotted names (`layers.1.W`), for reports.
struct ParameterNames {
    private var names: [ObjectIdentifier: String] = [:]
    init(_ model: Layer) {
        for (name, p) in model.namedParameters where names[ObjectIdentifier(p)] == nil { names[ObjectIdentifier(p)] = name }
    }
    /// The name in the model, else `params[index]` (the optimizer's list).
    func name(of p: Variable, index: Int) -> String { names[ObjectIdentifier(p)] ?? "params[\(index)]" }
}

/// Euclidean norms in double precision, as NumPy's `np.linalg.norm` of float64 copies.
enum Norms {
    static func norm(_ t: Tensor) -> Double {
        t.scalars.withUnsafeBufferPointer { a in
            var sum = 0.0
            for x in a { sum += Double(x) * Double(x) }
            return sum.squareRoot()
        }
    }

    /// ‖a − b‖, the difference taken in double precision (exact for floats of similar size).
    static func distance(_ a: Tensor, _ b: Tensor) -> Double {
        guard a.count == b.count else { return .nan }
        return a.scalars.withUnsafeBufferPointer { p in
            b.scalars.withUnsafeBufferPointer { q in
                var sum = 0.0
                for i in 0..<p.count { let d = Double(p[i]) - Double(q[i]); sum += d * d }
                return sum.squareRoot()
            }
        }
    }
}
