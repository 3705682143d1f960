extension Interpreter {
    /// Runs a user mapping: a fresh local scope inside the defining scope, parameters bound (defaults are
    /// evaluated at call time, in the local scope, so they may use earlier parameters), then the body.
    func callUserFunction(_ f: UserFunction, _ args: [Value], keywords: [(name: String, value: Value)]) throws -> Value {
        let specs = f.parameters.map { ParameterSpec(name: $0.name, hasDefault: $0.defaultValue != nil) }
        let bound = try ArgumentBinder.bind(f.name, specs, args, keywords)
        let local = Environment(parent: f.closure)
        for (i, p) in f.parameters.enumerated() {
            if let v = bound.values[i] {
                local.bind(p.name, v)
            } else if let d = p.defaultValue {
                local.bind(p.name, try evaluate(d, in: local))
            }
        }
        switch f.body {
        case .expression(let e):
            return try evaluate(e, in: local)
        case .block(let stmts):
            let (flow, last) = try executeBlock(stmts, in: local)
            switch flow {
            case .returned(let v): return v
            case .normal: return last
            case .breakLoop, .continueLoop:
                let s = stmts.last(where: { if case .breakLoop = $0.kind { return true }; if case .continueLoop = $0.kind { return true }; return false })
                throw MaplError(.runtime, "break/continue outside a loop", at: s?.range ?? currentCallRange)
            }
        }
    }
}
