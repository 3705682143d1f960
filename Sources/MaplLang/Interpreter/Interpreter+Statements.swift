import Foundation
import MaplNN

/// How a statement ended: normally, or by leaving a loop or a mapping early.
enum ControlFlow {
    case normal
    case breakLoop
    case continueLoop
    case returned(Value)
}

extension Interpreter {
    /// Defaults must follow the parameters without one, and names must be distinct.
    func checkParameters(_ params: [Parameter]) throws {
        var seen = Set<String>()
        var sawDefault = false
        for p in params {
            guard seen.insert(p.name).inserted else {
                throw MaplError(.runtime, "parameter '\(p.name)' appears twice", at: p.range)
            }
            if p.defaultValue != nil { sawDefault = true } else if sawDefault {
                throw MaplError(.runtime, "parameter '\(p.name)' without a default follows one with a default", at: p.range)
            }
        }
    }

    /// An iterator over a value's items.
    public func iterator(over value: Value) throws -> ValueIterator {
        switch value {
        case .list(let items): return ArrayValueIterator(items)
        case .tensor(let t):
            guard t.rank >= 1 else { throw RuntimeError("cannot loop over a scalar tensor") }
            var i = 0
            let n = t.shape[0]
            return ClosureValueIterator {
                guard i < n else { return nil }
                defer { i += 1 }
                return .tensor(try Variable.index(t, [.at(i)]))
            }
        case .object(let o as IterableValue): return try o.makeValueIterator()
        case .mapping(let m as IterableValue): return try m.makeValueIterator()
        default:
            throw RuntimeError("cannot loop over \(value.kindWithArticle); loop over a range a..b, a list or a tensor")
        }
    }

    /// Names the graph node after the variable it is bound to (`z`), unless it already has a name.
    func labelTensor(_ value: Value, _ name: String) {
        if case .tensor(let v) = value, v.label == nil { v.label = name }
    }
}
