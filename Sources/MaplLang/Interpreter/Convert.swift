import MaplNN

/// Conversions between values and the Swift types builtins need, with errors that name the argument.
public enum Convert {
    /// A tensor, a number (a float32 scalar) or a list of numbers / equal-shaped lists as a `Variable`.
    /// Tensors are returned as they are, so gradients flow through.
    public static func variable(_ v: Value, argument: ArgumentPosition? = nil, what: String = "the argument") throws -> Variable {
        if case .tensor(let t) = v { return t }
        return Variable(try tensor(v, argument: argument, what: what))
    }

    /// The value's tensor (a copy for tensors — `Tensor` is a value type).
    public static func tensor(_ v: Value, argument: ArgumentPosition? = nil, what: String = "the argument") throws -> Tensor {
        switch v {
        case .tensor(let t): return t.value
        case .number(let x): return Tensor(Float(x))
        case .list(let items):
            if let t = try? stackConstants(items) { return t }
            throw RuntimeError("\(what) must be a tensor, but this list is not rectangular numbers", argument: argument)
        default:
            throw RuntimeError("\(what) must be a tensor, got \(v.kindWithArticle)", argument: argument)
        }
    }

    /// A list whose items are numbers or equal-shaped tensors/lists as one tensor (rows stacked).
    static func stackConstants(_ items: [Value]) throws -> Tensor {
        if items.allSatisfy({ if case .number = $0 { return true }; return false }) {
            return Tensor(items.map { if case .number(let x) = $0 { return Float(x) }; return 0 })
        }
        let parts = try items.map { try tensor($0) }
        guard let first = parts.first else { return Tensor([Float]()) }
        guard parts.allSatisfy({ $0.shape == first.shape }) else { throw RuntimeError("ragged list") }
        return try Tensor.stack(parts, axis: 0)
    }

    /// A number: numbers, and one-element tensors (e.g. a loss).
    public static func double(_ v: Value, argument: ArgumentPosition? = nil, what: String = "the argument") throws -> Double {
        switch v {
        case .number(let x): return x
        case .tensor(let t) where t.value.count == 1: return Double(t.value.scalars[0])
        default: throw RuntimeError("\(what) must be a number, got \(describeKind(v))", argument: argument)
        }
    }

    /// A whole number that fits an `Int`.
    public static func int(_ v: Value, argument: ArgumentPosition? = nil, what: String = "the argument") throws -> Int {
        let x = try double(v, argument: argument, what: what)
        guard let i = Int(exactly: x) else {
            throw RuntimeError("\(what) must be a whole number, got \(Printer.formatNumber(x))", argument: argument)
        }
        return i
    }

    /// A list of whole numbers from a list, a 1-D tensor or a single number (shapes, `dims...`).
    public static func intList(_ v: Value, argument: ArgumentPosition? = nil, what: String = "the argument") throws -> [Int] {
        switch v {
        case .list(let items): return try items.map { try int($0, argument: argument, what: what) }
        case .tensor(let t) where t.rank == 1:
            return try t.value.scalars.map { x in
                guard let i = Int(exactly: x) else { throw RuntimeError("\(what) must hold whole numbers, got \(numberString(x))", argument: argument) }
                return i
            }
        default: return [try int(v, argument: argument, what: what)]
        }
    }

    /// A kind description that mentions shapes for tensors ("a tensor of shape [2, 3]").
    static func describeKind(_ v: Value) -> String {
        if case .tensor(let t) = v { return "a tensor of shape \(shapeString(t.shape))" }
        return v.kindWithArticle
    }
}
