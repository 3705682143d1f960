import MaplNN

/// A mapl value: what an expression evaluates to and what a name is bound to.
///
/// Plain tensors behave as values (index assignment writes into a copy and rebinds); parameters
/// (`Variable.isParameter`) are shared objects that in-place updates mutate for every holder.
public enum Value {
    case number(Double)
    case bool(Bool)
    case string(String)
    case none
    /// A float32 tensor; the `Variable` carries its place in the gradient graph.
    case tensor(Variable)
    case list([Value])
    case record(Record)
    /// Anything callable: builtins, user functions, compositions, layers and models.
    case mapping(Mapping)
    /// Other library objects the nn layer adds (optimizers, datasets, histories).
    case object(ObjectValue)

    /// The kind's name as `type(x)` reports it and error messages use it.
    public var typeName: String {
        switch self {
        case .number: return "number"
        case .bool: return "bool"
        case .string: return "string"
        case .none: return "none"
        case .tensor: return "tensor"
        case .list: return "list"
        case .record: return "record"
        case .mapping: return "mapping"
        case .object(let o): return o.typeName
        }
    }

    /// The kind with its article, for messages: "a string", "an optimizer".
    public var kindWithArticle: String { Value.article(typeName) }

    static func article(_ word: String) -> String {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        return (word.first.map { vowels.contains($0) } ?? false ? "an " : "a ") + word
    }

    /// A tensor wrapping a constant (no gradient).
    public static func constant(_ t: Tensor) -> Value { .tensor(Variable(t)) }

    /// The tensor's variable when this is a tensor.
    public var variable: Variable? { if case .tensor(let v) = self { return v }; return nil }
}

/// Ordered named fields, as `evaluate` returns (`{loss: 0.1, accuracy: 0.97}`).
public struct Record {
    /// What a record stands for, when printing should summarise it rather than list every field.
    public enum Kind: Sendable { case plain, history }

    public private(set) var fields: [(name: String, value: Value)]
    /// `.history` for what `fit` returns: it prints as a summary, not its 938 batch losses.
    public var kind: Kind
    public init(_ fields: [(name: String, value: Value)], kind: Kind = .plain) { self.fields = fields; self.kind = kind }

    /// The field's value, or nil when there is no such field.
    public subscript(name: String) -> Value? {
        get { fields.first(where: { $0.name == name })?.value }
        set {
            if let i = fields.firstIndex(where: { $0.name == name }) {
                if let newValue { fields[i].value = newValue } else { fields.remove(at: i) }
            } else if let newValue {
                fields.append((name, newValue))
            }
        }
    }

    public var names: [String] { fields.map(\.name) }
}

/// A library object that is not a mapping (optimizers, datasets). The nn integration conforms its types;
/// optional extra abilities come from `IterableValue`, `IndexableValue`, `LengthValue`, `ParameterHolder`.
public protocol ObjectValue: AnyObject {
    /// The kind as `type(x)` reports it ("optimizer", "dataset").
    var typeName: String { get }
    /// How the value prints at the prompt.
    var displayString: String { get }
    /// The fields `x.name` can read, for "no such field" messages and completion.
    var fieldNames: [String] { get }
    /// Reads a field; nil when there is none.
    func field(_ name: String) throws -> Value?
    /// Writes a field (`opt.lr = 0.01`); throw when it is read-only.
    func setField(_ name: String, _ value: Value) throws
}

extension ObjectValue {
    public var fieldNames: [String] { [] }
    public func field(_ name: String) throws -> Value? { nil }
    public func setField(_ name: String, _ value: Value) throws {
        throw RuntimeError("cannot assign to field '\(name)' of \(Value.article(typeName))")
    }
}

/// Values `for x in v` can walk (datasets' `batches(...)`, …).
public protocol IterableValue {
    func makeValueIterator() throws -> ValueIterator
}

/// A source of values one at a time; `nil` ends the loop.
public protocol ValueIterator: AnyObject {
    func next() throws -> Value?
}

/// Values `x[i]`, `x[a:b]` can index (datasets).
public protocol IndexableValue {
    func index(_ subscripts: [SubscriptValue]) throws -> Value
}

/// One evaluated subscript.
public enum SubscriptValue {
    case value(Value)
    case slice(start: Int?, end: Int?, step: Int?)
}

/// Values `len(x)` understands.
public protocol LengthValue {
    var length: Int { get }
}

/// Values holding trainable parameters: `zero_grad(x)`, `model.params`, optimizers' `m` argument.
public protocol ParameterHolder {
    var parameterList: [Variable] { get }
}

/// An iterator over a Swift array of values.
public final class ArrayValueIterator: ValueIterator {
    private var items: [Value]
    private var position = 0
    public init(_ items: [Value]) { self.items = items }
    public func next() throws -> Value? {
        guard position < items.count else { return nil }
        defer { position += 1 }
        return items[position]
    }
}

/// An iterator driven by a closure.
public final class ClosureValueIterator: ValueIterator {
    private let step: () throws -> Value?
    public init(_ step: @escaping () throws -> Value?) { self.step = step }
    public func next() throws -> Value? { try step() }
}
