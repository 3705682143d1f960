/// A scope: names bound to values, with a parent to look through. Mapping bodies get a fresh scope whose
/// parent is the scope they were defined in (closures); `if/for/while/nograd` blocks share theirs.
final class Environment {
    private(set) var values: [String: Value] = [:]
    /// Binding order, so `vars()` lists names as the user made them.
    private(set) var order: [String] = []
    let parent: Environment?

    init(parent: Environment?) { self.parent = parent }

    func lookup(_ name: String) -> Value? {
        var scope: Environment? = self
        while let s = scope {
            if let v = s.values[name] { return v }
            scope = s.parent
        }
        return nil
    }

    /// Binds in this scope (locals shadow outer names).
    func bind(_ name: String, _ value: Value) {
        if values.updateValue(value, forKey: name) == nil { order.append(name) }
    }

    func removeAll() { values = [:]; order = [] }

    /// Every name visible from here, for "did you mean" suggestions.
    var visibleNames: [String] {
        var names: [String] = []
        var scope: Environment? = self
        while let s = scope { names += s.order; scope = s.parent }
        return names
    }
}
