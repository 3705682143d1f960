import Foundation

/// The arithmetic operators, each with its forward and its local derivative side by side.
/// Broadcasting: a gradient is summed back to its operand's shape (`sum(toShape:)`).
extension Variable {
    /// a + b — ∂/∂a = 1, ∂/∂b = 1
    public static func + (a: Variable, b: Variable) throws -> Variable {
        let y = try a.value + b.value
        return record(OpInfo("add", "∂(a+b)/∂a = 1, ∂(a+b)/∂b = 1"), [a, b], y) { g in
            [a.requiresGrad ? g.sum(toShape: a.shape) : nil,
             b.requiresGrad ? g.sum(toShape: b.shape) : nil]
        }.differentiable { g, y in
            let (a, b) = (y.inputs[0], y.inputs[1])
            return [a.requiresGrad ? try sumTo(g, a.shape) : nil, b.requiresGrad ? try sumTo(g, b.shape) : nil]
        }
    }

    /// a − b — ∂/∂a = 1, ∂/∂b = −1
    public static func - (a: Variable, b: Variable) throws -> Variable {
        let y = try a.value - b.value
        return record(OpInfo("sub", "∂(a−b)/∂a = 1, ∂(a−b)/∂b = −1"), [a, b], y) { g in
            [a.requiresGrad ? g.sum(toShape: a.shape) : nil,
             b.requiresGrad ? (-g).sum(toShape: b.shape) : nil]
        }.differentiable { g, y in
            let (a, b) = (y.inputs[0], y.inputs[1])
            return [a.requiresGrad ? try sumTo(g, a.shape) : nil, b.requiresGrad ? try sumTo(-g, b.shape) : nil]
        }
    }

    /// a · b (elementwise) — ∂/∂a = b, ∂/∂b = a
    public static func * (a: Variable, b: Variable) throws -> Variable {
        let y = try a.value * b.value
        return record(OpInfo("mul", "∂(a·b)/∂a = b, ∂(a·b)/∂b = a"), [a, b], y) { g in
            [a.requiresGrad ? try (g * b.value).sum(toShape: a.shape) : nil,
             b.requiresGrad ? try (g * a.value).sum(toShape: b.shape) : nil]
        }.differentiable { g, y in
            let (a, b) = (y.inputs[0], y.inputs[1])
            return [a.requiresGrad ? try sumTo(g * b, a.shape) : nil, b.requiresGrad ? try sumTo(g * a, b.shape) : nil]
        }
    }

    /// a / b — ∂/∂a = 1/b, ∂/∂b = −a/b²
    public static func / (a: Variable, b: Variable) throws -> Variable {
        let y = try a.value / b.value
        return record(OpInfo("div", "∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²"), [a, b], y) { g in
            [a.requiresGrad ? try (g / b.value).sum(toShape: a.shape) : nil,
             b.requiresGrad ? try Tensor.zip(try g * y, b.value) { -$0 / $1 }.sum(toShape: b.shape) : nil]
        }.differentiable { g, y in
            let (a, b) = (y.inputs[0], y.inputs[1])
            return [a.requiresGrad ? try sumTo(g / b, a.shape) : nil, b.requiresGrad ? try sumTo(-(try g * y / b), b.shape) : nil]
        }
    }

    /// −a — ∂/∂a = −1
    public static prefix func - (a: Variable) -> Variable {
        record(OpInfo("neg", "∂(−a)/∂a = −1"), [a], -a.value) { g in [-g] }.differentiable { g, _ in [-g] }
    }

    /// a mod b, with the sign of b as in NumPy/Python — ∂/∂a = 1, ∂/∂b = −floor(a/b)
    public static func remainder(_ a: Variable, _ b: Variable) throws -> Variable {
        let y = try Tensor.zip(a.value, b.value) { $0 - ($0 / $1).rounded(.down) * $1 }
        return record(OpInfo("mod", "∂(a mod b)/∂a = 1, ∂(a mod b)/∂b = −floor(a/b)"), [a, b], y) { g in
            [a.requiresGrad ? g.sum(toShape: a.shape) : nil,
             b.requiresGrad ? try (g * Tensor.zip(a.value, b.value) { -($0 / $1).rounded(.down) }).sum(toShape: b.shape) : nil]
        }.differentiable { g, y in
            let (a, b) = (y.inputs[0], y.inputs[1])
            let floor = Variable(try Tensor.zip(a.value, b.value) { -($0 / $1).rounded(.down) })  // piecewise constant
            return [a.requiresGrad ? try sumTo(g, a.shape) : nil, b.requiresGrad ? try sumTo(g * floor, b.shape) : nil]
        }
    }

    /// aᵇ — ∂/∂a = b·aᵇ⁻¹, ∂/∂b = aᵇ·ln a (taken as 0 where a ≤ 0, where ln a is undefined)
    public static func pow(_ a: Variable, _ b: Variable) throws -> Variable {
        let y = try Tensor.zip(a.value, b.value) { Foundation.pow($0, $1) }
        return record(OpInfo("pow", "∂(aᵇ)/∂a = b·aᵇ⁻¹, ∂(aᵇ)/∂b = aᵇ·ln a"), [a, b], y) { g in
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
