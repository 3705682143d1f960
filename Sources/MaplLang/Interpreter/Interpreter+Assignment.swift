import MaplNN

/// `x = v`, `x[i] = v`, `r.f = v` and the in-place `x op= v`.
///
/// Plain tensors, lists and records are values: writing into one builds a changed copy and rebinds the
/// target that held it (so `a = b; a[0] = 1` leaves `b` alone). Parameters are shared objects: writes go
/// into their `.value`, so every holder (a model, another name) sees them. None of this is recorded for
/// gradients.
extension Interpreter {
    func assign(_ value: Value, to target: Expr, in env: Environment) throws {
        switch target.kind {
        case .name(let name):
            env.bind(name, value)
            labelTensor(value, name)
        case .index(let baseExpr, let subs):
            let base = try evaluate(baseExpr, in: env)
            let evaluated = try evaluateSubscripts(subs, in: env)
            switch base {
            case .tensor(let t):
                let newValue = try at(target.range) { try Convert.tensor(value, what: "the value written into a tensor") }
                let items = try at(target.range) { try indexItems(evaluated) }
                if t.isParameter {
                    try at(target.range) { try t.value.assign(items, newValue) }
                } else {
                    var copy = t.value
                    try at(target.range) { try copy.assign(items, newValue) }
                    try assign(.constant(copy), to: baseExpr, in: env)
                }
            case .list(var items):
                guard evaluated.count == 1, case .value(let iv) = evaluated[0] else {
                    throw MaplError(.runtime, "a list element is assigned with one index", at: target.range)
                }
                let i = try at(target.range) { try Convert.int(iv, what: "a list index") }
                let j = i < 0 ? i + items.count : i
                guard j >= 0 && j < items.count else {
                    throw MaplError(.runtime, "index \(i) is out of range for a list of \(items.count) items", at: target.range)
                }
                items[j] = value
                try assign(.list(items), to: baseExpr, in: env)
            default:
                throw MaplError(.runtime, "cannot assign into \(base.kindWithArticle) by index", at: baseExpr.range)
            }
        case .field(let baseExpr, let name, let nameRange):
            let base = try evaluate(baseExpr, in: env)
            switch base {
            case .record(var r):
                r[name] = value
                try assign(.record(r), to: baseExpr, in: env)
            case .object(let o):
                try at(nameRange) { try o.setField(name, value) }
            case .mapping(let m):
                // A layer's parameter field (`m.layers[0].W = …`) takes the new values in place.
                guard case .tensor(let p)? = try at(nameRange, { try m.field(name) }), p.isParameter else {
                    throw MaplError(.runtime, "cannot assign to field '\(name)' of \(m.displayString)", at: nameRange)
                }
                try overwrite(p, with: value, at: target.range)
            default:
                throw MaplError(.runtime, "cannot assign to field '\(name)' of \(base.kindWithArticle)", at: nameRange)
            }
        default:
            throw MaplError(.runtime, "cannot assign to this expression; assign to a name, x[i] or x.field", at: target.range)
        }
    }

    /// `target op= value`: computed without recording; a parameter is updated in place and stays a parameter.
    func compoundAssign(_ target: Expr, _ op: BinaryOperator, _ valueExpr: Expr, range: SourceRange, in env: Environment) throws {
        // Fast path for the commonest loop statement, `s += i` on numbers: no graph, no tensor, no closures.
        if case .name(let name) = target.kind, let (scope, slot) = env.locate(name), case .number(let x) = scope.value(at: slot) {
            let rhs = try evaluate(valueExpr, in: env)
            if case .number(let y) = rhs {
                let r: Double
                switch op {
                case .add: r = x + y
                case .subtract: r = x - y
                case .multiply: r = x * y
                case .divide: r = x / y
                default: r = .nan
                }
                if op == .add || op == .subtract || op == .multiply || op == .divide {
                    // The result binds where assignment would bind it: in this scope.
                    if scope === env { scope.set(slot, .number(r)) } else { env.bind(name, .number(r)) }
                    return
                }
            }
            let result = try at(range) { try GradMode.withoutGrad { try binary(op, .number(x), rhs) } }
            return try assign(result, to: target, in: env)
        }
        try GradMode.withoutGrad {
            let current = try evaluate(target, in: env)
            let rhs = try evaluate(valueExpr, in: env)
            let result = try at(range) { try binary(op, current, rhs) }
            if case .tensor(let p) = current, p.isParameter {
                try overwrite(p, with: result, at: range)
            } else {
                try assign(result, to: target, in: env)
            }
        }
    }

    /// Replaces a parameter's values in place, keeping its shape (it may be held by a model).
    private func overwrite(_ p: Variable, with value: Value, at range: SourceRange) throws {
        let t = try at(range) { try Convert.tensor(value, what: "the new value of a parameter") }
        guard t.shape == p.shape else {
            throw MaplError(.runtime, "cannot change the shape of a parameter from \(shapeString(p.shape)) to \(shapeString(t.shape)) in place", at: range)
        }
        p.value = t
    }
}
