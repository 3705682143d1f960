import MaplNN

/// Errors that read better knowing the expression a value came from: a `none` read from `W.grad` before any
/// `backward`, an empty `m.layers` of a single layer. Only the error path looks at them.
extension Compiler {
    /// The source text of a plain access chain — `W`, `m.W`, `m.layers[0].W` — or nil for anything else (so
    /// re-reading it has no effects).
    static func chainText(_ e: Expr) -> String? {
        switch e.kind {
        case .name(let n): return n
        case .field(let base, let name, _): return chainText(base).map { "\($0).\(name)" }
        case .index(let base, let subs):
            guard let b = chainText(base), subs.count == 1, case .index(let i) = subs[0], case .number(let x) = i.kind else { return nil }
            return "\(b)[\(Printer.formatNumber(x))]"
        default: return nil
        }
    }

    /// When one of `operands` is a `none` read from `X.grad`, an error at that operand saying why it is none
    /// and what gives it a value; otherwise `error` unchanged.
    static func explainingNone(_ error: MaplError, _ operands: [(Expr, Value)], _ interp: Interpreter, _ env: Environment) -> MaplError {
        for (expr, value) in operands {
            guard case .none = value, case .field(let base, "grad", _) = expr.kind, let owner = chainText(base) else { continue }
            // A plain chain has no effects, so reading it again to tell a parameter from a constant is safe.
            if case .tensor(let t)? = try? expression(base)(interp, env), !t.isParameter {
                return MaplError(.runtime, "\(owner).grad is none: \(owner) is not a parameter, so backward keeps no gradient for it; make it one with param(…)", at: expr.range)
            }
            return MaplError(.runtime, "\(owner) has no gradient yet: \(owner).grad is none until backward(loss) computes it", at: expr.range)
        }
        return error
    }

    /// `owner.layers[i]` failed on an empty list: when `owner` is a single layer, say so.
    static func explainingLayers(_ error: MaplError, owner: Expr, value: Value, layers: Value) -> MaplError {
        guard case .list(let items) = layers, items.isEmpty, case .mapping(let m) = value else { return error }
        let name = chainText(owner) ?? "this model"
        let kind = (m as? LayerMapping)?.layer.signature ?? m.name
        let fields = m.fieldNames.filter { $0 != "layers" && $0 != "params" && $0 != "kind" }
        let use = fields.isEmpty ? "use \(name) itself" : "use \(name) itself (" + fields.map { "\(name).\($0)" }.joined(separator: ", ") + ")"
        return MaplError(.runtime, "\(name) is a single layer, \(kind), not a model of stages: \(name).layers is empty; \(use)", at: error.range)
    }
}
