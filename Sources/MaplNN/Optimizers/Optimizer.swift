import Foundation

/// Something that updates parameters from their gradients: `step(opt)`, `zero_grad(opt)`.
///
/// Updates write each parameter's `.value` in place (parameters are shared objects, so the model sees
/// them) and are never recorded for gradients. Parameters whose `grad` is nil (not reached by the last
/// backward) are skipped, as PyTorch does.
public protocol Optimizer: AnyObject {
    /// The parameters this optimizer updates.
    var parameters: [Variable] { get }
    /// The learning rate; settable, for schedules.
    var lr: Float { get set }
    /// The optimizer's name as the language spells it (`sgd`, `adam`, …).
    var kind: String { get }
    /// Applies one update from the current gradients.
    func step() throws
}

extension Optimizer {
    /// Clears every parameter's gradient (sets it to nil, as PyTorch's `set_to_none=True`).
    public func zeroGrad() { for p in parameters { p.grad = nil } }
}

/// The machinery the optimizers share: per-parameter state buffers and the checked raw-buffer loop.
enum OptimizerSupport {
    /// The parameters with repeats dropped (a layer used twice in a model lists its weights twice, and
    /// must still be stepped once, as PyTorch's `model.parameters()`); throws for a non-parameter.
    static func unique(_ params: [Variable], _ kind: String) throws -> [Variable] {
        var seen = Set<ObjectIdentifier>()
        for p in params where !p.isParameter {
            throw TensorError("\(kind): \(p.label ?? "a value") of shape \(shapeString(p.shape)) is not a parameter (make it with param(...))")
        }
        return params.filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    static func checkRate(_ value: Float, _ name: String, _ kind: String, allowZero: Bool = true) throws {
        guard value.isFinite, allowZero ? value >= 0 : value > 0 else {
            throw TensorError("\(kind): \(name) must be \(allowZero ? "≥ 0" : "> 0"), got \(numberString(value))")
        }
    }

    /// Zero state buffers shaped like the parameters (one per parameter).
    static func zeroState(_ params: [Variable]) -> [StateBuffer] {
        params.map { StateBuffer(count: $0.value.count) }
    }

    /// Runs `body(i, parameter values, gradient)` on raw buffers for every parameter i that has a gradient,
    /// after checking the gradient's shape and that each state buffer still fits the parameter — a
    /// parameter resized in place (reloaded) restarts its state at zero.
    static func update(_ params: [Variable], _ kind: String, states: [[StateBuffer]],
                       _ body: (_ index: Int, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>) -> Void) throws {
        for (i, param) in params.enumerated() {
            guard let grad = param.grad else { continue }
            guard grad.shape == param.value.shape else {
                throw TensorError("\(kind): gradient of shape \(shapeString(grad.shape)) does not match parameter \(param.label ?? "#\(param.id)") of shape \(shapeString(param.value.shape))")
            }
            let n = param.value.count
            guard n > 0 else { continue }  // nothing to update (and no buffer addresses to hand on)
            for kind in states where kind[i].values.count != n { kind[i].reset(count: n) }
            grad.scalars.withUnsafeBufferPointer { g in
                param.value.scalars.withUnsafeMutableBufferPointer { p in body(i, p, g) }
            }
        }
    }
}

extension OptimizerSupport {
    /// Parameters with at least this many elements are updated on all cores (measured: docs/training.md).
    static let parallelCount = 1 << 16

    /// Runs an update `rule(θ, g, s1, s2, count)` over a parameter's elements with its gradient and state
    /// buffers (`s2` nil when the optimizer keeps one): whole, or for a large parameter in parts on the
    /// engine's worker threads, each part handed the buffers from its first element on (split at multiples of
    /// 8, so vector lanes stay on the same elements). The rules are in C (`CKernels`, which says why); every
    /// element is computed by the same rule either way, so the result does not depend on the split.
    static func inParts(_ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>, _ s1: StateBuffer, _ s2: StateBuffer?,
                        _ rule: (_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ s1: UnsafeMutablePointer<Float>,
                                 _ s2: UnsafeMutablePointer<Float>?, _ count: Int) -> Void) {
        s1.values.withUnsafeMutableBufferPointer { a in
            func run(_ b: UnsafeMutablePointer<Float>?) {
                guard let pp = p.baseAddress, let gp = g.baseAddress, let ap = a.baseAddress else { return }
                Parallel.ranges(p.count, work: p.count, minimumWork: parallelCount, alignment: 8) { r in
                    rule(pp + r.lowerBound, gp + r.lowerBound, ap + r.lowerBound, b.map { $0 + r.lowerBound }, r.count)
                }
            }
            if let s2 { s2.values.withUnsafeMutableBufferPointer { run($0.baseAddress) } } else { run(nil) }
        }
    }
}

/// One parameter's optimizer state (a momentum or a squared-gradient average), held by reference so a
/// step can write it while it writes the parameter.
final class StateBuffer {
    var values: [Float]
    /// Whether the buffer has been written (PyTorch's SGD starts momentum from the first gradient).
    var started = false
    init(count: Int) { values = [Float](repeating: 0, count: count) }
    func reset(count: Int) { values = [Float](repeating: 0, count: count); started = false }
}
