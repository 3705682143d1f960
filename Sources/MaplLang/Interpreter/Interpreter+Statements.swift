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
