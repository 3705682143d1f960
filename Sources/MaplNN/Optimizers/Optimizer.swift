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
            throw TensorError("\(kind): \(name) must be \(allowZero ? "≥ 0" : "> 0"), got \(value)")
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
    /// Applies an update rule eight elements at a time: `rule(&θ, g, &s1, &s2)` on SIMD lanes of the
    /// parameter, its gradient and up to two state buffers (`s2`/`s1` nil: the rule gets a scratch lane).
    ///
    /// Why: written as a plain loop over buffers reached through class-held arrays, the compiler could not
    /// rule out aliasing and ran Adam scalar (~7 ns an element, 0.6 s of an MNIST epoch). Lanes make the
    /// vector code explicit. Each lane does the same IEEE operations in the same order as the scalar rule,
    /// so results are identical; the tail is run on a zero-padded lane and only its valid elements stored.
    /// Parameters with at least this many elements are updated on two threads (measured: docs/training.md).
    static let parallelCount = 1 << 16

    /// Runs `body` over `0 ..< n` whole, or for a large parameter as two halves (split at a lane boundary)
    /// on two cores. Callers write the `lanes` call with its rule INSIDE `body`, so each half runs the
    /// inlined vector loop (a rule passed through to a parallel loop would be an indirect call per lane).
    /// Every element is computed by the same rule either way, so the result does not depend on the split.
    @inline(__always)
    static func halves(_ n: Int, _ body: (Range<Int>) -> Void) {
        guard n >= parallelCount, ProcessInfo.processInfo.activeProcessorCount >= 2 else { body(0 ..< n); return }
        let half = (n / 2) & ~7
        DispatchQueue.concurrentPerform(iterations: 2) { part in body(part == 0 ? 0 ..< half : half ..< n) }
    }

    /// The elements `r` of a parameter, its gradient and state buffers, for `lanes`.
    @inline(__always)
    static func slice(_ r: Range<Int>, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>,
                      _ s1: UnsafeMutablePointer<Float>?, _ s2: UnsafeMutablePointer<Float>?)
        -> (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?) {
        (UnsafeMutableBufferPointer(rebasing: p[r]), UnsafeBufferPointer(rebasing: g[r]),
         s1.map { $0 + r.lowerBound }, s2.map { $0 + r.lowerBound })
    }

    @inline(__always)
    static func lanes(_ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>,
                      _ s1: UnsafeMutablePointer<Float>?, _ s2: UnsafeMutablePointer<Float>?,
                      _ rule: (inout SIMD8<Float>, SIMD8<Float>, inout SIMD8<Float>, inout SIMD8<Float>) -> Void) {
        typealias V = SIMD8<Float>
        let n = p.count
        guard n > 0, let pp = p.baseAddress, let gp = g.baseAddress else { return }
        @inline(__always) func load(_ q: UnsafePointer<Float>?, _ i: Int) -> V {
            guard let q else { return V() }
            return UnsafeRawPointer(q + i).loadUnaligned(as: V.self)
        }
        @inline(__always) func store(_ x: V, _ q: UnsafeMutablePointer<Float>?, _ i: Int) {
            guard let q else { return }
            UnsafeMutableRawPointer(q + i).storeBytes(of: x, as: V.self)
        }
        var i = 0
        while i &+ 8 <= n {  // full lanes: plain vector loads and stores
            var theta = load(pp, i), a = load(s1, i), b = load(s2, i)
            rule(&theta, load(gp, i), &a, &b)
            store(theta, pp, i); store(a, s1, i); store(b, s2, i)
            i &+= 8
        }
        guard i < n else { return }
        // The tail, once, through zero-padded lanes.
        let k = n - i
        @inline(__always) func loadTail(_ q: UnsafePointer<Float>?) -> V {
            var x = V(); if let q { for j in 0..<k { x[j] = q[i + j] } }; return x
        }
        @inline(__always) func storeTail(_ x: V, _ q: UnsafeMutablePointer<Float>?) {
            if let q { for j in 0..<k { q[i + j] = x[j] } }
        }
        var theta = loadTail(pp), a = loadTail(s1), b = loadTail(s2)
        rule(&theta, loadTail(gp), &a, &b)
        storeTail(theta, pp); storeTail(a, s1); storeTail(b, s2)
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
