import MaplNN

/// A model: mappings applied one after another — what `f >> g` and `seq(f, g, …)` make.
///
/// Stages may be anything callable: layers (`LayerMapping`), activation builtins (`relu`), user functions and
/// lambdas (`h -> h[:, -1]`), or other models (spliced in, so `a >> b >> c` has three stages and
/// `m.layers[2]` is `c`). `model.layers` lists the stages themselves — layers are shared, not copied — so
/// `m.layers[0].b *= 0` changes the model. `model.params` lists the layers' parameters, each once. Parameters
/// a lambda closes over are *not* the model's: pass them to the optimizer yourself (`adam([m, pos])`).
///
/// For the Swift training loop, summaries, penalties and safetensors, `ModelLayer.make` presents any mapping
/// as a `MaplNN.Layer` whose children are the stages.
public final class Model: Mapping, ParameterHolder {
    /// The stages, in order (never themselves models).
    public let stages: [Mapping]

    /// A model running `stages` in order; stages that are models are spliced in.
    public init(_ stages: [Mapping]) { self.stages = stages.flatMap(Model.stages(of:)) }

    /// `f >> g`.
    public static func composing(_ f: Mapping, _ g: Mapping) -> Model { Model([f, g]) }

    static func stages(of m: Mapping) -> [Mapping] { (m as? Model)?.stages ?? [m] }

    public var name: String { stages.map(\.name).joined(separator: " >> ") }

    /// `<model dense(2, 8) >> tanh >> dense(8, 1)>` when it holds layers, else `<mapping f >> g>`.
    public var displayString: String {
        let holdsLayers = stages.contains { $0 is LayerMapping }
        guard holdsLayers else { return "<mapping \(name)>" }
        return "<model " + stages.map(Model.describe).joined(separator: " >> ") + ">"
    }

    /// A stage as users wrote it: a layer's signature (`dense(2, 8)`), a builtin's or function's name, or
    /// `(x -> …)` for a lambda.
    static func describe(_ m: Mapping) -> String {
        switch m {
        case let l as LayerMapping: return l.layer.signature
        case let f as UserFunction where f.isLambda: return "(" + f.parameters.map(\.name).joined(separator: ", ") + " -> …)"
        default: return m.name
        }
    }

    /// A stage's kind for the stepper's layer view: the layer's kind (`dense`), a builtin's name (`relu`),
    /// `fn` for functions and lambdas.
    static func kind(_ m: Mapping) -> String {
        switch m {
        case let l as LayerMapping: return l.layer.kind
        case is UserFunction: return "fn"
        default: return m.name
        }
    }

    /// Applies the stages in order, each inside its own `LayerScope` so the nodes it records know their layer.
    public func call(_ args: [Value], keywords: [(name: String, value: Value)], interpreter: Interpreter) throws -> Value {
        guard let first = stages.first else { return args.first ?? .none }
        var value = try LayerScope.applying(Model.describe(first), kind: Model.kind(first), index: 0) {
            try interpreter.apply(first, args, keywords: keywords)
        }
        for (i, stage) in stages.enumerated().dropFirst() {
            value = try LayerScope.applying(Model.describe(stage), kind: Model.kind(stage), index: i) {
                try interpreter.apply(stage, [value])
            }
        }
        return value
    }

    public var fieldNames: [String] { ["layers", "params"] }
    public func field(_ name: String) throws -> Value? {
        switch name {
        case "layers": return .list(stages.map { .mapping($0) })
        case "params": return .list(parameterList.map { .tensor($0) })
        default: return nil
        }
    }

    /// Every stage's parameters, depth first, each parameter once (a layer used twice is one set of weights).
    public var parameterList: [Variable] {
        var seen = Set<ObjectIdentifier>()
        return stages.flatMap { ($0 as? ParameterHolder)?.parameterList ?? [] }
            .filter { seen.insert(ObjectIdentifier($0)).inserted }
    }
}
