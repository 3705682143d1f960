import MaplNN

/// Layers, `seq`, `flatten`, `train`/`eval` and `summary`: the language's "Layers and models".
extension BuiltinRegistry {
    func registerNNLayerBuiltins() {
        let c = "layers"
        func layer(_ make: @escaping (Arguments) throws -> Layer) -> (Arguments) throws -> Value {
            { a in .mapping(LayerMapping(try make(a))) }
        }
        register("dense(in, out, act=none, bias=true)", category: c, "a fully connected layer x·W + b (W is [in, out]), then the activation act (e.g. act=relu)",
                 layer { a in try Dense(a.int("in"), a.int("out"), applying: a.activation("act"), bias: a.bool("bias")) })
        register("conv2d(in_ch, out_ch, k, stride=1, pad=0)", category: c, "a 2-D convolution with k×k filters over images [batch, in_ch, height, width]",
                 layer { a in try Conv2d(a.int("in_ch"), a.int("out_ch"), a.int("k"), stride: a.int("stride"), padding: a.int("pad")) })
        register("maxpool2d(k, stride=none)", category: c, "the largest value of every k×k window (stride k unless given)",
                 layer { a in try MaxPool2d(a.int("k"), stride: a.optionalInt("stride")) })
        register("avgpool2d(k)", category: c, "the mean of every k×k window, stride k",
                 layer { a in try AvgPool2d(a.int("k")) })
        register("flatten(x)", category: c, "[n, …] → [n, features]; a stage of its own: flatten >> dense(784, 10)") { a in
            .tensor(try Flatten()(a.variable("x")))
        }
        register("dropout(p)", category: c, "zeroes each element with probability p while training (survivors scaled by 1/(1−p)); the identity in eval",
                 layer { a in try Dropout(a.float("p")) })
        register("batchnorm(n)", category: c, "batch normalization over n features or channels (batch statistics in training, running ones in eval)",
                 layer { a in try BatchNorm(a.int("n")) })
        register("layernorm(n)", category: c, "layer normalization over the last axis of size n",
                 layer { a in try LayerNorm(a.int("n")) })
        register("embedding(n, d)", category: c, "a table of n learned vectors of size d: token ids [batch, time] → [batch, time, d]",
                 layer { a in try Embedding(a.int("n"), a.int("d")) })
        register("rnn(in, hidden)", category: c, "an Elman RNN (tanh) over sequences [batch, time, in] → hidden states [batch, time, hidden]",
                 layer { a in try RNN(a.int("in"), a.int("hidden")) })
        register("lstm(in, hidden)", category: c, "an LSTM over sequences [batch, time, in] → hidden states [batch, time, hidden]",
                 layer { a in try LSTM(a.int("in"), a.int("hidden")) })
        register("attention(d, heads=1, causal=false)", category: c, "multi-head self-attention on [batch, seq, d] (causal: position i sees only j ≤ i)",
                 layer { a in try Attention(a.int("d"), heads: a.int("heads"), causal: a.bool("causal")) })
        register("seq(layers...)", category: c, "a model applying its stages in order: seq(f, g, h) is f >> g >> h") { a in
            let items = try a.list("layers")
            let stages = try items.enumerated().map { i, v -> Mapping in
                guard case .mapping(let m) = v else {
                    throw RuntimeError("seq(): stage \(i + 1) must be a mapping (a layer, activation or function), got \(Convert.describeKind(v))", argument: .positional(i))
                }
                return m
            }
            return .mapping(Model(stages))
        }
        register("train(model)", category: c, "switches dropout and batchnorm layers of a model to training behaviour") { a in
            try a.layer("model").train(true)
            return .none
        }
        register("eval(model)", category: c, "switches dropout and batchnorm layers of a model to evaluation behaviour") { a in
            try a.layer("model").train(false)
            return .none
        }
        register("summary(model, input=none)", category: c, "prints the model's stages with output shapes ([n, …] for a batch of n) and parameter counts; input is one sample's shape") { a in
            let m = try a.mapping("model")
            let input = a.isNone("input") ? nil : try a.intList("input")
            if let input {
                guard input.allSatisfy({ $0 > 0 }) else {
                    throw a.error("input", "the sample shape must have positive sizes, got \(shapeString(input))")
                }
                // The table runs one sample of this shape; refuse sizes no model input has.
                guard input.count <= 8, input.reduce(1.0, { $0 * Double($1) }) <= Double(1 << 26) else {
                    throw a.error("input", "a sample of shape \(shapeString(input)) is too large to run for a summary")
                }
            }
            a.interpreter.emit(.table(ModelSummary(m, input: input, interpreter: a.interpreter).table))
            return .none
        }
    }
}

extension Arguments {
    /// The activation of `dense(…, act=…)`: none, an activation's name (`"relu"`) or any mapping — an
    /// activation builtin runs as the engine's own layer (relu fused into the affine node), anything else
    /// (`x -> tanh(x)`, a user function) through the interpreter, as a stage of a model would.
    func activation(_ name: String) throws -> (any Layer)? {
        switch value(name) {
        case .none: return nil
        case .string(let s):
            guard let a = Activation.named(s) else {
                throw error(name, "'\(name)' names no activation (\(Activation.names.joined(separator: ", "))), got \"\(s)\"")
            }
            return a
        case .mapping(let m):
            let layer = ModelLayer.make(m, interpreter: interpreter)
            guard layer.parameters.isEmpty else {
                throw error(name, "'\(name)' must be a mapping without parameters, like relu or x -> tanh(x); \(Model.describe(m)) has parameters, so make it a stage of its own: dense(…) >> \(Model.describe(m))")
            }
            return layer
        case let v:
            throw error(name, "'\(name)' must be an activation such as relu or any mapping (x -> tanh(x)), got \(Convert.describeKind(v))")
        }
    }

    /// The argument as a layer the nn library can run (any mapping; see `ModelLayer`).
    func layer(_ name: String) throws -> Layer {
        ModelLayer.make(try mapping(name), interpreter: interpreter)
    }
}
