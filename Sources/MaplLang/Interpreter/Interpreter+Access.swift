import MaplNN

/// Reading `x[i, a:b]` and `x.name`.
extension Interpreter {
    /// `base[subscripts]`.
    public func index(_ base: Value, _ subs: [SubscriptValue]) throws -> Value {
        switch base {
        case .tensor(let t):
            // x[idx] alone with an index tensor of rank ≥ 2 picks rows by number: the result has idx's shape,
            // then a row's (as NumPy's integer array indexing on axis 0).
            if subs.count == 1, case .value(.tensor(let idx)) = subs[0], idx.rank >= 2, !idx.value.isMask {
                return .tensor(try Variable.gatherRows(t, idx.value))
            }
            return .tensor(try Variable.index(t, try indexItems(subs)))
        case .list(let items):
            guard subs.count == 1 else { throw RuntimeError("a list takes one index, got \(subs.count)") }
            switch subs[0] {
            case .value(let v):
                let i = try Convert.int(v, what: "a list index")
                let j = i < 0 ? i + items.count : i
                guard j >= 0 && j < items.count else {
                    throw RuntimeError("index \(i) is out of range for a list of \(items.count) items")
                }
                return items[j]
            case .slice(let start, let end, let step):
                return .list(try sliceList(items, start, end, step ?? 1))
            }
        case .object(let o as IndexableValue): return try o.index(subs)
        case .mapping(let m as IndexableValue): return try m.index(subs)
        default:
            throw RuntimeError("\(base.kindWithArticle) cannot be indexed")
        }
    }

    /// Subscripts as the engine's index items, as NumPy reads them: a number picks one position, a slice a
    /// range, a 1-D tensor of whole numbers a list of positions (`x[:, [0, 2]]`), and a comparison's result —
    /// or a list of true/false — a boolean mask (`x[x > 0]`; see `Tensor.isMask`).
    func indexItems(_ subs: [SubscriptValue]) throws -> [IndexItem] {
        try subs.map { s in
            switch s {
            case .slice(let a, let b, let step):
                return .slice(start: a, end: b, step: step ?? 1)
            case .value(.tensor(let v)) where v.value.isMask:
                guard v.rank > 0 else {
                    throw RuntimeError("a single true/false cannot index a tensor; a mask has the shape of the axes it selects from, e.g. x[x > 0]")
                }
                return .mask(v.value.scalars.map { $0 != 0 }, shape: v.shape)
            case .value(.tensor(let v)) where v.rank == 1:
                return .positions(try v.value.scalars.map { x in
                    guard let i = Int(exactly: x) else {
                        throw RuntimeError("an index list must hold whole numbers, got \(numberString(x)) (a mask is a comparison, such as x > 0)")
                    }
                    return i
                })
            case .value(.tensor(let v)) where v.rank >= 2:
                throw RuntimeError("an index tensor of shape \(shapeString(v.shape)) picks rows only on its own (x[idx]); beside other indices give a list of positions (rank 1) or a mask")
            case .value(.list(let items)) where items.isEmpty:
                return .positions([])  // x[[]]: nothing, as NumPy
            case .value(.list(let items)) where items.allSatisfy({ if case .bool = $0 { return true }; return false }):
                return .mask(items.map { if case .bool(let b) = $0 { return b }; return false }, shape: [items.count])
            case .value(.bool):
                throw RuntimeError("true/false cannot index a tensor; a mask is a comparison such as x > 0, or a list of true/false")
            case .value(let v):
                return .at(try Convert.int(v, what: "a tensor index"))
            }
        }
    }

    private func sliceList(_ items: [Value], _ start: Int?, _ end: Int?, _ step: Int) throws -> [Value] {
        // The engine's Python slice rules, on integer positions.
        Tensor.slicePositions(start: start, end: end, step: step, count: items.count).map { items[$0] }
    }

    /// The fields `value.name` can read (for completion and "no such field" messages).
    public func fieldNames(of value: Value) -> [String] {
        switch value {
        case .tensor: return Interpreter.tensorFields
        case .record(let r): return r.names
        case .mapping(let m): return m.fieldNames
        case .object(let o): return o.fieldNames
        default: return []
        }
    }
    static let tensorFields = ["shape", "ndim", "T", "grad", "size"]

    /// A field's value for completion: like `base.name`, but computing nothing (`x.T` is `x` itself, whose
    /// fields are the same) and nil instead of an error.
    public func peekField(of base: Value, _ name: String) -> Value? {
        if case .tensor = base, name == "T" { return base }
        return try? field(of: base, name, at: SourceRange(.start, .start))
    }

    /// `base.name`; unknown fields list the ones there are.
    func field(of base: Value, _ name: String, at range: SourceRange) throws -> Value {
        let found: Value?
        let available = fieldNames(of: base)
        switch base {
        case .tensor(let t):
            switch name {
            case "shape": found = .list(t.shape.map { .number(Double($0)) })
            case "ndim": found = .number(Double(t.rank))
            case "size": found = .number(Double(t.value.count))
            case "T": found = t.rank < 2 ? .tensor(t) : .tensor(try at(range) { try Variable.transpose(t, -2, -1) })
            case "grad": found = t.grad.map { .constant($0) } ?? Value.none
            default: found = nil
            }
        case .record(let r):
            found = r[name]
        case .mapping(let m):
            found = try at(range) { try m.field(name) }
        case .object(let o):
            found = try at(range) { try o.field(name) }
        default:
            throw MaplError(.runtime, "\(base.kindWithArticle) has no fields (asked for '\(name)')", at: range)
        }
        if let found { return found }
        var message = "\(base.kindWithArticle) has no field '\(name)'"
        if case .tensor = base, registry[name] != nil {
            // NumPy's and PyTorch's methods (`x.mean()`, `x.sum(0)`) are builtins taking the tensor first.
            throw MaplError(.runtime, message + "; '\(name)' is a builtin taking the tensor first: \(name)(x)", at: range)
        }
        if let s = Suggestions.closest(to: name, among: available) { message += " — did you mean '\(s)'?" }
        message += available.isEmpty ? "; it has no fields" : "; fields: " + available.joined(separator: ", ")
        throw MaplError(.runtime, message, at: range)
    }
}
