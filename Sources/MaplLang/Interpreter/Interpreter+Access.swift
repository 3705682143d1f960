import MaplNN

/// Reading `x[i, a:b]` and `x.name`.
extension Interpreter {
    /// `base[subscripts]`.
    public func index(_ base: Value, _ subs: [SubscriptValue]) throws -> Value {
        switch base {
        case .tensor(let t):
            // x[idx] with a 1-D tensor of row numbers gathers rows (as NumPy's fancy indexing on axis 0).
            if subs.count == 1, case .value(.tensor(let idx)) = subs[0], idx.rank == 1 {
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

    /// Subscripts as the engine's index items.
    func indexItems(_ subs: [SubscriptValue]) throws -> [IndexItem] {
        try subs.map { s in
            switch s {
            case .value(let v): return .at(try Convert.int(v, what: "a tensor index"))
            case .slice(let a, let b, let step): return .slice(start: a, end: b, step: step ?? 1)
            }
        }
    }

    private func sliceList(_ items: [Value], _ start: Int?, _ end: Int?, _ step: Int) throws -> [Value] {
        // Reuse the engine's Python slice rules on the positions.
        let positions = try Tensor(Array(0..<items.count).map(Float.init)).indexed([.slice(start: start, end: end, step: step)])
        return positions.scalars.compactMap { Int(exactly: $0).map { items[$0] } }
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
        if let s = Suggestions.closest(to: name, among: available) { message += " — did you mean '\(s)'?" }
        message += available.isEmpty ? "; it has no fields" : "; fields: " + available.joined(separator: ", ")
        throw MaplError(.runtime, message, at: range)
    }
}
