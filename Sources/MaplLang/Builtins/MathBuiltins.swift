import Foundation
import MaplNN

/// Elementwise mappings (usable in compositions: `relu >> sigmoid`), reductions and softmax.
extension BuiltinRegistry {
    func registerMathBuiltins() {
        let c = "math"
        // Each elementwise mapping: a number gives a number (double precision); anything else a tensor
        // through the recorded op, so gradients flow.
        let elementwise: [(String, String, (Double) -> Double, (Variable) -> Variable)] = [
            ("exp", "eˣ elementwise", Foundation.exp, Variable.exp),
            ("log", "natural logarithm elementwise", Foundation.log, Variable.log),
            ("sqrt", "square root elementwise", { $0.squareRoot() }, Variable.sqrt),
            ("abs", "absolute value elementwise", { Swift.abs($0) }, Variable.abs),
            ("sin", "sine elementwise", Foundation.sin, Variable.sin),
            ("cos", "cosine elementwise", Foundation.cos, Variable.cos),
            ("tanh", "hyperbolic tangent elementwise", Foundation.tanh, Variable.tanh),
            ("sigmoid", "σ(x) = 1 / (1 + e⁻ˣ) elementwise", { 1 / (1 + Foundation.exp(-$0)) }, Variable.sigmoid),
            ("relu", "max(x, 0) elementwise", { Swift.max($0, 0) }, Variable.relu),
            ("gelu", "x·Φ(x) elementwise (exact GELU)", { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }, Variable.gelu),
        ]
        for (name, help, onNumber, onTensor) in elementwise {
            register("\(name)(x)", category: c, help) { a in
                if case .number(let x) = a.value("x") { return .number(onNumber(x)) }
                return .tensor(onTensor(try a.variable("x")))
            }
        }
        register("leaky_relu(x, slope=0.01)", category: c, "x where x > 0, else slope·x") { a in
            .tensor(Variable.leakyRelu(try a.variable("x"), slope: try a.float("slope")))
        }
        register("clip(x, lo, hi)", category: c, "limits every element to [lo, hi]") { a in
            let lo = try a.float("lo"), hi = try a.float("hi")
            for (name, v) in [("lo", lo), ("hi", hi)] where v.isNaN { throw a.error(name, "\(name) must be a number, got nan") }
            guard lo <= hi else { throw a.error("lo", "lo (\(lo)) must not exceed hi (\(hi))") }
            return .tensor(Variable.clip(try a.variable("x"), lo, hi))
        }
        register("where(cond, a, b)", category: c, "a where cond is non-zero, else b (broadcasting)") { a in
            .tensor(try Variable.where(a.tensor("cond"), a.variable("a"), a.variable("b")))
        }

        let reductions: [(String, String, (Variable, Int?, Bool) throws -> Variable)] = [
            ("sum", "the sum of all elements, or along axis", { try Variable.sum($0, axis: $1, keepdims: $2) }),
            ("mean", "the mean of all elements, or along axis", { try Variable.mean($0, axis: $1, keepdims: $2) }),
            ("max", "the largest element, or the largest along axis", { try Variable.max($0, axis: $1, keepdims: $2) }),
            ("min", "the smallest element, or the smallest along axis", { try Variable.min($0, axis: $1, keepdims: $2) }),
            ("var", "the variance (NumPy's default, dividing by n), overall or along axis", { try Variable.variance($0, axis: $1, keepdims: $2) }),
            ("std", "the standard deviation (dividing by n), overall or along axis", { try Variable.std($0, axis: $1, keepdims: $2) }),
        ]
        for (name, help, op) in reductions {
            register("\(name)(x, axis=none, keepdims=false)", category: c, help) { a in
                .tensor(try op(a.variable("x"), a.optionalInt("axis"), a.bool("keepdims")))
            }
        }
        register("argmax(x, axis=none, keepdims=false)", category: c, "the position of the largest element (flat), or along axis") { a in
            .constant(try a.tensor("x").argmax(axis: a.optionalInt("axis"), keepdims: a.bool("keepdims")))
        }
        register("softmax(x, axis=-1)", category: c, "exp(x) / sum(exp(x)) along axis") { a in
            .tensor(try Variable.softmax(a.variable("x"), axis: a.int("axis")))
        }
        register("log_softmax(x, axis=-1)", category: c, "log(softmax(x)), computed stably") { a in
            .tensor(try Variable.logSoftmax(a.variable("x"), axis: a.int("axis")))
        }
        register("round(x, n=0)", category: c, "rounds to n decimals, halves to even as NumPy (not recorded for gradients)") { a in
            let n = try a.int("n")
            // A range test, not abs(n) <= 30: abs(Int.min) traps.
            guard (-30...30).contains(n) else { throw a.error("n", "n must be between -30 and 30, got \(n)") }
            let scale = Foundation.pow(10.0, Double(n))
            func r(_ x: Double) -> Double { (x * scale).rounded(.toNearestOrEven) / scale }
            if case .number(let x) = a.value("x") { return .number(r(x)) }
            return .constant(try a.tensor("x").map { Float(r(Double($0))) })
        }
    }
}
