import Foundation

/// Elementwise mappings: forward and local derivative side by side. Each derivative is written as a
/// function of x (and y, the output) and multiplied by the upstream gradient in one pass (`Tensor.chain`).
extension Variable {
    /// Records an elementwise op `y = f(x)`; `backward(g, x, y)` returns ∂L/∂x. Each op passes
    /// `{ try Tensor.chain($0, $1, $2) { x, y in dydx } }`: the derivative is a closure literal handed to an
    /// inlined kernel, so it is compiled into the loop (a derivative stored in an escaping closure was called
    /// per element).
    @inline(__always)
    static func elementwise(_ x: Variable, _ op: OpInfo, _ f: (Float) -> Float,
                            _ backward: @escaping (_ g: Tensor, _ x: Tensor, _ y: Tensor) throws -> Tensor) -> Variable {
        let y = x.value.map(f)
        return record(op, [x], y) { g in [try backward(g, x.value, y)] }
    }

    static let expOp = OpInfo.elementwise("exp", "∂y/∂x = eˣ = y", derivative: { _, y in y })

    /// eˣ — ∂y/∂x = eˣ = y
    public static func exp(_ x: Variable) -> Variable {
        elementwise(x, expOp, { Foundation.exp($0) }) { try Tensor.chain($0, $1, $2) { _, y in y } }
            .differentiable { g, y in [try g * y] }
    }

    static let logOp = OpInfo.elementwise("log", "∂y/∂x = 1/x", derivative: { x, _ in 1 / x },
                                            terms: { x, _, format in format(x).map { "1/\($0)" } })

    /// ln x — ∂y/∂x = 1/x
    public static func log(_ x: Variable) -> Variable {
        elementwise(x, logOp, { Foundation.log($0) }) { try Tensor.chain($0, $1, $2) { x, _ in 1 / x } }
            .differentiable { g, y in [try g / y.inputs[0]] }
    }

    static let sqrtOp = OpInfo.elementwise("sqrt", "∂y/∂x = 1/(2√x)", derivative: { _, y in 0.5 / y },
                                             terms: { _, y, format in format(y).map { "1/(2·\($0))" } })

    /// √x — ∂y/∂x = 1/(2√x)
    public static func sqrt(_ x: Variable) -> Variable {
        elementwise(x, sqrtOp, { $0.squareRoot() }) { try Tensor.chain($0, $1, $2) { _, y in 0.5 / y } }
            .differentiable { g, y in [try g * Variable(Tensor(0.5)) / y] }
    }

