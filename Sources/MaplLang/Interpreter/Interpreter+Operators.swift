import Foundation
import MaplNN

extension Interpreter {
    /// The value of `a op b` for the arithmetic and comparison operators.
    public func binary(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value {
        switch op {
        case .equal: return try equality(a, b, negated: false)
        case .notEqual: return try equality(a, b, negated: true)
        case .less, .lessEqual, .greater, .greaterEqual: return try ordering(op, a, b)
        case .add, .subtract, .multiply, .divide, .modulo, .matmul, .power: return try arithmetic(op, a, b)
        case .and, .or, .pipe, .compose:
            throw RuntimeError("internal: \(op.rawValue) is not a value operator")
        }
    }

    private func arithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            // The compiled fast path's arithmetic (IEEE as NumPy); `@` on two numbers falls through to tensors.
            if let value = Interpreter.numeric(op, x, y) { return value }
        case (.string(let x), .string(let y)) where op == .add:
            // Doubling a string in a loop reaches any size quickly: refuse what the process cannot hold, and
            // build the result in one buffer of its size (`x + y` copies x, then grows the copy: twice as much).
            let n = x.utf8.count + y.utf8.count
            try MemoryBudget.check(count: n, elementSize: 1, what: "a string")
            var joined = ""
            joined.reserveCapacity(n)
            joined += x
            joined += y
            return .string(joined)
        case (.list(let x), .list(let y)) where op == .add:
            try MemoryBudget.check(count: x.count + y.count, elementSize: MemoryLayout<Value>.stride, what: "a list of \(x.count + y.count) items")
            var joined: [Value] = []
            joined.reserveCapacity(x.count + y.count)
            joined += x
            joined += y
            return .list(joined)
        default: break
        }
        guard isTensorLike(a), isTensorLike(b), !(isList(a) && isList(b)) else {
            var message = "cannot \(Interpreter.verb(op)) \(Convert.describeKind(a)) and \(Convert.describeKind(b))"
            if op == .add, isString(a) != isString(b) {
                // Python's habit "loss: " + 0.5 (an error there too): say how to make the text.
                message += "; str(x) turns a value into text: \"loss \" + str(x)"
            }
            throw RuntimeError(message)
        }
        let x = try Convert.variable(a), y = try Convert.variable(b)
        if op == .multiply || op == .add, x.value.isMask, y.value.isMask {
            // NumPy's bool arithmetic: `*` of two masks is "and", `+` is "or" — a mask again, so
            // x[(x > 0) * (x < 3)] selects rather than indexes by position.
            var both = op == .multiply ? try x.value * y.value : try Tensor.compare(x.value + y.value, Tensor(0), .gt)
            both.isMask = true
            return .constant(both)
        }
        switch op {
        case .add: return .tensor(try x + y)
        case .subtract: return .tensor(try x - y)
        case .multiply: return .tensor(try x * y)
        case .divide: return .tensor(try x / y)
        case .modulo: return .tensor(try Variable.remainder(x, y))
        case .power: return .tensor(try Variable.pow(x, y))
        case .matmul:
            guard x.rank >= 1, y.rank >= 1 else {
                throw RuntimeError("@ needs tensors of rank 1 or more, got shapes \(shapeString(x.shape)) and \(shapeString(y.shape))")
            }
            return .tensor(try Variable.matmul(x, y))
        default: throw RuntimeError("internal: \(op.rawValue) is not arithmetic")
        }
    }

    private func isTensorLike(_ v: Value) -> Bool {
        switch v {
        case .number, .tensor: return true
        case .list(let items): return (try? Convert.stackConstants(items)) != nil
        default: return false
        }
    }
    private func isList(_ v: Value) -> Bool { if case .list = v { return true }; return false }
    private func isString(_ v: Value) -> Bool { if case .string = v { return true }; return false }

    static func verb(_ op: BinaryOperator) -> String {
        switch op {
        case .add: return "add"
        case .subtract: return "subtract"
        case .multiply: return "multiply"
        case .divide: return "divide"
        case .modulo: return "take the remainder of"
        case .matmul: return "matrix-multiply (@)"
        case .power: return "raise to a power (^)"
        default: return "combine (\(op.rawValue))"
        }
    }

    // MARK: - Comparison

    private func ordering(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)): return .bool(Interpreter.compare(op, x, y))
        case (.string(let x), .string(let y)): return .bool(Interpreter.compare(op, x, y))
        case (.tensor, .tensor), (.tensor, .number), (.number, .tensor):
            return .constant(try Tensor.compare(Convert.tensor(a), Convert.tensor(b), Interpreter.comparison(op)))
        default:
            throw RuntimeError("cannot compare \(Convert.describeKind(a)) and \(Convert.describeKind(b)) with \(op.rawValue)")
        }
    }

    private static func compare<T: Comparable>(_ op: BinaryOperator, _ x: T, _ y: T) -> Bool {
        switch op {
        case .less: return x < y
        case .lessEqual: return x <= y
        case .greater: return x > y
        default: return x >= y
        }
    }

    private static func comparison(_ op: BinaryOperator) -> Tensor.Comparison {
        switch op {
        case .less: return .lt
        case .lessEqual: return .le
        case .greater: return .gt
        case .greaterEqual: return .ge
        case .notEqual: return .ne
        default: return .eq
        }
    }

    /// `==` / `!=`: elementwise between tensors (and numbers with tensors) giving 0/1 tensors; tensors that
    /// cannot broadcast are simply unequal; every other pair compares whole values and gives a bool.
    private func equality(_ a: Value, _ b: Value, negated: Bool) throws -> Value {
        switch (a, b) {
        case (.tensor, .tensor), (.tensor, .number), (.number, .tensor):
            let x = try Convert.tensor(a), y = try Convert.tensor(b)
            // Only shapes that cannot broadcast are unequal: a result too large is an error, not `false`.
            if Shape.broadcastShape(x.shape, y.shape) == nil { return .bool(negated) }
            return .constant(try Tensor.compare(x, y, negated ? .ne : .eq))
        default:
            return .bool(Interpreter.sameValue(a, b) != negated)
        }
    }

    /// Whole-value equality: a list equals a list with equal items, or a 1-D tensor with its numbers.
    static func sameValue(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.none, .none): return true
        case (.tensor(let x), .tensor(let y)): return x.value == y.value
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameValue($0, $1) }
        case (.list(let items), .tensor(let t)), (.tensor(let t), .list(let items)):
            guard t.rank == 1, t.shape[0] == items.count else { return false }
            return zip(items, t.value.scalars).allSatisfy { item, s in
                if case .number(let x) = item { return Float(x) == s }
                return false
            }
        case (.record(let x), .record(let y)):
            return x.names == y.names && zip(x.fields, y.fields).allSatisfy { sameValue($0.value, $1.value) }
        case (.mapping(let f), .mapping(let g)): return f === g
        case (.object(let o), .object(let p)): return o === p
        default: return false
        }
    }

    // MARK: - Truth

    /// A condition's truth: bools, numbers (non-zero), tensors (non-empty and every element non-zero).
    public func truth(_ v: Value, at range: SourceRange) throws -> Bool {
        switch v {
        case .bool(let b): return b
        case .number(let x): return x != 0
        case .tensor(let t): return t.value.count > 0 && t.value.scalars.allSatisfy { $0 != 0 }
        default:
            throw MaplError(.runtime, "a condition must be a bool, a number or a tensor, got \(v.kindWithArticle)", at: range)
        }
    }
}
