import MaplNN

/// One builtin: its name, the signature users read (`sum(x, axis=none, keepdims=false)`), a one-line help
/// and the implementation. The signature is parsed once into parameters and defaults, so what `help`
/// shows is exactly what calls are checked against.
public struct Builtin {
    public let name: String
    public let signature: String
    public let help: String
    /// A heading for `help()` listings: "tensors", "math", "gradients", "layers", …
    public let category: String
    public let parameters: [ParameterSpec]
    let defaults: [Value?]
    let implementation: (Arguments) throws -> Value

    /// Makes a builtin from its signature; throws if the signature does not parse (a programming error,
    /// caught by the registry tests).
    /// `knownNames` are the builtins a default may name (`loss=cross_entropy`).
    public init(_ signature: String, category: String, help: String, knownNames: Set<String> = [],
                _ implementation: @escaping (Arguments) throws -> Value) throws {
        let parsed = try SignatureParser.parse(signature, knownNames: knownNames)
        self.name = parsed.name
        self.signature = signature
        self.help = help
        self.category = category
        self.parameters = parsed.parameters
        self.defaults = parsed.defaults
        self.implementation = implementation
    }
}

/// Every builtin the language knows, in one place: the interpreter binds them, `help(name)`, `:help` and
/// tab completion read them.
///
/// The nn integration registers its builtins (layers, losses, optimizers, datasets) with `register`, from a
/// `registerNN()`-style function called in `standard()`, wrapping layers as `LayerMapping` and other objects
/// as `ObjectValue`.
public final class BuiltinRegistry {
    private var byName: [String: Builtin] = [:]
    private var order: [String] = []
    /// Signatures that failed to parse (should stay empty; a test checks it).
    public private(set) var problems: [String] = []

    public init() {}

    /// Every builtin with the language's standard library registered.
    public static func standard() -> BuiltinRegistry {
        let r = BuiltinRegistry()
        r.registerTensorBuiltins()
        r.registerMathBuiltins()
        r.registerGradientBuiltins()
        r.registerCoreBuiltins()
        r.registerSeeingBuiltins()
        r.registerNNLayerBuiltins()
        r.registerNNOptimizerBuiltins()   // before training: fit's default is opt=adam(model)
        r.registerNNTrainingBuiltins()
        r.registerNNStepBuiltins()        // after training: step's default is loss=cross_entropy
        r.registerNNDataBuiltins()
        r.registerNNFileBuiltins()
        return r
    }

    /// Adds (or replaces) a builtin.
    public func register(_ builtin: Builtin) {
        if byName.updateValue(builtin, forKey: builtin.name) == nil { order.append(builtin.name) }
    }

    /// Adds a builtin from its signature, help line and implementation.
    public func register(_ signature: String, category: String, _ help: String, _ implementation: @escaping (Arguments) throws -> Value) {
        do { register(try Builtin(signature, category: category, help: help, knownNames: Set(order), implementation)) }
        catch { problems.append("\(signature): \(error)") }
    }

    public subscript(name: String) -> Builtin? { byName[name] }
    /// In registration order.
    public var all: [Builtin] { order.compactMap { byName[$0] } }
    public var names: [String] { order }
    /// Builtin names starting with `prefix`, sorted (tab completion).
    public func completions(prefix: String) -> [String] { order.filter { $0.hasPrefix(prefix) }.sorted() }
}

/// A builtin as a value: a mapping that binds its arguments against the signature and runs.
public final class BuiltinFunction: Mapping {
    public let builtin: Builtin
    /// How many leading parameters must be given (the rest have defaults), or -1 when one is variadic.
    private let required: Int
    public init(_ builtin: Builtin) {
        self.builtin = builtin
        let params = builtin.parameters
        required = params.contains(where: \.variadic) ? -1 : params.lastIndex(where: { !$0.hasDefault }).map { $0 + 1 } ?? 0
    }
    public var name: String { builtin.name }
    public func call(_ args: [Value], keywords: [(name: String, value: Value)], interpreter: Interpreter) throws -> Value {
        let count = builtin.parameters.count
        if keywords.isEmpty && required >= 0 && args.count >= required && args.count <= count {
            // Positional arguments only, none missing, none too many — the common call — bind without the
            // general matcher: the given values, then the defaults.
            var values = args
            var positions = [ArgumentPosition?](repeating: nil, count: count)
            for i in 0..<args.count { positions[i] = .positional(i) }
            for i in args.count..<count { values.append(builtin.defaults[i] ?? .none) }
            return try builtin.implementation(Arguments(function: builtin.name, parameters: builtin.parameters,
                                                        values: values, positions: positions, interpreter: interpreter))
        }
        let bound = try ArgumentBinder.bind(builtin.name, builtin.parameters, args, keywords)
        var values: [Value] = []
        for (i, p) in builtin.parameters.enumerated() {
            values.append(bound.values[i] ?? builtin.defaults[i] ?? (p.variadic ? .list([]) : .none))
        }
        return try builtin.implementation(Arguments(function: builtin.name, parameters: builtin.parameters,
                                                    values: values, positions: bound.positions, interpreter: interpreter))
    }
}

