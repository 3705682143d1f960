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
            default:
                try Interpreter.checkNesting(values)
                return .list(values)
            }
        }
        guard let shape = parts.first?.shape, parts.allSatisfy({ $0.shape == shape }) else { return .list(values) }
        if parts.allSatisfy({ !$0.requiresGrad }) {
            return .constant(try Tensor.stack(parts.map(\.value), axis: 0))
        }
        return .tensor(try Variable.stack(parts, axis: 0))
    }

    /// The deepest a list may nest (`L = [L]` in a loop): far beyond any real use (Python's repr gives up
    /// at about the same depth), and far below the depth whose release — recursive, item inside item —
    /// overflows the stack (millions).
    static let maxNesting = 1000

    /// Throws when a list of `items` would nest more than `maxNesting` deep. The walk stops at that depth,
    /// so it costs at most the lists within it.
    static func checkNesting(_ items: [Value]) throws {
        func depth(_ items: [Value], _ level: Int) -> Int {
            guard level <= maxNesting else { return level }
            var deepest = level
            for v in items {
                if case .list(let inner) = v { deepest = max(deepest, depth(inner, level + 1)) }
                if deepest > maxNesting { break }
            }
            return deepest
        }
        guard depth(items, 1) <= maxNesting else {
            throw RuntimeError("lists may nest at most \(maxNesting) deep")
        }
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
        var message = "unknown name '\(MaplError.clipped(name))'"
        if let hint = Suggestions.forUnknownName(name, among: env.visibleNames) { message += " — " + hint }
        return message
    }
}
