/// A scope: names bound to values, with a parent to look through. Mapping bodies get a fresh scope whose
/// parent is the scope they were defined in (closures); `if/for/while/nograd` blocks share theirs.
///
/// Names are kept in binding order in parallel arrays. Small scopes — a function's locals, a script's
/// globals — are searched linearly: comparing short names is several times cheaper than hashing them,
/// and lookup is the interpreter's hottest path. Once a scope grows past `indexThreshold` names (the
/// builtins), a dictionary index takes over.
final class Environment {
    private(set) var order: [String] = []
    private var slots: [Value] = []
    private var index: [String: Int]? = nil
    let parent: Environment?

    private static let indexThreshold = 24

    init(parent: Environment?) { self.parent = parent }

    /// The position of `name` in this scope only.
    @inline(__always)
    private func slot(_ name: String) -> Int? {
        if let index { return index[name] }
        for i in 0..<order.count where order[i] == name { return i }
        return nil
    }

    /// The bindings of this scope in binding order.
    var bindings: [(name: String, value: Value)] { Array(zip(order, slots)) }

    /// Where `name` is bound as seen from here: the scope and its slot. Hot loops resolve a name once and then
    /// read and write the slot directly.
    func locate(_ name: String) -> (scope: Environment, slot: Int)? {
        var scope: Environment? = self
        while let s = scope {
            if let i = s.slot(name) { return (s, i) }
            scope = s.parent
        }
        return nil
    }

    /// The slot of `name` in this scope, binding it (to `none`) first if needed.
    func ownSlot(_ name: String) -> Int {
        if let i = slot(name) { return i }
        bind(name, .none)
        return order.count - 1
    }

    /// The value in a slot `locate` or `ownSlot` returned.
    @inline(__always) func value(at slot: Int) -> Value { slots[slot] }
    /// Replaces the value in a slot `locate` or `ownSlot` returned.
    @inline(__always) func set(_ slot: Int, _ value: Value) { slots[slot] = value }

    func lookup(_ name: String) -> Value? {
        var scope: Environment? = self
        while let s = scope {
            if let i = s.slot(name) { return s.slots[i] }
            scope = s.parent
        }
        return nil
    }

    /// Binds in this scope (locals shadow outer names).
    func bind(_ name: String, _ value: Value) {
        if let i = slot(name) { slots[i] = value; return }
        order.append(name)
        slots.append(value)
        if index != nil {
            index?[name] = order.count - 1
        } else if order.count > Environment.indexThreshold {
            index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        }
    }

    func removeAll() { order = []; slots = []; index = nil }

    /// Every name visible from here, for "did you mean" suggestions.
    var visibleNames: [String] {
        var names: [String] = []
        var scope: Environment? = self
        while let s = scope { names += s.order; scope = s.parent }
        return names
    }
}
