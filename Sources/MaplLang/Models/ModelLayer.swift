import MaplNN

/// Any mapl mapping presented as a `MaplNN.Layer`, so the Swift training loop (`Trainer.fit`), summaries,
/// penalties, train/eval switching and safetensors work on every model a user can write — including ones
/// with lambdas inside (`rnn(1, 16) >> (h -> h[:, -1]) >> dense(16, 1)`).
///
/// `make` unwraps what it can: a layer is itself, an activation builtin (`relu`) is an `Activation` and
/// `flatten` a `Flatten` (so they run without the interpreter and show as parameter-free layers), and a
/// `Model` becomes a sequence whose children are its stages' layers — parameters are then named
/// `layers.0.W`, `layers.2.b`, … as PyTorch's `nn.Sequential` names them. Anything else (user functions,
/// lambdas, other builtins) is called through `Interpreter.apply`.
final class ModelLayer: Layer {
    /// The mapping this layer stands for.
    let mapping: Mapping
    /// For a `Model`, its stages as layers; empty otherwise.
    let stageLayers: [Layer]
    private let isSequence: Bool
    /// Weak: the adapter is made for one builtin call and must not keep a session alive.
    private weak var interpreter: Interpreter?

    private init(_ mapping: Mapping, stages: [Layer], isSequence: Bool, interpreter: Interpreter) {
        self.mapping = mapping
        self.stageLayers = stages
        self.isSequence = isSequence
        self.interpreter = interpreter
    }

    /// The layer that runs `m`.
    static func make(_ m: Mapping, interpreter: Interpreter) -> Layer {
        switch m {
        case let l as LayerMapping:
            return l.layer
        case let b as BuiltinFunction:
            if let layer = builtinLayer(b.name) { return layer }
            return ModelLayer(m, stages: [], isSequence: false, interpreter: interpreter)
        case let model as Model:
            return ModelLayer(model, stages: model.stages.map { make($0, interpreter: interpreter) }, isSequence: true,
                              interpreter: interpreter)
        default:
            return ModelLayer(m, stages: [], isSequence: false, interpreter: interpreter)
        }
    }

    /// The parameter-free layer a builtin stands for (`relu`, `softmax`, `flatten`, …), or nil.
    static func builtinLayer(_ name: String) -> Layer? {
        if name == "flatten" { return Flatten() }
        return Activation.named(name)
    }

    var kind: String { isSequence ? "seq" : Model.describe(mapping) }
    var signature: String {
        isSequence ? "seq(" + stageLayers.map(\.signature).joined(separator: ", ") + ")" : Model.describe(mapping)
    }
    var children: [Layer] { stageLayers }

    /// Parameters of a mapping that holds some but is neither a layer nor a model (named `p0`, `p1`, …).
    var ownParameters: [(name: String, value: Variable)] {
        guard !isSequence, let holder = mapping as? ParameterHolder else { return [] }
        return holder.parameterList.enumerated().map { ("p\($0.offset)", $0.element) }
    }

    func callAsFunction(_ x: Variable) throws -> Variable {
        if isSequence { return try Sequential.apply(stageLayers, to: x) }
        guard let interpreter else { throw RuntimeError("internal: the session of \(mapping.name) has ended") }
        let result = try interpreter.apply(mapping, [.tensor(x)])
        return try Convert.variable(result, what: "the result of \(Model.describe(mapping)) inside the model")
    }
}

/// Train/eval state of the layers that have one (dropout, batchnorm), saved so that `summary`, `predict`,
/// `evaluate` and `fit` leave a model in the mode the user set with `train`/`eval`.
struct TrainingModes {
    private var saved: [(layer: Layer, training: Bool)] = []

    /// The modes of `layer` and all its descendants.
    init(of layer: Layer) {
        func walk(_ l: Layer) {
            if let d = l as? Dropout { saved.append((d, d.training)) }
            if let b = l as? BatchNorm { saved.append((b, b.training)) }
            l.children.forEach(walk)
        }
        walk(layer)
    }

    /// Puts every saved layer back in its mode.
    func restore() { for (layer, training) in saved { layer.setTraining(training) } }
}
