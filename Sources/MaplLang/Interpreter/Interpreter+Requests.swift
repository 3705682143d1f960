/// A front end's request to the session — step through `L`, resume the paused run, stop it — written as the
/// one call it stands for (`trace(L)`, `resume(training, batches=3)`), so the transcript and a saved session
/// show it as mapl, but run as that call whatever the program has bound to the names in it: a user may call
/// a variable `trace` or `training` and the notebook's `:step` and `:next` still mean the builtins and the
/// run the last pause left.
extension Interpreter {
    /// Runs `program`, which must be one call of the builtin `builtin`, as a cell (see `runCell`). The callee
    /// is that builtin, not what the name is bound to now; with `pausedRun`, an argument written `training`
    /// is the paused training run (an error when none is paused). Every other argument is evaluated as the
    /// program would evaluate it.
    public func runRequest(_ program: Program, builtin: String, pausedRun substitutesRun: Bool = false) throws -> Value? {
        guard program.statements.count == 1, case .expression(let e) = program.statements[0].kind,
              case .call(let callee, let arguments) = e.kind, case .name(builtin) = callee.kind else {
            let range = program.statements.first?.range ?? SourceRange(.start, .start)
            throw MaplError(.syntax, "expected one expression to give \(builtin)", at: range)
        }
        guard let f = builtinScope.lookup(builtin), case .mapping(let mapping) = f else {
            throw MaplError(.runtime, "this session has no builtin \(builtin)", at: callee.range)
        }
        return try runAsCell {
            serviceIfRequested()
            var positional: [Value] = [], keywords: [(name: String, value: Value)] = []
            for argument in arguments {
                let value: Value
                if substitutesRun, case .name("training") = argument.value.kind {
                    guard let run = pausedRun else {
                        throw MaplError(.runtime, "no training run is paused: fit(..., pause=true) pauses before the first batch", at: argument.range)
                    }
                    value = .object(run)
                } else {
                    value = try Compiler.expression(argument.value)(self, globals)
                }
                if let label = argument.label { keywords.append((label, value)) } else { positional.append(value) }
            }
            _ = try call(mapping, positional, keywords: keywords, arguments: arguments, range: e.range)
            return nil
        }
    }
}
