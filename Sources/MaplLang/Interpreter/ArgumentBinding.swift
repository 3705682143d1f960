/// Matches a call's positional and keyword arguments to a mapping's parameters — one set of rules for
/// builtins and user functions alike, with messages such as "dense() takes 2 to 4 arguments, got 1".
public struct ParameterSpec: Equatable {
    public var name: String
    public var hasDefault: Bool
    /// `dims...`: collects every remaining positional argument (as a list).
    public var variadic: Bool
    public init(name: String, hasDefault: Bool = false, variadic: Bool = false) {
        self.name = name; self.hasDefault = hasDefault; self.variadic = variadic
    }
}

/// Where each parameter's value came from: an argument, or nil for "use the default".
public struct BoundArguments {
    public var values: [Value?]
    /// For errors about one argument: which argument of the call supplied parameter i.
    public var positions: [ArgumentPosition?]
}

public enum ArgumentBinder {
    /// Binds `args`/`keywords` to `params` or throws a `RuntimeError` that names the problem.
    public static func bind(_ function: String, _ params: [ParameterSpec], _ args: [Value],
                            _ keywords: [(name: String, value: Value)]) throws -> BoundArguments {
        var values = [Value?](repeating: nil, count: params.count)
        var positions = [ArgumentPosition?](repeating: nil, count: params.count)
        let fixed = params.prefix(while: { !$0.variadic })
        if let v = params.firstIndex(where: { $0.variadic }) {
            let taken = min(args.count, v)
            for i in 0..<taken { values[i] = args[i]; positions[i] = .positional(i) }
            if args.count > v {
                values[v] = .list(Array(args[v...]))
                positions[v] = .positional(v)
            }
        } else {
            guard args.count <= fixed.count else {
                throw RuntimeError("\(function)() \(takes(params)), got \(args.count)", argument: .positional(fixed.count))
            }
            for i in 0..<args.count { values[i] = args[i]; positions[i] = .positional(i) }
        }
        for (name, value) in keywords {
            guard let i = params.firstIndex(where: { $0.name == name && !$0.variadic }) else {
                var message = "\(function)() has no parameter named '\(name)'"
                if let s = Suggestions.closest(to: name, among: params.map(\.name)) { message += " — did you mean '\(s)'?" }
                if !params.isEmpty { message += "; parameters: " + params.map(\.name).joined(separator: ", ") }
                throw RuntimeError(message, argument: .keyword(name))
            }
            guard values[i] == nil else {
                throw RuntimeError("\(function)() got two values for '\(name)'", argument: .keyword(name))
            }
            values[i] = value
            positions[i] = .keyword(name)
        }
        for (i, p) in params.enumerated() where values[i] == nil && !p.hasDefault && !p.variadic {
            let given = args.count + keywords.count
            if keywords.isEmpty {
                throw RuntimeError("\(function)() \(takes(params)), got \(given)")
            }
            throw RuntimeError("\(function)() is missing its argument '\(p.name)'")
        }
        return BoundArguments(values: values, positions: positions)
    }

    /// "takes 2 arguments", "takes 2 to 4 arguments", "takes at least 1 argument".
    static func takes(_ params: [ParameterSpec]) -> String {
        let required = params.filter { !$0.hasDefault && !$0.variadic }.count
        let maximum = params.filter { !$0.variadic }.count
        func plural(_ n: Int) -> String { n == 1 ? "1 argument" : "\(n) arguments" }
        if params.contains(where: \.variadic) { return "takes at least \(plural(required))" }
        if required == maximum { return maximum == 0 ? "takes no arguments" : "takes \(plural(maximum))" }
        return "takes \(required) to \(plural(maximum))"
    }
}
