import Foundation

/// The arithmetic operators, each with its forward and its local derivative side by side.
/// Broadcasting: a gradient is summed back to its operand's shape (`sum(toShape:)`).
extension Variable {
    /// a + b: the upstream gradient passes to both operands unchanged.
    static let addOp = OpInfo("add", "∂(a+b)/∂a = 1, ∂(a+b)/∂b = 1", flow: { f in
        OpFlow("upstream", unreduced: f.unreduced { f.upstream })
    })

    /// a + b — ∂/∂a = 1, ∂/∂b = 1
    public static func + (a: Variable, b: Variable) throws -> Variable {
        let y = try a.value + b.value
        return record(addOp, [a, b], y) { g in
            [a.requiresGrad ? g.sum(toShape: a.shape) : nil,
             b.requiresGrad ? g.sum(toShape: b.shape) : nil]
        }.differentiable { g, y in
            let (a, b) = (y.inputs[0], y.inputs[1])
            return [a.requiresGrad ? try sumTo(g, a.shape) : nil, b.requiresGrad ? try sumTo(g, b.shape) : nil]
        }
    }

    /// a − b: the upstream gradient passes to a, negated to b.
    static let subOp = OpInfo("sub", "∂(a−b)/∂a = 1, ∂(a−b)/∂b = −1", flow: { f in
        f.argument == 0 ? OpFlow("upstream", unreduced: f.unreduced { f.upstream })
                        : OpFlow("−upstream", unreduced: f.unreduced { -f.upstream })
    })

    /// a − b — ∂/∂a = 1, ∂/∂b = −1
    public static func - (a: Variable, b: Variable) throws -> Variable {
        let y = try a.value - b.value
        return record(subOp, [a, b], y) { g in
            [a.requiresGrad ? g.sum(toShape: a.shape) : nil,
             b.requiresGrad ? (-g).sum(toShape: b.shape) : nil]
        }.differentiable { g, y in
            let (a, b) = (y.inputs[0], y.inputs[1])
            return [a.requiresGrad ? try sumTo(g, a.shape) : nil, b.requiresGrad ? try sumTo(-g, b.shape) : nil]
        }
    }

    /// a · b: each operand's gradient is the upstream one times the other operand.
    static let mulOp = OpInfo("mul", "∂(a·b)/∂a = b, ∂(a·b)/∂b = a", flow: { f in
        let other = 1 - f.argument
        return OpFlow("upstream ⊙ \(f.operands[other])", unreduced: f.unreduced { try f.upstream * f.inputs[other] })
    })

    /// a · b (elementwise) — ∂/∂a = b, ∂/∂b = a
    public static func * (a: Variable, b: Variable) throws -> Variable {
        let y = try a.value * b.value
        return record(mulOp, [a, b], y) { g in
            [a.requiresGrad ? try (g * b.value).sum(toShape: a.shape) : nil,
             b.requiresGrad ? try (g * a.value).sum(toShape: b.shape) : nil]
        }.differentiable { g, y in
            let (a, b) = (y.inputs[0], y.inputs[1])
            return [a.requiresGrad ? try sumTo(g * b, a.shape) : nil, b.requiresGrad ? try sumTo(g * a, b.shape) : nil]
        }
    }

    /// a / b: the upstream gradient divided by b to a; times −a/b² (= −y/b) to b.
    static let divOp = OpInfo("div", "∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²", flow: { f in
        let (a, b) = (f.operands[0], f.operands[1])
        return f.argument == 0
            ? OpFlow("upstream ⊙ 1/\(b)", unreduced: f.unreduced { try f.upstream / f.inputs[1] })
            : OpFlow("upstream ⊙ (−\(a)/\(b)²)", unreduced: f.unreduced { try Tensor.zip(try f.upstream * f.output, f.inputs[1]) { -$0 / $1 } })
    })

    /// a / b — ∂/∂a = 1/b, ∂/∂b = −a/b²
    public static func / (a: Variable, b: Variable) throws -> Variable {
        let y = try a.value / b.value
        return record(divOp, [a, b], y) { g in
            [a.requiresGrad ? try (g / b.value).sum(toShape: a.shape) : nil,
             b.requiresGrad ? try Tensor.zip(try g * y, b.value) { -$0 / $1 }.sum(toShape: b.shape) : nil]
        }.differentiable { g, y in
            let (a, b) = (y.inputs[0], y.inputs[1])
            return [a.requiresGrad ? try sumTo(g / b, a.shape) : nil, b.requiresGrad ? try sumTo(-(try g * y / b), b.shape) : nil]
        }
    }

    /// −a: −1 per element.
    static let negOp = OpInfo.elementwise("neg", "∂(−a)/∂a = −1", derivative: { _, _ in -1 })

