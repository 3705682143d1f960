/// A scope: names bound to values, with a parent to look through. Mapping bodies get a fresh scope whose
/// parent is the scope they were defined in (closures); `if/for/while/nograd` blocks share theirs.
///
/// Names are symbols (`Symbols`), kept in binding order in parallel arrays. Small scopes — a function's
/// locals, a script's globals — are searched linearly: comparing a handful of integers is cheaper than any
/// hashing, and lookup is the interpreter's hottest path. Once a scope grows past `indexThreshold` names
/// (the builtins), a table indexed by symbol takes over.
final class Environment {
    private(set) var keys: [Int] = []
    private var slots: [Value] = []
    /// For large scopes: `index[symbol]` is the slot + 1, or 0 when the name is not bound here.
    private var index: [Int32]? = nil
    let parent: Environment?

    private static let indexThreshold = 24

    init(parent: Environment?) { self.parent = parent }

    /// A scope starting with `symbols` (distinct, as a mapping's parameters are) bound to `values`: a call
    /// binds its arguments by taking both arrays as they are, without a binding loop or new arrays.
    init(parent: Environment, symbols: [Int], values: [Value]) {
        self.parent = parent
        if symbols.count == values.count && symbols.count <= Environment.indexThreshold {
            keys = symbols
            slots = values
        } else {
            for (k, v) in zip(symbols, values) { bind(k, v) }
        }
    }

    /// The position of `symbol` in this scope only.
    @inline(__always)
    private func slot(_ symbol: Int) -> Int? {
        if let index {
            let i = symbol < index.count ? Int(index[symbol]) : 0
            return i > 0 ? i - 1 : nil
        }
        return keys.withUnsafeBufferPointer { k in
            for i in 0..<k.count where k[i] == symbol { return i }
            return nil
        }
    }

    /// The bindings of this scope in binding order.
    var bindings: [(name: String, value: Value)] { zip(keys, slots).map { (Symbols.shared.name($0), $1) } }

    /// Where `symbol` is bound as seen from here: the scope and its slot. Hot loops resolve a name once and
    /// then read and write the slot directly.
    func locate(_ symbol: Int) -> (scope: Environment, slot: Int)? {
        var scope: Environment? = self
        while let s = scope {
            if let i = s.slot(symbol) { return (s, i) }
            scope = s.parent
        }
        return nil
    }

    /// The slot of `symbol` in this scope, binding it (to `none`) first if needed.
    func ownSlot(_ symbol: Int) -> Int {
        if let i = slot(symbol) { return i }
        bind(symbol, .none)
        return keys.count - 1
    }

    /// The value in a slot `locate` or `ownSlot` returned.
    @inline(__always) func value(at slot: Int) -> Value { slots[slot] }
    /// Replaces the value in a slot `locate` or `ownSlot` returned.
    @inline(__always) func set(_ slot: Int, _ value: Value) { slots[slot] = value }

    /// The value bound to `symbol` here or in an enclosing scope. Recursive rather than a loop over a
    /// `var scope`: walking `parent` (a `let`) this way retains nothing.
    func lookup(_ symbol: Int) -> Value? {
        if let i = slot(symbol) { return slots[i] }
        return parent?.lookup(symbol)
    }

    /// The slot of `symbol` in this scope only, if it is bound here.
    @inline(__always) func ownSlot(ifBound symbol: Int) -> Int? { slot(symbol) }

    func lookup(_ name: String) -> Value? { lookup(Symbols.shared.intern(name)) }

    /// Binds in this scope (locals shadow outer names).
    func bind(_ symbol: Int, _ value: Value) {
        if let i = slot(symbol) { slots[i] = value; return }
        keys.append(symbol)
        slots.append(value)
        if index != nil {
            setIndex(symbol, keys.count - 1)
        } else if keys.count > Environment.indexThreshold {
            index = []
            for (i, k) in keys.enumerated() { setIndex(k, i) }
        }
    }

    func bind(_ name: String, _ value: Value) { bind(Symbols.shared.intern(name), value) }

    private func setIndex(_ symbol: Int, _ slot: Int) {
        var table = index ?? []
        index = nil   // the table stays uniquely referenced while it changes
        if symbol >= table.count { table += [Int32](repeating: 0, count: symbol + 64 - table.count) }
        table[symbol] = Int32(slot + 1)
        index = table
    }

    func removeAll() { keys = []; slots = []; index = nil }

    /// Every name visible from here, for "did you mean" suggestions.
    var visibleNames: [String] {
        var names: [String] = []
        var scope: Environment? = self
        while let s = scope { names += s.keys.map(Symbols.shared.name); scope = s.parent }
        return names
    }
}
