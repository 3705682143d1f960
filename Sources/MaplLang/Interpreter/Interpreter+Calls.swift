import MaplNN

extension Interpreter {
    /// Calls `f` from a call expression: counts depth, checks for Ctrl-C, and places errors without a
    /// position at the argument they name or at the call.
    func call(_ f: Mapping, _ args: [Value], keywords: [(name: String, value: Value)], arguments: [Argument], range: SourceRange) throws -> Value {
        let saved = currentCallRange
        currentCallRange = range
        defer { currentCallRange = saved }
        do {
            return try apply(f, args, keywords: keywords)
        } catch let e as RuntimeError {
            var where_ = range
            switch e.argument {
            case .positional(let i)?:
                if let a = arguments.filter({ $0.label == nil }).dropFirst(i).first { where_ = a.range }
            case .keyword(let k)?:
                if let a = arguments.first(where: { $0.label == k }) { where_ = a.range }
            case nil: break
            }
            throw MaplError(e.kind, e.message, at: where_)
        } catch let e as UserFacingError {
            throw MaplError(.runtime, e.message, at: range)
        } catch is Interrupted {
            throw MaplError(.interrupted, "stopped by the user", at: range)
        }
    }

    /// Runs a user mapping: a fresh local scope inside the defining scope, parameters bound (defaults are
    /// evaluated at call time, in the local scope, so they may use earlier parameters), then the body.
    func callUserFunction(_ f: UserFunction, _ args: [Value], keywords: [(name: String, value: Value)]) throws -> Value {
        let function = f.function
        let local: Environment
        if keywords.isEmpty && args.count == function.symbols.count {
            // Every parameter given by position — the common call — binds without the general matcher.
            local = Environment(parent: f.closure, symbols: function.symbols, values: args)
        } else {
            let bound = try ArgumentBinder.bind(f.name, function.specs, args, keywords)
            local = Environment(parent: f.closure)
            for i in 0..<function.symbols.count {
                if let v = bound.values[i] {
                    local.bind(function.symbols[i], v)
                } else if let d = function.defaults[i].code {
                    local.bind(function.symbols[i], try d(self, local))
                }
            }
        }
        let (flow, last) = try function.run(self, local)
        switch flow {
        case .returned(let v): return v
        case .normal: return last
        case .breakLoop, .continueLoop:
            var stmts: [Stmt] = []
            if case .block(let body) = function.body { stmts = body }
            let s = stmts.last(where: { if case .breakLoop = $0.kind { return true }; if case .continueLoop = $0.kind { return true }; return false })
            throw MaplError(.runtime, "break/continue outside a loop", at: s?.range ?? currentCallRange)
        }
    }
}