    static let absOp = OpInfo.elementwise("abs", "∂y/∂x = sign(x)", derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) })

    /// |x| — ∂y/∂x = sign(x) (0 at 0)
    public static func abs(_ x: Variable) -> Variable {
        elementwise(x, absOp, { Swift.abs($0) }) { try Tensor.chain($0, $1, $2) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) } }
            .differentiable { g, y in [try g * Variable(y.inputs[0].value.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })] }
    }

    static let sinOp = OpInfo.elementwise("sin", "∂y/∂x = cos x", derivative: { x, _ in Foundation.cos(x) })

    /// sin x — ∂y/∂x = cos x
    public static func sin(_ x: Variable) -> Variable {
        elementwise(x, sinOp, { Foundation.sin($0) }) { try Tensor.chain($0, $1, $2) { x, _ in Foundation.cos(x) } }
            .differentiable { g, y in [try g * cos(y.inputs[0])] }
    }

    static let cosOp = OpInfo.elementwise("cos", "∂y/∂x = −sin x", derivative: { x, _ in -Foundation.sin(x) })

    /// cos x — ∂y/∂x = −sin x
    public static func cos(_ x: Variable) -> Variable {
        elementwise(x, cosOp, { Foundation.cos($0) }) { try Tensor.chain($0, $1, $2) { x, _ in -Foundation.sin(x) } }
            .differentiable { g, y in [-(try g * sin(y.inputs[0]))] }
    }

    static let tanhOp = OpInfo.elementwise("tanh", "∂y/∂x = 1 − y²", derivative: { _, y in 1 - y * y },
                                             terms: { _, y, format in format(y).map { "1−\($0)²" } })

    /// tanh x — ∂y/∂x = 1 − y²
    public static func tanh(_ x: Variable) -> Variable {
        elementwise(x, tanhOp, { Foundation.tanh($0) }) { try Tensor.chain($0, $1, $2) { _, y in 1 - y * y } }
            .differentiable { g, y in [try g * (try Variable(Tensor(1)) - y * y)] }
    }

    static let sigmoidOp = OpInfo.elementwise("sigmoid", "∂σ/∂x = σ·(1−σ)", derivative: { _, y in y * (1 - y) },
                                                terms: { _, y, format in zip(format(y), format(y.map { 1 - $0 })).map { "\($0)·\($1)" } })

    /// σ(x) = 1/(1+e⁻ˣ) — ∂σ/∂x = σ·(1−σ) (named σ, not y: a lecture's y is the target)
    public static func sigmoid(_ x: Variable) -> Variable {
        elementwise(x, sigmoidOp, Kernels.sigmoid) { try Tensor.chain($0, $1, $2) { _, y in y * (1 - y) } }
            .differentiable { g, y in [try g * y * (try Variable(Tensor(1)) - y)] }
    }

    static let reluOp = OpInfo.elementwise("relu", "∂y/∂x = 1 if x > 0 else 0", derivative: { x, _ in x > 0 ? 1 : 0 })

    /// max(0, x) — ∂y/∂x = 1 if x > 0 else 0. NaN stays NaN (as PyTorch's relu and NumPy's maximum): a
    /// diverged value must not be hidden as 0. Its gradient is 0.
    ///
    /// The backward is the mask `g · [y > 0]` read from the output alone (`Tensor.reluGradient`): two streams
    /// instead of three, the same values (y > 0 exactly where x > 0, NaN included).
    public static func relu(_ x: Variable) -> Variable {
        let y = x.value.relu()
        return record(reluOp, [x], y) { g in
            var noSums: [Double]? = nil
            return [g.shape == y.shape ? try Tensor.reluGradient(g, output: y, columnSums: &noSums)
                                       : try Tensor.chain(g, x.value, y) { x, _ in x > 0 ? 1 : 0 }]
        }.differentiable { g, y in [try g * Variable(y.value.map { $0 > 0 ? 1 : 0 })] }
    }

    static func leakyReluOp(slope: Float) -> OpInfo {
        OpInfo.elementwise("leaky_relu", "∂y/∂x = 1 if x > 0 else \(slope)", derivative: { x, _ in x > 0 ? 1 : slope })
    }

    /// x if x > 0 else α·x — ∂y/∂x = 1 if x > 0 else α
    public static func leakyRelu(_ x: Variable, slope: Float = 0.01) -> Variable {
        elementwise(x, leakyReluOp(slope: slope), { $0 > 0 ? $0 : slope * $0 }) { try Tensor.chain($0, $1, $2) { x, _ in x > 0 ? 1 : slope } }
            .differentiable { g, y in [try g * Variable(y.inputs[0].value.map { $0 > 0 ? 1 : slope })] }
    }

    static let geluOp = OpInfo.elementwise("gelu", "∂y/∂x = Φ(x) + x·φ(x)", derivative: { x, _ in geluDerivative(x) })

    /// GELU, exact form x·Φ(x) (as PyTorch's default) — ∂y/∂x = Φ(x) + x·φ(x)
    public static func gelu(_ x: Variable) -> Variable {
        elementwise(x, geluOp, Kernels.gelu) { try Tensor.chain($0, $1, $2) { x, _ in geluDerivative(x) } }
    }

    /// Φ(x) + x·φ(x), GELU's derivative (the backward and the stepper's numbers).
    @inline(__always)
    static func geluDerivative(_ x: Float) -> Float {
        let cdf = 0.5 * (1 + Foundation.erf(x / 2.0.squareRoot().float))
        let pdf = Foundation.exp(-0.5 * x * x) / (2 * Float.pi).squareRoot()
        return cdf + x * pdf
    }

    static func clipOp(_ lo: Float, _ hi: Float) -> OpInfo {
        OpInfo.elementwise("clip", "∂y/∂x = 1 where \(numberString(lo)) ≤ x ≤ \(numberString(hi)), else 0",
                           derivative: { x, _ in x >= lo && x <= hi ? 1 : 0 })
    }

    /// clip(x, lo, hi) — ∂y/∂x = 1 where lo ≤ x ≤ hi, else 0
    public static func clip(_ x: Variable, _ lo: Float, _ hi: Float) -> Variable {
        elementwise(x, clipOp(lo, hi), { Swift.min(Swift.max($0, lo), hi) }) { try Tensor.chain($0, $1, $2) { x, _ in
            x >= lo && x <= hi ? 1 : 0
        } }.differentiable { g, y in [try g * Variable(y.inputs[0].value.map { $0 >= lo && $0 <= hi ? 1 : 0 })] }
    }

    /// where(c, a, b): the upstream gradient passes to a where the condition holds, to b elsewhere.
    static let whereOp = OpInfo("where", "∂/∂a = cond, ∂/∂b = 1 − cond", flow: { f in
        OpFlow(f.argument == 0 ? "upstream ⊙ cond" : "upstream ⊙ (1 − cond)")
    })

    /// where(c, a, b) picks a where c ≠ 0, else b — ∂/∂a = c, ∂/∂b = 1 − c (the condition gets no gradient)
    public static func `where`(_ condition: Tensor, _ a: Variable, _ b: Variable) throws -> Variable {
        let mask = condition.map { $0 != 0 ? 1 : 0 }
        let shape = try Shape.broadcast(Shape.broadcast(mask.shape, a.shape), b.shape)
        let full = Tensor(repeating: 0, shape: shape)
        let m = try full + mask
        let y = try Tensor.zip(try Tensor.zip(m, a.value) { $0 != 0 ? $1 : 0 }, try Tensor.zip(m, b.value) { $0 != 0 ? 0 : $1 }, +)
        return record(whereOp, [a, b], y) { g in
            [a.requiresGrad ? try (g * m).sum(toShape: a.shape) : nil,
             b.requiresGrad ? try Tensor.zip(g, m) { $1 != 0 ? 0 : $0 }.sum(toShape: b.shape) : nil]
        }.differentiable { g, y in
            let (a, b) = (y.inputs[0], y.inputs[1])
            return [a.requiresGrad ? try sumTo(g * Variable(m), a.shape) : nil,
                    b.requiresGrad ? try sumTo(g * Variable(m.map { 1 - $0 }), b.shape) : nil]
        }
    }
}

/// Scalar functions shared by forward passes (and by the notebook's displays).
public enum Kernels {
    /// σ(x), written to stay finite for large |x|.
    @inline(__always)
    public static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : { let e = Foundation.exp(x); return e / (1 + e) }()
    }

    /// GELU, exact: x·Φ(x) with Φ the standard normal CDF.
    @inline(__always)
    public static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + Foundation.erf(x * 0.70710678118654752))
    }
}

extension Double {
    @usableFromInline var float: Float { Float(self) }
}