    /// −a — ∂/∂a = −1
    public static prefix func - (a: Variable) -> Variable {
        record(negOp, [a], -a.value) { g in [-g] }.differentiable { g, _ in [-g] }
    }

    /// a mod b = a − floor(a/b)·b: the upstream gradient passes to a; times −floor(a/b) to b.
    static let modOp = OpInfo("mod", "∂(a mod b)/∂a = 1, ∂(a mod b)/∂b = −floor(a/b)", flow: { f in
        let (a, b) = (f.operands[0], f.operands[1])
        return f.argument == 0
            ? OpFlow("upstream", unreduced: f.unreduced { f.upstream })
            : OpFlow("upstream ⊙ (−floor(\(a)/\(b)))", unreduced: f.unreduced {
                try f.upstream * Tensor.zip(f.inputs[0], f.inputs[1]) { -($0 / $1).rounded(.down) }
            })
    })

    /// a mod b, with the sign of b as in NumPy/Python — ∂/∂a = 1, ∂/∂b = −floor(a/b)
    public static func remainder(_ a: Variable, _ b: Variable) throws -> Variable {
        let y = try Tensor.zip(a.value, b.value) { $0 - ($0 / $1).rounded(.down) * $1 }
        return record(modOp, [a, b], y) { g in
            [a.requiresGrad ? g.sum(toShape: a.shape) : nil,
             b.requiresGrad ? try (g * Tensor.zip(a.value, b.value) { -($0 / $1).rounded(.down) }).sum(toShape: b.shape) : nil]
        }.differentiable { g, y in
            let (a, b) = (y.inputs[0], y.inputs[1])
            let floor = Variable(try Tensor.zip(a.value, b.value) { -($0 / $1).rounded(.down) })  // piecewise constant
            return [a.requiresGrad ? try sumTo(g, a.shape) : nil, b.requiresGrad ? try sumTo(g * floor, b.shape) : nil]
        }
    }

    /// aᵇ: b·aᵇ⁻¹ to a, aᵇ·ln a to b. With a constant exponent only ∂/∂a is shown (∂/∂b is not needed
    /// there, and undefined for a negative a).
    static let powOp = OpInfo("pow", "∂(aᵇ)/∂a = b·aᵇ⁻¹, ∂(aᵇ)/∂b = aᵇ·ln a", flow: { f in
        let (a, b) = (f.operands[0], f.operands[1])
        guard f.argument == 0 else { return OpFlow("upstream ⊙ \(a)^\(b)·ln \(a)") }
        return OpFlow(b == "2" ? "upstream ⊙ 2·\(a)" : "upstream ⊙ \(b)·\(a)^(\(b)−1)")
    }, partialRule: { needsGradient in
        needsGradient.count == 2 && !needsGradient[1] ? "∂(aᵇ)/∂a = b·aᵇ⁻¹" : nil
    })

    /// aᵇ — ∂/∂a = b·aᵇ⁻¹, ∂/∂b = aᵇ·ln a (taken as 0 where a ≤ 0, where ln a is undefined)
    public static func pow(_ a: Variable, _ b: Variable) throws -> Variable {
        let y = try Tensor.zip(a.value, b.value) { Foundation.pow($0, $1) }
        return record(powOp, [a, b], y) { g in
            let da: Tensor? = a.requiresGrad
                ? try (g * Tensor.zip(a.value, b.value) { $1 == 0 ? 0 : $1 * Foundation.pow($0, $1 - 1) }).sum(toShape: a.shape)
                : nil
            let db: Tensor? = b.requiresGrad
                ? try (g * Tensor.zip(y, a.value) { $1 > 0 ? $0 * Foundation.log($1) : 0 }).sum(toShape: b.shape)
                : nil
            return [da, db]
        }.differentiable { g, y in
            let (a, b) = (y.inputs[0], y.inputs[1])
            let zero = Variable(Tensor(0)), one = Variable(Tensor(1))
            var da: Variable? = nil, db: Variable? = nil
            if a.requiresGrad {  // b·aᵇ⁻¹, 0 where b = 0
                let d = try b * pow(a, try b - one)
                da = try sumTo(g * Variable.where(try Tensor.compare(b.value, Tensor(0), .eq), zero, d), a.shape)
            }
            if b.requiresGrad {  // aᵇ·ln a where a > 0, else 0
                let positive = try Tensor.compare(a.value, Tensor(0), .gt)
                let lnA = log(try Variable.where(positive, a, one))
                db = try sumTo(g * Variable.where(positive, try y * lnA, zero), b.shape)
            }
            return [da, db]
        }
    }
}
