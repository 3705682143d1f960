import Foundation
import MaplNN

extension Interpreter {
    /// `[a, b, …]`: numbers and equal-shaped tensors stack into a tensor (gradients flow through the
    /// stack); anything else, or an empty `[]`, is a list. A list naming parameters stays a list of those
    /// very parameters (`zero_grad([W1, W2])`, `sgd([W, b])`), even when their shapes agree — stacking
    /// would hand the builtin a new tensor instead of the shared objects; `stack(...)` stacks them.
    func listLiteral(_ values: [Value]) throws -> Value {
        guard !values.isEmpty else { return .list([]) }
        var parts: [Variable] = []
        for v in values {
            switch v {
            case .number(let x): parts.append(Variable(Tensor(Float(x))))
            case .tensor(let t) where t.isParameter: return .list(values)
            case .tensor(let t): parts.append(t)
            default: return .list(values)
            }
        }
        guard let shape = parts.first?.shape, parts.allSatisfy({ $0.shape == shape }) else { return .list(values) }
        if parts.allSatisfy({ !$0.requiresGrad }) {
            return .constant(try Tensor.stack(parts.map(\.value), axis: 0))
        }
        return .tensor(try Variable.stack(parts, axis: 0))
    }

    func negate(_ v: Value) throws -> Value {
        switch v {
        case .number(let x): return .number(-x)
        case .tensor(let t): return .tensor(-t)
        default: throw RuntimeError("cannot negate \(v.kindWithArticle)")
        }
    }

    /// A short description of an expression for messages: its name when it is one.
    static func describe(_ e: Expr) -> String {
        if case .name(let n) = e.kind { return "'\(n)'" }
        if case .field(_, let n, _) = e.kind { return "field '\(n)'" }
        return "this value"
    }

    func unknownNameMessage(_ name: String, in env: Environment) -> String {
        var message = "unknown name '\(name)'"
        if let hint = Suggestions.forUnknownName(name, among: env.visibleNames) { message += " — " + hint }
        return message
    }
}