/// A builtin's bound arguments with typed accessors whose errors name the function and the argument.
public struct Arguments {
    public let function: String
    let parameters: [ParameterSpec]
    let values: [Value]
    let positions: [ArgumentPosition?]
    public let interpreter: Interpreter

    /// Where a builtin asking for a parameter its signature does not declare is reported: a typo in the
    /// builtin's own code, which would otherwise read as "not given". Debug builds (and so the tests) stop
    /// there; release builds go on with `none`. `BuiltinRegistryTests` checks every builtin's names.
    nonisolated(unsafe) static var undeclaredParameter: (String) -> Void = { message in assertionFailure(message) }

    private func slot(_ name: String) -> Int {
        if let i = parameters.firstIndex(where: { $0.name == name }) { return i }
        Arguments.undeclaredParameter("\(function)() asked for '\(name)', which its signature does not declare (parameters: \(parameters.map(\.name).joined(separator: ", ")))")
        return -1
    }

    /// The argument's value (its default when not given).
    public func value(_ name: String) -> Value {
        let i = slot(name)
        return i >= 0 ? values[i] : .none
    }

    /// Whether the caller passed the argument (rather than leaving the default).
    public func given(_ name: String) -> Bool { let i = slot(name); return i >= 0 && positions[i] != nil }

    /// Where the argument came from, for errors.
    public func position(_ name: String) -> ArgumentPosition? { let i = slot(name); return i >= 0 ? positions[i] : nil }

    func what(_ name: String) -> String { "\(function)(): '\(name)'" }

    public func isNone(_ name: String) -> Bool { if case .none = value(name) { return true }; return false }
    public func variable(_ name: String) throws -> Variable { try Convert.variable(value(name), argument: position(name), what: what(name)) }
    public func tensor(_ name: String) throws -> Tensor { try Convert.tensor(value(name), argument: position(name), what: what(name)) }
    public func double(_ name: String) throws -> Double { try Convert.double(value(name), argument: position(name), what: what(name)) }
    public func float(_ name: String) throws -> Float { Float(try double(name)) }
    public func int(_ name: String) throws -> Int { try Convert.int(value(name), argument: position(name), what: what(name)) }
    public func optionalInt(_ name: String) throws -> Int? { isNone(name) ? nil : try int(name) }
    public func intList(_ name: String) throws -> [Int] { try Convert.intList(value(name), argument: position(name), what: what(name)) }

    public func bool(_ name: String) throws -> Bool {
        if case .bool(let b) = value(name) { return b }
        throw RuntimeError("\(what(name)) must be true or false, got \(Convert.describeKind(value(name)))", argument: position(name))
    }
    public func string(_ name: String) throws -> String {
        if case .string(let s) = value(name) { return s }
        throw RuntimeError("\(what(name)) must be a string, got \(Convert.describeKind(value(name)))", argument: position(name))
    }
    public func mapping(_ name: String) throws -> Mapping {
        if case .mapping(let m) = value(name) { return m }
        throw RuntimeError("\(what(name)) must be a mapping, got \(Convert.describeKind(value(name)))", argument: position(name))
    }
    public func list(_ name: String) throws -> [Value] {
        if case .list(let items) = value(name) { return items }
        throw RuntimeError("\(what(name)) must be a list, got \(Convert.describeKind(value(name)))", argument: position(name))
    }

    /// An error about one argument.
    public func error(_ name: String, _ message: String) -> RuntimeError {
        RuntimeError("\(function)(): \(message)", argument: position(name))
    }
}
