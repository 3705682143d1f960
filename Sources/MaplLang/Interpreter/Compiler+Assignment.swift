import MaplNN

/// `x = v`, `x[i] = v`, `r.f = v` and the in-place `x op= v`.
///
/// Plain tensors, lists and records are values: writing into one builds a changed copy and rebinds the
/// target that held it (so `a = b; a[0] = 1` leaves `b` alone). Parameters are shared objects: writes go
/// into their `.value`, so every holder (a model, another name) sees them. None of this is recorded for
/// gradients.
extension Compiler {
    /// Stores a value into an assignment target.
    typealias Assign = (Interpreter, Environment, Value) throws -> Void

    /// The store for `target`. A target that cannot be assigned to compiles to a store that throws, so the
    /// error comes when (and only if) the assignment runs — as for `f(x)[0] = 1` on a non-parameter.
    static func target(_ target: Expr) -> Assign {
        let range = target.range
        switch target.kind {
        case .name(let name):
            let symbol = Symbols.shared.intern(name)
            return { interp, env, value in
                env.bind(symbol, value)
                interp.labelTensor(value, name)
            }
        case .index(let baseExpr, let subs):
            let base = expression(baseExpr)
            let subscripts = self.subscripts(subs)
            let rebind = self.target(baseExpr)
            let baseRange = baseExpr.range
            return { interp, env, value in
                let b = try base(interp, env)
                let evaluated = try interp.evaluateSubscripts(subscripts, in: env)
                switch b {
                case .tensor(let t):
                    let newValue = try interp.at(range) { try Convert.tensor(value, what: "the value written into a tensor") }
                    let items = try interp.at(range) { try interp.indexItems(evaluated) }
                    if t.isParameter {
                        try interp.at(range) { try t.value.assign(items, newValue) }
                    } else {
                        var copy = t.value
                        try interp.at(range) { try copy.assign(items, newValue) }
                        try rebind(interp, env, .constant(copy))
                    }
                case .list(var items):
                    guard evaluated.count == 1, case .value(let iv) = evaluated[0] else {
                        throw MaplError(.runtime, "a list element is assigned with one index", at: range)
                    }
                    let i = try interp.at(range) { try Convert.int(iv, what: "a list index") }
                    let j = i < 0 ? i + items.count : i
                    guard j >= 0 && j < items.count else {
                        throw MaplError(.runtime, "index \(i) is out of range for a list of \(items.count) items", at: range)
                    }
                    items[j] = value
                    try rebind(interp, env, .list(items))
                default:
                    throw MaplError(.runtime, "cannot assign into \(b.kindWithArticle) by index", at: baseRange)
                }
            }
        case .field(let baseExpr, let name, let nameRange):
            let base = expression(baseExpr)
            let rebind = self.target(baseExpr)
            return { interp, env, value in
                let b = try base(interp, env)
                switch b {
                case .record(var r):
                    r[name] = value
                    try rebind(interp, env, .record(r))
                case .object(let o):
                    try interp.at(nameRange) { try o.setField(name, value) }
                case .mapping(let m):
                    // A layer's parameter field (`m.layers[0].W = …`) takes the new values in place.
                    guard case .tensor(let p)? = try interp.at(nameRange, { try m.field(name) }), p.isParameter else {
                        throw MaplError(.runtime, "cannot assign to field '\(name)' of \(m.displayString)", at: nameRange)
                    }
                    try interp.overwrite(p, with: value, at: range)
                default:
                    throw MaplError(.runtime, "cannot assign to field '\(name)' of \(b.kindWithArticle)", at: nameRange)
                }
            }
        default:
            return { _, _, _ in
                throw MaplError(.runtime, "cannot assign to this expression; assign to a name, x[i] or x.field", at: range)
            }
        }
    }

    /// `target op= value`: computed without recording; a parameter is updated in place and stays a parameter.
    static func compoundAssign(_ target: Expr, _ op: BinaryOperator, _ valueExpr: Expr, range: SourceRange) -> Exec {
        let value = expression(valueExpr)
        let current = expression(target)
        let store = self.target(target)
        var nameSymbol: Int? = nil
        if case .name(let name) = target.kind { nameSymbol = Symbols.shared.intern(name) }
        return { interp, env in
            // Fast path for the commonest loop statement, `s += i` on numbers: no graph, no tensor.
            // A name bound in this very scope is read and written in its slot (no scope walk, nothing retained).
            if let symbol = nameSymbol, let slot = env.ownSlot(ifBound: symbol), case .number(let x) = env.value(at: slot) {
                let rhs = try value(interp, env)
                if case .number(let y) = rhs, let r = Interpreter.numeric(op, x, y) {
                    env.set(slot, r)
                    return .normal
                }
                let result = try interp.at(range) { try GradMode.withoutGrad { try interp.binary(op, .number(x), rhs) } }
                try store(interp, env, result)
                return .normal
            }
            if let symbol = nameSymbol, let (scope, slot) = env.locate(symbol), case .number(let x) = scope.value(at: slot) {
                let rhs = try value(interp, env)
                if case .number(let y) = rhs, let r = Interpreter.numeric(op, x, y) {
                    // The result binds where assignment would bind it: in this scope.
                    env.bind(symbol, r)
                    return .normal
                }
                let result = try interp.at(range) { try GradMode.withoutGrad { try interp.binary(op, .number(x), rhs) } }
                try store(interp, env, result)
                return .normal
            }
            try GradMode.withoutGrad {
                let old = try current(interp, env)
                let rhs = try value(interp, env)
                let result: Value
                do { result = try interp.at(range) { try interp.binary(op, old, rhs) } }
                catch let e as MaplError { throw explainingNone(e, [(target, old), (valueExpr, rhs)], interp, env) }
                if case .tensor(let p) = old, p.isParameter {
                    try interp.overwrite(p, with: result, at: range)
                } else {
                    try store(interp, env, result)
                }
            }
            return .normal
        }
    }
}

extension Interpreter {
    /// Replaces a parameter's values in place, keeping its shape (it may be held by a model).
    func overwrite(_ p: Variable, with value: Value, at range: SourceRange) throws {
        let t = try at(range) { try Convert.tensor(value, what: "the new value of a parameter") }
        guard t.shape == p.shape else {
            throw MaplError(.runtime, "cannot change the shape of a parameter from \(shapeString(p.shape)) to \(shapeString(t.shape)) in place", at: range)
        }
        p.value = t
    }
}
