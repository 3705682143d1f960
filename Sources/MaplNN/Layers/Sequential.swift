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
    public static func apply(_ layers: [Layer], to x: Variable) throws -> Variable {
        var h = x
        for (i, layer) in layers.enumerated() {
            h = try LayerScope.applying(layer.signature, kind: layer.kind, index: i) { try layer(h) }
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
