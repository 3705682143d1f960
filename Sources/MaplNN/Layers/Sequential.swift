/// Layers applied one after another: `seq(a, b, c)` and `a >> b >> c` (kind `seq`).
///
/// Its stages are its `children`, so parameters are named `layers.0.W`, `layers.1.b`, … as in a
/// safetensors file written from PyTorch's `nn.Sequential`.
public final class Sequential: Layer {
    /// The stages, in order.
    public private(set) var layers: [Layer]

    /// A model applying `layers` in order. Nested `Sequential`s are kept as they are (use `composing` to
    /// flatten).
    public init(_ layers: [Layer]) { self.layers = layers }

    public var kind: String { "seq" }
    public var children: [Layer] { layers }
    public var signature: String { "seq(" + layers.map(\.signature).joined(separator: ", ") + ")" }

    public func callAsFunction(_ x: Variable) throws -> Variable { try Sequential.apply(layers, to: x) }

    /// Runs `layers` in order on `x`, each inside a `LayerScope` naming it, so every node records which
    /// stage made it (the stepper's layer view).
    ///
    /// A `relu` stage followed by a `maxpool2d` stage runs as one node, `relu_maxpool2d` (recorded in the
    /// pooling stage's scope; the relu stage records none): the same values and gradients, bit for bit,
    /// without storing relu's output or its gradient — in a CNN those are the largest tensors of a step.
    /// The language's `model(x)` applies its stages one by one (each its own node, as the stepper shows
    /// them); `fit`, `step` and `evaluate` run the model through here.
    public static func apply(_ layers: [Layer], to x: Variable) throws -> Variable {
        var h = x
        var i = 0
        while i < layers.count {
            let layer = layers[i]
            if i + 1 < layers.count, (layer as? Activation)?.function == .relu, let pool = layers[i + 1] as? MaxPool2d {
                h = try LayerScope.applying(pool.signature, kind: pool.kind, index: i + 1) { try pool(reluOf: h) }
                i += 2
                continue
            }
            h = try LayerScope.applying(layer.signature, kind: layer.kind, index: i) { try layer(h) }
            i += 1
        }
        return h
    }

    /// `f >> g`: a new model running `f` then `g`. Stages of either side that is itself a `Sequential` are
    /// spliced in, so `a >> b >> c` is one flat model with three layers (`model.layers[2]` is `c`). The
    /// layers themselves are shared, not copied — as parameters are.
    public static func composing(_ f: Layer, _ g: Layer) -> Sequential {
        func stages(_ l: Layer) -> [Layer] { (l as? Sequential)?.layers ?? [l] }
        return Sequential(stages(f) + stages(g))
    }

    /// Appends a stage in place.
    public func append(_ layer: Layer) { layers.append(layer) }
}
