import MaplNN

/// What `summary(model)` prints, Keras style: one row per stage with its output shape (the batch axis shown
/// as `n`) and parameter count, then the total.
///
///     layer            output    params
///     input            [n, 784]
///     flatten          [n, 784]       0
///     dense(784, 128)  [n, 128]  100480
///     relu             [n, 128]       0
///     dense(128, 10)   [n, 10]     1290
///     total                      101770
///
/// Shapes come from running a batch of one sample of zeros through the stages in evaluation mode without
/// recording gradients (the model's train/eval modes are restored afterwards). The sample's shape is
/// `input` when given, otherwise inferred from the first layer that fixes it: `dense(in, …)` → `[in]`,
/// `conv2d(c, …)` → `[c, 28, 28]` (an assumption the table states), `embedding` → 10 tokens,
/// `rnn`/`lstm(in, …)` → 10 steps of `in`, `attention(d)` → `[10, d]`, `batchnorm`/`layernorm(n)` → `[n]`.
/// A stage that fails, and every stage after it, shows `?`.
struct ModelSummary {
    let table: TableData

    init(_ model: Mapping, input: [Int]?, interpreter: Interpreter) {
        let stages = (model as? Model)?.stages ?? [model]
        let layers = stages.map { ModelLayer.make($0, interpreter: interpreter) }
        var note: String? = nil
        var sample = input
        if sample == nil, let (inferred, why) = ModelSummary.inferInput(layers) { sample = inferred; note = why }

        var rows: [[String]] = []
        if let sample { rows.append(["input", ModelSummary.show([1] + sample), ""]) }
        let modes = layers.map { TrainingModes(of: $0) }
        layers.forEach { $0.train(false) }
        defer { modes.forEach { $0.restore() } }
        var current: Variable? = sample.flatMap { try? Variable(Tensor.zeros([1] + $0)) }
        GradMode.withoutGrad {
            for (stage, layer) in zip(stages, layers) {
                current = current.flatMap { try? layer($0) }
                rows.append([Model.describe(stage), current.map { ModelSummary.show($0.shape) } ?? "?", "\(layer.parameterCount)"])
            }
        }
        let total = ((model as? ParameterHolder)?.parameterList ?? []).reduce(0) { $0 + $1.value.count }
        rows.append(["total", "", "\(total)"])
        var notes: [String] = []
        if sample == nil { notes.append("(output shapes need one sample's shape: summary(model, input=[…]))") }
        if let note { notes.append("(\(note); pass input=[…] to change)") }
        table = TableData(header: ["layer", "output", "params"], rows: rows, alignments: [.left, .left, .right], notes: notes)
    }

    /// A shape with the batch axis (of size 1 here) written `n`.
    static func show(_ shape: [Int]) -> String {
        guard let first = shape.first, first == 1 else { return shapeString(shape) }
        return "[" + (["n"] + shape.dropFirst().map(String.init)).joined(separator: ", ") + "]"
    }

    /// One sample's shape from the first layer that fixes it, and a note when part of it is assumed.
    static func inferInput(_ layers: [Layer]) -> ([Int], String?)? {
        for layer in layers {
            switch layer {
            case let d as Dense: return ([d.inFeatures], nil)
            case let c as Conv2d: return ([c.inChannels, 28, 28], "input assumed to be 28×28 images")
            case is Embedding: return ([10], "input assumed to be 10 tokens")
            case let r as RNN: return ([10, r.inputSize], "input assumed to be 10 time steps")
            case let r as LSTM: return ([10, r.inputSize], "input assumed to be 10 time steps")
            case let t as Attention: return ([10, t.dimension], "input assumed to be 10 positions")
            case let b as BatchNorm: return ([b.features], nil)
            case let l as LayerNorm: return ([l.features], nil)
            case let s as ModelLayer where !s.stageLayers.isEmpty:
                if let found = inferInput(s.stageLayers) { return found }
            default: continue
            }
        }
        return nil
    }
}
